"""Counting the ledger at city scale: exact while small, bounded beyond a cap.

A city regulator's ledger matches hundreds of thousands of hazards; an exact ``COUNT(*)`` over
them costs 0.3–1 s of database time on every page. Where the scope spans many organizations the
ledger counts at most ``cap`` rows (``SELECT count(*) FROM (… LIMIT cap + 1)``): below the cap the
figure is exact, beyond it the page says "10,000+" and the API answers ``count: 10000`` with
``count_exact: false`` (docs/decisions.md). An institution's ledger is always counted exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.response import Response

from anjian.core.api import StandardPagination

DEFAULT_CAP = 10_000


def count_cap() -> int:
    """How many hazards a bounded count counts at most (setting ``HAZARD_LEDGER_COUNT_CAP``)."""
    return int(getattr(settings, "HAZARD_LEDGER_COUNT_CAP", DEFAULT_CAP))


def bounded_count(qs: QuerySet, bound: int) -> int:
    """``min(qs.count(), bound + 1)``, reading at most ``bound + 1`` rows."""
    return qs.order_by().values("pk")[: bound + 1].count()


def bounded_counts(querysets: dict[str, QuerySet], bound: int) -> dict[str, int]:
    """``bounded_count`` of several querysets in one statement (one round trip)."""
    if not querysets:
        return {}
    parts, params = [], []
    alias = None
    for i, qs in enumerate(querysets.values()):
        inner = qs.order_by().values("pk")[: bound + 1]
        alias = inner.db
        sql, inner_params = inner.query.sql_with_params()
        # the ORM compiled each inner statement; its values travel as parameters
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS bounded_{i})")  # noqa: S608
        params.extend(inner_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, (int(n) for n in row), strict=True))


def display_count(n: int, exact: bool) -> str:
    """A count as the page shows it: ``1234`` exact, ``10,000+`` bounded."""
    return str(n) if exact else f"{n:,}+"


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` rows (``cap=None``: an exact count).

    The bound grows to the end of the page asked for, so every page past the cap still opens and
    its previous/next links are right: the count then says "at least that many". ``count`` is what
    the page arithmetic uses (``bound + 1`` when there are more rows); ``total`` and
    ``count_is_exact`` are what to show.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cap: int | None = None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.cap = cap
        self.bound = cap

    def validate_number(self, number):
        if self.cap is not None and "count" not in self.__dict__:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 1
            self.bound = max(self.cap, wanted * self.per_page)
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        return bounded_count(self.object_list, self.bound)

    @property
    def count_is_exact(self) -> bool:
        return self.cap is None or self.count <= self.bound

    @property
    def total(self) -> int:
        """The number of rows, or (bounded) the number counted: there are more."""
        return self.count if self.count_is_exact else self.bound

    @property
    def count_display(self) -> str:
        return display_count(self.total, self.count_is_exact)

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        if self.count_is_exact:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return
        # the last page is unknown: the pages around this one, then an ellipsis
        number = self.validate_number(number)
        last = min(number + on_each_side, self.num_pages)
        if number > on_each_side + on_ends + 2:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, last + 1)
        else:
            yield from range(1, last + 1)
        yield self.ELLIPSIS


class LedgerPagination(StandardPagination):
    """The API ledger's pages: ``count`` bounded for a wide scope, with ``count_exact`` saying so."""

    cap: int | None = None  # set by the view for each request

    def django_paginator_class(self, object_list, per_page):
        return BoundedPaginator(object_list, per_page, cap=self.cap)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.total,
                "count_exact": paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            "符合条件的隐患数；count_exact 为 false 时为下限（实际多于此数，范围较大时只数到上限）"
        )
        answer["properties"] = {
            "count": answer["properties"].pop("count"),
            "count_exact": {
                "type": "boolean",
                "description": "count 是否为精确数；监管部门范围内超过上限（默认 10000）时为 false",
                "example": True,
            },
            **answer["properties"],
        }
        answer["required"] = [*answer["required"], "count_exact"]
        return answer
