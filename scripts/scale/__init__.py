"""A city-sized synthetic data set on PostgreSQL, deterministic for a seed and a day.

At ``institutions=1000, years=3``: a city commission with its district commissions, about 1,000
institutions of every kind, 50,000 staff, 1,000,000 hazards in every state of the closed loop,
10,000,000 inspection results in about 400,000 records, and a three-year plan of 30 tasks assigned to
every institution (30,000 assignments).

Speed comes from PostgreSQL's COPY (psycopg 3 ``cursor.copy``) with ids reserved from each table's
own sequence, and from ``INSERT … SELECT`` on the server for the largest tables (inspection results,
audit events). Everything a service would keep consistent is kept consistent here: a closed hazard
has its plan, its rectification and its acceptance by someone other than the rectifier; a major
one its criterion and the principal's endorsement; each record's counts match its results; the
numbering counters (``core.Sequence``) and the id sequences continue after the generated rows, so
the application keeps working on the data (a new hazard gets the next number).

Same seed, same institutions, same ``today``: the same data. The dates are laid out backwards from
``today`` so that the current week and month look like a working city's (open hazards, inspections
due); the current month's slots of the monthly inspection are left free for the benchmark.

The steps are grouped by what they make: ``people`` (organizations, departments, users), ``hazards``,
``inspections``, ``plans``, each a mixin of ``base.GeneratorBase`` (the state and the COPY and SQL
helpers); ``city`` holds the names and weights they draw from, and ``generator.Generator`` runs them.
``scripts/generate_scale.py`` is the command line; ``scripts/bench.py`` generates the set through it.
Nothing here imports a model at import time: ``scale.city``'s names can be read before Django is set up.
"""

from scale.base import Report
from scale.city import CITY_NAME, CITY_USERNAME, PASSWORD, TEMPLATE_CODE
from scale.generator import Generator

__all__ = ["CITY_NAME", "CITY_USERNAME", "PASSWORD", "TEMPLATE_CODE", "Generator", "Report"]
