"""Drill and emergency-plan pages: drills (list with the rhythm, entry with findings that become
hazards, detail), emergency plans (versions, review dates, the document)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.images import photo_response
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.uploads import attachment_response
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.inspections.labels import qr_svg
from anjian.training import forms, selectors, services
from anjian.training.models import Drill, DrillPhoto, EmergencyPlan
from anjian.training.views.common import may_manage, organization_filter


class DrillListView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/drill_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        qs, org = organization_filter(self.request, selectors.drill_list(user=user))
        own = user.organization if user.organization and user.organization.is_institution else None
        ctx.update(
            drills=qs[:200],
            organization=org,
            rhythm=selectors.drill_rhythm(own) if own else None,
            may_manage=can(user, Action.TRAINING_MANAGE),
        )
        return ctx


class DrillCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.DrillForm
    success_message = _("已登记应急演练“%(object)s”。")
    extra_context = {"title": _("登记应急演练")}

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def perform(self, form):
        d = dict(form.cleaned_data)
        participants = d.pop("participants", [])
        d.pop("findings", None)
        return services.drill_record(
            by=self.request.user, data=d, participants=participants, findings=form.findings_list()
        )


def drill_or_404(user, pk) -> Drill:
    return get_visible_or_404(Drill.objects.select_related("organization", "emergency_plan"), user, pk=pk)


class DrillDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/drill_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        drill = drill_or_404(self.request.user, kwargs["pk"])
        manage = may_manage(self.request.user, drill)
        scan_url = self.request.build_absolute_uri(reverse("training:drill-scan", args=[drill.code]))
        ctx.update(
            drill=drill,
            findings=drill.findings.select_related("hazard").order_by("pk"),
            participants=drill.participants.order_by("name"),
            photos=drill.photos.order_by("pk"),
            may_manage=manage,
            qr=qr_svg(scan_url, scale=3) if manage else "",
            scan_url=scan_url,
        )
        return ctx


class DrillScanView(ActionRequiredMixin, TemplateView):
    """What the drill's QR code opens on a phone: the drill and a sign-in button for participants."""

    required_action = None  # the code first (out of scope is 404), then the role
    template_name = "training/drill_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        drill = get_visible_or_404(Drill.objects.select_related("organization"), user, code=kwargs["code"])
        require(user, Action.TRAINING_ATTEND)
        ctx.update(drill=drill, signed_in=drill.participants.filter(pk=user.pk).exists())
        return ctx

    def post(self, request, code):
        get_visible_or_404(Drill, request.user, code=code)
        require(request.user, Action.TRAINING_ATTEND)
        try:
            services.drill_sign_in(by=request.user, code=code)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("签到成功。"))
        return HttpResponseRedirect(reverse("training:drill-scan", args=[code]))


class DrillPhotoAddView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_MANAGE

    def post(self, request, pk):
        drill = drill_or_404(request.user, pk)
        try:
            services.drill_add_photo(by=request.user, drill=drill, image=request.FILES.get("image"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已上传演练照片。"))
        return HttpResponseRedirect(drill.get_absolute_url())


class DrillPhotoView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW

    def get(self, request, pk):
        photo = get_visible_or_404(DrillPhoto, request.user, pk=pk)
        return photo_response(photo.thumbnail if request.GET.get("size") == "thumb" else photo.image)


class DrillFindingAddView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.FindingForm
    success_message = _("已登记演练发现的问题，隐患已进入台账。")

    def get_object(self):
        return drill_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("演练发现问题：%(d)s") % {"d": self.object}}

    def perform(self, form):
        services.drill_add_finding(by=self.request.user, drill=self.object, finding=form.cleaned_data)
        return self.object


class EmergencyPlanListView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/eplan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = EmergencyPlan.objects.visible_to(self.request.user).filter(is_current=True).select_related("organization")
        qs, _org = organization_filter(self.request, qs)
        ctx.update(
            plans=qs.order_by("organization__name", "kind", "title")[:300],
            today=timezone.localdate(),
            may_manage=can(self.request.user, Action.TRAINING_MANAGE),
        )
        return ctx


class EmergencyPlanCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.EmergencyPlanForm
    success_message = _("已发布应急预案“%(object)s”。")
    extra_context = {"title": _("发布应急预案")}

    def perform(self, form):
        d = dict(form.cleaned_data)
        document, posts = d.pop("document", None), d.pop("posts", [])
        return services.emergency_plan_create(by=self.request.user, data=d, document=document, posts=posts)


def _eplan(user, pk) -> EmergencyPlan:
    return get_visible_or_404(EmergencyPlan.objects.select_related("organization"), user, pk=pk)


class EmergencyPlanDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/eplan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = _eplan(self.request.user, kwargs["pk"])
        versions = EmergencyPlan.objects.filter(family=plan.family, organization=plan.organization).order_by("-version")
        ctx.update(
            plan=plan,
            versions=versions,
            posts=plan.posts.select_related("department"),
            drills=Drill.objects.filter(emergency_plan__family=plan.family, organization=plan.organization),
            may_manage=may_manage(self.request.user, plan) and plan.is_current,
            today=timezone.localdate(),
        )
        return ctx


class EmergencyPlanReviseView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.EmergencyPlanReviseForm
    success_message = _("已发布新版本“%(object)s”。")

    def get_object(self):
        return _eplan(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("修订应急预案：%(p)s") % {"p": self.object}}

    def perform(self, form):
        d = dict(form.cleaned_data)
        document = d.pop("document", None)
        return services.emergency_plan_revise(by=self.request.user, plan=self.object, data=d, document=document)


class EmergencyPlanDocumentView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW

    def get(self, request, pk):
        plan = _eplan(request.user, pk)
        return attachment_response(plan.document, plan.document_name or "plan")
