"""My due inspections, the QR label's landing page, the phone-first checklist (filled and corrected),
the records and their photos."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from anjian.core.audit import events_for
from anjian.core.errors import DomainError
from anjian.core.images import photo_response
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView
from anjian.inspections import forms, labels, selectors, services
from anjian.inspections.choices import Result
from anjian.inspections.models import (
    InspectionPoint,
    ResultPhoto,
    Schedule,
)
from anjian.inspections.views.common import id_or_404


# --- my due inspections and the QR label --------------------------------------------------------
class DueView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/due.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entries"] = selectors.due_for(self.request.user)
        ctx["recent"] = list(selectors.record_list(user=self.request.user).filter(performed_by=self.request.user)[:10])
        return ctx


def fill_url(schedule_pk: int, point_pk: int | None, *, scan_token: str = "") -> str:
    """The checklist's page, at the point; ``scan_token``: the QR label's token, carried along so
    that the record can prove presence (the service checks it)."""
    url = reverse("inspections:record-create", args=[schedule_pk])
    params = {}
    if point_pk:
        params["point"] = point_pk
    if scan_token:
        params[labels.SCAN_PARAM] = scan_token
    return url + ("?" + urlencode(params) if params else "")


class PointScanView(ActionRequiredMixin, TemplateView):
    """Where a point's QR label leads: its checklist due for the user now, straight away when
    there is one; otherwise what is due there (or done already). The label's token goes along to
    the checklist, which says whether it proves presence."""

    required_action = Action.INSPECTION_PERFORM
    template_name = "inspections/point_scan.html"

    def get(self, request, *args, **kwargs):
        self.point = get_visible_or_404(
            InspectionPoint.objects.select_related("department"), request.user, code=kwargs["code"]
        )
        self.scan_token = request.GET.get(labels.SCAN_PARAM, "")[:100]
        self.entries = selectors.due_for(request.user, point=self.point)
        open_ = [e for e in self.entries if not e.done]
        if len(open_) == 1:
            return HttpResponseRedirect(fill_url(open_[0].schedule.pk, self.point.pk, scan_token=self.scan_token))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["point"] = self.point
        ctx["entries"] = self.entries
        ctx["scan_token"] = self.scan_token
        ctx["scan_message"] = labels.check_token(self.point, self.scan_token).message
        return ctx


# --- the record ---------------------------------------------------------------------------------
def _results_from_post(request, sections) -> tuple[list[dict], dict]:
    """The checklist's answers as the service takes them, and as the page shows them again."""
    rows, entered = [], {}
    for section in sections:
        for item in section.items.all():
            result = request.POST.get(f"r_{item.pk}", "")
            note = request.POST.get(f"n_{item.pk}", "")
            entered[item.pk] = {"result": result, "note": note}
            if result:
                rows.append(
                    {"item": item.pk, "result": result, "note": note, "photos": request.FILES.getlist(f"p_{item.pk}")}
                )
    return rows, entered


def _wants_json(request) -> bool:
    """The checklist page's script submits with fetch and asks for JSON: a refusal then leaves the
    page as it is (the photos chosen stay chosen) and only marks the problems."""
    return "application/json" in request.headers.get("Accept", "")


def _error_body(exc: DomainError) -> dict:
    return {"message": str(exc.message), "errors": {k: [str(m) for m in v] for k, v in exc.errors.items()}}


def _errors_by_item(errors: dict) -> tuple[dict[int, list], list[tuple[int | None, str]]]:
    """A refusal's errors as the page shows them: by item id (under each item), and all of them in
    order for the summary (with the item id to link to, or None)."""
    by_item, listed = {}, []
    for key, found in errors.items():
        pk = int(key[5:]) if key.startswith("item_") and key[5:].isdigit() else None
        if pk is not None:
            by_item[pk] = [str(m) for m in found]
        listed.extend((pk, str(m)) for m in found)
    return by_item, listed


class RecordCreateView(ActionRequiredMixin, View):
    """The checklist on a phone: one section per screen, 合格 / 不合格 / 不适用 as big buttons, a
    note and photos for a failed item. Without JavaScript all sections show one below the other.

    A checklist the user may not fill now (not their task, this period's done, out of its hours) is
    refused when opened, with the service's message. A refused submission shows every problem at
    once, under its item; with JavaScript the page is not reloaded, so the photos chosen stay."""

    required_action = Action.INSPECTION_PERFORM
    template_name = "inspections/record_form.html"
    refused_template_name = "inspections/record_refused.html"

    def setup_objects(self, request, pk):
        self.schedule = get_visible_or_404(
            Schedule.objects.select_related("organization", "template"), request.user, pk=pk
        )
        point_id = request.GET.get("point") or request.POST.get("point")
        self.point = None
        if point_id:
            self.point = get_visible_or_404(InspectionPoint, request.user, pk=id_or_404(point_id))
        self.template = selectors.current_version(self.schedule.template)
        if self.template is None:
            raise Http404(_("该计划的检查表没有已发布的版本。"))
        self.sections = selectors.sections_with_items(self.template)

    def scan_token(self, request) -> str:
        return (request.POST.get("scan_token") or request.GET.get(labels.SCAN_PARAM) or "")[:100]

    def render_form(self, request, *, entered=None, refusal: DomainError | None = None, status=200):
        token = self.scan_token(request)
        scan = labels.check_token(self.point, token) if self.point is not None else labels.Scan.NONE
        item_errors, error_list = _errors_by_item(refusal.errors) if refusal is not None else ({}, [])
        ctx = {
            "schedule": self.schedule,
            "point": self.point,
            "template": self.template,
            "sections": self.sections,
            "entered": entered or {},
            "error": refusal.message if refusal is not None else None,
            "error_list": error_list,
            "item_errors": item_errors,
            "field_errors": refusal.errors if refusal is not None else {},
            "scan_token": token,
            "scanned": scan.scanned,
            "scan_message": scan.message,
            "results": Result.choices,
            "corrects": getattr(self, "corrects", None),
            "supervision": getattr(self, "supervision", None),
        }
        return render(request, self.template_name, ctx, status=status)

    def render_refusal(self, request, refusal: DomainError):
        ctx = {
            "schedule": self.schedule,
            "point": self.point,
            "template": self.template,
            "message": refusal.message,
            "done": getattr(refusal, "record", None),
            "corrects": getattr(self, "corrects", None),
        }
        return render(request, self.refused_template_name, ctx, status=refusal.status_code)

    def check(self, request) -> None:
        """Refuse the page to whoever may not fill it now (raises DomainError)."""
        services.inspection_fill_check(by=request.user, schedule=self.schedule, point=self.point)

    def get(self, request, *args, **kwargs):
        self.setup_objects(request, *args, **kwargs)
        try:
            self.check(request)
        except DomainError as exc:
            return self.render_refusal(request, exc)
        return self.render_form(request, entered=self.initial_entries())

    def initial_entries(self) -> dict:
        return {}

    def submit(self, request, rows):
        return services.inspection_submit(
            by=request.user,
            schedule=self.schedule,
            point=self.point,
            scan_token=self.scan_token(request),
            note=request.POST.get("note", ""),
            results=rows,
        )

    def success(self, request, record) -> str:
        """The message after a submission and the page to go to."""
        raised = [r.hazard.number for r in record.results.all() if r.hazard_created]
        message = _("已提交检查记录 %(n)s。") % {"n": record.number}
        if raised:
            message += str(_("不合格项已登记为隐患：%(h)s。")) % {"h": "、".join(raised)}
        messages.success(request, message)
        return reverse("inspections:record-detail", args=[record.pk])

    def post(self, request, *args, **kwargs):
        self.setup_objects(request, *args, **kwargs)
        rows, entered = _results_from_post(request, self.sections)
        try:
            record = self.submit(request, rows)
        except DomainError as exc:
            if _wants_json(request):
                return JsonResponse(_error_body(exc), status=exc.status_code)
            return self.render_form(request, entered=entered, refusal=exc, status=exc.status_code)
        url = self.success(request, record)
        if _wants_json(request):
            return JsonResponse({"redirect": url})
        return HttpResponseRedirect(url)


class RecordCorrectView(RecordCreateView):
    """A correction: a new record of the same checklist version, referencing the original."""

    def setup_objects(self, request, pk):
        self.corrects = selectors.record_get(user=request.user, pk=pk)
        self.schedule = self.corrects.schedule
        self.point = self.corrects.point
        self.template = self.corrects.template
        self.sections = selectors.sections_with_items(self.template)

    def scan_token(self, request) -> str:
        return ""  # a correction is written afterwards, not at the point

    def check(self, request) -> None:
        services.inspection_correct_check(by=request.user, record=self.corrects)

    def initial_entries(self) -> dict:
        return {r.item_id: {"result": r.result, "note": r.note} for r in self.corrects.results.all()}

    def submit(self, request, rows):
        return services.inspection_submit(
            by=request.user,
            corrects=self.corrects,
            correction_reason=request.POST.get("correction_reason", ""),
            note=request.POST.get("note", ""),
            results=rows,
        )


class RecordListView(FilteredListView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/record_list.html"
    filter_form_class = forms.RecordFilterForm

    def get_filtered_queryset(self, q="", organization=None, failed=False, **_ignored):
        return selectors.record_list(
            user=self.request.user, q=q, organization=organization.pk if organization else None, failed=failed
        )


class RecordDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/record_detail.html"
    context_object_name = "record"

    def get_object(self, queryset=None):
        return selectors.record_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = events_for(self.object, self.request.user)[:50]
        results = list(self.object.results.all())
        ctx["results"] = results
        return ctx


class ResultPhotoView(ActionRequiredMixin, View):
    required_action = Action.INSPECTION_VIEW

    def get(self, request, pk: int, size: str):
        photo = get_visible_or_404(ResultPhoto, request.user, pk=pk)
        return photo_response(photo.thumbnail if size == "thumb" else photo.image)
