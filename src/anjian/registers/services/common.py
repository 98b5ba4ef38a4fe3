"""What the register services share: the institution a user writes for (the checks are core.services'),
and that writes stay within the user's own institution (a regulator reads, never edits)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.services import acting_institution, require_own


def institution_of(by):
    return acting_institution(by, refusal=_("台账由医疗卫生机构自行登记。"))


def own(by, obj) -> None:
    require_own(by, obj, refusal=_("只能维护本单位的台账。"))


def text(value, limit: int) -> str:
    return (value or "").strip()[:limit]
