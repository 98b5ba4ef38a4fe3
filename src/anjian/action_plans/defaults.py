"""Default unit groups (the words task tables use for groups of institutions) and the two example
periodic reports (Putuo's monthly work report, Jilin's monthly statistics): data that
administrators edit. ``load_groups`` is idempotent; the migration calls it with historical models,
``ensure_defaults`` with the current ones (tests that flush the database, the demo)."""

# name, keywords, kinds, ownership, all institutions
UNIT_GROUPS = [
    (
        "局属各单位",
        ["局属", "委属", "直属单位"],
        ["public_hospital", "cdc", "other"],
        "public",
        False,
    ),
    (
        "基层医疗卫生机构",
        ["基层", "社区卫生", "乡镇卫生院", "村卫生室"],
        ["community_health_center", "community_health_station", "village_clinic"],
        "",
        False,
    ),
    ("民营医疗机构", ["民营", "社会办", "非公立"], ["private_hospital", "clinic"], "private", False),
    ("托育机构", ["托育"], ["childcare"], "", False),
    ("医养结合机构", ["医养结合", "养老"], ["medical_elderly_care"], "", False),
    ("公立医院", ["公立医院", "二级以上医院", "二级三级医院"], ["public_hospital"], "", False),
    ("疾病预防控制机构", ["各疾控机构", "疾病预防控制机构"], ["cdc"], "", False),
    (
        "辖区全部机构",
        ["安委会成员单位", "有关成员单位", "各医疗卫生机构", "各医疗机构", "全部机构", "辖区各单位"],
        [],
        "",
        True,
    ),
]

PUTUO_FIELDS = [
    {"name": "highlights", "label": "工作亮点", "type": "text"},
    {"name": "difficulties", "label": "难点问题", "type": "text"},
    {"name": "major_hazards", "label": "重大隐患情况", "type": "text"},
    {"name": "plan", "label": "整改计划", "type": "text"},
]
JILIN_TOPICS = ["全系统"]
# source: the figure the platform counts and prefills (action_plans.figures); filled_by "regulator":
# the regulator's own work, left off an institution's form (填报说明 5: "各医疗机构只填写‘排查整改隐患’一栏")
JILIN_FIELDS = [
    {"name": "hazards_total", "label": "排查发现隐患总数（项）", "type": "int", "source": "hazards_found"},
    {"name": "general_found", "label": "一般隐患（项）", "type": "int", "source": "general_found"},
    {"name": "general_fixed", "label": "一般隐患已整改（项）", "type": "int", "source": "general_rectified"},
    {"name": "major_found", "label": "重大隐患（项）", "type": "int", "source": "major_found"},
    {"name": "major_fixed", "label": "重大隐患已整改（项）", "type": "int", "source": "major_rectified"},
    {"name": "teams", "label": "组建检查组（个）", "type": "int", "source": "teams", "filled_by": "regulator"},
    {"name": "visits", "label": "督导检查（次）", "type": "int", "source": "visits", "filled_by": "regulator"},
    {
        "name": "units_inspected",
        "label": "检查单位（家）",
        "type": "int",
        "source": "units_inspected",
        "filled_by": "regulator",
    },
    {
        "name": "problems_found",
        "label": "发现问题（个）",
        "type": "int",
        "source": "problems_found",
        "filled_by": "regulator",
    },
    {"name": "interviews", "label": "约谈警示（次）", "type": "int", "source": "interviews", "filled_by": "regulator"},
]
REPORT_TEMPLATES = {
    "putuo_monthly": {
        "name": "月度工作情况报告",
        "description": "牵头单位每月25日前报送：工作亮点、难点问题、重大隐患、整改计划，全文不超过800字"
        "（普安委〔2024〕4号）。",
        "fields": PUTUO_FIELDS,
        "max_chars": 800,
        "frequency": "monthly",
        "due_day": 25,
        "months_after": 0,
        "holiday_shift": "none",
    },
    "jilin_monthly": {
        "name": "安全生产专项整治月度统计表",
        "description": "每月1日前报送上月情况，遇节假日顺延至下一个工作日（吉经社管字〔2021〕6号 附件2）。",
        "fields": JILIN_FIELDS,
        "max_chars": None,
        "frequency": "monthly",
        "due_day": 1,
        "months_after": 1,
        "holiday_shift": "next_workday",
    },
}


def load_groups(UnitGroup) -> None:
    for order, (name, keywords, kinds, ownership, all_institutions) in enumerate(UNIT_GROUPS, start=1):
        UnitGroup.objects.get_or_create(
            name=name,
            defaults={
                "keywords": keywords,
                "kinds": kinds,
                "ownership": ownership,
                "all_institutions": all_institutions,
                "sort_order": order * 10,
            },
        )


def ensure_defaults() -> None:
    from anjian.action_plans.models import UnitGroup

    load_groups(UnitGroup)


def ensure_report_examples(regulator, by=None) -> list:
    """The two example reports for a regulator (Putuo's and Jilin's), if it has none of them yet."""
    from anjian.action_plans import services
    from anjian.action_plans.models import ReportDefinition, UnitGroup

    ensure_defaults()
    everyone = UnitGroup.objects.filter(all_institutions=True)
    made = []
    for key, template in REPORT_TEMPLATES.items():
        existing = ReportDefinition.objects.filter(organization=regulator, template_key=key).first()
        if existing:
            made.append(existing)
            continue
        made.append(
            services.report_definition_create(
                by=by, organization=regulator, data=dict(template), unit_groups=list(everyone), template_key=key
            )
        )
    return made
