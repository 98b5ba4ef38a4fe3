"""The API keeps its schema (issue 22, items 9 and 10).

Every operation of the OpenAPI schema at /api/v1/schema/ is called with requests schemathesis makes
from the schema itself, as two roles with their API tokens: the district regulator and a hospital's
safety officer of the demo (``seed_demo``: a district with institutions, hazards, checklists,
inspections, risks, plans and reports). Path ids are half the time the ids the role's own lists
show (and one the other role sees), so details and actions meet real records, not only 404s.

Each answer must be what the schema documents: no server error (5xx), a documented status code, the
documented content type and a body valid against the documented schema. Requests that fit the schema
and requests that do not (schemathesis's negative mode: wrong types, missing fields…) are both sent;
a refusal must be a documented 4xx with the error body. Hypothesis is derandomized, so each run sends
the same requests; the test prints (and records as the JUnit property ``cases``) how many it sent.

The requests go through Django's WSGI handler in this thread, inside the test's transaction: what
they write is rolled back at the end.
"""

from __future__ import annotations

import io
import logging
import time
from collections import Counter, defaultdict
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks
from werkzeug.test import Client

from anjian.accounts.models import User

# Minutes of requests whose answers hardly depend on the database: when scripts/run_tests.py runs
# both databases, in the SQLite run only (``--postgres-only -k api_fuzz`` runs it on PostgreSQL).
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

ROLES = ("regulator", "hospital_officer")  # the demo's district regulator and a hospital's safety officer
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}  # per operation and role, at most
MINIMUM_CASES = 2000  # the run must not quietly shrink (an empty schema, operations skipped)
CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@contextmanager
def _one_connection():
    """Django closes the database connection when a request finishes; the test's transaction must
    outlive each request (Django's test client does the same, and connects them again after each
    of its requests: so no test client is used in here)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def _quiet_refusals():
    """Thousands of 4xx would each log a warning; server errors (logged as errors) still show."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _list_path(path: str) -> str | None:
    """``/api/v1/hazards/`` for ``/api/v1/hazards/{id}/confirm/``: where the records of ``{id}`` are listed."""
    head, brace, rest = path.partition("{")
    return head if brace and rest.startswith("id}") else None


def _listed_ids(client: Client, path: str, token: str) -> list[int]:
    response = client.get(path, headers={"Authorization": f"Token {token}"})
    if response.status_code != 200:
        return []
    body = response.get_json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)]


def _path_ids(app, operations, tokens: dict[str, str]) -> dict[tuple[str, str], list[int]]:
    """For each role and list path: three ids the role sees there, and one only the other role sees."""
    client = Client(app)
    paths = {_list_path(op.path) for op in operations} - {None}
    seen = {(role, path): _listed_ids(client, path, token) for role, token in tokens.items() for path in paths}
    ids = {}
    for (role, path), own in seen.items():
        others = [i for (r, p), listed in seen.items() if p == path and r != role for i in listed if i not in own]
        ids[role, path] = own[:3] + others[:1]
    return ids


class Fuzz:
    """Sends each operation's cases as one role and keeps the count and what went wrong."""

    def __init__(self):
        self.tally: Counter = Counter()  # cases, and answers by status code
        self.problems: dict[tuple[str, str], list[str]] = defaultdict(list)  # (operation as role, what): examples

    def run(self, operation, mode, *, role: str, token: str, ids: list[int], examples: int) -> None:
        where = f"{operation.label} as {role}"
        headers = {"Authorization": f"Token {token}"}

        @settings(
            max_examples=examples,
            derandomize=True,  # the same requests on every run
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: problems are collected, not raised
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), pick=st.sampled_from([None, *ids]))
        def send(case, pick):
            if pick is not None:
                case.path_parameters["id"] = pick
            self.tally["cases"] += 1
            try:
                response = case.call(headers=headers)
            except Exception as exc:  # an exception the WSGI handler let through
                self.problems[where, type(exc).__name__].append(repr(exc))
                return
            self.tally[response.status_code] += 1
            if response.status_code >= 500:
                self.problems[where, f"server error {response.status_code}"].append(case.as_curl_command())
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    self.problems[where, failure.title].append(f"{failure.message[:600]}\n{case.as_curl_command()}")

        try:
            send()
        except Unsatisfiable:  # nothing to make invalid: no parameters and no body
            if mode is GenerationMode.POSITIVE:
                raise

    def report(self) -> list[str]:
        return [
            f"{where}: {what} ({len(seen)}×), e.g.\n{seen[0]}" for (where, what), seen in sorted(self.problems.items())
        ]


def test_every_operation_answers_as_documented(record_property, capsys):
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    tokens = {role: Token.objects.get_or_create(user=User.objects.get(username=role))[0].key for role in ROLES}
    fuzz = Fuzz()
    with _one_connection(), _quiet_refusals():
        app = WSGIHandler()
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
        operations = [
            result.ok()
            for result in schema.get_all_operations()
            if any(k in result.ok().path for k in ("/trainings", "/drills", "/exams/", "/certificates", "/emergency-plans", "/people/"))
        ]
        ids = _path_ids(app, operations, tokens)
        fuzzing = time.monotonic()
        for operation in operations:
            for role, token in tokens.items():
                path_ids = ids.get((role, _list_path(operation.path)), [])
                for mode, examples in EXAMPLES.items():
                    fuzz.run(operation, mode, role=role, token=token, ids=path_ids, examples=examples)

    cases = fuzz.tally.pop("cases")
    answers = ", ".join(f"{code}: {n}" for code, n in sorted(fuzz.tally.items()))
    summary = (
        f"{cases} cases over {len(operations)} operations as {len(ROLES)} roles in {time.monotonic() - fuzzing:.0f} s "
        f"({time.monotonic() - started:.0f} s with the demo data); answers {answers}"
    )
    record_property("cases", cases)
    with capsys.disabled():
        print(f"\nAPI fuzz: {summary}")
    problems = fuzz.report()
    assert not problems, f"{len(problems)} problems in {summary}:\n\n" + "\n\n".join(problems)

