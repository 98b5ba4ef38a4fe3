"""The figures of a periodic report that the platform can count itself (预填), who fills which, and
the relations between them that every report must keep.

A definition's integer field may name its figure (``"source": "general_found"``) and who fills it
(``"filled_by": "regulator"`` for the columns of the regulator's own work, which seed 004 leaves
off an institution's form: "各医疗机构只填写‘排查整改隐患’一栏"). A field saved without these keys
gets them from its label (``spec``), so "一般隐患（项）#" typed in the report settings is counted
like the example form's.

The counting itself needs the hazard ledger and the inspection records, which live in apps above
this one (``stats``, ``inspections``, ``reports``): an app that can count offers a module
``<app>/report_figures.py`` with ``count(*, user, organization, start, end, keys) -> {key: int}``,
found here by name as the home page finds its panels (``core/home.py``), so this app imports none
of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.action_plans import due
from anjian.core.registry import app_modules

INSTITUTION = "institution"
REGULATOR = "regulator"
FILLED_BY = (INSTITUTION, REGULATOR)
PROVIDER_MODULE = "report_figures"


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    aliases: tuple[str, ...]  # field labels (without their unit in brackets) that mean this figure
    filled_by: str = INSTITUTION
    counted: bool = True  # the platform counts it for an institution (else only a column to fill)


FIGURES = [
    Figure("hazards_found", _("排查发现隐患总数"), ("排查发现隐患总数", "排查隐患总数", "发现隐患总数", "隐患总数")),
    Figure("general_found", _("一般隐患"), ("一般隐患", "一般隐患排查", "排查一般隐患", "一般事故隐患")),
    Figure("general_rectified", _("一般隐患已整改"), ("一般隐患已整改", "一般隐患整改", "一般事故隐患已整改")),
    Figure("major_found", _("重大隐患"), ("重大隐患", "重大隐患排查", "排查重大隐患", "重大事故隐患")),
    Figure("major_rectified", _("重大隐患已整改"), ("重大隐患已整改", "重大隐患整改", "重大事故隐患已整改")),
    Figure("inspections_due", _("应开展排查"), ("应开展排查", "应排查次数", "应检查次数")),
    Figure("inspections_done", _("已开展排查"), ("已开展排查", "开展排查次数", "已排查次数", "已检查次数")),
    # the regulator's own work (seed 004, attachment 2): not on an institution's form
    Figure("teams", _("组建检查组"), ("组建检查组", "成立检查组"), REGULATOR, counted=False),
    Figure("visits", _("督导检查"), ("督导检查", "督导检查次数", "开展督导检查"), REGULATOR, counted=False),
    Figure("units_inspected", _("检查单位"), ("检查单位",), REGULATOR, counted=False),
    Figure("problems_found", _("发现问题"), ("发现问题", "督导问题", "发现突出问题"), REGULATOR, counted=False),
    Figure("interviews", _("约谈警示"), ("约谈警示", "约谈"), REGULATOR, counted=False),
]
BY_KEY = {f.key: f for f in FIGURES}
_BY_ALIAS = {alias: f for f in FIGURES for alias in f.aliases}

# relations every report keeps (checked whenever both sides are filled): a part is not more than
# its whole, what was rectified not more than what was found, and the levels add up to the total
NOT_MORE_THAN = [
    ("general_rectified", "general_found"),
    ("major_rectified", "major_found"),
    ("general_found", "hazards_found"),
    ("major_found", "hazards_found"),
    ("inspections_done", "inspections_due"),
]
SUMS = [(("general_found", "major_found"), "hazards_found")]

_UNIT = re.compile(r"[（(][^（）()]*[)）]\s*$")


def bare_label(label: str) -> str:
    """The label without white space and its unit in brackets: "一般隐患（项）" → "一般隐患"."""
    text = re.sub(r"\s+", "", label or "")
    while _UNIT.search(text):
        text = _UNIT.sub("", text)
    return text


def spec(item: dict) -> dict:
    """A field of a definition with ``source`` and ``filled_by`` as stored, else read from its label
    (integer fields only)."""
    out = dict(item)
    if out.get("type") != "int":
        out.setdefault("source", "")
        out.setdefault("filled_by", INSTITUTION)
        return out
    if "source" not in out:
        figure = _BY_ALIAS.get(bare_label(out.get("label", "")))
        out["source"] = figure.key if figure else ""
        out.setdefault("filled_by", figure.filled_by if figure else INSTITUTION)
    out.setdefault("filled_by", BY_KEY[out["source"]].filled_by if out["source"] in BY_KEY else INSTITUTION)
    return out


def specs(definition) -> list[dict]:
    return [spec(item) for item in definition.fields]


def institution_fields(definition) -> list[dict]:
    """The fields an institution fills (the regulator's own columns left out)."""
    return [item for item in specs(definition) if item["filled_by"] != REGULATOR]


def period_end(period: dt.date, frequency: str) -> dt.date:
    return due.add_months(period, due.period_months(frequency)) - dt.timedelta(days=1)


def _providers():
    return app_modules(PROVIDER_MODULE)


def count(*, user, organization, start: dt.date, end: dt.date, keys) -> dict[str, int]:
    """What the platform counts for ``organization`` from ``start`` to ``end`` (both included), for
    the figures ``keys`` that some app can count."""
    keys = {k for k in keys if k in BY_KEY and BY_KEY[k].counted}
    result: dict[str, int] = {}
    if not keys:
        return result
    for module in _providers():
        result.update(module.count(user=user, organization=organization, start=start, end=end, keys=set(keys)))
    return {k: int(v) for k, v in result.items() if k in keys and v is not None}


def counted_for(definition, *, user, organization, period: dt.date) -> dict[str, int]:
    """The platform's figure for each field of the definition an institution fills and the platform
    counts, keyed by the field's name."""
    fields = [f for f in institution_fields(definition) if f.get("type") == "int" and f["source"]]
    if not fields:
        return {}
    figures = count(
        user=user,
        organization=organization,
        start=period,
        end=period_end(period, definition.frequency),
        keys={f["source"] for f in fields},
    )
    return {f["name"]: figures[f["source"]] for f in fields if f["source"] in figures}
