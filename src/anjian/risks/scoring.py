"""Scoring a risk with one version of a method: the product of the chosen factor values, placed in
the method's bands. Pure: reads the method's tables, writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.risks.choices import COLOUR_OF, FACTOR_LABELS, FACTORS, MethodCode, RiskLevel


@dataclass(frozen=True)
class Rating:
    method: object
    factors: dict[str, str]
    score: Decimal
    level: RiskLevel

    @property
    def colour(self) -> str:
        return COLOUR_OF[self.level]


def plain(value: Decimal) -> str:
    """6.00 → "6", 0.50 → "0.5", 100 → "100"."""
    text = format(value.normalize(), "f")
    return text


def factor_table(method) -> dict[str, dict[Decimal, str]]:
    """{factor: {value: meaning}} of one method version."""
    table: dict[str, dict[Decimal, str]] = {}
    for row in method.factors.all():
        table.setdefault(row.factor, {})[row.value] = row.meaning
    return table


def level_of(method, score: Decimal) -> RiskLevel:
    for band in sorted(method.bands.all(), key=lambda b: b.min_score, reverse=True):
        if band.contains(score):
            return RiskLevel(band.level)
    raise DomainError(_("风险值 %(s)s 不在“%(m)s”的分级标准内。") % {"s": plain(score), "m": method})


def rate(method, values: dict) -> Rating:
    """Score ``values`` ({"l": 6, "e": 3, "c": 15}) with ``method``; a value not in the method's table
    is refused with the values it may take."""
    code = MethodCode(method.code)
    names = FACTORS[code]
    table = factor_table(method)
    extra = [k for k, v in (values or {}).items() if k not in names and v not in (None, "")]
    if extra:
        raise DomainError(
            _("%(m)s 只有这些因素：%(f)s。") % {"m": code.label, "f": "、".join(n.upper() for n in names)},
            field=extra[0],
        )
    score = Decimal(1)
    chosen: dict[str, str] = {}
    for name in names:
        label = FACTOR_LABELS[(code, name)]
        raw = (values or {}).get(name)
        if raw in (None, ""):
            raise DomainError(_("请选择%(f)s的分值。") % {"f": label}, field=name)
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError) as exc:
            raise DomainError(_("%(f)s的分值须为数字。") % {"f": label}, field=name) from exc
        allowed = table.get(name, {})
        if value not in allowed:
            raise DomainError(
                _("%(f)s不能取 %(v)s，可取：%(a)s。")
                % {"f": label, "v": raw, "a": "、".join(plain(v) for v in sorted(allowed, reverse=True))},
                field=name,
            )
        chosen[name] = plain(value)
        score *= value.normalize()
    score = score.quantize(Decimal("0.01"))
    return Rating(method=method, factors=chosen, score=score, level=level_of(method, score))
