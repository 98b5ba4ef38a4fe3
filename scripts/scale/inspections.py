"""The inspections of the city: points at every institution, two schedules each (a weekly fire
patrol, a monthly 30-item general check on the city's own checklist), every past slot done, the
results written on the server and each record's counts taken from them."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from scale.base import GeneratorBase
from scale.city import TEMPLATE_CODE

RESULT_FAIL_PER_MILLE, RESULT_NA_PER_MILLE = 15, 40
SCHEDULE_COLUMNS = [
    "id",
    "organization_id",
    "name",
    "template_id",
    "assignee_id",
    "post_id",
    "role",
    "department_id",
    "rhythm",
    "every_hours",
    "starts_on",
    "ends_on",
    "is_active",
    "created_by_id",
    "created_at",
]
RECORD_COLUMNS = [
    "id",
    "number",
    "organization_id",
    "schedule_id",
    "template_id",
    "point_id",
    "department_id",
    "supervision_id",
    "performed_by_id",
    "performed_at",
    "period_start",
    "scanned",
    "note",
    "corrects_id",
    "correction_reason",
    "pass_count",
    "fail_count",
    "na_count",
    "created_at",
]


class InspectionSteps(GeneratorBase):
    # --- inspections -----------------------------------------------------------------------------
    def points(self) -> int:
        rng = random.Random(self.seed * 1000 + 5)
        counts = [max(2, min(40, inst.staff // 9)) for inst in self.insts]
        first = self._reserve("inspections_inspectionpoint", sum(counts))
        cols = ["id", "organization_id", "department_id", "name", "location", "code", "is_active", "created_at"]
        rows, next_id = [], first
        for inst, n in zip(self.insts, counts, strict=True):
            for k in range(n):
                dept = inst.departments[k % len(inst.departments)]
                code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(11))
                rows.append(
                    (
                        next_id,
                        inst.id,
                        dept,
                        f"巡检点{k + 1:02d}",
                        f"{k % 6 + 1}号楼{k % 8 + 1}层",
                        code,
                        True,
                        self.start,
                    )
                )
                inst.points.append(next_id)
                next_id += 1
        return self._copy("inspections_inspectionpoint", cols, rows)

    def schedules(self) -> int:
        """Each institution: a weekly fire patrol (the starter checklist) at half its points, and a
        monthly general check (the city's 30-item checklist) at every point."""
        from anjian.hazards.models import HazardCategory
        from anjian.inspections.models import ChecklistTemplate

        patrol = ChecklistTemplate.objects.get(owner__isnull=True, code="ward_fire_patrol", status="published")
        fire = HazardCategory.objects.filter(code="fire").first()
        general = self._general_checklist(fire)
        self.templates = {"patrol": patrol, "general": general}
        n = 2 * len(self.insts)
        first = self._reserve("inspections_schedule", n)
        rows, links = [], []
        self.schedule_plan = []
        for k, inst in enumerate(self.insts):
            weekly, monthly = first + 2 * k, first + 2 * k + 1
            half = inst.points[: max(1, len(inst.points) // 2)]
            rows.append(self._schedule_row(weekly, inst, "每周防火巡查", patrol, "weekly"))
            rows.append(self._schedule_row(monthly, inst, "月度综合安全检查", general, "monthly"))
            links += [(weekly, p) for p in half] + [(monthly, p) for p in inst.points]
            self.schedule_plan.append((inst, weekly, half, monthly, inst.points))
        self._copy("inspections_schedule", SCHEDULE_COLUMNS, rows)
        self._copy("inspections_schedule_points", ["schedule_id", "inspectionpoint_id"], links)
        return n

    def _general_checklist(self, fire):
        """The city's monthly checklist: five sections of six items, published at the start."""
        from anjian.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate

        general = ChecklistTemplate.objects.create(
            owner_id=self.city_id,
            code=TEMPLATE_CODE,
            name="综合安全检查表（30项）",
            description="规模测试：全市统一的月度综合安全检查表。",
            applies_to="全院",
            category=fire,
            version=1,
            status="published",
            published_at=self.start,
        )
        for s in range(5):
            section = ChecklistSection.objects.create(template=general, order=s + 1, title=f"第{s + 1}部分")
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    template=general,
                    section=section,
                    order=i + 1,
                    key=uuid.UUID(int=random.Random(self.seed * 100 + s * 10 + i).getrandbits(128)),
                    text=f"检查项{s * 6 + i + 1:02d}：设施设备完好、制度落实到位",
                    basis="《医疗机构消防安全管理九项规定》",
                    category=fire,
                    photo_required_on_fail=False,
                )
                for i in range(6)
            )
        return general

    def _schedule_row(self, id_: int, inst, name: str, template, rhythm: str) -> tuple:
        """A schedule of the institution's safety officer, from the start of the period, without end."""
        return (
            id_,
            inst.id,
            name,
            template.pk,
            None,
            None,
            "safety_officer",
            None,
            rhythm,
            None,
            self.start.date(),
            None,
            True,
            inst.officer,
            self.start,
        )

    def records(self) -> int:
        """Every past weekly and monthly slot done at each point (a few missed), none in the current month."""
        rng = random.Random(self.seed * 1000 + 6)
        weeks, months = self._slots()
        patrol, general = self.templates["patrol"].pk, self.templates["general"].pk
        total = sum(len(half) * len(weeks) + len(pts) * len(months) for _i, _w, half, _m, pts in self.schedule_plan)
        first = self._reserve("inspections_inspectionrecord", total)
        counters: dict[int, int] = {}
        point_dept = {}
        with self._cursor() as cur:
            cur.execute(
                "SELECT id, department_id FROM inspections_inspectionpoint WHERE id >= %s", [self.insts[0].points[0]]
            )
            point_dept = dict(cur.fetchall())
        self.record_counters = counters

        def rows():
            next_id = first
            for inst, weekly, half, monthly, pts in self.schedule_plan:
                doers = [inst.officer, *inst.heads[:3]]
                for sched, template, slots, points, hours in (
                    (weekly, patrol, weeks, half, 7 * 24),
                    (monthly, general, months, pts, 20 * 24),
                ):
                    for slot in slots:
                        for p in points:
                            at = slot + dt.timedelta(hours=8 + rng.random() * (hours - 16))
                            year = at.year
                            seq = counters.get(year, 0) + 1
                            counters[year] = seq
                            yield (
                                next_id,
                                f"XJ-{year}-{seq:06d}",
                                inst.id,
                                sched,
                                template,
                                p,
                                point_dept[p],
                                None,
                                rng.choice(doers),
                                at,
                                slot,
                                rng.random() < 0.7,
                                "",
                                None,
                                "",
                                0,
                                0,
                                0,
                                at,
                            )
                            next_id += 1

        self.record_lo = first
        return self._copy("inspections_inspectionrecord", RECORD_COLUMNS, rows())

    def _slots(self) -> tuple[list[dt.datetime], list[dt.datetime]]:
        """The weekly and the monthly slots from the period's start to the current month (left free)."""
        tz = self.tz
        first_monday = self.start.date() - dt.timedelta(days=self.start.weekday())
        weeks = []
        day = first_monday + dt.timedelta(days=7)
        month_start = self.today.replace(day=1)
        while day + dt.timedelta(days=7) <= month_start:
            weeks.append(dt.datetime.combine(day, dt.time.min, tzinfo=tz))
            day += dt.timedelta(days=7)
        months = []
        y, m = self.start.year, self.start.month + 1
        while dt.date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1) < month_start:
            months.append(dt.datetime.combine(dt.date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1), dt.time.min, tzinfo=tz))
            m += 1
        return weeks, months

    def results(self) -> int:
        """One result per item of the record's checklist, on the server: pass mostly, some n/a, a few
        failures linked to a hazard of the same institution (as the service links a repeated failure)."""
        self._sql("CREATE TEMP TABLE scale_hazard_range (organization_id bigint PRIMARY KEY, lo bigint, n bigint)")
        self._copy(
            "scale_hazard_range",
            ["organization_id", "lo", "n"],
            ((i.id, i.hazard_lo, i.hazard_n) for i in self.insts),
        )
        n = self._sql(
            """
            INSERT INTO inspections_inspectionresult (record_id, item_id, result, note, hazard_id, hazard_created)
            SELECT r.id, i.id, v.result,
                   CASE WHEN v.result = 'fail' THEN '发现问题，已登记隐患' ELSE '' END,
                   CASE WHEN v.result = 'fail' THEN hr.lo + (abs(v.h) %% hr.n) END,
                   v.result = 'fail' AND v.h %% 3 = 0
            FROM inspections_inspectionrecord r
            JOIN inspections_checklistitem i ON i.template_id = r.template_id
            JOIN scale_hazard_range hr ON hr.organization_id = r.organization_id
            CROSS JOIN LATERAL (SELECT hashint8(r.id * 1000 + i.id + %s)::bigint AS h) hh
            CROSS JOIN LATERAL (SELECT hh.h AS h, CASE WHEN abs(hh.h) %% 1000 < %s THEN 'fail'
                                     WHEN abs(hh.h) %% 1000 < %s THEN 'na' ELSE 'pass' END AS result) v
            WHERE r.id >= %s
            ORDER BY r.id, i.id
            """,
            [self.seed, RESULT_FAIL_PER_MILLE, RESULT_FAIL_PER_MILLE + RESULT_NA_PER_MILLE, self.record_lo],
        )
        return n

    def record_counts(self) -> int:
        return self._sql(
            """
            UPDATE inspections_inspectionrecord r SET pass_count = c.p, fail_count = c.f, na_count = c.n
            FROM (SELECT record_id, count(*) FILTER (WHERE result = 'pass') p,
                         count(*) FILTER (WHERE result = 'fail') f, count(*) FILTER (WHERE result = 'na') n
                  FROM inspections_inspectionresult WHERE record_id >= %s GROUP BY record_id) c
            WHERE r.id = c.record_id
            """,
            [self.record_lo],
        )
