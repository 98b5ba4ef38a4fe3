"""How each app declares its URL patterns for the cross-organization isolation test.

Every app that has URL patterns lists them in ``<app>/tests/isolation_routes.py`` as
``ROUTES: list[Route]``. The test in ``core/tests/test_isolation.py`` walks every URL pattern of
the project and fails for any pattern without a Route; for each Route it signs in as users of
*another* organization (the attackers: hospital_a's officer, principal and staff, clinic_a's
officer, district_a's regulator, an inspector of a provider under district_a: ``attackers()``)
and proves they can neither read nor change hospital_b's data (the victim). HTML patterns are
requested with a signed-in session, ``api:`` patterns with ``Authorization: Token …``.

An app whose routes need objects of its own (a hazard of hospital_b, say) may define
``extend_world(world)`` in its ``isolation_routes`` module: it is called before that module's
routes are checked and puts the objects in ``world.extra`` (name them with ``VICTIM`` in them),
where ``kwargs`` and ``data`` find them::

    def extend_world(world):
        world.extra["hazard_b"] = make_hazard(organization=world.hospital_b, title=f"{VICTIM}漏水")

    ROUTES = [
        Route("hazards:hazard-list", "scoped", query="?q=乙方"),
        Route("hazards:hazard-detail", "scoped", kwargs=lambda w: {"pk": w.extra["hazard_b"].pk}),
        Route("hazards:hazard-action", "scoped", kwargs=lambda w: {"pk": w.extra["hazard_b"].pk,
              "action": "confirm"}, post=True, data=lambda w: {"note": "x"}),
    ]

What is checked for each Route (``check_route``):

- anonymous: a non-public route never answers 200 (HTML redirects to the login page, API 401/403);
- every attacker: the body never contains the VICTIM marker (HTML, JSON, a CSV or an xlsx file);
- scoped with ``kwargs``: each attacker's GET is 404 (403 only when the role is refused the whole
  route: the same 403 for an object that does not exist; 405 for a POST-only route);
- scoped with ``post=True``: each attacker's POST is refused (403/404/405; for a route without
  kwargs, whose body names the victim's object, also a form or API error 200/400) and changes
  nothing: no audit event, and every row of every scoped model in the victim's jurisdiction is
  as before;
- scoped, the witness: some user of the victim's side (the system admin, district_b's regulator or
  hospital_b's officer) does get the object (``kwargs``: neither 403 nor 404) or sees the marker on the page
  (lists, outside the page header that shows their own name): otherwise the route's ``kwargs``
  point nowhere, or the page shows no victim data at all, and the checks above could not fail.
  Set ``witness=False`` only for a page that shows no organization's data (a blank form).
"""

from __future__ import annotations

import functools
import html
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal
from urllib.parse import quote

Access = Literal["public", "self", "shared", "scoped"]

HTML_REFUSED_ANONYMOUS = {302, 401, 403, 404, 405}
API_REFUSED_ANONYMOUS = {401, 403, 404, 405}
NONEXISTENT_ID = 2_000_000_000


@dataclass(frozen=True)
class Route:
    """One URL pattern and how to aim it at the victim's data.

    name     the URL name, with namespace: "orgs:organization-detail", "api:organization-list".
    access   "public": served without login and shows no organization's data (login, healthz, schema);
             "self": only ever about the signed-in user (me, password change, logout);
             "shared": the platform's shared reference data, owned by no organization (the hazard
             categories and determination standards): login required, never shows the victim's data;
             "scoped": shows or changes organization data, so it must not leak the victim's.
    kwargs   for patterns with parameters: given the World, the kwargs that point at an object of
             the victim (hospital_b / district_b), e.g. ``lambda w: {"pk": w.hospital_b.pk}``.
             The attackers must get 404 for GET and for POST.
    query    extra query string for list patterns (e.g. "?q=乙方") to tempt a leak (not the whole
             marker: a page may echo the search term).
    post     also POST ``data(world)`` and prove nothing changed (404/403/405 and no new audit
             event, the victim's rows unchanged). Scoped routes only.
    data     the POST body (form fields or JSON for API patterns).
    json     send the POST body as JSON (API patterns).
    witness  scoped routes: prove that a user of the victim's side sees the victim's object or data
             there (see the module's docstring); False only for pages that show no data at all.
    """

    name: str
    access: Access
    kwargs: Callable[[Any], dict] | None = None
    query: str = ""
    post: bool = False
    data: Callable[[Any], dict] | None = None
    json: bool = False
    witness: bool = True

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


@dataclass(frozen=True)
class DeclaredRoute:
    """A Route with the module that declared it (and that module's ``extend_world``, if any)."""

    route: Route
    module: str
    extend_world: Callable[[Any], None] | None = None


# --- which routes exist and which are declared --------------------------------------------------
def url_patterns(urlconf=None) -> dict[str, list[str]]:
    """Every URL pattern of the project by its qualified name (``namespace:name``), with the
    routes that carry it (a DRF router or a format suffix gives one name several patterns).
    Unnamed patterns are keyed ``<unnamed: route>``: they cannot be aimed at, so they fail."""
    from django.urls import URLResolver, get_resolver

    found: dict[str, list[str]] = {}

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text, [*namespaces, pattern.namespace] if pattern.namespace else namespaces)
            else:
                key = ":".join([*namespaces, pattern.name]) if pattern.name else f"<unnamed: {text}>"
                found.setdefault(key, []).append(text)

    walk(get_resolver(urlconf).url_patterns, "", [])
    return found


def collect_routes() -> list[DeclaredRoute]:
    """The ROUTES of ``<app>.tests.isolation_routes`` of every installed ``anjian.*`` app."""
    from django.apps import apps

    declared = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian."):
            continue
        module_name = f"{config.name}.tests.isolation_routes"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name in (module_name, f"{config.name}.tests"):
                continue
            raise
        hook = getattr(module, "extend_world", None)
        declared += [DeclaredRoute(route, module_name, hook) for route in module.ROUTES]
    return declared


def coverage_problems(declared: list[DeclaredRoute], urlconf=None) -> list[str]:
    """What keeps the isolation test from covering the project: patterns without a Route, Routes
    without a pattern, a name declared twice, a Route that cannot work as written."""
    patterns = url_patterns(urlconf)
    problems = []
    seen: dict[str, str] = {}
    for item in declared:
        route = item.route
        if route.name in seen:
            problems.append(f"Route '{route.name}' is declared twice ({seen[route.name]}, {item.module})")
        seen[route.name] = item.module
        if route.name not in patterns:
            problems.append(f"Route '{route.name}' in {item.module} names no URL pattern")
        problems += [f"Route '{route.name}' in {item.module}: {p}" for p in route_mistakes(route)]
    for name, texts in sorted(patterns.items()):
        if name not in seen:
            problems.append(
                f"no Route for URL pattern '{name}' ({', '.join(texts)}): add it to ROUTES in "
                "<app>/tests/isolation_routes.py (see anjian.core.testing.isolation)"
            )
    return problems


def route_mistakes(route: Route) -> list[str]:
    from anjian.core.testing.world import VICTIM

    mistakes = []
    if route.access not in ("public", "self", "shared", "scoped"):
        mistakes.append(f"access must be public, self, shared or scoped, not {route.access!r}")
    if route.post and route.access != "scoped":
        mistakes.append("post=True is for scoped routes (a public or self route has no victim to change)")
    if route.query and not route.query.startswith("?"):
        mistakes.append("query must start with '?'")
    if VICTIM in route.query:
        mistakes.append(f"query must not contain the whole marker {VICTIM} (pages echo the search term)")
    return mistakes


# --- the people ---------------------------------------------------------------------------------
def attackers(world) -> dict[str, Any]:
    """Users of other organizations than hospital_b, one of each kind."""
    from anjian.core.roles import Role
    from anjian.core.testing import factories

    if "inspector_a" not in world.extra:
        world.extra["provider_a"] = factories.make_provider(parent=world.district_a, name="甲区安全服务公司")
        world.extra["inspector_a"] = factories.make_user(
            organization=world.extra["provider_a"], role=Role.INSPECTOR, username="inspector_a", name="甲检查员"
        )
    return {
        "officer_a (safety officer of hospital_a)": world.officer_a,
        "head_a (principal of hospital_a)": world.head_a,
        "staff_a (front-line staff of hospital_a)": world.staff_a,
        "clinic_officer_a (safety officer of clinic_a)": world.clinic_officer_a,
        "regulator_a (regulator of district_a)": world.regulator_a,
        "inspector_a (inspector of a provider under district_a)": world.extra["inspector_a"],
    }


def witnesses(world) -> dict[str, Any]:
    """Users of the victim's side, who should see what the attackers must not."""
    return {"admin": world.admin, "regulator_b": world.regulator_b, "officer_b": world.officer_b}


def client_for(user, *, api: bool):
    """A test client signed in as ``user``: a session for pages, a token for the API."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    if user is None:
        return Client()
    if api:
        token, _created = Token.objects.get_or_create(user=user)
        return Client(headers={"Authorization": f"Token {token.key}"})
    client = Client()
    client.force_login(user)
    return client


# --- what a response shows ----------------------------------------------------------------------
def body_text(response) -> str:
    """Everything a person could read in the response: the page, the JSON, the cells of a file."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:4] == b"PK\x03\x04":  # xlsx, docx: look inside the zip
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            # XML parts: character references (&#20057;, as openpyxl writes with lxml) read as the text
            return "\n".join(html.unescape(archive.read(n).decode("utf-8", "replace")) for n in archive.namelist())
    return raw.decode("utf-8", "replace")


def shows_victim(text: str) -> bool:
    from anjian.core.testing.world import VICTIM

    escaped = json.dumps(VICTIM)[1:-1]  # \u4e59\u65b9…
    return any(form in text for form in (VICTIM, escaped, escaped.upper().replace("\\U", "\\u"), quote(VICTIM)))


def _without_page_header(text: str) -> str:
    """The page without its navigation bar (which shows the signed-in user's own name)."""
    return re.sub(r"<header\b.*?</header>", "", text, flags=re.S)


# --- what must not change -----------------------------------------------------------------------
def fingerprint(world) -> dict[str, Any]:
    """Every row of every scoped model in the victim's jurisdiction, and the ids of the audit events.

    Taken before and after every attacker's POST (a thousand times in the walk): each model's
    statement is compiled by the ORM once per database and jurisdiction and then only run."""
    from django.db import connection

    rows: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for label, sql, params in _fingerprint_statements(connection.alias, world.district_b.path):
            cursor.execute(sql, params)
            rows[label] = cursor.fetchall()
    return rows


@functools.cache
def _fingerprint_statements(alias: str, root_path: str) -> list[tuple[str, str, tuple]]:
    from django.apps import apps
    from django.db.models import Q

    from anjian.core.models import AuditEvent

    events = AuditEvent.objects.using(alias).order_by("pk").values_list("pk")
    statements = [("audit events", *events.query.sql_with_params())]
    for model in apps.get_models():
        field = getattr(model, "scope_field", None)
        if field is None:
            continue
        prefix = f"{field}__" if field else ""
        qs = model._base_manager.using(alias).filter(Q(**{f"{prefix}path__startswith": root_path})).order_by("pk")
        sql, params = qs.values_list(*[f.attname for f in model._meta.concrete_fields]).query.sql_with_params()
        statements.append((model._meta.label, sql, params))
    return statements


def _changes(before: dict, after: dict) -> list[str]:
    return [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


# --- the checks ---------------------------------------------------------------------------------
def check_route(route: Route, world, *, extend_world: Callable[[Any], None] | None = None) -> list[str]:
    """Everything wrong with one route's isolation, as sentences naming who saw what."""
    from django.urls import NoReverseMatch, reverse

    if extend_world is not None:
        extend_world(world)
    kwargs = route.kwargs(world) if route.kwargs else {}
    try:
        url = reverse(route.name, kwargs=kwargs)
    except NoReverseMatch as exc:
        return [f"cannot build its URL with kwargs {kwargs}: {exc}"]
    url_q = url + route.query
    problems = _check_anonymous(route, url_q)
    people = attackers(world)
    writes = route.post and route.access == "scoped"
    state = fingerprint(world) if writes else None
    for label, user in people.items():
        client = client_for(user, api=route.is_api)
        response = client.get(url_q)
        problems += _check_read(route, url_q, label, response, client=client, kwargs=kwargs)
        if writes:
            found, state = _check_write(route, world, url_q, label, client, kwargs=kwargs, before=state)
            problems += found
    if route.access == "scoped" and route.witness:
        problems += _check_witness(route, world, url_q, kwargs=kwargs)
    return problems


def _check_anonymous(route: Route, url: str) -> list[str]:
    from django.test import Client

    response = Client().get(url)
    text = body_text(response)
    problems = []
    if shows_victim(text):
        problems.append(f"anonymous GET {url} shows the victim's data")
    if response.status_code >= 500:
        problems.append(f"anonymous GET {url} answered {response.status_code}")
    refused = API_REFUSED_ANONYMOUS if route.is_api else HTML_REFUSED_ANONYMOUS
    if route.access != "public" and response.status_code not in refused:
        problems.append(
            f"anonymous GET {url} answered {response.status_code}: a {route.access} route must ask for login"
        )
    if route.access != "public" and response.status_code == 302 and "/accounts/login/" not in response["Location"]:
        problems.append(f"anonymous GET {url} redirected to {response['Location']}, not to the login page")
    return problems


def _check_read(route: Route, url: str, who: str, response, *, client, kwargs: dict) -> list[str]:
    problems = []
    status = response.status_code
    if shows_victim(body_text(response)):
        problems.append(f"{who}: GET {url} ({status}) shows the victim's data")
    if status >= 500:
        problems.append(f"{who}: GET {url} answered {status}")
    if route.access == "scoped" and kwargs and status not in (404, 405):
        if status == 403 and _refused_everywhere(route, client, kwargs):
            return problems
        problems.append(
            f"{who}: GET {url} answered {status}; an object of another organization must be 404 "
            "(exactly like a missing one)"
        )
    return problems


def _refused_everywhere(route: Route, client, kwargs: dict) -> bool:
    """A 403 is no leak when the attacker's role gets it for an object that does not exist too."""
    from django.urls import NoReverseMatch, reverse

    if not any(isinstance(v, int) for v in kwargs.values()):
        return False
    missing = {k: NONEXISTENT_ID if isinstance(v, int) else v for k, v in kwargs.items()}
    try:
        url = reverse(route.name, kwargs=missing) + route.query
    except NoReverseMatch:
        return False
    return client.get(url).status_code == 403


def _check_write(route: Route, world, url: str, who: str, client, *, kwargs: dict, before: dict):
    """The problems of one attacker's POST, and the state after it (to compare the next one with)."""
    data = route.data(world) if route.data else {}
    if route.json:
        response = client.post(url, data=json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data=data)
    after = fingerprint(world)
    status = response.status_code
    problems = []
    allowed = {403, 404, 405} if kwargs else {200, 400, 403, 404, 405}
    if status not in allowed:
        problems.append(f"{who}: POST {url} answered {status}; expected one of {sorted(allowed)}")
    changed = _changes(before, after)
    if changed:
        problems.append(f"{who}: POST {url} ({status}) changed {', '.join(changed)}")
    if shows_victim(body_text(response)):
        problems.append(f"{who}: POST {url} ({status}) shows the victim's data")
    return problems, after


def _check_witness(route: Route, world, url: str, *, kwargs: dict) -> list[str]:
    seen = []
    for label, user in witnesses(world).items():
        response = client_for(user, api=route.is_api).get(url)
        if kwargs:
            if response.status_code not in (403, 404) and response.status_code < 500:
                return []
        elif response.status_code == 200 and shows_victim(_without_page_header(body_text(response))):
            return []
        seen.append(f"{label} {response.status_code}")
    what = "get the object its kwargs point at" if kwargs else "see the victim's data on it"
    return [
        f"no user of the victim's side ({', '.join(seen)}) could {what}, so this check could not fail: "
        "point kwargs at hospital_b's object, give the victim data in extend_world(), or set witness=False "
        "for a page that shows no organization's data"
    ]
