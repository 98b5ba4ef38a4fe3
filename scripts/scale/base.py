"""The generator's state and its low-level helpers: ids reserved from a table's own sequence, COPY
with the defaults of the fields the rows leave out, plain SQL, a timed step, a moment in the period
and a person's name. Each group of steps (``people``, ``hazards``, ``inspections``, ``plans``) is a
mixin of ``GeneratorBase``; ``Generator`` puts them together and runs them in order."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection

from scale.city import GIVEN, SURNAMES


@dataclass
class Inst:
    id: int
    name: str
    kind: str
    staff: int
    district: int  # index
    departments: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)  # every user id, leaders first
    principal: int = 0
    deputy: int = 0
    officer: int = 0
    heads: list[int] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    hazard_lo: int = 0
    hazard_n: int = 0


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class GeneratorBase:
    # what the steps leave for the later ones, in the order they run
    city_id: int
    district_ids: list[int]
    insts: list[Inst]
    regulators: dict[int, list[int]]  # organization id -> its regulators' user ids, the admin first
    user_names: dict[int, str]
    year_counters: dict[int, int]  # hazards numbered per year (YH-…)
    templates: dict[str, Any]
    schedule_plan: list[tuple]
    record_lo: int
    record_counters: dict[int, int]  # inspection records numbered per year (XJ-…)
    plan_id: int

    def __init__(self, *, institutions: int, years: int, seed: int, today: dt.date | None = None, log=print):
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_scale needs PostgreSQL (COPY); set DATABASE_URL")
        self.n_institutions = institutions
        self.years = years
        self.seed = seed
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        if today is None:  # now, to the second: nothing generated lies in the future
            self.now = dt.datetime.now(self.tz).replace(microsecond=0)
            self.today = self.now.date()
        else:
            self.today = today
            self.now = dt.datetime.combine(today, dt.time(hour=18), tzinfo=self.tz)
        self.start = self.now - dt.timedelta(days=365 * years)
        self.log = log
        self.report = Report()
        self.raw = None

    # --- low-level helpers -----------------------------------------------------------------------
    def _cursor(self):
        return self.raw.cursor()

    def _reserve(self, table: str, n: int) -> int:
        """The first of ``n`` ids taken from ``table``'s own id sequence (the app's inserts continue after)."""
        with self._cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (seq,) = cur.fetchone()
            cur.execute(f"SELECT nextval('{seq}')")
            (first,) = cur.fetchone()
            if n > 1:
                cur.execute("SELECT setval(%s, %s)", [seq, first + n - 1])
        return first

    def _copy(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        """COPY ``rows`` into ``table``; columns the model has and the rows do not (a field added
        since) get the field's default, as the ORM would give them."""
        model = next((m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table), None)
        extra = (
            [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key] if model else []
        )
        if extra:
            columns = [*columns, *(f.column for f in extra)]
            fixed = [None if callable(f.default) else f.get_db_prep_save(f.get_default(), connection) for f in extra]

            def complete(row: tuple) -> tuple:
                values = [
                    f.get_db_prep_save(f.get_default(), connection) if callable(f.default) else v
                    for f, v in zip(extra, fixed, strict=True)
                ]
                return (*row, *values)

            rows = map(complete, rows)
        count = 0
        with self._cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _sql(self, sql: str, params=None) -> int:
        with self._cursor() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    def _step(self, name: str, fn: Callable[[], int | None]) -> None:
        started = time.monotonic()
        n = fn()
        seconds = time.monotonic() - started
        self.report.seconds[name] = seconds
        if n is not None:
            self.report.counts[name] = n
        self.log(f"  {name:<28} {'' if n is None else f'{n:>11,}'}  {seconds:6.1f}s")

    def _when(self, rng: random.Random) -> dt.datetime:
        """A moment in the period, more of them recent (a growing platform), in working hours."""
        span = (self.now - self.start).total_seconds()
        u = rng.random() ** 0.85
        moment = self.now - dt.timedelta(seconds=span * u)
        moment = moment.replace(hour=8 + rng.randrange(10), minute=rng.randrange(60), second=rng.randrange(60))
        return min(moment, self.now - dt.timedelta(minutes=rng.randrange(1, 120)))

    def _name(self, rng: random.Random) -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
