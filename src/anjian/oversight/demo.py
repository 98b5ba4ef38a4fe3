"""Demo data of the regulator's toolkit at the demo district: tip-offs from the public (one new
with a contact, one accepted into the people's hospital's ledger with a reply, one dismissed), and
accident reports of 2023 (the base year) and this year.

Idempotent: tips by their description, accidents by (institution, time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anjian.accounts.models import User
from anjian.hazards.models import HazardCategory
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization
from anjian.oversight import services
from anjian.oversight.models import Accident, Tip

TIPS = [
    # (institution, description, location, contact, what the regulator did)
    (
        orgs_demo.HOSPITAL,
        "住院部二楼东侧消防通道堆满纸箱和轮椅，晚上基本走不通。",
        "住院部二楼东侧",
        "13900001111",
        "accept",
    ),
    (orgs_demo.HOSPITAL, "门诊楼后面的液氧站围栏门一直开着，有人在旁边抽烟。", "门诊楼后侧液氧站", "", "new"),
    (orgs_demo.CLINIC, "诊所门口电动车在室内充电。", "诊所大厅", "", "dismiss"),
]


# (institution, year, month, day, hour, place, kind, deaths, injuries, loss (万元), what happened, cause, measures)
ACCIDENTS = [
    (
        orgs_demo.HOSPITAL,
        2023,
        3,
        14,
        9,
        "后勤楼配电房",
        "electric",
        1,
        0,
        12,
        "电工带电检修配电柜时触电",
        "未执行停电挂牌制度",
        "全院推行作业许可和停送电挂牌",
    ),
    (
        orgs_demo.HOSPITAL,
        2023,
        7,
        2,
        15,
        "住院部五楼病房",
        "fire",
        0,
        2,
        8,
        "病房违规使用电热水壶引燃被褥",
        "病区用电管理不到位",
        "病区统一配置开水间，夜间巡查",
    ),
    (
        orgs_demo.CLINIC,
        2023,
        11,
        20,
        10,
        "诊所门口",
        "fall",
        0,
        1,
        0.5,
        "维修工登梯更换招牌时坠落",
        "登高作业未系安全带",
        "外包作业须签安全协议并核验证件",
    ),
    (
        orgs_demo.HOSPITAL,
        None,
        2,
        6,
        11,
        "锅炉房",
        "scald",
        0,
        1,
        1.5,
        "蒸汽管道阀门泄漏烫伤维修工",
        "阀门老化未及时更换",
        "更换阀门并纳入特种设备定期检验",
    ),
]


def _accidents(officers: dict) -> int:
    created = 0
    this_year = timezone.localdate().year
    for org_name, year, month, day, hour, place, kind, deaths, injuries, loss, what, cause, measures in ACCIDENTS:
        org = Organization.objects.filter(name=org_name).first()
        by = officers.get(org_name)
        when = timezone.make_aware(dt.datetime(year or this_year, month, day, hour))
        if org is None or by is None or when > timezone.now():
            continue
        if Accident.objects.filter(organization=org, occurred_at=when).exists():
            continue
        data = {"occurred_at": when, "place": place, "kind": kind, "deaths": deaths, "injuries": injuries}
        accident = services.accident_report(
            by=by, organization=org, data={**data, "direct_loss": Decimal(str(loss)), "description": what}
        )
        services.accident_complete(by=by, accident=accident, data={"cause": cause, "measures": measures})
        created += 1
    return created


def seed() -> int:
    regulator = User.objects.filter(username="regulator").first()
    if regulator is None:
        return 0
    created = 0
    fire = HazardCategory.objects.filter(code="fire").first()
    for org_name, description, location, contact, outcome in TIPS:
        org = Organization.objects.filter(name=org_name).first()
        if org is None or Tip.objects.filter(description=description).exists():
            continue
        tip = services.tip_submit(
            data={"organization": org, "description": description, "location": location, "contact": contact}
        )
        created += 1
        if outcome == "accept" and fire is not None:
            services.tip_accept(
                tip=tip,
                by=regulator,
                data={
                    "title": "消防通道堆放杂物",
                    "description": "消防通道堆放杂物，影响疏散。",
                    "category": fire,
                    "location": location,
                },
                reply="经核实，已要求医院立即清理通道并纳入隐患台账整改，感谢您的监督。",
            )
        elif outcome == "dismiss":
            services.tip_dismiss(
                tip=tip,
                by=regulator,
                reason="经现场核查，诊所已设置室外充电区，室内未发现充电行为。",
                reply="经现场核查，未发现所反映的问题。感谢您的监督。",
            )
    created += _internal_tip()
    officers = {
        name: User.objects.filter(organization__name=name, role="safety_officer").order_by("pk").first()
        for name in (orgs_demo.HOSPITAL, orgs_demo.CLINIC)
    }
    created += _accidents(officers)
    created += _assessment(regulator)
    created += _documents(regulator)
    return created


INTERNAL_TIP = "住院部五楼污物间的氧气瓶与酒精混放，没有固定，多次提醒未改"


def _internal_tip() -> int:
    """A nurse's internal tip about her own hospital (内部举报), waiting in the regulator's queue."""
    nurse = User.objects.filter(username="nurse").first()
    if nurse is None or Tip.objects.filter(description=INTERNAL_TIP).exists():
        return 0
    services.tip_submit_internal(by=nurse, data={"description": INTERNAL_TIP, "location": "住院部五楼污物间"})
    return 1


def _documents(regulator) -> int:
    """A circular drafted and waiting for a second regulator's approval, and an exposure proposed."""
    from anjian.hazards.models import Hazard
    from anjian.oversight.models import Exposure, RegulatorDocument
    from anjian.oversight.services import documents

    if RegulatorDocument.objects.filter(regulator=regulator.organization).exists():
        return 0
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    if hospital is None:
        return 0
    documents.document_draft(
        by=regulator,
        data={
            "kind": "circular",
            "title": "关于部分医疗机构消防通道堵塞问题的通报",
            "addressee": "辖区各医疗卫生机构",
            "body": "一、基本情况：近期群众举报和督导检查发现，安宁区人民医院住院部消防通道堆放杂物。\n"
            "二、工作要求：各单位立即开展消防通道专项自查，发现问题即查即改，12月31日前报送自查情况。",
        },
        institutions=[hospital],
    )
    hazard = Hazard.objects.filter(organization=hospital, source="tip_off").first()
    if hazard is not None and not Exposure.objects.filter(hazard=hazard).exists():
        documents.exposure_propose(by=regulator, hazard=hazard, problem="住院部消防通道堆放杂物")
    return 1


def _assessment(regulator) -> int:
    """Last year's assessment of the district, scored and published; this year's, being scored."""
    from anjian.oversight.assessment import indicators_of
    from anjian.oversight.models import Assessment
    from anjian.oversight.services import assessment as assessments

    year = timezone.localdate().year
    if Assessment.objects.filter(regulator=regulator.organization).exists():
        return 0
    last = assessments.assessment_create(by=regulator, year=year - 1)
    duty = next(i for i in indicators_of(regulator.organization) if i.name == "安全生产责任制落实")
    clinic = Organization.objects.filter(name=orgs_demo.CLINIC).first()
    if clinic is not None:
        assessments.manual_score_save(
            by=regulator,
            assessment=last,
            organization=clinic,
            indicator=duty,
            score=Decimal("7"),
            evidence="安全生产责任制未覆盖全部岗位，应急预案未按期评审（督导检查记录）",
        )
    assessments.assessment_publish(by=regulator, assessment=last)
    assessments.assessment_create(by=regulator, year=year)
    return 2
