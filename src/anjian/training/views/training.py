"""Training pages: sessions (list, entry, attendance, the QR code and the phone's sign-in page),
annual plans, each person's training file, and the rules of the institution."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.accounts.models import User
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.uploads import attachment_response
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.inspections.labels import qr_svg
from anjian.training import forms, selectors, services
from anjian.training.models import Attempt, Attendance, TrainingPlan, TrainingSession
from anjian.training.views.common import may_manage


class SessionListView(FilteredListView):
    """The training home: sessions, newest first, filtered and paged, and the way to the other parts."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/session_list.html"
    filter_form_class = forms.SessionFilterForm
    context_object_name = "sessions"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.session_list(
            user=self.request.user,
            q=f.get("q") or "",
            category=f.get("category"),
            organization=f.get("organization"),
            held_from=f.get("held_from"),
            held_to=f.get("held_to"),
            active=forms.valid_value(f.get("valid") or ""),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            organization=self.filters.get("organization"),
            may_manage=can(self.request.user, Action.TRAINING_MANAGE),
        )
        return ctx


class SessionCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.SessionForm
    success_message = _("已登记培训“%(object)s”。")
    extra_context = {"title": _("登记培训")}

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def perform(self, form):
        d = dict(form.cleaned_data)
        attendees, materials = d.pop("attendees", []), d.pop("materials", None)
        return services.training_session_create(by=self.request.user, data=d, attendees=attendees, materials=materials)


def _session(user, **lookup) -> TrainingSession:
    qs = TrainingSession.objects.select_related("organization", "category", "quiz", "plan_item", "voided_by")
    return get_visible_or_404(qs, user, **lookup)


class SessionDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/session_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        session = _session(user, pk=kwargs["pk"])
        scan_url = self.request.build_absolute_uri(reverse("training:session-scan", args=[session.code]))
        attendances = list(session.attendances.select_related("user", "user__department").order_by("signed_at"))
        quiz = services.quiz_of(session)  # a voided paper's passes no longer count
        passed = set()
        if quiz is not None:
            passed = set(Attempt.objects.filter(paper=quiz, passed=True).values_list("user_id", flat=True))
        manage = may_manage(user, session)
        ctx.update(
            session=session,
            quiz=quiz,
            attendances=attendances,
            passed=passed,
            may_manage=manage,
            qr=qr_svg(scan_url, scale=4) if manage else "",
            scan_url=scan_url,
            attendance_form=forms.AttendanceForm(user=user) if manage else None,
        )
        return ctx


class SessionAttendView(ServiceFormView):
    """The organizer records attendance by list."""

    required_action = Action.TRAINING_MANAGE
    form_class = forms.AttendanceForm
    success_message = _("已登记签到。")

    def get_object(self):
        return _session(self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("按名单登记签到：%(s)s") % {"s": self.object}}

    def perform(self, form):
        services.attendance_record(by=self.request.user, session=self.object, people=form.cleaned_data["attendees"])
        return self.object


class SessionVoidView(ServiceFormView):
    """Void a session entered by mistake: the reason is asked; the record stays, marked void."""

    required_action = Action.TRAINING_MANAGE
    form_class = forms.VoidForm
    success_message = _("已作废培训“%(object)s”，其学时不再计入。")

    def get_object(self):
        return _session(self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("作废培训：%(s)s") % {"s": self.object},
            "note": _(
                "作废不会删除记录：培训保留并标记为已作废，原因记入操作记录；参训人员的学时、培训档案、"
                "概况和培训台账不再计入这次培训，也不能再签到。"
            ),
        }

    def perform(self, form):
        return services.training_session_void(
            by=self.request.user, session=self.object, reason=form.cleaned_data["reason"]
        )


class SessionScanView(ActionRequiredMixin, TemplateView):
    """What the session's QR code opens on a phone: the training, a sign-in button, then the quiz."""

    # the code is looked up first (out of scope is 404 like a wrong code), then the role: a
    # regulator in whose district the training is may not sign in (403)
    required_action = None
    template_name = "training/session_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        session = _session(user, code=kwargs["code"])
        require(user, Action.TRAINING_ATTEND)
        quiz = services.quiz_of(session)
        ctx.update(
            session=session,
            attendance=Attendance.objects.filter(session=session, user=user).first(),
            quiz=quiz,
            passed=quiz is not None and Attempt.objects.filter(paper=quiz, user=user, passed=True).first(),
            attempts_left=services.attempts_left(quiz, user) if quiz else 0,
        )
        return ctx

    def post(self, request, code):
        _session(request.user, code=code)
        require(request.user, Action.TRAINING_ATTEND)
        try:
            services.attendance_sign_in(by=request.user, code=code)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("签到成功。"))
        return HttpResponseRedirect(reverse("training:session-scan", args=[code]))


class SessionMaterialsView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW

    def get(self, request, pk):
        session = _session(request.user, pk=pk)
        return attachment_response(session.materials, session.materials_name or "materials")


class PlanListView(FilteredListView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/plan_list.html"
    filter_form_class = forms.PlanFilterForm
    context_object_name = "plans"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.training_plan_list(
            user=self.request.user, organization=f.get("organization"), year=f.get("year")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_manage"] = can(self.request.user, Action.TRAINING_MANAGE)
        return ctx


class PlanCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.PlanForm
    success_message = _("已制定“%(object)s”。")
    extra_context = {"title": _("制定年度培训计划")}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def perform(self, form):
        return services.training_plan_create(by=self.request.user, **form.cleaned_data)


def _plan(user, pk) -> TrainingPlan:
    return get_visible_or_404(TrainingPlan.objects.select_related("organization"), user, pk=pk)


class PlanDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = _plan(self.request.user, kwargs["pk"])
        items = (
            plan.items.select_related("category")
            .prefetch_related("posts", "departments", "sessions")
            .order_by("month", "pk")
        )
        ctx.update(plan=plan, items=items, may_manage=may_manage(self.request.user, plan))
        return ctx


class PlanItemAddView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.PlanItemForm
    success_message = _("已增加计划条目。")

    def get_object(self):
        return _plan(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("增加计划条目：%(p)s") % {"p": self.object}}

    def perform(self, form):
        d = dict(form.cleaned_data)
        posts, departments = d.pop("posts", []), d.pop("departments", [])
        services.training_plan_item_add(
            by=self.request.user, plan=self.object, data=d, posts=posts, departments=departments
        )
        return self.object


def visible_person(user, pk) -> User:
    """A person's file: the person themself, or someone whose records the user may view (their
    institution's leaders, the regulator above it)."""
    person = get_visible_or_404(User.objects.select_related("organization", "department", "post"), user, pk=pk)
    if person.pk != user.pk and not can(user, Action.CERTIFICATE_VIEW):
        raise Http404(_("未找到该记录。"))
    return person


class PersonFileView(ActionRequiredMixin, TemplateView):
    """One person's training file: hours per year, sessions, exam results, certificates."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/person_file.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.person_file(visible_person(self.request.user, kwargs["pk"]), viewer=self.request.user))
        return ctx


class MyFileView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW

    def get(self, request):
        return HttpResponseRedirect(reverse("training:person-file", args=[request.user.pk]))


class RulesView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.RulesForm
    success_message = _("已保存培训演练规则。")
    extra_context = {"title": _("培训演练规则")}

    def get_initial(self):
        rules = services.rules_of(self.request.user.organization)
        return {"drill_every_months": rules.drill_every_months, "fire_room_certified": rules.fire_room_certified}

    def perform(self, form):
        services.training_rules_save(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("training:drill-list")
