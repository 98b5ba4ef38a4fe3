"""LEC and LS scores, levels and colours as DOMAIN.md §4 says, over the whole value tables and at
the band edges; a new version of a table changes new ratings, never old ones."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.risks import scoring, services
from anjian.risks.models import AssessmentMethod, RiskAssessment
from anjian.risks.tests.helpers import make_point, make_risk

# DOMAIN.md §4, written out again here on purpose: the test must not read the data it checks.
LEC_L = ["10", "6", "3", "1", "0.5", "0.2", "0.1"]
LEC_E = ["10", "6", "3", "2", "1", "0.5"]
LEC_C = ["100", "40", "15", "7", "3", "1"]
LS_VALUES = ["1", "2", "3", "4", "5"]
COLOUR = {"major": "red", "significant": "orange", "general": "yellow", "low": "blue"}


def lec_level(d: Decimal) -> str:
    if d > 320:
        return "major"
    if d > 160:
        return "significant"
    if d > 70:
        return "general"
    return "low"


def ls_level(r: int) -> str:
    if 20 <= r <= 25:
        return "major"
    if 10 <= r <= 16:
        return "significant"
    if 4 <= r <= 9:
        return "general"
    assert 1 <= r <= 3
    return "low"


@pytest.fixture
def lec(db):
    return AssessmentMethod.objects.get(code="LEC", is_current=True)


@pytest.fixture
def ls(db):
    return AssessmentMethod.objects.get(code="LS", is_current=True)


@pytest.mark.parametrize(("l", "e", "c"), list(itertools.product(LEC_L, LEC_E, LEC_C)))
def test_every_lec_combination(lec, l, e, c):  # noqa: E741 - the method's own letter
    d = Decimal(l) * Decimal(e) * Decimal(c)
    rating = scoring.rate(lec, {"l": l, "e": e, "c": c})
    assert rating.score == d
    assert rating.level == lec_level(d)
    assert rating.colour == COLOUR[lec_level(d)]


@pytest.mark.parametrize(("l", "s"), list(itertools.product(LS_VALUES, LS_VALUES)))
def test_every_ls_combination(ls, l, s):  # noqa: E741
    r = int(l) * int(s)
    rating = scoring.rate(ls, {"l": int(l), "s": int(s)})
    assert rating.score == r
    assert rating.level == ls_level(r)
    assert rating.colour == COLOUR[ls_level(r)]


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("320.01", "major"),
        ("320", "significant"),
        ("160.01", "significant"),
        ("160", "general"),
        ("70.01", "general"),
        ("70", "low"),
        ("0.05", "low"),
        ("6000", "major"),
    ],
)
def test_lec_band_edges(lec, score, level):
    assert scoring.level_of(lec, Decimal(score)) == level


def test_lec_reachable_edge_70_is_low(lec):
    assert scoring.rate(lec, {"l": 10, "e": 1, "c": 7}).level == "low"
    assert scoring.rate(lec, {"l": 1, "e": 10, "c": 7}).score == 70


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("25", "major"),
        ("20", "major"),
        ("16", "significant"),
        ("10", "significant"),
        ("9", "general"),
        ("4", "general"),
        ("3", "low"),
        ("1", "low"),
    ],
)
def test_ls_band_edges(ls, score, level):
    assert scoring.level_of(ls, Decimal(score)) == level


def test_the_default_tables_are_domain_md(lec, ls):
    table = scoring.factor_table(lec)
    assert sorted(table["l"]) == sorted(Decimal(v) for v in LEC_L)
    assert sorted(table["e"]) == sorted(Decimal(v) for v in LEC_E)
    assert sorted(table["c"]) == sorted(Decimal(v) for v in LEC_C)
    assert sorted(scoring.factor_table(ls)["s"]) == [Decimal(v) for v in LS_VALUES]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"l": 4, "e": 6, "c": 40}, "l", "不能取 4"),
        ({"l": 6, "c": 40}, "e", "请选择"),
        ({"l": "六", "e": 6, "c": 40}, "l", "须为数字"),
    ],
)
def test_lec_refuses_values_outside_the_table(lec, values, field, message):
    with pytest.raises(DomainError) as exc:
        scoring.rate(lec, values)
    assert exc.value.field == field
    assert message in str(exc.value.message)


def test_ls_refuses_a_lec_factor(ls):
    with pytest.raises(DomainError) as exc:
        scoring.rate(ls, {"l": 3, "s": 3, "c": 15})
    assert "只有这些因素" in str(exc.value.message)


def _lec_tables_with(bands):
    return {
        "l": [(v, f"L{v}") for v in LEC_L],
        "e": [(v, f"E{v}") for v in LEC_E],
        "c": [(v, f"C{v}") for v in LEC_C],
    }, bands


def test_a_new_version_rates_new_risks_and_old_ratings_keep_theirs(world):
    point = make_point(world.officer_a)
    old = make_risk(world.officer_a, point, factors={"l": 3, "e": 6, "c": 7})  # 126: general under v1
    assert (old.level, old.method.version) == ("general", 1)
    factors, bands = _lec_tables_with(
        [
            ("major", "240", False, "D > 240"),
            ("significant", "120", False, ""),
            ("general", "50", False, ""),
            ("low", "0", True, ""),
        ]
    )
    v2 = services.method_new_version(by=world.regulator_a, code="LEC", factors=factors, bands=bands, note="省级新标准")
    assert v2.version == 2 and v2.is_current
    assert AuditEvent.objects.filter(verb="risk_method.version_created").count() == 1
    old.refresh_from_db()
    assert (old.level, old.method.version, old.score) == ("general", 1, Decimal("126"))
    new = make_risk(world.officer_a, point, name="同一取值的新风险", factors={"l": 3, "e": 6, "c": 7})
    assert (new.level, new.method.version) == ("significant", 2)
    services.risk_reassess(by=world.officer_a, risk=old, method="LEC", factors={"l": 3, "e": 6, "c": 7})
    history = list(RiskAssessment.objects.filter(risk=old).order_by("assessed_at", "pk"))
    assert [(a.method.version, a.level) for a in history] == [(1, "general"), (2, "significant")]


def test_method_versions_are_the_regulators(world):
    factors, bands = _lec_tables_with(
        [
            ("major", "320", False, ""),
            ("significant", "160", False, ""),
            ("general", "70", False, ""),
            ("low", "0", True, ""),
        ]
    )
    with pytest.raises(DomainError):
        services.method_new_version(by=world.officer_a, code="LEC", factors=factors, bands=bands)
    bad = [
        ("major", "100", False, ""),
        ("significant", "160", False, ""),
        ("general", "70", False, ""),
        ("low", "0", True, ""),
    ]
    with pytest.raises(DomainError) as exc:
        services.method_new_version(by=world.regulator_a, code="LEC", factors=factors, bands=bad)
    assert "依次降低" in str(exc.value.message)
    assert AssessmentMethod.objects.filter(code="LEC").count() == 1
