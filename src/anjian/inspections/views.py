"""The inspection pages: my due inspections, the phone-first checklist (reached by scanning a
point's QR label), records and corrections, checklists and their versions, points and label
sheets, schedules and default rhythms, compliance, supervision inspections and interviews.

Thin: reads from ``inspections.selectors`` (scoped), writes through ``inspections.services``."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from anjian.core.audit import events_for
from anjian.core.errors import DomainError
from anjian.core.images import photo_response
from anjian.core.inputs import id_or_none
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.inspections import forms, labels, selectors, services
from anjian.inspections.choices import Result, TemplateStatus
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    InspectionPoint,
    Interview,
    ResultPhoto,
    RhythmDefault,
    Schedule,
    SupervisionInspection,
)


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
            self.point = get_visible_or_404(InspectionPoint, request.user, pk=_int(point_id))
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


# --- checklists ---------------------------------------------------------------------------------
def _int(value) -> int:
    """An id from a form; anything else finds nothing (404), like an id out of scope."""
    pk = id_or_none(value)
    if pk is None:
        raise Http404(_("未找到该检查项。"))
    return pk


class TemplateListView(FilteredListView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/template_list.html"
    filter_form_class = forms.TemplateFilterForm

    def get_filtered_queryset(self, q="", status="", **_ignored):
        return selectors.template_list(user=self.request.user, q=q, status=status)


class TemplateDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/template_detail.html"
    context_object_name = "template"

    def get_object(self, queryset=None):
        return selectors.template_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        t = self.object
        user = self.request.user
        ctx["may_edit"] = services.may_edit_template(user, t)
        ctx["may_copy"] = can(user, Action.CHECKLIST_MANAGE) and t.owner_id != user.organization_id
        ctx["versions"] = ChecklistTemplate.objects.visible_to(user).filter(family=t.family).order_by("-version")
        ctx["item_form"] = forms.ItemForm(user=user)
        return ctx


TEMPLATE_ACTIONS = {
    "copy": (lambda t, by, post: services.template_copy(by=by, template=t), _("已复制为本单位检查表草稿。")),
    "new-version": (lambda t, by, post: services.template_new_version(by=by, template=t), _("已新建版本草稿。")),
    "publish": (lambda t, by, post: services.template_publish(by=by, template=t), _("已发布。")),
}


class TemplateActionView(ActionRequiredMixin, View):
    """POST: copy a checklist, start a new version, publish a draft, add an item to a draft or
    remove one from it."""

    required_action = Action.CHECKLIST_MANAGE

    def post(self, request, pk, action):
        template = get_visible_or_404(ChecklistTemplate, request.user, pk=pk)
        try:
            if action == "add-item":
                form = forms.ItemForm(request.POST, user=request.user)
                if not form.is_valid():
                    raise DomainError("；".join(str(e) for errs in form.errors.values() for e in errs))
                data = form.service_data()
                section = data.pop("section")
                services.item_add(by=request.user, template=template, section_title=section, data=data)
                result, message = template, _("已添加检查项。")
            elif action == "remove-item":
                item = get_visible_or_404(
                    ChecklistItem.objects.filter(template=template), request.user, pk=_int(request.POST.get("item"))
                )
                result = services.item_remove(by=request.user, item=item)
                message = _("已删除检查项“%(t)s”。") % {"t": item.text}
            elif action in TEMPLATE_ACTIONS:
                call, message = TEMPLATE_ACTIONS[action]
                result = call(template, request.user, request.POST)
            else:
                raise Http404(_("未找到该操作。"))
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("inspections:template-detail", args=[template.pk]))
        messages.success(request, message)
        return HttpResponseRedirect(reverse("inspections:template-detail", args=[result.pk]))


class TemplateCreateView(ServiceFormView):
    required_action = Action.CHECKLIST_MANAGE
    template_name = "core/form.html"
    form_class = forms.TemplateForm
    extra_context = {"title": _("新建检查表")}

    def perform(self, form):
        return services.template_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:template-detail", args=[self.object.pk])


class TemplateEditView(TemplateCreateView):
    extra_context = {"title": _("修改检查表草稿")}

    def get_object(self):
        return get_visible_or_404(ChecklistTemplate, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {f: getattr(self.object, f) for f in services.TEMPLATE_FIELDS}

    def perform(self, form):
        return services.template_update(by=self.request.user, template=self.object, data=form.service_data())


class ItemEditView(ServiceFormView):
    """Change an item of a draft; published versions never change (the service refuses)."""

    required_action = Action.CHECKLIST_MANAGE
    template_name = "core/form.html"
    form_class = forms.ItemEditForm
    extra_context = {"title": _("修改检查项")}
    success_message = _("已保存检查项“%(object)s”。")

    def get_object(self):
        template = get_visible_or_404(ChecklistTemplate, self.request.user, pk=self.kwargs["pk"])
        return get_visible_or_404(
            ChecklistItem.objects.filter(template=template), self.request.user, pk=self.kwargs["item_pk"]
        )

    def get_initial(self):
        return {f: getattr(self.object, f) for f in forms.ItemEditForm.Meta.fields}

    def perform(self, form):
        return services.item_update(by=self.request.user, item=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:template-detail", args=[self.object.template_id])


# --- points -------------------------------------------------------------------------------------
class PointListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/point_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["points"] = (
            InspectionPoint.objects.visible_to(self.request.user)
            .select_related("organization", "department")
            .order_by("organization__path", "name")[:500]
        )
        return ctx


class PointCreateView(ServiceFormView):
    required_action = Action.SCHEDULE_MANAGE
    template_name = "core/form.html"
    form_class = forms.PointForm
    extra_context = {"title": _("新建巡检点")}
    success_message = _("已新建巡检点“%(object)s”。")

    def perform(self, form):
        return services.point_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:point-list")


class PointEditView(PointCreateView):
    extra_context = {"title": _("修改巡检点")}
    success_message = _("已保存巡检点“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(InspectionPoint, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"name": self.object.name, "location": self.object.location, "department": self.object.department}

    def perform(self, form):
        return services.point_update(by=self.request.user, point=self.object, data=form.service_data())


class PointLabelsView(ActionRequiredMixin, TemplateView):
    """A printable A4 sheet of QR labels (SVG drawn on the server), all the unit's points or the
    chosen ones. A label proves presence, so only those who manage the unit's points print them."""

    required_action = Action.SCHEDULE_MANAGE
    template_name = "inspections/point_labels.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        points = InspectionPoint.objects.visible_to(user).filter(is_active=True, organization_id=user.organization_id)
        ids = [int(x) for x in self.request.GET.getlist("id") if x.isdigit()]
        if ids:
            points = points.filter(pk__in=ids)
        points = points.select_related("organization", "department").order_by("organization__path", "name")[:200]
        ctx["labels"] = []
        for p in points:
            url = self.request.build_absolute_uri(labels.label_path(p))
            ctx["labels"].append({"point": p, "url": url, "svg": labels.qr_svg(url)})
        return ctx


class PointReissueLabelView(ActionRequiredMixin, View):
    """POST: 重新生成标签 — a new label for the point; the labels printed before no longer prove
    presence. Then the new label, ready to print."""

    required_action = Action.SCHEDULE_MANAGE

    def post(self, request, pk):
        point = get_visible_or_404(InspectionPoint, request.user, pk=pk)
        try:
            point = services.point_reissue_label(by=request.user, point=point)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("inspections:point-list"))
        messages.success(
            request,
            _("已重新生成“%(p)s”的二维码标签（第%(n)s版）：请打印并替换现场的旧标签，旧标签扫码不再记为到场。")
            % {"p": point.name, "n": point.label_version},
        )
        return HttpResponseRedirect(f"{reverse('inspections:point-labels')}?id={point.pk}")


# --- schedules and default rhythms --------------------------------------------------------------
class ScheduleListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/schedule_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["schedules"] = (
            Schedule.objects.visible_to(self.request.user)
            .select_related("organization", "template", "assignee", "post__department", "department")
            .prefetch_related("points")
            .order_by("organization__path", "-is_active", "name")[:500]
        )
        org = self.request.user.organization
        if org is not None and org.is_institution:
            ctx["defaults"] = services.effective_defaults(org)
        return ctx


class ScheduleCreateView(ServiceFormView):
    required_action = Action.SCHEDULE_MANAGE
    template_name = "core/form.html"
    form_class = forms.ScheduleForm
    extra_context = {"title": _("新建排查计划")}
    success_message = _("已保存排查计划“%(object)s”。")

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        points = data.pop("points", [])
        return services.schedule_create(by=self.request.user, data=data, points=list(points))

    def get_success_url(self):
        return reverse("inspections:schedule-list")


class ScheduleEditView(ScheduleCreateView):
    extra_context = {"title": _("修改排查计划")}
    form_class = forms.ScheduleEditForm

    def get_object(self):
        return get_visible_or_404(Schedule, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        s = self.object
        initial = {f: getattr(s, f) for f in services.SCHEDULE_FIELDS if f != "is_active"}
        initial["points"] = list(s.points.all())
        return initial

    def perform(self, form):
        data = form.service_data()
        points = data.pop("points", [])
        return services.schedule_update(by=self.request.user, schedule=self.object, data=data, points=list(points))


class ScheduleDefaultsView(ActionRequiredMixin, View):
    """POST: create the institution's schedules from the default rhythms."""

    required_action = Action.SCHEDULE_MANAGE

    def post(self, request):
        org = request.user.organization
        try:
            if org is None or not org.is_institution:
                raise DomainError(_("巡检点和排查计划属于医疗卫生机构，请以机构人员身份操作。"))
            created = services.schedules_from_defaults(by=request.user, organization=org)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已按默认频次新建 %(n)d 个排查计划。") % {"n": len(created)})
        return HttpResponseRedirect(reverse("inspections:schedule-list"))


class RhythmListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/rhythm_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = RhythmDefault.objects.all()
        return ctx


class RhythmCreateView(ServiceFormView):
    required_action = Action.RHYTHM_MANAGE
    template_name = "core/form.html"
    form_class = forms.RhythmCreateForm
    extra_context = {"title": _("新增默认排查频次")}
    success_message = _("已新增“%(object)s”。")

    def perform(self, form):
        return services.rhythm_default_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:rhythm-list")


class RhythmEditView(ServiceFormView):
    required_action = Action.RHYTHM_MANAGE
    template_name = "core/form.html"
    form_class = forms.RhythmForm
    extra_context = {"title": _("修改默认排查频次")}
    success_message = _("已保存“%(object)s”。")

    def get_object(self):
        try:
            return RhythmDefault.objects.get(pk=self.kwargs["pk"])
        except RhythmDefault.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self):
        return {f: getattr(self.object, f) for f in forms.RhythmForm.Meta.fields}

    def perform(self, form):
        return services.rhythm_default_update(by=self.request.user, rule=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:rhythm-list")


# --- compliance ---------------------------------------------------------------------------------
class ComplianceView(ActionRequiredMixin, TemplateView):
    required_action = Action.COMPLIANCE_VIEW
    template_name = "inspections/compliance.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = {"period": self.request.GET.get("period") or selectors.current_month()}
        if self.request.GET.get("organization"):
            data["organization"] = self.request.GET["organization"]
        form = forms.ComplianceForm(data, user=user)
        ctx["form"] = form
        organization = None
        if form.is_valid():
            organization = form.cleaned_data.get("organization")
        try:
            period = selectors.parse_period(data["period"])
        except DomainError as exc:
            ctx["error"] = exc.message
            return ctx
        result = selectors.compliance(user=user, period=period, organization=organization)
        ctx["result"] = result
        ctx["groups"] = [
            ("institution", _("按机构"), result.by_institution),
            ("department", _("按科室"), result.by_department),
            ("post", _("按岗位"), result.by_post),
            ("person", _("按人员"), result.by_person),
            ("schedule", _("按计划"), result.by_schedule),
        ]
        ctx["missed"] = sorted(result.total.missed, key=lambda m: m[2].start, reverse=True)[:200]
        institution = organization if organization is not None and organization.is_institution else None
        if institution is None and user.organization is not None and user.organization.is_institution:
            institution = user.organization
        if institution is not None and period.end - period.start <= dt.timedelta(days=31):
            ctx["calendar_org"] = institution
            ctx["calendar"] = selectors.month_calendar(
                user=user, organization=institution, year=period.start.year, month=period.start.month
            )
        regulator = organization if organization is not None and organization.is_regulator else None
        if regulator is None and user.organization is not None and user.organization.is_regulator:
            regulator = user.organization
        if regulator is not None:
            quarter = (period.start.month - 1) // 3 + 1
            ctx["quarter"] = selectors.quarter_label(period.start.year, quarter)
            ctx["duties"] = selectors.principal_duty(
                user=user, regulator=regulator, year=period.start.year, quarter=quarter
            )
        return ctx


# --- supervision and interviews -----------------------------------------------------------------
class SupervisionListView(ActionRequiredMixin, TemplateView):
    required_action = Action.SUPERVISION_VIEW
    template_name = "inspections/supervision_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["supervisions"] = SupervisionInspection.objects.visible_to(user).select_related("institution", "regulator")[
            :200
        ]
        # 约谈 are the regulator's and the institution's: an engaged inspector sees supervisions only
        ctx["show_interviews"] = user.role != Role.INSPECTOR
        interviews = Interview.objects.visible_to(user) if ctx["show_interviews"] else Interview.objects.none()
        ctx["interviews"] = interviews.select_related("institution")[:200]
        return ctx


class SupervisionCreateView(ServiceFormView):
    required_action = Action.SUPERVISION_MANAGE
    template_name = "core/form.html"
    form_class = forms.SupervisionForm
    extra_context = {"title": _("登记督导检查")}

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        institution = data.pop("institution")
        inspectors = data.pop("inspectors", [])
        return services.supervision_record(
            by=self.request.user, institution=institution, data=data, inspectors=inspectors
        )

    def get_success_url(self):
        return reverse("inspections:supervision-detail", args=[self.object.pk])


class SupervisionDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.SUPERVISION_VIEW
    template_name = "inspections/supervision_detail.html"
    context_object_name = "supervision"

    def get_object(self, queryset=None):
        return get_visible_or_404(
            SupervisionInspection.objects.select_related("institution", "regulator"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["findings"] = self.object.findings.select_related("hazard__category")
        ctx["records"] = self.object.records.select_related("template")
        ctx["may_fill"] = can(self.request.user, Action.SUPERVISION_FILL)
        ctx["inspectors"] = self.object.inspectors.select_related("organization")
        ctx["checklists"] = ChecklistTemplate.objects.visible_to(self.request.user).filter(
            status=TemplateStatus.PUBLISHED
        )
        return ctx


class SupervisionFindingView(ServiceFormView):
    required_action = Action.SUPERVISION_FILL
    template_name = "core/form.html"
    form_class = forms.FindingForm
    extra_context = {"title": _("登记督导检查发现的问题"), "multipart": True}

    def get_object(self):
        return get_visible_or_404(SupervisionInspection, self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        d = dict(form.cleaned_data)
        photos = d.pop("photos", [])
        services.supervision_add_finding(by=self.request.user, supervision=self.object, data=d, photos=photos)
        return self.object

    def get_success_url(self):
        return reverse("inspections:supervision-detail", args=[self.object.pk])


class SupervisionChecklistView(RecordCreateView):
    """The supervision team fills a checklist at the institution; failed items become hazards with
    source 督导检查."""

    required_action = Action.SUPERVISION_FILL

    def setup_objects(self, request, pk, template_pk=None):
        self.supervision = get_visible_or_404(
            SupervisionInspection.objects.select_related("institution"), request.user, pk=pk
        )
        self.template = get_visible_or_404(
            ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED), request.user, pk=template_pk
        )
        self.schedule = None
        self.point = None
        self.sections = selectors.sections_with_items(self.template)

    def check(self, request) -> None:
        """Whoever may see the supervision and fill its checklists (the action) may open it."""

    def submit(self, request, rows):
        return services.inspection_submit(
            by=request.user,
            supervision=self.supervision,
            template=self.template,
            note=request.POST.get("note", ""),
            results=rows,
        )

    def success(self, request, record) -> str:
        messages.success(request, _("已提交督导检查记录 %(n)s。") % {"n": record.number})
        return reverse("inspections:supervision-detail", args=[self.supervision.pk])


class InterviewCreateView(ServiceFormView):
    required_action = Action.SUPERVISION_MANAGE
    template_name = "core/form.html"
    form_class = forms.InterviewForm
    extra_context = {"title": _("登记约谈")}

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        institution = data.pop("institution")
        return services.interview_record(by=self.request.user, institution=institution, data=data)

    def get_success_url(self):
        return reverse("inspections:supervision-list")
