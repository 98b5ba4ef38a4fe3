"""Default texts of the notices and the default topics of the monthly statistics form (seed 004,
attachment 2): data that administrators edit. ``load`` is idempotent and never changes what an
administrator edited; the migration calls it with historical models, ``ensure_defaults`` with the
current ones (tests that flush the database, the demo)."""

TEMPLATES = {
    "rectification": {
        "title": "隐患整改通知书",
        "red_head": "",
        "body": (
            "经检查，你单位{隐患部位}存在以下事故隐患：{隐患名称}（隐患编号{隐患编号}，{隐患等级}，类别：{隐患类别}）。\n"
            "隐患情况：{隐患描述}\n"
            "依据《安全生产法》和《安全生产事故隐患排查治理暂行规定》（原国家安全生产监督管理总局令第16号），"
            "现责令你单位按照以下要求进行整改：\n"
            "一、整改措施：{整改措施}\n"
            "二、整改责任单位：{责任单位}；整改责任人：{整改责任人}。\n"
            "三、请于{整改期限}前整改完毕，并将整改情况书面报告。整改期间须采取有效的安全防范措施，确保安全。\n"
            "逾期未整改或整改不到位的，将依法依规处理。"
        ),
    },
    "supervision": {
        "title": "重大事故隐患挂牌督办通知书",
        "red_head": "{发文机关}文件",
        "body": (
            "经核查，你单位{隐患部位}存在重大事故隐患：{隐患名称}（隐患编号{隐患编号}），"
            "判定依据：{判定依据}。\n"
            "根据《安全生产事故隐患排查治理暂行规定》，现决定对该重大事故隐患实行{督办级别}，并提出以下要求：\n"
            "一、单位主要负责人对隐患整改负总责，落实整改责任、措施、资金、期限和应急预案“五落实”。\n"
            "二、整改期间，从危险区域内撤出作业人员，设置警戒标志，暂时停产停业或停止使用相关设施、设备，"
            "防止事故发生。\n"
            "三、请于{督办期限}前完成整改，整改完成后提出书面销号申请，经审核同意后方可销号。\n"
            "四、整改进展情况每月向我委报告一次。"
        ),
    },
    "interview": {
        "title": "约谈通知",
        "red_head": "",
        "body": (
            "因{约谈事由}，根据安全生产有关规定，我委决定对你单位进行约谈。现将有关事项通知如下：\n"
            "一、约谈时间：{约谈日期}\n"
            "二、约谈地点：{约谈地点}\n"
            "三、参加人员：{参加人员}\n"
            "四、请你单位认真准备，如实汇报有关情况及整改措施，准时参加。"
        ),
    },
}

# The five topics of seed 004's form and the hazard categories (hazards.defaults) each counts.
# Categories mapped to no topic still count in the 当月累计 and 累计总计 rows.
TOPICS = [
    ("学习宣传贯彻习近平总书记关于安全生产重要论述专题", []),
    ("落实企业安全生产主体责任专题", ["occupational_health", "other"]),
    ("危险化学品安全整治", ["hazardous_chemicals", "lab_biosafety"]),
    ("治安消防安全整治", ["fire", "security", "hot_work"]),
    (
        "后勤安全整治",
        ["electrical", "gas", "special_equipment", "medical_gas", "building", "confined_space", "food"],
    ),
]


def load(NoticeTemplate, StatisticsTopic, TopicCategory, HazardCategory) -> None:  # model classes, also historical
    for kind, text in TEMPLATES.items():
        if not NoticeTemplate.objects.filter(kind=kind).exists():
            NoticeTemplate.objects.create(kind=kind, version=1, note="默认模板", **text)
    if StatisticsTopic.objects.exists():
        return
    for order, (name, codes) in enumerate(TOPICS, start=1):
        topic = StatisticsTopic.objects.create(name=name, sort_order=order * 10)
        for category in HazardCategory.objects.filter(code__in=codes):
            if not TopicCategory.objects.filter(category=category).exists():
                TopicCategory.objects.create(topic=topic, category=category)


def ensure_defaults() -> None:
    from anjian.hazards.defaults import ensure_defaults as hazard_defaults
    from anjian.hazards.models import HazardCategory
    from anjian.reports.models import NoticeTemplate, StatisticsTopic, TopicCategory

    hazard_defaults()
    load(NoticeTemplate, StatisticsTopic, TopicCategory, HazardCategory)
