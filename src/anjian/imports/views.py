"""The import page, the template downloads and the download of an import's passwords or errors."""

from __future__ import annotations

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core.errors import DomainError
from anjian.core.views import AuditedExportMixin
from anjian.core.xlsx import XlsxError, workbook_response
from anjian.hazards.models import Hazard
from anjian.imports import services, workbooks
from anjian.imports.forms import ImportForm
from anjian.imports.specs import KINDS, ImportKind, kinds_for
from anjian.orgs.models import Department, Organization, Post


class ImportsAllowedMixin(LoginRequiredMixin):
    """Signed in, and the role may import at least one kind."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not kinds_for(request.user):
            raise PermissionDenied(_("您的角色无权批量导入。"))
        return super().dispatch(request, *args, **kwargs)


def _kind_or_403(request, key: str) -> ImportKind:
    kind = KINDS.get(key or "")
    if kind is None:
        raise Http404(_("没有这种导入。"))
    if not kind.allowed(request.user):
        raise PermissionDenied(_("您的角色无权导入%(kind)s。") % {"kind": kind.label})
    return kind


class ImportView(ImportsAllowedMixin, View):
    """Choose a kind, download its template, upload the filled file; see the result or every error."""

    template_name = "imports/import.html"

    def get(self, request):
        initial = {"kind": request.GET.get("kind") or kinds_for(request.user)[0].key}
        return self.render(ImportForm(user=request.user, initial=initial))

    def post(self, request):
        if request.POST.get("kind") in KINDS:
            _kind_or_403(request, request.POST["kind"])
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            result = services.import_run(
                kind=form.cleaned_data["kind"],
                file=upload,
                file_name=upload.name,
                by=request.user,
                commit=not form.cleaned_data["dry_run"],
                organization=form.cleaned_data.get("organization"),
            )
        except XlsxError as exc:
            form.add_error("file", exc.message)
            return self.render(form, status=400)
        except DomainError as exc:
            form.add_domain_error(exc)
            return self.render(form, status=400)
        return self.render(form, result=result, status=200 if result.ok else 400)

    def render(self, form, *, result=None, status=200):
        kinds = kinds_for(self.request.user)
        context = {
            "form": form,
            "kinds": kinds,
            "hazards_kind": any(kind.key == "hazards" for kind in kinds),
            "result": result,
            "created_links": _created_links(result),
            "list_url": _list_url(result),
            "passwords_json": json.dumps(
                [[p.username, p.name, p.password] for p in result.passwords] if result else [], ensure_ascii=False
            ),
            "errors_json": json.dumps(
                [[e.row, e.column, e.value, e.message] for e in result.errors] if result else [], ensure_ascii=False
            ),
        }
        return render(self.request, self.template_name, context, status=status)


SHOWN_CREATED = 50


def _created_links(result) -> list[tuple[str, str]]:
    """What a committed import made, as (text, url or "") for the result page."""
    if result is None or not result.committed:
        return []
    links = []
    for obj in result.created[:SHOWN_CREATED]:
        if isinstance(obj, Organization):
            links.append((obj.name, reverse("orgs:organization-detail", args=[obj.pk])))
        elif isinstance(obj, Department):
            links.append((f"{obj.organization.name} · {obj.name}", ""))
        elif isinstance(obj, Post):
            links.append((f"{obj.organization.name} · {obj.department.name} · {obj.name}", ""))
        elif isinstance(obj, Hazard):
            links.append((f"{obj.number} {obj.title}", reverse("hazards:hazard-detail", args=[obj.pk])))
        else:
            links.append((str(obj), ""))
    return links


def _list_url(result) -> str:
    if result is None or not result.committed:
        return ""
    return reverse(
        {
            "institutions": "orgs:organization-list",
            "departments": "orgs:department-list",
            "staff": "people:user-list",
            "hazards": "hazards:hazard-list",
            "equipment": "registers:equipment-list",
            "chemical_stocks": "registers:stock-list",
            "waste_handovers": "registers:waste-list",
        }[result.kind.key]
    )


class TemplateDownloadView(ImportsAllowedMixin, View):
    """The blank xlsx template of one kind (``?kind=staff``), with this user's drop-down lists."""

    def get(self, request):
        kind = _kind_or_403(request, request.GET.get("kind", ""))
        workbook = workbooks.template_workbook(kind, request.user)
        return workbook_response(workbook, _("%(label)s导入模板.xlsx") % {"label": kind.label})


class ResultDownloadView(AuditedExportMixin, ImportsAllowedMixin, View):
    """The passwords generated by an import, or the errors of a refused one, as xlsx.

    The result page posts back what it shows (nothing is kept on the server: the passwords are
    shown once, on that page and in this download)."""

    http_method_names = ["post"]
    MAX_ROWS = 50_000
    export_label = gettext_lazy("导入结果")

    def post(self, request):
        what = request.POST.get("what")
        try:
            rows = json.loads(request.POST.get("rows", "[]"))
        except ValueError:
            rows = None
        if not isinstance(rows, list) or len(rows) > self.MAX_ROWS or not all(isinstance(r, list) for r in rows):
            return HttpResponseBadRequest(_("没有可下载的内容。"))
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        self.export_rows = len(rows)
        if what == "passwords":
            table = [[_plain(v) for v in r[:3]] for r in rows]
            return workbook_response(workbooks.passwords_workbook(table), _("初始密码-%(t)s.xlsx") % {"t": stamp})
        if what == "errors":
            errors = [services.RowError(*(_plain(v) for v in r[:4])) for r in rows if len(r) >= 4]
            return workbook_response(workbooks.errors_workbook(errors), _("导入错误-%(t)s.xlsx") % {"t": stamp})
        return HttpResponseBadRequest(_("没有可下载的内容。"))


def _plain(value) -> int | str:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)[:1000]
