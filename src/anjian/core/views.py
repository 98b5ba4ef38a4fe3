"""Pages every user has (home, health checks) and the base views other apps build on."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from anjian.core.permissions import require
from anjian.core.roles import INSTITUTION_LEADERS, REGULATOR_ROLES, Role


class ActionRequiredMixin(LoginRequiredMixin):
    """Signed in, and the user's role may take ``required_action`` (permission matrix)."""

    required_action = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_action is not None:
            require(request.user, self.required_action)
        return super().dispatch(request, *args, **kwargs)


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page per role; later apps add their panels to the role's template."""

    def get_template_names(self):
        role = self.request.user.role
        if role in REGULATOR_ROLES or role == Role.SYSTEM_ADMIN:
            return ["core/home_regulator.html"]
        if role in INSTITUTION_LEADERS:
            return ["core/home_institution.html"]
        if role == Role.INSPECTOR:
            return ["core/home_inspector.html"]
        return ["core/home_staff.html"]

    def get_context_data(self, **kwargs):
        from anjian.core.selectors import home_summary

        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = home_summary(user=self.request.user)
        return ctx


@never_cache
@require_GET
def healthz(request):
    """The process is up (no database touched)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """The database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
