"""The assessment methods' default tables (DOMAIN.md §4): data, versioned, editable by an
administrator as a new version; never constants in the scoring code.

``load`` is idempotent (a method is created once per code, as version 1). The data migration calls
it with historical models, ``ensure_defaults`` with the current ones (tests that flush the
database, the demo)."""

from __future__ import annotations

from decimal import Decimal

# code, name, formula, {factor: [(value, meaning)]}, [(level, min_score, inclusive, label)]
METHODS = [
    (
        "LEC",
        "作业条件危险性评价法（LEC）",
        "D = L × E × C",
        {
            "l": [
                ("10", "完全可以预料"),
                ("6", "相当可能"),
                ("3", "可能，但不经常"),
                ("1", "可能性小，完全意外"),
                ("0.5", "很不可能，可以设想"),
                ("0.2", "极不可能"),
                ("0.1", "实际不可能"),
            ],
            "e": [
                ("10", "连续暴露"),
                ("6", "每天工作时间内暴露"),
                ("3", "每周一次或偶然暴露"),
                ("2", "每月一次暴露"),
                ("1", "每年几次暴露"),
                ("0.5", "非常罕见地暴露"),
            ],
            "c": [
                ("100", "大灾难，许多人死亡"),
                ("40", "灾难，数人死亡"),
                ("15", "非常严重，一人死亡"),
                ("7", "严重，重伤"),
                ("3", "重大，致残"),
                ("1", "引人注目，需要救护"),
            ],
        },
        [
            ("major", "320", False, "D > 320"),
            ("significant", "160", False, "160 < D ≤ 320"),
            ("general", "70", False, "70 < D ≤ 160"),
            ("low", "0", True, "D ≤ 70"),
        ],
    ),
    (
        "LS",
        "风险矩阵法（LS）",
        "R = L × S",
        {
            "l": [
                ("5", "极有可能发生（频繁发生）"),
                ("4", "很可能发生"),
                ("3", "可能发生"),
                ("2", "较不可能发生"),
                ("1", "基本不可能发生"),
            ],
            "s": [
                ("5", "特别严重：多人死亡"),
                ("4", "严重：一人死亡或多人重伤"),
                ("3", "较严重：重伤"),
                ("2", "一般：轻伤"),
                ("1", "轻微：无伤害或轻微伤害"),
            ],
        },
        [
            ("major", "20", True, "20 ≤ R ≤ 25"),
            ("significant", "10", True, "10 ≤ R ≤ 16"),
            ("general", "4", True, "4 ≤ R ≤ 9"),
            ("low", "1", True, "1 ≤ R ≤ 3"),
        ],
    ),
]


def load(AssessmentMethod, MethodFactor, MethodBand) -> int:
    created = 0
    for code, name, formula, factors, bands in METHODS:
        if AssessmentMethod.objects.filter(code=code).exists():
            continue
        method = AssessmentMethod.objects.create(code=code, version=1, name=name, formula=formula, is_current=True)
        for factor, values in factors.items():
            for order, (value, meaning) in enumerate(values):
                MethodFactor.objects.create(
                    method=method, factor=factor, value=Decimal(value), meaning=meaning, order=order
                )
        for level, low, inclusive, label in bands:
            MethodBand.objects.create(
                method=method, level=level, min_score=Decimal(low), inclusive=inclusive, label=label
            )
        created += 1
    return created


def ensure_defaults() -> int:
    from anjian.risks.models import AssessmentMethod, MethodBand, MethodFactor

    return load(AssessmentMethod, MethodFactor, MethodBand)
