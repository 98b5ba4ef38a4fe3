"""The default hazard categories (DOMAIN.md §2) and the medical major-hazard criteria list: data
that administrators edit. ``load`` is idempotent; the migration calls it with historical models,
``ensure_defaults`` with the current ones (tests that flush the database, the demo)."""

import datetime

CATEGORIES = [
    ("fire", "消防"),
    ("electrical", "电气"),
    ("gas", "燃气"),
    ("hazardous_chemicals", "危险化学品"),
    ("special_equipment", "特种设备"),
    ("medical_gas", "医用气体"),
    ("building", "建筑结构"),
    ("confined_space", "有限空间"),
    ("hot_work", "动火作业"),
    ("lab_biosafety", "实验室生物安全"),
    ("security", "治安"),
    ("food", "食品"),
    ("occupational_health", "职业健康"),
    ("other", "其他"),
]

MEDICAL_SET = ("医疗机构重大事故隐患判定清单（试行）", "国卫办密安函〔2023〕490号", "2023")
MEDICAL_CRITERIA = [
    ("1", "特种作业人员或特种设备作业人员未按规定取得相应资格证书上岗作业。", "special_equipment"),
    (
        "2",
        "医疗设备、电力设施、医用气体、消防设施、燃气设施、机械停车设备等不符合国家强制性标准，"
        "未按规定登记、检验检测或检验不合格，使用国家明令淘汰、禁止使用或已报废的设备，"
        "或发生事故后未经全面检测继续使用。",
        "special_equipment",
    ),
    ("3", "擅自关闭、破坏安全监控、报警、防护设施设备，或篡改、隐瞒、销毁其相关数据、信息。", "fire"),
    ("4", "使用燃气的场所未按规定安装可燃气体报警装置或报警装置不能正常使用。", "gas"),
    ("5", "未经具有资质的单位设计擅自改变医疗建筑主体承重结构，或医疗建筑出现沉降、裂缝、变形等情况。", "building"),
    (
        "6",
        "将工程项目、场所发包或出租给不具备安全生产条件或相应资质的单位或个人，"
        "或未与承包、承租单位签订安全生产管理协议、明确各自安全生产管理职责。",
        "other",
    ),
]
OTHER_SETS = [
    ("重大火灾隐患判定规则", "GB 35181-2025", "2025", datetime.date(2025, 11, 1)),
    ("养老机构重大事故隐患判定标准", "民政部", "2023", None),
]


def load(Category, CriterionSet, Criterion) -> None:  # model classes, also historical ones
    """Create whatever of the defaults is missing; never changes what administrators edited."""
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
    name, number, version = MEDICAL_SET
    medical, _ = CriterionSet.objects.get_or_create(
        name=name, version=version, defaults={"document_number": number, "effective_from": datetime.date(2023, 1, 1)}
    )
    for code, text, category in MEDICAL_CRITERIA:
        Criterion.objects.get_or_create(
            criterion_set=medical,
            code=code,
            defaults={"text": text, "category": Category.objects.get(code=category)},
        )
    for name, number, version, effective in OTHER_SETS:
        CriterionSet.objects.get_or_create(
            name=name, version=version, defaults={"document_number": number, "effective_from": effective}
        )


def ensure_defaults() -> None:
    from anjian.hazards.models import Criterion, CriterionSet, HazardCategory

    load(HazardCategory, CriterionSet, Criterion)
