"""Demo registers of the people's hospital (and the clinic): lifts, the liquid-oxygen tank and its
safety valve and gauge, the boiler, fire alarm and sprinkler systems, one lift due within 30 days
and the oxygen tank overdue (ready to be entered as a hazard); the chemical stores with the typical
chemicals, formaldehyde stored over its limit, one issue confirmed by a second person and one
waiting for confirmation; three months of medical-waste handovers; the posted 消防安全责任人 and 管理人.

Dates are counted back from today, so the demo shows the same picture whatever day it is loaded.
Idempotent: equipment by (institution, name), places by name, stocks by (place, chemical),
movements and handovers only when the institution has none yet."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.accounts.models import User
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization
from anjian.registers import services
from anjian.registers.defaults import ensure_defaults
from anjian.registers.models import (
    Chemical,
    ChemicalMovement,
    ChemicalStock,
    Equipment,
    EquipmentKind,
    FireSafetyPerson,
    StoragePlace,
    WasteHandover,
    add_months,
)
from anjian.risks.models import FloorPlan, RiskPoint

# name, kind, registration number, risk point, area, contractor, months since the last inspection
# (days when negative: -350 = eleven and a half months)
EQUIPMENT = [
    ("门诊楼1号电梯", "lift", "梯11渝A0001(24)", "门诊电梯", "门诊楼东侧", "示范市电梯维保有限公司", -350),
    ("住院楼2号电梯", "lift", "梯11渝A0002(24)", None, "住院楼西侧", "示范市电梯维保有限公司", 5),
    ("液氧储罐", "pressure_vessel", "容3LA渝A0101(21)", "液氧站", "液氧站", "示范市气体有限公司", 13),
    ("液氧储罐安全阀", "safety_valve", "", "液氧站", "液氧站", "示范市气体有限公司", 3),
    ("液氧储罐压力表", "pressure_gauge", "", "液氧站", "液氧站", "示范市气体有限公司", 4),
    ("燃气热水锅炉", "boiler", "锅11渝A0033(20)", None, "后勤楼锅炉房", "示范市锅炉检修公司", 8),
    ("火灾自动报警系统", "fire_alarm", "", None, "全院（消防控制室）", "示范市消防技术服务公司", 9),
    ("自动喷水灭火系统", "sprinkler", "", None, "门诊楼、住院楼", "示范市消防技术服务公司", 10),
]
CLINIC_EQUIPMENT = [("医用氧气瓶（40L）", "gas_cylinder", "瓶A-2021-07", None, "治疗室", "示范市气体有限公司", 38)]

# places marked on a floor plan of the four-colour map (the 一张图): building, floor, x, y (0–1)
ON_PLAN = {"药剂科危化品库": ("住院楼", "1F", "0.4917", "0.2250")}

# place, risk point, keepers, [(chemical, unit, max, quantity)]
STORES = [
    (
        "药剂科危化品库",
        "药剂科酒精库",
        "王药师、周药师",
        [
            ("乙醇（75%、95%）", "L", 200, 120),
            ("过氧乙酸", "L", 30, 18),
            ("甲醇", "L", 20, 6),
        ],
    ),
    ("病理科试剂柜", None, "林技师、郑技师", [("甲醛溶液", "L", 20, 26), ("二甲苯", "L", 20, 12)]),
    (
        "消毒供应中心",
        None,
        "何护士长、罗护士",
        [("含氯消毒剂（次氯酸钠溶液）", "kg", 100, 40), ("环氧乙烷", "cylinder", 4, 2)],
    ),
]


def _report() -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% demo inspection report\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("检验报告.pdf", body, content_type="application/pdf")


def _last(today: dt.date, ago: int) -> dt.date:
    return today + dt.timedelta(days=ago) if ago < 0 else add_months(today, -ago)


def _equipment(org, officer, rows) -> int:
    today = timezone.localdate()
    created = 0
    for name, kind, reg, point, area, contractor, ago in rows:
        if Equipment.objects.filter(organization=org, name=name).exists():
            continue
        item = services.equipment_create(
            by=officer,
            data={
                "name": name,
                "kind": EquipmentKind.objects.get(code=kind),
                "registration_number": reg,
                "risk_point": RiskPoint.objects.filter(organization=org, name=point).first() if point else None,
                "area": area,
                "maintenance_contractor": contractor,
            },
        )
        services.equipment_record(
            by=officer,
            equipment=item,
            performed_on=_last(today, ago),
            result="passed",
            report=_report(),
            agency=str("示范市特种设备检验研究院" if item.kind.group == "special" else "示范市消防技术服务公司"),
        )
        created += 1
    return created


def _chemicals(org, officer, second) -> int:
    created = 0
    for place_name, point, keepers, stocks in STORES:
        place = StoragePlace.objects.filter(organization=org, name=place_name).first()
        if place is None:
            place = services.storage_place_create(
                by=officer,
                data={
                    "name": place_name,
                    "keepers": keepers,
                    "risk_point": RiskPoint.objects.filter(organization=org, name=point).first() if point else None,
                },
            )
            created += 1
        if place_name in ON_PLAN and not place.located:
            building, floor, x, y = ON_PLAN[place_name]
            plan = FloorPlan.objects.filter(organization=org, building=building, floor=floor, is_active=True).first()
            if plan is not None:  # the risks demo's 住院楼 1F, whose area 药剂科危化品库 it sits in
                services.storage_place_locate(by=officer, place=place, floor_plan=plan, x=x, y=y)
        for chemical, unit, most, quantity in stocks:
            chem = Chemical.objects.get(name=chemical)
            if ChemicalStock.objects.filter(place=place, chemical=chem).exists():
                continue
            services.stock_create(
                by=officer, place=place, chemical=chem, unit=unit, max_quantity=most, initial_quantity=quantity
            )
            created += 1
    if second is not None and not ChemicalMovement.objects.filter(organization=org).exists():
        ethanol = ChemicalStock.objects.get(place__organization=org, chemical__name="乙醇（75%、95%）")
        today = timezone.localdate()
        issued = services.movement_record(
            by=second,
            stock=ethanol,
            direction="out",
            amount=5,
            moved_on=today - dt.timedelta(days=2),
            purpose="心内科病区领用",
        )
        services.movement_confirm(by=officer, movement=issued)
        services.movement_record(
            by=second, stock=ethanol, direction="out", amount=2, moved_on=today, purpose="心内科病区领用"
        )
        created += 2
    return created


def _waste(org, officer) -> int:
    if WasteHandover.objects.filter(organization=org).exists():
        return 0
    today = timezone.localdate()
    created = 0
    for months_back in (2, 1, 0):
        month = add_months(today.replace(day=1), -months_back)
        days = [month + dt.timedelta(days=d) for d in (2, 9, 16, 23) if month + dt.timedelta(days=d) <= today]
        for n, day in enumerate(days, start=1):
            for category, kg in (("infectious", 180 + 7 * n), ("sharps", 22 + n), ("pathological", 6)):
                services.waste_handover_record(
                    by=officer,
                    data={
                        "handed_on": day,
                        "category": category,
                        "weight_kg": kg,
                        "receiver": "示范市医疗废物集中处置中心",
                        "form_number": f"YF{day:%Y%m%d}{n:02d}",
                        "handed_by_name": "后勤保障科 吴师傅",
                    },
                )
                created += 1
    return created


def seed() -> int:
    ensure_defaults()
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    officer = User.objects.filter(username="hospital_officer").first()
    if hospital is None or officer is None:
        return 0
    created = _equipment(hospital, officer, EQUIPMENT)
    created += _chemicals(hospital, officer, User.objects.filter(username="nurse").first())
    created += _waste(hospital, officer)
    for duty, name, position, phone in (
        ("responsible", "张院长", "院长", "023-6700 0001"),
        ("manager", "李安全", "安全保卫科科长", "023-6700 0119"),
    ):
        if not FireSafetyPerson.objects.filter(organization=hospital, duty=duty, is_current=True).exists():
            services.fire_person_appoint(
                by=officer, duty=duty, data={"name": name, "position": position, "phone": phone}
            )
            created += 1
    clinic = Organization.objects.filter(name=orgs_demo.CLINIC).first()
    clinic_officer = User.objects.filter(username="clinic_officer").first()
    if clinic is not None and clinic_officer is not None:
        created += _equipment(clinic, clinic_officer, CLINIC_EQUIPMENT)
    return created
