"""The monthly summary of hazards (``HazardMonth``), kept in the transaction of every hazard write.

A dashboard counted afresh reads these rows (a city: some thousands) instead of its million hazards
(``stats.summary``). What one hazard adds to the summary, by the month (local time) each thing
happened to it:

- ``found`` in the month it was found (``found_at``); a dismissed hazard adds nothing at all;
- ``closed`` in the month it was closed (``accepted_at``), and ``closed_in_time`` there too when
  closed by its (current) deadline (``in_time_q``); a closed hazard without an acceptance time
  (closed "long ago", ``hazards.selectors.closed_by_q``) is in neither: it was closed in no period;
- ``open_ended`` in the month it stopped being open: closed (or found, if it was closed without a
  time, or accepted before it was found);
- ``found_closed`` in the month it was found when it was closed by that month's end;
- ``overdue_began`` in the first month at whose end it is open past its deadline (deadline before
  the month's last day), and ``overdue_ended`` in the month it stopped being open, if it was
  overdue at an earlier month's end.

So, for a month ``m``: open at its end = Σ found − Σ open_ended over the months up to ``m``;
overdue at its end = Σ overdue_began − Σ overdue_ended up to ``m``; found in a month and rectified
by its end = ``found_closed``. Each figure is the same as ``stats.selectors.figure_q``'s on the rows.

Writes: ``Hazard.save``/``delete`` and the hazard queryset's ``update``/``delete``/``bulk_create``
call ``apply(old rows, new rows)``; an organization moved or given another kind has its region's
rows recounted (``rebuild``); data written beside the ORM (the scale generator's COPY) is followed
by ``manage.py rebuild_hazard_summary``, and ``--check`` compares the rows with a recount.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from anjian.hazards.choices import HazardStatus

COUNTS = ("found", "found_closed", "closed", "closed_in_time", "open_ended", "overdue_began", "overdue_ended")
KEY = ("region_id", "kind", "level", "category_id", "source", "month")
# the hazard's fields its contribution depends on (``update_fields`` without any of them change nothing)
FIELDS = ("organization", "level", "category", "source", "status", "found_at", "accepted_at", "deadline")
_VALUES = (
    "pk",
    "organization_id",
    "level",
    "category_id",
    "source",
    "status",
    "found_at",
    "accepted_at",
    "deadline",
    "organization__type",
    "organization__path",
    "organization__kind",
)
ALL_KINDS = ""  # the rows of every kind together (a regulator's whole view reads these)


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def regions_of(org_type: str, path: str) -> list[int]:
    """The regulators a hazard of this organization is summarised under: every one above it (an
    institution's parent is always a regulator, and so is every ancestor), and itself if it is one."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids if org_type == "regulator" else ids[:-1]


def contribution(row: dict, regions: Iterable[int] | None = None, kind: str | None = None) -> dict[tuple, Counter]:
    """What one hazard (a ``_VALUES`` dict) adds to the summary: key → counts; under ``regions``
    and ``kind`` instead of its organization's when given (an organization moving)."""
    if row["status"] == HazardStatus.DISMISSED:
        return {}
    if regions is None:
        regions = regions_of(row["organization__type"], row["organization__path"])
    kind = row["organization__kind"] or "" if kind is None else kind
    kinds = [ALL_KINDS, kind] if kind != ALL_KINDS else [ALL_KINDS]
    heads = [(r, k, row["level"], row["category_id"], row["source"]) for r in regions for k in kinds]
    out: dict[tuple, Counter] = {}

    def add(month: dt.date, name: str) -> None:
        for head in heads:
            out.setdefault((*head, month), Counter())[name] += 1

    found = month_of(row["found_at"])
    add(found, "found")
    ended = None  # the month it stopped being open
    if row["status"] == HazardStatus.CLOSED:
        accepted, deadline = row["accepted_at"], row["deadline"]
        ended = found
        if accepted is not None:
            closed = month_of(accepted)
            add(closed, "closed")
            if deadline is None or timezone.localtime(accepted).date() <= deadline:
                add(closed, "closed_in_time")
            ended = max(found, closed)
        add(ended, "open_ended")
        if ended == found:
            add(found, "found_closed")
    if row["deadline"] is not None:
        # overdue at a month's end when the deadline is before its last day: from the month of deadline + 1 day
        began = max(found, (row["deadline"] + dt.timedelta(days=1)).replace(day=1))
        if ended is None:
            add(began, "overdue_began")
        elif began < ended:
            add(began, "overdue_began")
            add(ended, "overdue_ended")
    return out


def total(rows: Iterable[dict], regions=None, kind=None, only: set | None = None) -> dict[tuple, Counter]:
    """The summary of ``rows`` (``contribution``'s ``regions`` and ``kind``); its rows of the
    regions ``only``, if given."""
    out: dict[tuple, Counter] = {}
    for row in rows:
        for key, counts in contribution(row, regions, kind).items():
            if only is None or key[0] in only:
                out.setdefault(key, Counter()).update(counts)
    return out


def stored(pks: Iterable[int], *, lock: bool = True) -> list[dict]:
    """The hazards ``pks`` as stored (locked against a concurrent writer when in a transaction)."""
    from anjian.hazards.models import Hazard

    qs = Hazard.objects.filter(pk__in=list(pks))
    if lock and connection.in_atomic_block and connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    return list(qs.order_by().values(*_VALUES))


def row_of(hazard, like: dict | None = None) -> dict:
    """A hazard instance as a ``_VALUES`` dict; its organization's fields from ``like`` (the stored
    row) when it is the same organization, else from the organization the caller read (services
    read it in scope for the write), else from the database."""
    row = {
        "pk": hazard.pk,
        "organization_id": hazard.organization_id,
        "level": hazard.level,
        "category_id": hazard.category_id,
        "source": hazard.source,
        "status": hazard.status,
        "found_at": hazard.found_at,
        "accepted_at": hazard.accepted_at,
        "deadline": hazard.deadline,
    }
    if like is not None and like["organization_id"] == hazard.organization_id:
        org = (like["organization__type"], like["organization__path"], like["organization__kind"])
    else:  # the organization the service read for this write, else read now
        from anjian.orgs.models import Organization

        o = hazard.organization if type(hazard).organization.is_cached(hazard) else None
        loaded = o is not None and o.pk == hazard.organization_id and {"type", "path", "kind"} <= o.__dict__.keys()
        if loaded:
            org = (o.type, o.path, o.kind)
        else:
            org = Organization._base_manager.filter(pk=hazard.organization_id).values_list("type", "path", "kind").get()
    row["organization__type"], row["organization__path"], row["organization__kind"] = org
    return row


def apply(old: Iterable[dict], new: Iterable[dict]) -> None:
    """Move the summary from the hazards as they were (``old``) to as they are (``new``)."""
    delta = total(new)
    for key, counts in total(old).items():
        delta.setdefault(key, Counter()).subtract(counts)
    _upsert({k: c for k, c in delta.items() if any(c.values())})


def moved(organization, *, regions_were: list[int], kind_was: str) -> None:
    """The hazards of ``organization`` and below were summarised under ``regions_were`` (the
    regulators above it then) and, for an institution, ``kind_was``: move them to where it is now.
    Called by ``orgs.services.organization_update`` (signal ``orgs.signals.organization_moved``)
    once the subtree's paths are final; only the rows above the organization change."""
    now = regions_of(organization.type, organization.path)
    depth = len(now) - (1 if organization.is_regulator else 0)
    above_now, above_was = now[:depth], [r for r in regions_were if r not in now[depth:]]
    rows = list(_hazard_rows(path=organization.path))
    institution = not organization.is_regulator
    if institution and kind_was != (organization.kind or ""):  # every row of the institution changes kind
        old, new = total(rows, regions_were, kind_was), total(rows, now, organization.kind or "")
    else:  # a kind each row keeps: only the regulators above change
        old, new = total(rows, above_was), total(rows, above_now)
    delta = new
    for key, counts in old.items():
        delta.setdefault(key, Counter()).subtract(counts)
    _upsert({k: c for k, c in delta.items() if any(c.values())})


def _table() -> str:
    from anjian.hazards.models import HazardMonth

    return connection.ops.quote_name(HazardMonth._meta.db_table)


def _upsert(delta: dict[tuple, Counter]) -> None:
    """Add ``delta`` to the rows, inserting the missing ones (one statement)."""
    if not delta:
        return
    qn = connection.ops.quote_name
    table = _table()
    columns = [*KEY, *COUNTS]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    for key in sorted(delta, key=lambda k: tuple(str(p) for p in k)):  # one lock order for every writer
        counts = delta[key]
        params.extend([*key[:5], connection.ops.adapt_datefield_value(key[5]), *(counts[c] for c in COUNTS)])
    sets = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in COUNTS)
    # our table and columns, quoted; every value a parameter
    into = f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608
    sql = (
        into
        + ", ".join([placeholders] * len(delta))
        + f" ON CONFLICT ({', '.join(qn(c) for c in KEY)}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# ---- rebuilding and checking ------------------------------------------------------------------


def _models(apps=None):
    """The live models, or a migration's historical ones (``apps``)."""
    if apps is not None:
        return apps.get_model("hazards", "Hazard"), apps.get_model("hazards", "HazardMonth")
    from anjian.hazards.models import Hazard, HazardMonth

    return Hazard, HazardMonth


def _hazard_rows(regions: Iterable[int] | None = None, apps=None, path: str = ""):
    """The hazards (not dismissed) below the regulators ``regions``, or the organization ``path``."""
    from django.db.models import Q

    Hazard = _models(apps)[0]
    qs = Hazard._base_manager.exclude(status=HazardStatus.DISMISSED).order_by()
    if path:
        qs = qs.filter(organization__path__startswith=path)
    if regions is not None:
        Organization = (apps.get_model("orgs", "Organization") if apps else _organization())._base_manager
        below = Q(pk__in=[])
        for p in Organization.filter(pk__in=list(regions)).values_list("path", flat=True):
            below |= Q(organization__path__startswith=p)
        qs = qs.filter(below)
    return qs.values(*_VALUES).iterator(chunk_size=5000)


def _organization():
    from anjian.orgs.models import Organization

    return Organization


def recount(regions: Iterable[int] | None = None, apps=None) -> dict[tuple, Counter]:
    """The summary counted afresh from the hazards (its rows of ``regions`` only, if given)."""
    only = None if regions is None else set(regions)
    return {k: c for k, c in total(_hazard_rows(only, apps), only=only).items() if any(c.values())}


def _stored_summary(regions: Iterable[int] | None = None) -> dict[tuple, Counter]:
    from anjian.hazards.models import HazardMonth

    qs = HazardMonth.objects.all()
    if regions is not None:
        qs = qs.filter(region_id__in=list(regions))
    out = {}
    for row in qs.values(*KEY, *COUNTS).iterator(chunk_size=5000):
        counts = Counter({c: row[c] for c in COUNTS if row[c]})
        if counts:
            out[tuple(row[k] for k in KEY)] = counts
    return out


@transaction.atomic
def rebuild(regions: Iterable[int] | None = None, apps=None) -> int:
    """Replace the summary (of ``regions`` only, if given) by a recount; the number of rows written.
    ``apps``: a migration's historical models."""
    HazardMonth = _models(apps)[1]
    regions = None if regions is None else sorted(set(regions))
    rows = HazardMonth._base_manager.all()
    if regions is not None:
        rows = rows.filter(region_id__in=regions)
    rows.delete()
    counted = recount(regions, apps)
    HazardMonth._base_manager.bulk_create(
        (HazardMonth(**dict(zip(KEY, key, strict=True)), **counts) for key, counts in counted.items()),
        batch_size=2000,
    )
    return len(counted)


def differences(regions: Iterable[int] | None = None) -> list[tuple[tuple, dict, dict]]:
    """Where the stored summary differs from a recount: (key, stored counts, counted)."""
    regions = None if regions is None else list(regions)
    have, want = _stored_summary(regions), recount(regions)
    return [
        (k, dict(have.get(k, {})), dict(want.get(k, {})))
        for k in sorted(set(have) | set(want), key=str)
        if have.get(k, Counter()) != want.get(k, Counter())
    ]
