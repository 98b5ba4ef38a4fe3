"""The project's own patterns and core's: home, health checks, language, sign-in, the API basics."""

from anjian.core.testing.isolation import Route

ROUTES = [
    Route("core:home", "scoped"),
    Route("healthz", "public"),
    Route("readyz", "public"),
    Route("set_language", "public"),
    Route("accounts:login", "public"),
    Route("accounts:logout", "self"),
    Route("accounts:password-change", "self"),
    Route("api:auth-token", "public"),
    Route("api:me", "self"),
    Route("api:organization-list", "scoped", query="?q=乙方"),
    Route(
        "api:organization-detail",
        "scoped",
        kwargs=lambda w: {"pk": w.hospital_b.pk},
        post=True,
        data=lambda w: {"name": "被改名的医院"},
        json=True,
    ),
    # the national holiday schedule: platform data of no organization, the system administrator's
    Route("core:work-calendar", "shared"),
    Route("core:work-calendar-edit", "shared", kwargs=lambda w: {"year": 2031}),
    # the audit chain's verification: the whole platform's, the system administrator's
    Route("core:audit-integrity", "shared"),
    Route("api:schema", "public"),
    Route("api:docs", "public"),
]
