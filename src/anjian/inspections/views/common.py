"""What the inspection pages share."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from anjian.core.inputs import id_or_none


def id_or_404(value) -> int:
    """An id from a form; anything else finds nothing (404), like an id out of scope."""
    pk = id_or_none(value)
    if pk is None:
        raise Http404(_("未找到该检查项。"))
    return pk
