"""Pages every user has (home, health checks) and the base views other apps build on."""

import re
from urllib.parse import unquote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, ListView, TemplateView

from anjian.core import audit
from anjian.core.errors import DomainError
from anjian.core.forms import SetActiveForm
from anjian.core.middleware import client_address
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


class AuditedExportMixin:
    """A download view whose file is an audit event (``audit.record_export``): ``export_label``
    names what is exported; ``get`` may set ``self.export_rows`` and ``self.export_target``. Only a
    file actually sent is recorded (a 200 with an attachment), not a refusal. Works for Django and
    DRF views alike."""

    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag

    export_label = ""
    export_rows: int | None = None
    export_target = None

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        filename = attachment_name(response)
        if response.status_code == 200 and filename:
            audit.record_export(
                user=getattr(self.request, "user", request.user),
                what=str(self.export_label),
                filename=filename,
                criteria=request.GET.dict(),
                rows=self.export_rows,
                target=self.export_target,
                address=client_address(request),
            )
        return response


def attachment_name(response) -> str:
    """The file name a response is sent as (``filename*`` preferred), or "" if it is no attachment."""
    header = response.get("Content-Disposition", "") if hasattr(response, "get") else ""
    if not header.startswith("attachment"):
        return ""
    star = re.search(r"filename\*=(?:UTF-8|utf-8)''([^;]+)", header)
    if star:
        return unquote(star.group(1))
    plain = re.search(r'filename="?([^";]+)"?', header)
    return plain.group(1) if plain else ""


def is_htmx(request) -> bool:
    """The request was made by htmx (it wants a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"


class FilteredListView(ActionRequiredMixin, ListView):
    """A list page: a GET filter form, a selector, pagination and the total count.

    Subclasses give ``filter_form_class`` (a ``core.forms.FilterForm``) and implement
    ``get_filtered_queryset(**filters)``, which calls a selector built on ``visible_to``. Invalid
    filter values are ignored (the rest still applies); an out-of-range page is a 404.
    """

    filter_form_class = None
    paginate_by = 25

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET, user=self.request.user)

    def get_filtered_queryset(self, **filters):
        raise NotImplementedError

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        self.filters = self.filter_form.filters()
        return self.get_filtered_queryset(**self.filters)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        ctx["is_filtered"] = self.filter_form.is_filtered()
        ctx["total_count"] = ctx["paginator"].count if ctx.get("paginator") else len(ctx["object_list"])
        return ctx


class ServiceFormView(ActionRequiredMixin, FormView):
    """A form whose valid data goes to exactly one service call.

    ``perform(form)`` calls the service and returns the object it wrote. A ``DomainError`` from the
    service is shown on the form (on the field it names) and nothing is changed: the service's
    transaction rolled back. ``object`` is the object the page is about (or None when creating).
    """

    object = None
    success_message = ""
    template_name = "core/form.html"
    form_edits_object = False  # a ModelForm editing ``object``: it gets it as its ``instance``

    def get_object(self):
        return None

    def setup_object(self):
        """Fetch the object (scoped: out of scope is 404) before GET and POST alike."""
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        self.setup_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.form_edits_object and self.object is not None:
            kwargs["instance"] = self.object
        if self.request.method == "GET" and is_htmx(self.request):
            # htmx asks for the form again after a select changed: rebuild it from the values sent,
            # unbound, so the dependent choices follow and no error is shown yet.
            kwargs["initial"] = {**kwargs.get("initial", {}), **self.form_class.initial_from_query(self.request.GET)}
        return kwargs

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except DomainError as exc:
            form.add_domain_error(exc)
            if self.object is not None and self.object.pk is not None:
                self.object.refresh_from_db()  # the service may have set attributes before refusing
            return self.form_invalid(form)
        self.object = result if result is not None else self.object
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message % {"object": self.object} if self.success_message else ""

    def get_success_url(self):
        return self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else super().get_success_url()

    def get_cancel_url(self) -> str:
        """Where 取消 goes: the object's page, else the page the user came from (on this site),
        else home. A real link: the CSP refuses ``javascript:`` URLs."""
        if self.object is not None and getattr(self.object, "pk", None) and hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        referer = self.request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return referer
        return reverse("core:home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        ctx["cancel_url"] = self.get_cancel_url()
        return ctx


class SetActiveView(ServiceFormView):
    """Deactivate (``active = False``) or reactivate one object; nothing is ever deleted.

    GET shows a confirmation page (what the change means, an optional reason); POST calls
    ``set_active(obj, note=...)``, which calls the app's ``*_set_active`` service. The app's
    template includes ``core/_set_active_form.html``.
    """

    active = False
    form_class = SetActiveForm
    consequences: list[str] = []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["active"] = self.active
        return kwargs

    def set_active(self, obj, *, note: str):
        raise NotImplementedError

    def perform(self, form):
        return self.set_active(self.object, note=form.cleaned_data.get("note", ""))

    def get_success_message(self) -> str:
        if self.active:
            return _("已启用“%(object)s”。") % {"object": self.object}
        return _("已停用“%(object)s”。") % {"object": self.object}

    def get_consequences(self) -> list[str]:
        return list(self.consequences)

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["active"] = self.active
        ctx["object_type"] = self.object._meta.verbose_name
        ctx["consequences"] = self.get_consequences()
        return ctx


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page per role, with the panels the apps offer (core.home)."""

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
        from anjian.core.home import panels_for, summary_for

        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = summary_for(self.request.user)
        ctx["panels"] = panels_for(self.request.user)
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


def page_not_found(request, exception=None):
    """404 for a path nothing answers: JSON under /api/ (an integration reads it), else the
    product's page (templates/404.html)."""
    from django.views import defaults

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("未找到该接口或对象。"))}, status=404)
    return defaults.page_not_found(request, exception)
