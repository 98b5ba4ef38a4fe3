"""The risk register: risk points and their risks (identified and assessed, re-assessed, their
control measures, a hazard found at one), the colour-coded table, the regulator's overview and the
assessment methods."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core import audit
from anjian.core.errors import DomainError
from anjian.core.forms import active_value
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView, SetActiveView
from anjian.hazards import services as hazard_services
from anjian.inspections.models import ChecklistTemplate
from anjian.risks import forms, selectors, services
from anjian.risks.choices import COLOUR_OF, CSS_OF, RiskLevel
from anjian.risks.models import AssessmentMethod, ControlMeasure, Risk, RiskAssessment, RiskPoint
from anjian.risks.views.common import LEVELS, level_info, may_manage


class PointListView(FilteredListView):
    required_action = Action.RISK_VIEW
    template_name = "risks/point_list.html"
    filter_form_class = forms.PointFilterForm
    context_object_name = "points"

    def get_filtered_queryset(self, **filters):
        return selectors.risk_point_list(
            user=self.request.user,
            q=filters.get("q") or "",
            level=filters.get("level") or "",
            active=active_value(filters.get("active") or ""),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for p in ctx["points"]:
            p.level_info = level_info(p.top_rank)
        totals = selectors.level_totals(user=self.request.user)
        ctx["tiles"] = [{**lv, "count": totals[lv["value"]]} for lv in LEVELS]
        return ctx


class PointCreateView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.RiskPointForm
    extra_context = {"title": _("新建风险点")}
    success_message = _("已新建风险点“%(object)s”。")

    def perform(self, form):
        return services.risk_point_create(by=self.request.user, data=form.service_data())


class PointEditView(PointCreateView):
    extra_context = {"title": _("修改风险点")}
    success_message = _("已保存风险点“%(object)s”。")
    form_edits_object = True

    def get_object(self):
        return get_visible_or_404(RiskPoint, self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.risk_point_update(by=self.request.user, point=self.object, data=form.service_data())


class PointDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/point_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        point = get_visible_or_404(
            RiskPoint.objects.select_related("organization", "department"), user, pk=kwargs["pk"]
        )
        risks = list(selectors.risk_list(user=user, risk_point=point))
        by_risk = selectors.measures_of(risks)
        for r in risks:
            r.active_measures = by_risk.get(r.pk, [])
            r.flagged = selectors.needs_reassessment(r)
        checklist = None
        if point.checklist_family:
            checklist = ChecklistTemplate.objects.filter(family=point.checklist_family).order_by("-version").first()
        ctx.update(
            point=point,
            risks=risks,
            hazards=list(selectors.hazards_of_point(user=user, point=point)[:50]),
            checklist=checklist,
            may_manage=may_manage(user, point),
            history=audit.events_for(point, user)[:20],
        )
        return ctx


class PointChecklistView(ActionRequiredMixin, View):
    """Turn the point's control measures into (the next version of) its checklist."""

    required_action = Action.RISK_MANAGE

    def post(self, request, pk):
        point = get_visible_or_404(RiskPoint, request.user, pk=pk)
        try:
            template = services.risk_point_checklist(by=request.user, risk_point=point)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已生成并发布检查表“%(t)s”，可在排查计划中使用。") % {"t": template})
        return HttpResponseRedirect(point.get_absolute_url())


class RiskCreateView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/risk_form.html"
    form_class = forms.RiskForm
    success_message = _("已辨识并评价风险“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(RiskPoint, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("辨识评价风险：%(p)s") % {"p": self.object}
        ctx["point"] = self.object
        methods = list(AssessmentMethod.objects.filter(is_current=True).prefetch_related("bands"))
        ctx["methods"] = methods
        ctx["bands"] = {
            m.code: [
                {
                    "min": float(b.min_score),
                    "inclusive": b.inclusive,
                    "label": str(RiskLevel(b.level).label),
                    "css": CSS_OF[COLOUR_OF[RiskLevel(b.level)]],
                }
                for b in sorted(m.bands.all(), key=lambda b: b.min_score, reverse=True)
            ]
            for m in methods
        }
        return ctx

    def perform(self, form):
        return services.risk_create(
            by=self.request.user,
            risk_point=self.object,
            data=form.risk_data(),
            method=form.cleaned_data["method"],
            factors=form.factors(),
            note=form.cleaned_data.get("note", ""),
        )


class RiskReassessView(RiskCreateView):
    form_class = forms.ReassessForm
    success_message = _("已重新评价风险“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(Risk.objects.select_related("risk_point"), self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        risk = self.object
        initial = {"method": risk.method.code}
        for k, v in risk.factors.items():
            initial[f"{risk.method.code.lower()}_{k}"] = v
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("重新评价：%(r)s") % {"r": self.object}
        ctx["point"] = self.object.risk_point
        return ctx

    def perform(self, form):
        return services.risk_reassess(
            by=self.request.user,
            risk=self.object,
            method=form.cleaned_data["method"],
            factors=form.factors(),
            note=form.cleaned_data.get("note", ""),
        )


class RiskDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        risk = selectors.risk_detail(user=user, pk=kwargs["pk"])
        ctx.update(
            risk=risk,
            flagged=selectors.needs_reassessment(risk),
            measures=selectors.measures_of([risk]).get(risk.pk, []),
            assessments=RiskAssessment.objects.filter(risk=risk).select_related("method", "assessed_by"),
            hazards=list(risk.hazards.select_related("category").order_by("-found_at")[:50]),
            may_manage=may_manage(user, risk),
            measure_form=forms.MeasureForm(user=user),
        )
        return ctx


class MeasureAddView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.MeasureForm
    success_message = _("已新增管控措施。")

    def get_object(self):
        return get_visible_or_404(Risk, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新增管控措施：%(r)s") % {"r": self.object}
        return ctx

    def perform(self, form):
        services.measure_add(by=self.request.user, risk=self.object, data=form.service_data())
        return self.object


class RiskEditView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.RiskEditForm
    success_message = _("已保存风险“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(Risk, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        r = self.object
        return {
            "name": r.name,
            "accident_type": r.accident_type,
            "description": r.description,
            "review_on": r.review_on,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改风险：%(r)s") % {"r": self.object}
        return ctx

    def perform(self, form):
        return services.risk_update(by=self.request.user, risk=self.object, data=form.cleaned_data)


class _SetActive(SetActiveView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/set_active.html"
    model = None

    def get_object(self):
        return get_visible_or_404(self.model, self.request.user, pk=self.kwargs["pk"])


class PointSetActiveView(_SetActive):
    model = RiskPoint
    consequences = [_("停用后，该风险点不再出现在风险清单和四色图中；已有记录全部保留。")]

    def set_active(self, obj, *, note):
        return services.risk_point_set_active(by=self.request.user, point=obj, active=self.active, note=note)


class RiskSetActiveView(_SetActive):
    model = Risk
    consequences = [_("停用后，该风险不再计入风险清单、四色图和岗位风险清单；评价记录全部保留。")]

    def set_active(self, obj, *, note):
        return services.risk_set_active(by=self.request.user, risk=obj, active=self.active, note=note)


class MeasureSetActiveView(_SetActive):
    model = ControlMeasure
    consequences = [
        _("停用后，该措施不再列入岗位风险清单；已生成检查表中的检查项在下一版本中仍保留，请在检查表中调整。")
    ]

    def set_active(self, obj, *, note):
        return services.measure_set_active(by=self.request.user, measure=obj, active=self.active, note=note)

    def get_success_url(self):
        return self.object.risk.get_absolute_url()


class RiskHazardReportView(ServiceFormView):
    """Report a hazard found at a risk (a control that failed): it enters the ledger linked to the risk."""

    required_action = Action.HAZARD_REPORT
    template_name = "risks/form.html"
    form_class = forms.RiskHazardForm
    extra_context = {"multipart": True}

    def get_object(self):
        return get_visible_or_404(
            Risk.objects.select_related("risk_point", "risk_point__department", "organization"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记隐患：%(p)s · %(r)s") % {"p": self.object.risk_point, "r": self.object}
        return ctx

    def perform(self, form):
        risk = self.object
        point = risk.risk_point
        d = form.cleaned_data
        self.hazard = hazard_services.hazard_report(
            by=self.request.user,
            organization=risk.organization,
            data={
                "title": d["title"],
                "description": d.get("description", ""),
                "category": d["category"],
                "location": (point.place or point.name)[:200],
                "department": point.department,
                "risk": risk,
            },
            photos=d["photos"],
        )
        return risk

    def get_success_message(self) -> str:
        return _("已登记隐患 %(n)s，关联风险“%(r)s”。") % {"n": self.hazard.number, "r": self.object}


class RiskTableView(FilteredListView):
    """The colour-coded risk table (where no floor plan exists, and the regulator's list)."""

    required_action = Action.RISK_VIEW
    template_name = "risks/risk_table.html"
    filter_form_class = forms.RiskFilterForm
    context_object_name = "risks"
    paginate_by = 50

    def get_filtered_queryset(self, **filters):
        return selectors.risk_list(
            user=self.request.user,
            q=filters.get("q") or "",
            level=filters.get("level") or "",
            organization=filters.get("organization"),
            without_controls=bool(filters.get("without_controls")),
            without_checks=bool(filters.get("without_checks")),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        risks = list(ctx["risks"])
        by_risk = selectors.measures_of(risks)
        for r in risks:
            r.active_measures = by_risk.get(r.pk, [])
            r.flagged = selectors.needs_reassessment(r)
        ctx["risks"] = risks
        return ctx


class OverviewView(ActionRequiredMixin, TemplateView):
    """The regulator's view: risks by level across the jurisdiction, institutions with red risks,
    risks without controls or without checks."""

    required_action = Action.RISK_VIEW
    template_name = "risks/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = selectors.jurisdiction_overview(user=self.request.user)
        totals = selectors.level_totals(user=self.request.user)
        ctx.update(
            rows=rows,
            tiles=[{**lv, "count": totals[lv["value"]]} for lv in LEVELS],
            levels=LEVELS,
            red=[r for r in rows if r.counts["major"]],
            without_controls=sum(r.without_controls for r in rows),
            without_checks=sum(r.without_checks for r in rows),
        )
        return ctx


class MethodListView(ActionRequiredMixin, TemplateView):
    """The methods' tables and bands, every version (shared reference data)."""

    required_action = Action.RISK_VIEW
    template_name = "risks/method_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["methods"] = AssessmentMethod.objects.prefetch_related("factors", "bands").order_by("code", "-version")
        return ctx


class MethodVersionView(ServiceFormView):
    """Publish a new version of a method's tables (the regulator's administrator)."""

    required_action = Action.RISK_METHOD_MANAGE
    template_name = "risks/form.html"
    form_class = forms.MethodVersionForm
    success_message = _("已发布“%(object)s”，新的评价将使用此版本。")

    def get_object(self):
        code = self.kwargs["code"]
        method = (
            AssessmentMethod.objects.filter(code=code, is_current=True).prefetch_related("factors", "bands").first()
        )
        if method is None:
            raise Http404(_("未找到该评价方法。"))
        return method

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["method"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("发布新版本：%(m)s") % {"m": self.object.name}
        return ctx

    def perform(self, form):
        return services.method_new_version(
            by=self.request.user,
            code=self.object.code,
            factors=form.factors(),
            bands=form.bands(),
            note=form.cleaned_data.get("note", ""),
        )

    def get_success_url(self):
        return reverse("risks:method-list")
