"""The reference data the registers start with, edited by administrators afterwards: the kinds of
special equipment and fire facilities with their statutory interval and the rule that sets it, and
the hazardous chemicals, the eight typical ones of the health sector flagged.

Seed 004 (吉经社管字〔2021〕6号) requires "对涉及卫生系统的8种典型危险化学品实施严格监管" without naming
them; the eight are those DOMAIN.md §7 lists. Intervals are **configurable** (DOMAIN.md): only the
rules cited here are stated, and a province's stricter rule is set by editing the kind.

``load`` is idempotent (by code / by name); the migration calls it with historical models,
``ensure_defaults`` with the current ones (tests that flush the database, the demo)."""

from __future__ import annotations

# code, name, group, interval (months), what the periodic check is called, the rule cited
KINDS = [
    (
        "lift",
        "电梯",
        "special",
        12,
        "定期检验或自行检测",
        "TSG 08-2017《特种设备使用管理规则》；TSG T7001-2023《电梯监督检验和定期检验规则》"
        "（第1、4、7、9、11、13、15年定期检验，其他年份自行检测）",
    ),
    (
        "pressure_vessel",
        "压力容器（固定式）",
        "special",
        12,
        "年度检查",
        "TSG 21-2016《固定式压力容器安全技术监察规程》（每年年度检查；定期检验周期按安全状况等级3～6年）",
    ),
    (
        "boiler",
        "锅炉",
        "special",
        12,
        "外部检验",
        "TSG 11-2020《锅炉安全技术规程》（外部检验每年一次，内部检验每两年一次）",
    ),
    ("gas_cylinder", "气瓶（医用氧气瓶）", "special", 36, "定期检验", "TSG 23-2021《气瓶安全技术规程》"),
    ("safety_valve", "安全阀", "special", 12, "校验", "TSG ZF001-2006《安全阀安全技术监察规程》（每年至少校验一次）"),
    (
        "pressure_gauge",
        "压力表",
        "special",
        6,
        "检定",
        "JJG 52-2013《弹性元件式一般压力表、压力真空表和真空表检定规程》（检定周期一般不超过半年）",
    ),
    ("oxygen_chamber", "医用氧舱", "special", 12, "年度检查", "TSG 24-2015《氧舱安全技术监察规程》"),
    (
        "fire_alarm",
        "火灾自动报警系统",
        "fire",
        12,
        "年度检测",
        "GB 25201-2010《建筑消防设施的维护管理》（建筑消防设施每年至少全面检测一次）",
    ),
    (
        "sprinkler",
        "自动喷水灭火系统",
        "fire",
        12,
        "年度检测",
        "GB 25201-2010《建筑消防设施的维护管理》（建筑消防设施每年至少全面检测一次）",
    ),
    (
        "fire_linkage",
        "消防设施联动功能",
        "fire",
        12,
        "联动运行测试",
        "吉经社管字〔2021〕6号：落实消防设施联动运行测试（周期可按本地要求调整）",
    ),
]

# name, CAS number, GB 6944 class, typical (the eight of the health sector), note
CHEMICALS = [
    ("乙醇（75%、95%）", "64-17-5", "3", True, "消毒、实验室用"),
    ("过氧乙酸", "79-21-0", "5", True, "消毒剂"),
    ("含氯消毒剂（次氯酸钠溶液）", "7681-52-9", "8", True, "环境和物体表面消毒"),
    ("甲醛溶液", "50-00-0", "8", True, "病理标本固定"),
    ("二甲苯", "1330-20-7", "3", True, "病理制片"),
    ("甲醇", "67-56-1", "3", True, "实验室试剂"),
    ("环氧乙烷", "75-21-8", "2", True, "低温灭菌"),
    ("医用氧", "7782-44-7", "2", True, "液氧储罐、氧气瓶"),
    ("丙酮", "67-64-1", "3", False, "实验室试剂"),
    ("盐酸", "7647-01-0", "8", False, "实验室试剂"),
]


def load(EquipmentKind, Chemical) -> None:  # model classes, also historical ones
    for order, (code, name, group, months, check, rule) in enumerate(KINDS, start=1):
        EquipmentKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "interval_months": months,
                "inspection_name": check,
                "regulation": rule,
                "sort_order": order * 10,
            },
        )
    for order, (name, cas, hazard_class, typical, note) in enumerate(CHEMICALS, start=1):
        Chemical.objects.get_or_create(
            name=name,
            defaults={
                "cas_number": cas,
                "hazard_class": hazard_class,
                "is_typical": typical,
                "note": note,
                "sort_order": order * 10,
            },
        )


def ensure_defaults() -> None:
    from anjian.registers.models import Chemical, EquipmentKind

    load(EquipmentKind, Chemical)
