"""Pages of the risk register: risk points and risks (colour-coded), the assessment form, the
regulator's overview, the post cards (两单两卡, read on a phone from a QR code, acknowledged), the
four-colour map and the risk notice boards. Thin: selectors read, services write."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core import audit
from anjian.core.errors import DomainError
from anjian.core.forms import active_value
from anjian.core.images import photo_response
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView, SetActiveView
from anjian.inspections.labels import qr_svg
from anjian.inspections.models import ChecklistTemplate
from anjian.orgs.models import Post
from anjian.risks import forms, selectors, services
from anjian.risks.choices import COLOUR_OF, CSS_OF, HEX_OF, LEVEL_OF_RANK, RiskLevel
from anjian.risks.models import (
    AssessmentMethod,
    CardAcknowledgement,
    ControlMeasure,
    FloorPlan,
    MapArea,
    PostCard,
    Risk,
    RiskAssessment,
    RiskPoint,
)

LEVELS = [
    {"value": lv.value, "label": lv.label, "css": CSS_OF[COLOUR_OF[lv]], "colour": COLOUR_OF[lv].label}
    for lv in RiskLevel
]


def _may_manage(user, obj) -> bool:
    return can(user, Action.RISK_MANAGE) and obj.organization_id == user.organization_id


def _level_info(rank):
    level = LEVEL_OF_RANK.get(rank) if rank else None
    if level is None:
        return None
    return {
        "value": level.value,
        "label": level.label,
        "css": CSS_OF[COLOUR_OF[level]],
        "hex": HEX_OF[COLOUR_OF[level]],
    }


# --- risk points and risks -----------------------------------------------------------------------
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
            p.level_info = _level_info(p.top_rank)
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

    def get_object(self):
        return get_visible_or_404(RiskPoint, self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

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
            may_manage=_may_manage(user, point),
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
            may_manage=_may_manage(user, risk),
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
        from anjian.hazards import services as hazard_services

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


# --- 两单两卡 --------------------------------------------------------------------------------------
class CardListView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/card_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        cards = {c.post_id: c for c in selectors.card_list(user=user)}
        posts = (
            Post.objects.visible_to(user)
            .filter(is_active=True, is_front_line=True)
            .select_related("department", "organization")
            .order_by("organization__name", "department__name", "name")
        )
        if not can(user, Action.RISK_MANAGE):
            posts = posts.filter(pk__in=cards)
        ctx["rows"] = [{"post": p, "card": cards.get(p.pk)} for p in posts[:500]]
        ctx["may_manage"] = can(user, Action.RISK_MANAGE)
        ctx["mine"] = selectors.card_of_user(user)
        return ctx


class CardEditView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.PostCardForm
    success_message = _("已保存“%(object)s”的两单两卡。")

    def get_object(self):
        return get_visible_or_404(Post.objects.select_related("department"), self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        card = PostCard.objects.filter(post=self.object).first()
        if card is None:
            return {}
        initial = {"duties": card.duties, "operation_steps": card.operation_steps}
        for n, e in enumerate(card.emergencies.filter(version=card.version)[: forms.PostCardForm.EMERGENCY_SLOTS], 1):
            for k in ("incident", "alarm", "isolate", "rescue", "report", "phones"):
                initial[f"e{n}_{k}"] = getattr(e, k)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编制两单两卡：%(p)s") % {"p": self.object}
        return ctx

    def perform(self, form):
        card = services.post_card_save(
            by=self.request.user, post=self.object, data=form.cleaned_data, emergencies=form.emergencies()
        )
        self.card = card
        return self.object

    def get_success_url(self):
        return self.card.get_absolute_url()


def _card_context(request, card: PostCard) -> dict:
    user = request.user
    scan_url = request.build_absolute_uri(reverse("risks:card-scan", args=[card.code]))
    return {
        "card": card,
        "risks": selectors.card_risks(card),
        "emergencies": list(card.emergencies.filter(version=card.version)),
        "acknowledged": CardAcknowledgement.objects.filter(card=card, user=user, version=card.version).first(),
        "may_acknowledge": user.organization_id == card.organization_id,
        "qr": qr_svg(scan_url, scale=3),
        "scan_url": scan_url,
    }


def _visible_card(user, **lookup) -> PostCard:
    cards = PostCard.objects.select_related("post", "post__department", "organization")
    return get_visible_or_404(cards, user, **lookup)


class CardDetailView(ActionRequiredMixin, TemplateView):
    """The four parts on one page; printed as A5 cards (print CSS), with the post's QR code."""

    required_action = Action.RISK_VIEW
    template_name = "risks/card_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = _visible_card(self.request.user, pk=kwargs["pk"])
        ctx.update(_card_context(self.request, card))
        ctx["may_manage"] = _may_manage(self.request.user, card)
        if can(self.request.user, Action.RISK_MANAGE) or self.request.user.role != Role.STAFF:
            ctx["acks"] = card.acknowledgements.select_related("user").order_by("-acknowledged_at")[:100]
        return ctx


class CardScanView(ActionRequiredMixin, TemplateView):
    """What the QR code at the post opens: the cards for a phone, and the acknowledgement."""

    required_action = Action.RISK_VIEW
    template_name = "risks/card_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = _visible_card(self.request.user, code=kwargs["code"])
        ctx.update(_card_context(self.request, card))
        return ctx


class CardAcknowledgeView(ActionRequiredMixin, View):
    required_action = Action.RISK_VIEW

    def post(self, request, pk):
        card = get_visible_or_404(PostCard, request.user, pk=pk)
        try:
            services.post_card_acknowledge(by=request.user, card=card)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认学习本岗位两单两卡（第%(v)s版）。") % {"v": card.version})
        return HttpResponseRedirect(reverse("risks:card-scan", args=[card.code]))


# --- the four-colour map -------------------------------------------------------------------------
class PlanListView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["plans"] = list(selectors.plan_list(user=user).order_by("organization__name", "building", "floor"))
        # (an area linked to no risk point gives a NULL here, which would empty a NOT IN: left out)
        mapped = (
            MapArea.objects.visible_to(user).filter(is_active=True, risk_points__isnull=False).values("risk_points")
        )
        unmapped = selectors.risk_point_list(user=user).exclude(pk__in=mapped)
        points = list(unmapped[:200])
        for p in points:
            p.level_info = _level_info(p.top_rank)
        ctx["unmapped"] = points
        ctx["may_manage"] = can(user, Action.RISK_MANAGE)
        ctx["levels"] = LEVELS
        return ctx


class PlanUploadView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.FloorPlanForm
    extra_context = {"title": _("上传楼层平面图"), "multipart": True}
    success_message = _("已上传平面图“%(object)s”，请在图上绘制区域。")

    def perform(self, form):
        d = form.cleaned_data
        return services.floor_plan_upload(
            by=self.request.user, building=d["building"], floor=d["floor"], image=d["image"]
        )


class PlanDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = get_visible_or_404(FloorPlan.objects.select_related("organization"), self.request.user, pk=kwargs["pk"])
        areas = selectors.areas_of(plan)
        for a in areas:
            a.level_info = _level_info(a.top_rank)
        ctx.update(
            plan=plan,
            areas=areas,
            font_size=max(12, round((plan.width or 1000) / 45)),
            levels=LEVELS,
            may_manage=_may_manage(self.request.user, plan),
            form=kwargs.get("form") or forms.AreaForm(user=self.request.user, plan=plan),
        )
        return ctx


class PlanImageView(ActionRequiredMixin, View):
    required_action = Action.RISK_VIEW

    def get(self, request, pk):
        plan = get_visible_or_404(FloorPlan, request.user, pk=pk)
        return photo_response(plan.image)


class AreaCreateView(ActionRequiredMixin, View):
    required_action = Action.RISK_MANAGE

    def post(self, request, pk):
        plan = get_visible_or_404(FloorPlan, request.user, pk=pk)
        form = forms.AreaForm(request.POST, user=request.user, plan=plan)
        if form.is_valid():
            try:
                points = json.loads(form.cleaned_data["points"] or "[]")
            except ValueError:
                points = None
            try:
                area = services.map_area_save(
                    by=request.user,
                    plan=plan,
                    name=form.cleaned_data["name"],
                    points=points,
                    risk_points=form.cleaned_data["risk_points"],
                )
            except DomainError as exc:
                if exc.field in ("name", "risk_points"):
                    form.add_domain_error(exc)
                else:  # the outline is a hidden field: say it above the form
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存区域“%(a)s”。") % {"a": area})
                return HttpResponseRedirect(plan.get_absolute_url())
        view = PlanDetailView()
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, form=form))


class AreaNoticeView(ActionRequiredMixin, TemplateView):
    """风险公告栏: a printable board of an area's risks, levels, controls and emergency phones."""

    required_action = Action.RISK_VIEW
    template_name = "risks/area_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        area = get_visible_or_404(
            MapArea.objects.select_related("plan", "plan__organization"), self.request.user, pk=kwargs["pk"]
        )
        risks = selectors.area_risks(area)
        top = max((r.rank for r in risks), default=None)
        ctx.update(area=area, risks=risks, level_info=_level_info(top), points=list(area.risk_points.all()))
        return ctx
