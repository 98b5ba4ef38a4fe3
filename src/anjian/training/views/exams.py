"""Exam pages: question banks and their questions, papers drawn from a bank, and taking a paper
on the phone (start, answer within the time limit, see the mark)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.training import forms, question_import, selectors, services
from anjian.training.models import Attempt, Paper, QuestionBank, TrainingSession
from anjian.training.views.common import may_manage, paged

LETTERS = "ABCDEFGH"


class BankListView(FilteredListView):
    """题库与考试: the question banks, filtered and paged (the papers have their own list)."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/bank_list.html"
    filter_form_class = forms.BankFilterForm
    context_object_name = "banks"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.bank_list(user=self.request.user, organization=f.get("organization"), q=f.get("q") or "")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_manage"] = can(self.request.user, Action.TRAINING_MANAGE)
        return ctx


class PaperListView(FilteredListView):
    """The papers, newest first, filtered and paged; voided ones on asking."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/paper_list.html"
    filter_form_class = forms.PaperFilterForm
    context_object_name = "papers"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.paper_list(
            user=self.request.user,
            active=forms.valid_value(f.get("valid") or ""),
            organization=f.get("organization"),
            q=f.get("q") or "",
        )


class BankCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.BankForm
    success_message = _("已新建题库“%(object)s”。")
    extra_context = {"title": _("新建题库")}

    def perform(self, form):
        return services.question_bank_create(by=self.request.user, title=form.cleaned_data["title"])


def _bank(user, pk) -> QuestionBank:
    return get_visible_or_404(QuestionBank.objects.select_related("organization"), user, pk=pk)


class BankDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/bank_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        bank = _bank(self.request.user, kwargs["pk"])
        manage = may_manage(self.request.user, bank)
        pages = paged(self.request, bank.questions.filter(is_active=True).order_by("pk"))
        questions = list(pages["page_obj"])
        for q in questions:
            q.lettered = [(LETTERS[i], o) for i, o in enumerate(q.options)]
        ctx.update(pages, bank=bank, questions=questions, may_manage=manage, papers=bank.papers.order_by("-pk"))
        return ctx


class QuestionAddView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.QuestionForm
    success_message = _("已增加试题。")

    def get_object(self):
        return _bank(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("增加试题：%(b)s") % {"b": self.object}}

    def perform(self, form):
        options, answer = form.parsed()
        services.question_add(
            by=self.request.user,
            bank=self.object,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            options=options,
            answer=answer,
        )
        return self.object


class PaperCreateView(ServiceFormView):
    required_action = Action.TRAINING_MANAGE
    form_class = forms.PaperForm
    success_message = _("已组卷“%(object)s”。")

    def get_object(self):
        return _bank(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("从题库组卷：%(b)s") % {"b": self.object}}

    def perform(self, form):
        d = dict(form.cleaned_data)
        count = d.pop("count")
        return services.paper_create(by=self.request.user, bank=self.object, data=d, count=count)

    def get_success_url(self):
        return self.object.get_absolute_url() if isinstance(self.object, Paper) else super().get_success_url()


def _paper(user, pk) -> Paper:
    return get_visible_or_404(Paper.objects.select_related("organization", "bank", "voided_by"), user, pk=pk)


class PaperDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.TRAINING_VIEW
    template_name = "training/paper_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        paper = _paper(user, kwargs["pk"])
        manage = may_manage(user, paper)
        pages = {}
        if manage:
            pages = paged(
                self.request,
                paper.attempts.filter(submitted_at__isnull=False)
                .select_related("user")
                .order_by("-submitted_at", "-pk"),
            )
        ctx.update(
            pages,
            paper=paper,
            questions=paper.questions.order_by("pk"),
            attempts=list(pages["page_obj"]) if pages else [],
            mine=paper.attempts.filter(user=user).order_by("-started_at"),
            may_take=can(user, Action.TRAINING_ATTEND)
            and paper.organization_id == user.organization_id
            and paper.is_active,
            may_manage=manage,
            attempts_left=services.attempts_left(paper, user),
        )
        return ctx


class PaperVoidView(ServiceFormView):
    """Void a paper made by mistake: the reason is asked; the paper stays, marked void."""

    required_action = Action.TRAINING_MANAGE
    form_class = forms.VoidForm
    success_message = _("已作废试卷“%(object)s”，其考试成绩不再计入。")

    def get_object(self):
        return _paper(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("作废试卷：%(p)s") % {"p": self.object},
            "note": _(
                "作废不会删除记录：试卷和已交的答卷保留，试卷标记为已作废，原因记入操作记录；"
                "不能再开始或提交这份试卷，其成绩不计入培训档案、随堂测验和两单两卡测验。"
            ),
        }

    def perform(self, form):
        return services.paper_void(by=self.request.user, paper=self.object, reason=form.cleaned_data["reason"])


class PaperStartView(ActionRequiredMixin, View):
    required_action = Action.TRAINING_ATTEND

    def post(self, request, pk):
        paper = _paper(request.user, pk)
        session = None
        sid = request.POST.get("session", "")
        if sid.isdigit() and len(sid) < 12:
            session = TrainingSession.objects.visible_to(request.user).filter(pk=int(sid), quiz=paper).first()
        try:
            attempt = services.attempt_start(by=request.user, paper=paper, session=session)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(paper.get_absolute_url())
        return HttpResponseRedirect(attempt.get_absolute_url())


class AttemptView(ActionRequiredMixin, TemplateView):
    """The paper being answered (one page, big touch targets), or its mark once submitted."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/attempt.html"

    def attempt(self) -> Attempt:
        attempt = get_visible_or_404(
            Attempt.objects.select_related("paper", "user", "session"), self.request.user, pk=self.kwargs["pk"]
        )
        if attempt.user_id != self.request.user.pk and not may_manage(self.request.user, attempt.paper):
            raise Http404(_("未找到该记录。"))
        return attempt

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        attempt = self.attempt()
        questions = list(attempt.paper.questions.order_by("pk"))
        for q in questions:
            chosen = attempt.answers.get(str(q.pk), [])
            q.lettered = [(i, LETTERS[i], o, i in chosen) for i, o in enumerate(q.options)]
            q.correct = sorted(chosen) == sorted(q.answer)
        remaining = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
        # the right answers only once they cannot help a retake: passed, or no attempt left
        show_answers = attempt.submitted_at is not None and (
            attempt.passed or services.attempts_left(attempt.paper, attempt.user) == 0
        )
        ctx.update(
            attempt=attempt,
            questions=questions,
            remaining=remaining,
            is_open=attempt.submitted_at is None,
            show_answers=show_answers,
        )
        return ctx

    def post(self, request, pk):
        attempt = self.attempt()
        answers = {}
        for key in request.POST:
            if key.startswith("q") and key[1:].isdigit():
                answers[key[1:]] = [int(v) for v in request.POST.getlist(key) if v.isdigit() and len(v) < 3]
        try:
            attempt = services.attempt_submit(by=request.user, attempt=attempt, answers=answers)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if attempt.passed:
                messages.success(request, _("交卷成功：%(s)s 分，合格。") % {"s": attempt.score})
            else:
                messages.warning(request, _("交卷成功：%(s)s 分，未达到及格分。") % {"s": attempt.score})
        return HttpResponseRedirect(attempt.get_absolute_url())


class BankImportView(ActionRequiredMixin, TemplateView):
    """Import questions from xlsx: upload → preview (every row checked, kept in the session) →
    confirm (all rows or none)."""

    required_action = Action.TRAINING_MANAGE
    template_name = "training/bank_import.html"

    def _key(self, bank) -> str:
        return f"training.bank_import.{bank.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        bank = _bank(self.request.user, self.kwargs["pk"])
        ctx.update(bank=bank, columns=question_import.COLUMNS)
        return ctx

    def post(self, request, pk):
        bank = _bank(request.user, pk)
        if not may_manage(request.user, bank):
            raise Http404(_("未找到该记录。"))
        if "confirm" in request.POST:
            rows = question_import.from_data(request.session.get(self._key(bank), []))
            try:
                count = services.questions_import(by=request.user, bank=bank, rows=rows)
            except DomainError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(reverse("training:bank-import", args=[bank.pk]))
            request.session.pop(self._key(bank), None)
            messages.success(request, _("已导入 %(n)s 道试题。") % {"n": count})
            return HttpResponseRedirect(bank.get_absolute_url())
        upload = request.FILES.get("file")
        ctx = self.get_context_data()
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的 xlsx 文件。"))
            rows = question_import.preview(upload)
        except DomainError as exc:
            ctx["error"] = exc.message
            return self.render_to_response(ctx)
        request.session[self._key(bank)] = question_import.as_data(rows)
        ctx.update(rows=rows, has_errors=any(r.error for r in rows))
        return self.render_to_response(ctx)


class CardQuizView(ServiceFormView):
    """两单两卡测验: the post cards that carry a quiz, how many of the post's staff passed it, and
    (for the officer) the form attaching a paper to a card."""

    required_action = Action.TRAINING_VIEW
    template_name = "training/card_quiz.html"
    form_class = forms.CardQuizForm
    success_message = _("已设置两单两卡测验。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            rows=selectors.card_quiz_list(user=self.request.user),
            may_manage=can(self.request.user, Action.TRAINING_MANAGE),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        require(request.user, Action.TRAINING_MANAGE)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        services.card_quiz_set(by=self.request.user, card=form.cleaned_data["card"], paper=form.cleaned_data["paper"])

    def get_success_url(self):
        return reverse("training:card-quiz")
