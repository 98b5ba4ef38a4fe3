"""Drill and emergency-plan pages: drills (list with the rhythm and the upcoming ones; planned
ahead, then recorded or cancelled, or entered at once as held; findings that become hazards;
detail), emergency plans (versions, review dates, the document)."""

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
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.inspections.labels import qr_svg
from anjian.training import forms, selectors, services, workflow
from anjian.training.choices import DrillStatus
from anjian.training.models import Drill, DrillPhoto, EmergencyPlan
from anjian.training.views.common import may_manage


class DrillListView(FilteredListView):
    """The drills, newest first, filtered and paged; above them the rhythm of the user's own
    institution and the drills planned and not yet recorded (upcoming)."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/drill_list.html"
    filter_form_class = forms.DrillFilterForm
    context_object_name = "drills"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.drill_list(
            user=self.request.user,
            status=f.get("status") or None,
            organization=f.get("organization"),
            held_from=f.get("held_from"),
            held_to=f.get("held_to"),
            q=f.get("q") or "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.filters.get("organization")
        own = user.organization if user.organization and user.organization.is_institution else None
        ctx.update(
            organization=org,
            upcoming=selectors.upcoming_drills(user=user, organization=org)[:20],
            today=timezone.localdate(),
            rhythm=selectors.drill_rhythm(own) if own else None,
            may_manage=can(user, Action.TRAINING_MANAGE),
        )
        return ctx


class DrillCreateView(ServiceFormView):
    """Enter a drill already held, at once (one not yet held is planned: DrillPlanView)."""

    required_action = Action.TRAINING_MANAGE
    form_class = forms.DrillForm
    success_message = _("已登记应急演练“%(object)s”。")
    extra_context = {"title": _("登记已开展的应急演练")}

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def perform(self, form):
        d = dict(form.cleaned_data)
        participants, photos = d.pop("participants", []), d.pop("photos", [])
        d.pop("findings", None)
        return services.drill_record(
            by=self.request.user, data=d, participants=participants, findings=form.findings_list(), photos=photos
        )


class DrillPlanView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.DrillPlanForm
    success_message = _("已计划应急演练“%(object)s”，演练后请登记演练情况。")
    extra_context = {"title": _("计划应急演练")}

    def perform(self, form):
        d = dict(form.cleaned_data)
        participants = d.pop("participants", [])
        return services.drill_plan(by=self.request.user, data=d, participants=participants)


def drill_or_404(user, pk) -> Drill:
    return get_visible_or_404(Drill.objects.select_related("organization", "emergency_plan"), user, pk=pk)


class DrillDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/drill_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        drill = drill_or_404(user, kwargs["pk"])
        manage = may_manage(user, drill)
        scan_url = self.request.build_absolute_uri(reverse("training:drill-scan", args=[drill.code]))
        allowed = workflow.allowed_actions(drill, user)
        ctx.update(
            drill=drill,
            findings=drill.findings.select_related("hazard").order_by("pk"),
            participants=drill.participants.order_by("name"),
            planned_participants=drill.planned_participants.order_by("name"),
            photos=drill.photos.order_by("pk"),
            may_manage=manage,
            allowed=allowed,
            qr=qr_svg(scan_url, scale=3) if manage and drill.status != DrillStatus.CANCELLED else "",
            scan_url=scan_url,
        )
        return ctx


class DrillRecordView(ServiceFormView):
    """Record a planned drill once held (the form starts from the plan and those who scanned)."""

    required_action = Action.TRAINING_MANAGE
    form_class = forms.DrillRecordForm
    success_message = _("已登记应急演练“%(object)s”的开展情况。")

    def get_object(self):
        return drill_or_404(self.request.user, self.kwargs["pk"])

    def get_initial(self):
        drill, today = self.object, timezone.localdate()
        people = {u.pk for u in drill.planned_participants.all()} | {u.pk for u in drill.participants.all()}
        return {
            "held_on": drill.held_on if drill.held_on <= today else today,
            "place": drill.place,
            "participants": sorted(people),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("登记演练情况：%(d)s") % {"d": self.object.title}}

    def perform(self, form):
        d = dict(form.cleaned_data)
        participants, photos = d.pop("participants", []), d.pop("photos", [])
        d.pop("findings", None)
        return services.drill_complete(
            by=self.request.user,
            drill=self.object,
            data=d,
            participants=participants,
            findings=form.findings_list(),
            photos=photos,
        )


class DrillCancelView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.DrillCancelForm
    success_message = _("已取消演练计划“%(object)s”。")

    def get_object(self):
        return drill_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("取消演练计划：%(d)s") % {"d": self.object.title},
            "note": _("取消不会删除记录：演练计划保留并标记为已取消，原因记入操作记录。"),
        }

    def perform(self, form):
        return services.drill_cancel(by=self.request.user, drill=self.object, reason=form.cleaned_data["reason"])


class DrillScanView(ActionRequiredMixin, TemplateView):
    """What the drill's QR code opens on a phone: the drill and a sign-in button for participants."""

    required_action = None  # the code first (out of scope is 404), then the role
    template_name = "training/drill_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        drill = get_visible_or_404(Drill.objects.select_related("organization"), user, code=kwargs["code"])
        require(user, Action.TRAINING_ATTEND)
        refusal = workflow.refusal(drill, "sign-in", user)
        ctx.update(
            drill=drill,
            signed_in=drill.participants.filter(pk=user.pk).exists(),
            refusal=refusal.message if refusal else "",
        )
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


class EmergencyPlanListView(FilteredListView):
    """The current version of each emergency plan, filtered and paged."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/eplan_list.html"
    filter_form_class = forms.EmergencyPlanFilterForm
    context_object_name = "plans"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.emergency_plan_list(
            user=self.request.user,
            organization=f.get("organization"),
            kind=f.get("kind") or "",
            review_due=f.get("review") == "due",
            q=f.get("q") or "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(today=timezone.localdate(), may_manage=can(self.request.user, Action.TRAINING_MANAGE))
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
