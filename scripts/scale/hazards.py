"""The hazards of the city, in every state of the closed loop with the fields each state carries, and
the audit events the services would have written for them (登记 and the last step)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from scale.base import GeneratorBase
from scale.city import weighted

# category code → (title, location) examples
HAZARDS = {
    "fire": [
        ("安全出口被杂物堵塞", "住院楼{f}层东侧安全出口"),
        ("灭火器压力不足", "门诊楼{f}层走廊"),
        ("常闭式防火门处于开启状态", "医技楼{f}层楼梯间"),
        ("疏散指示标志损坏", "住院楼{f}层走廊"),
        ("消火栓箱被遮挡", "门诊楼{f}层大厅"),
    ],
    "electrical": [
        ("配电箱未上锁，周边堆放可燃物", "地下{f}层配电室"),
        ("私拉乱接电线", "住院楼{f}层护士站"),
        ("插座超负荷使用大功率电器", "行政楼{f}层办公室"),
    ],
    "gas": [("可燃气体报警装置故障", "食堂操作间"), ("燃气软管老化", "食堂操作间")],
    "hazardous_chemicals": [("危化品未双人双锁管理", "检验科试剂库"), ("酒精超量存放", "住院楼{f}层治疗室")],
    "special_equipment": [("电梯年检标志过期", "门诊楼{f}号电梯"), ("压力容器未按期检验", "锅炉房")],
    "medical_gas": [("氧气瓶未固定", "住院楼{f}层治疗室"), ("汇流排间堆放杂物", "医用气体站")],
    "building": [("外墙瓷砖空鼓脱落风险", "门诊楼外立面"), ("楼梯扶手松动", "住院楼{f}层楼梯")],
    "security": [("监控摄像头损坏", "院区北门"), ("一键报警装置未联网", "急诊科")],
    "other": [("防滑警示标识缺失", "门诊楼{f}层卫生间")],
}
MEASURES = "立即清理并落实专人巡查；更换损坏部件；加强培训教育，纳入每日巡查重点。"
STATES_BY_AGE = [  # (max age in days, [(status, weight)])
    (30, [("reported", 25), ("rectifying", 40), ("awaiting_acceptance", 15), ("closed", 17), ("dismissed", 3)]),
    (120, [("reported", 2), ("rectifying", 15), ("awaiting_acceptance", 5), ("closed", 75), ("dismissed", 3)]),
    (100000, [("rectifying", 1), ("awaiting_acceptance", 0.3), ("closed", 95.7), ("dismissed", 3)]),
]
SOURCES = [
    ("self_inspection", 70),
    ("supervision", 12),
    ("third_party", 8),
    ("tip_off", 3),
    ("assigned", 2),
    ("other", 5),
]
HAZARDS_PER_INSTITUTION_YEAR = 1_000_000 / 1000 / 3
# the closed loop's fields as a hazard has them before its first step, in the order of the columns
LOOP_UNSET = {
    "goal": "",
    "measures": "",
    "funds": None,
    "materials": "",
    "responsible_unit": "",
    "responsible_id": None,
    "deadline": None,
    "original_deadline": None,
    "requirements": "",
    "safety_measures": "",
    "confirmed_at": None,
    "confirmed_by_id": None,
    "rectification_note": "",
    "rectified_at": None,
    "rectified_by_id": None,
    "endorsed_at": None,
    "endorsed_by_id": None,
    "accepted_at": None,
    "accepted_by_id": None,
    "acceptance_note": "",
    "dismissed_reason": "",
    "is_supervised": False,
    "supervision_level": "",
    "supervision_deadline": None,
    "supervision_notice_number": "",
    "supervised_at": None,
    "supervised_by_id": None,
}
HAZARD_COLUMNS = [
    "id",
    "number",
    "organization_id",
    "department_id",
    "location",
    "title",
    "description",
    "category_id",
    "level",
    "source",
    "status",
    "criterion_id",
    "found_at",
    "found_by_id",
    "found_by_name",
    "fixed_on_spot",
    *LOOP_UNSET,
    "created_at",
    "updated_at",
]


class HazardSteps(GeneratorBase):
    # --- hazards ---------------------------------------------------------------------------------
    def hazards(self) -> int:
        from anjian.hazards.models import Criterion, HazardCategory

        rng = random.Random(self.seed * 1000 + 4)
        categories = dict(HazardCategory.objects.values_list("code", "id"))
        criteria = list(Criterion.objects.order_by("pk").values_list("pk", flat=True))
        cat_pairs = [(code, 3 if code == "fire" else 1) for code in HAZARDS if code in categories]
        mean_staff = sum(i.staff for i in self.insts) / len(self.insts)
        plan = []
        for inst in self.insts:
            n = max(3, round(HAZARDS_PER_INSTITUTION_YEAR * self.years * inst.staff / mean_staff))
            plan.append((inst, n))
        total = sum(n for _i, n in plan)
        first = self._reserve("hazards_hazard", total)
        self.year_counters: dict[int, int] = {}
        names: dict[int, str] = {}
        with self._cursor() as cur:
            cur.execute("SELECT id, name FROM accounts_user WHERE id >= %s", [self.regulators[self.city_id][0]])
            names = dict(cur.fetchall())
        self.user_names = names

        def rows():
            next_id = first
            for inst, n in plan:
                inst.hazard_lo, inst.hazard_n = next_id, n
                district_staff = self.regulators[self.district_ids[inst.district]]
                for _ in range(n):
                    yield self._hazard(rng, next_id, inst, categories, cat_pairs, criteria, district_staff, names)
                    next_id += 1

        return self._copy("hazards_hazard", HAZARD_COLUMNS, rows())

    def _hazard(self, rng, hid, inst, categories, cat_pairs, criteria, district_staff, names) -> tuple:
        """One hazard's row: what was found, where and by whom, then how far round the loop it went."""
        found = self._when(rng)
        age = (self.now - found).days
        status = weighted(rng, next(states for limit, states in STATES_BY_AGE if age <= limit))
        code = weighted(rng, cat_pairs)
        title, place = rng.choice(HAZARDS[code])
        location = place.format(f=rng.randrange(1, 9))
        major = rng.random() < 0.02 and status != "dismissed"
        source = weighted(rng, SOURCES)
        dept = rng.choice(inst.departments)
        finder = rng.choice(district_staff) if source == "supervision" else rng.choice(inst.users)
        year = found.year
        seq = self.year_counters.get(year, 0) + 1
        self.year_counters[year] = seq
        on_spot = (not major) and status == "closed" and rng.random() < 0.1
        responsible = rng.choice(inst.heads or [inst.officer])
        h = {"criterion_id": rng.choice(criteria) if major and criteria else None, **LOOP_UNSET}
        last = self._hazard_loop(
            rng,
            h,
            hid=hid,
            inst=inst,
            status=status,
            major=major,
            on_spot=on_spot,
            found=found,
            finder=finder,
            responsible=responsible,
            district_staff=district_staff,
        )
        return (
            hid,
            f"YH-{year}-{seq:06d}",
            inst.id,
            dept,
            location,
            title,
            f"{location}{title}，需及时整改。",
            categories[code],
            "major" if major else "general",
            source,
            status,
            h["criterion_id"],
            found,
            finder,
            names[finder],
            on_spot,
            *(h[name] for name in LOOP_UNSET),
            found + dt.timedelta(minutes=2),
            last,
        )

    def _hazard_loop(
        self, rng, h: dict, *, hid, inst, status, major, on_spot, found, finder, responsible, district_staff
    ) -> dt.datetime:
        """Write into ``h`` what each step of the closed loop writes, up to ``status``, as the services
        would have (a plan, a rectification, the principal's endorsement of a major one, an acceptance
        by someone other than the rectifier; a major one perhaps under supervision); return the time of
        the last step."""
        last = found

        def step(after: dt.datetime, max_days: float) -> dt.datetime:
            room = (self.now - after).total_seconds()
            return after + dt.timedelta(seconds=min(room * rng.uniform(0.05, 0.6), max_days * 86400 * rng.random()))

        if status == "dismissed":
            h["dismissed_reason"] = "经核实不构成事故隐患。"
            last = step(found, 3)
        elif on_spot:
            h["rectification_note"] = "现场即查即改。"
            h["rectified_at"] = found
            h["rectified_by_id"] = finder
        elif status != "reported":
            confirmed = step(found, 3)
            deadline = confirmed.date() + dt.timedelta(days=rng.choice((7, 15, 30, 30, 60)))
            h.update(
                goal="消除隐患，恢复设施正常" if major else "",
                measures=MEASURES,
                funds=Decimal(rng.randrange(0, 200) * 100) if major or rng.random() < 0.3 else None,
                materials="由后勤保障部落实物资" if major else "",
                responsible_unit="后勤保障部" if major else "",
                responsible_id=responsible,
                deadline=deadline,
                original_deadline=deadline,
                requirements="按期完成并提交整改后照片",
                safety_measures="整改期间设置警示标识、专人值守" if major else "",
                confirmed_at=confirmed,
                confirmed_by_id=inst.officer,
            )
            last = confirmed
            if status in ("awaiting_acceptance", "closed"):
                rectified = step(confirmed, 40)
                h.update(
                    rectification_note="已按整改方案完成整改。", rectified_at=rectified, rectified_by_id=responsible
                )
                last = rectified
                if major and (status == "closed" or rng.random() < 0.5):
                    last = h["endorsed_at"] = step(rectified, 3)
                    h["endorsed_by_id"] = inst.principal
        if status == "closed":
            accepted = step(last, 5)
            if major:
                acceptor = rng.choice(district_staff)
            else:
                acceptor = inst.officer if h["rectified_by_id"] != inst.officer else inst.principal
            h.update(accepted_at=accepted, accepted_by_id=acceptor, acceptance_note="整改到位，同意销号。")
            last = accepted
        if major and status in ("reported", "rectifying", "awaiting_acceptance") and rng.random() < 0.3:
            supervised = step(found, 5)
            h.update(
                is_supervised=True,
                supervision_level="district",
                supervision_deadline=(supervised + dt.timedelta(days=60)).date(),
                supervision_notice_number=f"测卫督〔{supervised.year}〕{hid % 1000}号",
                supervised_at=supervised,
                supervised_by_id=district_staff[0],
            )
            last = max(last, supervised)
        return last

    def hazard_events(self) -> int:
        """One 登记隐患 event per hazard and one for its last step (销号, 撤销, …), as the services write."""
        from django.contrib.contenttypes.models import ContentType

        from anjian.hazards.models import Hazard

        ct = ContentType.objects.get_for_model(Hazard).pk
        lo = self.insts[0].hazard_lo
        n = self._sql(
            """
            INSERT INTO core_auditevent (at, actor_id, actor_repr, verb, organization_id, target_type_id,
                                         target_id, target_repr, changes, note, request_id)
            SELECT h.created_at, h.found_by_id, u.name || '（' || u.username || '）', 'hazard.reported',
                   h.organization_id, %s, h.id::text, h.number || ' ' || h.title, '{}'::jsonb, '', ''
            FROM hazards_hazard h JOIN accounts_user u ON u.id = h.found_by_id
            WHERE h.id >= %s ORDER BY h.id
            """,
            [ct, lo],
        )
        n += self._sql(
            """
            INSERT INTO core_auditevent (at, actor_id, actor_repr, verb, organization_id, target_type_id,
                                         target_id, target_repr, changes, note, request_id)
            SELECT h.updated_at, u.id, u.name || '（' || u.username || '）',
                   CASE h.status WHEN 'closed' THEN 'hazard.accepted' WHEN 'dismissed' THEN 'hazard.dismissed'
                                 WHEN 'awaiting_acceptance' THEN 'hazard.submitted' ELSE 'hazard.confirmed' END,
                   h.organization_id, %s, h.id::text, h.number || ' ' || h.title,
                   jsonb_build_object('status', jsonb_build_array(NULL, h.status)), '', ''
            FROM hazards_hazard h
            JOIN accounts_user u
              ON u.id = COALESCE(h.accepted_by_id, h.rectified_by_id, h.confirmed_by_id, h.found_by_id)
            WHERE h.id >= %s AND h.status <> 'reported' ORDER BY h.id
            """,
            [ct, lo],
        )
        return n
