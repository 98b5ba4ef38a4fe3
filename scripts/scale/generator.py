"""The generator: the steps of ``people``, ``hazards``, ``inspections`` and ``plans`` run in order,
then the numbering counters and id sequences moved past the generated rows, and the statistics."""

from __future__ import annotations

from django.db import connection

from scale.base import Report
from scale.city import CITY_NAME
from scale.hazards import HazardSteps
from scale.inspections import InspectionSteps
from scale.people import PeopleSteps
from scale.plans import PlanSteps


class Generator(PeopleSteps, HazardSteps, InspectionSteps, PlanSteps):
    """``Generator(institutions=…, years=…, seed=…, today=…, log=…).run()`` on a fresh, migrated
    PostgreSQL database; returns the ``Report`` of rows and seconds per step."""

    # --- the whole set ---------------------------------------------------------------------------
    def run(self) -> Report:
        from anjian.action_plans.defaults import ensure_defaults as plan_defaults
        from anjian.inspections.defaults import ensure_defaults as inspection_defaults
        from anjian.orgs.models import Organization

        connection.ensure_connection()
        self.raw = connection.connection
        if Organization.objects.filter(name=CITY_NAME).exists():
            raise RuntimeError(f"the database already holds a generated set ({CITY_NAME}); use a fresh database")
        inspection_defaults()  # categories, criteria, the starter checklists
        plan_defaults()
        self.log(
            f"Generating {self.n_institutions} institutions × {self.years} years, seed {self.seed}, today {self.today}"
        )
        self._step("organizations", self.organizations)
        self._step("departments", self.departments)
        self._step("users", self.users)
        self._step("hazards", self.hazards)
        self._step("hazard audit events", self.hazard_events)
        self._step("inspection points", self.points)
        self._step("inspection schedules", self.schedules)
        self._step("inspection records", self.records)
        self._step("inspection results", self.results)
        self._step("record counts", self.record_counts)
        self._step("task assignments", self.plan)
        self._step("numbering sequences", self.sequences)
        self._step("hazard summary", self.hazard_summary)
        self._step("analyze", self.analyze)
        self.log(f"Done in {sum(self.report.seconds.values()):.0f}s")
        return self.report

    # --- afterwards ------------------------------------------------------------------------------
    def hazard_summary(self) -> int:
        """The monthly summary the dashboards read (hazards.summary): the hazards came in by COPY,
        beside the writes that keep it, so it is counted once here (rebuild_hazard_summary)."""
        from anjian.hazards import summary

        return summary.rebuild()

    def sequences(self) -> int:
        """The numbering counters continue after the generated numbers; every id sequence after its max."""
        from anjian.core.models import Sequence

        for prefix, counters in (("YH", self.year_counters), ("XJ", self.record_counters)):
            for year, value in counters.items():
                seq, _created = Sequence.objects.get_or_create(name=f"{prefix}-{year}")
                Sequence.objects.filter(pk=seq.pk, value__lt=value).update(value=value)
        n = 0
        with self._cursor() as cur:
            cur.execute(
                """
                SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                WHERE c.relkind = 'r' AND a.attname = 'id' AND a.attidentity <> ''
                  AND c.relnamespace = 'public'::regnamespace
                """
            )
            for (table,) in cur.fetchall():
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - catalogue names
                    f"GREATEST((SELECT COALESCE(max(id), 0) FROM {table}), 1))"
                )
                n += 1
        return n

    def analyze(self) -> None:
        """Statistics for the planner, and (outside a transaction) the visibility map that lets
        counts use index-only scans, as autovacuum would leave a live database."""
        self._sql("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
