"""How each app declares its URL patterns for the cross-organization isolation test.

Every app that has URL patterns lists them in ``<app>/tests/isolation_routes.py`` as
``ROUTES: list[Route]``. The test in ``core/tests/test_isolation.py`` walks every URL pattern of
the project and fails for any pattern without a Route; for each Route it signs in as users of
*another* organization (the attackers: hospital_a's officer and staff, district_a's regulator, an
inspector of a provider under district_a... see ``World``) and proves they can neither read nor
change hospital_b's data (the victim).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Access = Literal["public", "self", "scoped"]


@dataclass(frozen=True)
class Route:
    """One URL pattern and how to aim it at the victim's data.

    name     the URL name, with namespace: "orgs:organization-detail", "api:organization-list".
    access   "public": served without login and shows no organization's data (login, healthz, schema);
             "self": only ever about the signed-in user (me, password change, logout);
             "scoped": shows or changes organization data, so it must not leak the victim's.
    kwargs   for patterns with parameters: given the World, the kwargs that point at an object of
             the victim (hospital_b / district_b), e.g. ``lambda w: {"pk": w.hospital_b.pk}``.
             The attackers must get 404 for GET and for POST.
    query    extra query string for list patterns (e.g. "?q=乙方") to tempt a leak.
    post     also POST ``data(world)`` and prove nothing changed (404/403/405 and no new audit
             event, the victim's rows unchanged).
    data     the POST body (form fields or JSON for API patterns).
    json     send the POST body as JSON (API patterns).
    """

    name: str
    access: Access
    kwargs: Callable[[Any], dict] | None = None
    query: str = ""
    post: bool = False
    data: Callable[[Any], dict] | None = None
    json: bool = False
