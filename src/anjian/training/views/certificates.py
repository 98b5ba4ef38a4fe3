"""持证上岗 pages: certificates (list filtered by expiry, entry with the scan, void), the kinds
(reference data), posts' requirements with who misses them, the fire-control room roster and the
regulator's overview."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.periods import PeriodError, check_year
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.uploads import attachment_response
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, FilteredListView, ServiceFormView
from anjian.core.xlsx import workbook_response
from anjian.training import forms, overview, roster_import, selectors, services
from anjian.training.models import Certificate, CertificateKind, TrainingCategory
from anjian.training.views.common import RefusalMixin, may_manage, organization_filter, requested_organization


class CertificateListView(FilteredListView):
    """Certificates, soonest to expire first, filtered (expiry window, kind, institution, holder)
    and paged; the overview's and the home panel's figures click through to it."""

    required_action = Action.CERTIFICATE_VIEW
    template_name = "training/certificate_list.html"
    filter_form_class = forms.CertificateFilterForm
    context_object_name = "certificates"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        within = f.get("within") or None
        return selectors.certificate_list(
            user=self.request.user,
            active=forms.valid_value(f.get("valid") or ""),
            within=int(within) if within and within.isdigit() else within,
            kind=f.get("kind"),
            organization=f.get("organization"),
            q=f.get("q") or "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            organization=self.filters.get("organization"),
            today=timezone.localdate(),
            may_manage=can(self.request.user, Action.CERTIFICATE_MANAGE),
        )
        return ctx


class CertificateCreateView(ServiceFormView):
    required_action = Action.CERTIFICATE_MANAGE
    form_class = forms.CertificateForm
    success_message = _("已登记证书“%(object)s”。")
    extra_context = {"title": _("登记证书")}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "scan"}
        return services.certificate_add(by=self.request.user, data=data, scan=form.cleaned_data.get("scan"))


def _certificate(user, pk):
    return get_visible_or_404(Certificate.objects.select_related("holder", "kind", "organization"), user, pk=pk)


class CertificateDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.CERTIFICATE_VIEW
    template_name = "training/certificate_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cert = _certificate(self.request.user, kwargs["pk"])
        ctx.update(
            certificate=cert,
            may_manage=may_manage(self.request.user, cert, Action.CERTIFICATE_MANAGE),
            days_left=(cert.expires_on - timezone.localdate()).days,
        )
        return ctx


class CertificateScanView(ActionRequiredMixin, View):
    required_action = Action.CERTIFICATE_VIEW

    def get(self, request, pk):
        cert = _certificate(request.user, pk)
        return attachment_response(cert.scan, cert.scan_name or "certificate")


class CertificateVoidView(ServiceFormView):
    required_action = Action.CERTIFICATE_MANAGE
    form_class = forms.VoidForm
    success_message = _("已作废证书“%(object)s”。")

    def get_object(self):
        return _certificate(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("作废证书：%(c)s") % {"c": self.object}}

    def perform(self, form):
        return services.certificate_void(
            by=self.request.user, certificate=self.object, reason=form.cleaned_data["reason"]
        )


class KindListView(ActionRequiredMixin, TemplateView):
    """The platform's reference data: certificate kinds and training categories."""

    required_action = None  # view or manage (dispatch): the administrator editing the kinds lacks TRAINING_VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Action.TRAINING_REFERENCE_MANAGE):
            require(request.user, Action.TRAINING_VIEW)
        return super().dispatch(request, *args, **kwargs)

    template_name = "training/kind_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            kinds=CertificateKind.objects.all(),
            categories=TrainingCategory.objects.all(),
            may_manage=can(self.request.user, Action.TRAINING_REFERENCE_MANAGE),
        )
        return ctx


class KindCreateView(ServiceFormView):
    required_action = Action.TRAINING_REFERENCE_MANAGE
    form_class = forms.KindForm
    success_message = _("已新增证书类别“%(object)s”。")
    extra_context = {"title": _("新增证书类别")}

    def perform(self, form):
        return services.certificate_kind_save(by=self.request.user, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("training:kind-list")


class CategoryCreateView(KindCreateView):
    form_class = forms.CategoryForm
    success_message = _("已新增培训类别“%(object)s”。")
    extra_context = {"title": _("新增培训类别")}

    def perform(self, form):
        return services.training_category_save(by=self.request.user, data=form.cleaned_data)


class RequirementListView(ActionRequiredMixin, TemplateView):
    """Each post's required certificates and trainings, and who at the post misses them."""

    required_action = Action.CERTIFICATE_VIEW
    template_name = "training/requirement_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = requested_organization(self.request)
        certificate_gaps = selectors.certificate_gaps(user=user)
        training_gaps = selectors.training_gaps(user=user)
        if org is not None:  # the overview's coverage of one institution clicks through to it
            certificate_gaps = [g for g in certificate_gaps if g.requirement.organization_id == org.pk]
            training_gaps = [g for g in training_gaps if g.requirement.organization_id == org.pk]
        ctx.update(
            organization=org,
            certificate_gaps=certificate_gaps,
            training_gaps=training_gaps,
            may_manage=can(user, Action.CERTIFICATE_MANAGE),
        )
        return ctx


class RequirementCreateView(ServiceFormView):
    required_action = Action.CERTIFICATE_MANAGE
    form_class = forms.RequirementForm
    success_message = _("已设置岗位要求。")
    extra_context = {"title": _("设置岗位持证或培训要求")}

    def perform(self, form):
        d = form.cleaned_data
        services.post_requirement_set(
            by=self.request.user, post=d["post"], kind=d.get("kind"), category=d.get("category")
        )

    def get_success_url(self):
        return reverse("training:requirement-list")


class RosterView(ServiceFormView):
    """The fire-control room roster: the week's shifts with who is on duty and whether enough of
    them are certified; the form enters (or changes) one shift."""

    required_action = Action.CERTIFICATE_VIEW
    template_name = "training/roster.html"
    form_class = forms.ShiftForm
    success_message = _("已保存值班班次“%(object)s”。")

    def start(self) -> dt.date:
        value = self.request.GET.get("start", "")
        try:
            day = dt.date.fromisoformat(value)
            check_year(day.year, "start")  # 9999-12-31 would overflow the week's arithmetic
        except (ValueError, PeriodError):
            return timezone.localdate()
        return day

    def get_initial(self):
        return {"day": self.start()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        start = self.start()
        shifts = selectors.roster(user=self.request.user, start=start, days=7)
        shifts, org = organization_filter(self.request, shifts)
        ctx.update(
            checks=selectors.shift_checks(shifts.order_by("organization__name", "day", "starts_at")),
            start=start,
            previous=start - dt.timedelta(days=7),
            next=start + dt.timedelta(days=7),
            organization=org,
            may_manage=can(self.request.user, Action.CERTIFICATE_MANAGE)
            and self.request.user.organization.is_institution,
        )
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        return services.duty_shift_save(
            by=self.request.user,
            day=d["day"],
            name=d["name"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            people=d["people"],
        )

    def post(self, request, *args, **kwargs):
        require(request.user, Action.CERTIFICATE_MANAGE)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return f"{reverse('training:roster')}?start={self.object.day.isoformat()}"


class RosterImportView(RefusalMixin, ActionRequiredMixin, TemplateView):
    """Import the roster from xlsx: upload → preview (every row checked, each problem named by its
    row and column, kept in the session) → confirm (all rows or none), like the question import."""

    required_action = Action.CERTIFICATE_MANAGE
    template_name = "training/roster_import.html"
    session_key = "training.roster_import"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = roster_import.COLUMNS
        return ctx

    def post(self, request):
        org = services.institution_of(request.user)
        if "confirm" in request.POST:
            rows = roster_import.from_data(request.session.get(self.session_key, []))
            try:
                count = services.duty_shifts_import(by=request.user, rows=rows)
            except DomainError as exc:
                return self.render_to_response({**self.get_context_data(), "error": exc.message})
            request.session.pop(self.session_key, None)
            messages.success(request, _("已导入 %(n)s 个值班班次。") % {"n": count})
            first = min(r.day for r in rows)
            return HttpResponseRedirect(f"{reverse('training:roster')}?start={first}")
        ctx = self.get_context_data()
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的 xlsx 文件。"))
            rows = roster_import.preview(upload, organization=org)
        except DomainError as exc:
            request.session.pop(self.session_key, None)
            ctx["error"] = exc.message
            return self.render_to_response(ctx)
        request.session[self.session_key] = roster_import.as_data(rows)
        ctx.update(rows=rows, problems=[e for r in rows for e in r.errors], file_name=upload.name)
        return self.render_to_response(ctx)


class RosterTemplateView(AuditedExportMixin, RefusalMixin, ActionRequiredMixin, View):
    """The blank roster xlsx, with the institution's people on a second sheet (a list of people:
    audited as an export)."""

    required_action = Action.CERTIFICATE_MANAGE
    export_label = "消控室值班表模板（含本单位人员名单）"

    def get(self, request):
        org = services.institution_of(request.user)
        self.export_target = org
        return workbook_response(roster_import.template_workbook(org), "消控室值班表模板.xlsx")


class OverviewView(ActionRequiredMixin, TemplateView):
    """Per institution: training hours per person this year, drills this window, certified
    coverage of required posts, expiring certificates, uncovered fire-control room shifts."""

    required_action = Action.CERTIFICATE_VIEW
    template_name = "training/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = overview.rows(user=self.request.user)
        ctx["today"] = timezone.localdate()
        ctx["year"] = ctx["today"].year
        return ctx
