"""Question banks, papers drawn from a bank, and attempts: started on the phone, due within the
paper's time limit, marked automatically; a failed attempt may be retaken up to the paper's limit."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.risks.models import PostCard
from anjian.training.choices import QuestionKind
from anjian.training.models import Attempt, Attendance, CardQuiz, Paper, Question, QuestionBank, TrainingSession
from anjian.training.services.common import institution_of, own

TRUE_FALSE_OPTIONS = ["正确", "错误"]
GRACE = dt.timedelta(seconds=30)  # a submission sent at the last second still arrives in time


@transaction.atomic
def question_bank_create(*, by, title: str) -> QuestionBank:
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    if not (title or "").strip():
        raise DomainError(_("请填写题库名称。"), field="title")
    bank = QuestionBank(organization=org, title=title.strip(), created_by=by)
    validated_save(bank)
    audit.record(actor=by, verb=AuditVerb.QUESTION_BANK_SAVED, target=bank, changes={"title": [None, bank.title]})
    return bank


def clean_question(kind: str, text: str, options: list[str], answer: list[int]) -> tuple[list[str], list[int]]:
    """The question's options and answer indexes, or the first rule they break."""
    if kind not in QuestionKind.values:
        raise DomainError(_("题型须为单选题、多选题或判断题。"), field="kind")
    if not (text or "").strip():
        raise DomainError(_("请填写题目。"), field="text")
    if kind == QuestionKind.TRUE_FALSE:
        options = list(TRUE_FALSE_OPTIONS)
    options = [str(o).strip() for o in options if str(o).strip()]
    if len(options) < 2:
        raise DomainError(_("至少须有两个选项。"), field="options")
    if len(options) > 8:
        raise DomainError(_("最多八个选项。"), field="options")
    answer = sorted(set(answer))
    if not answer or any(not 0 <= i < len(options) for i in answer):
        raise DomainError(_("请选择正确答案（须是已填写的选项）。"), field="answer")
    if kind != QuestionKind.MULTIPLE and len(answer) != 1:
        raise DomainError(_("单选题和判断题只有一个正确答案。"), field="answer")
    if kind == QuestionKind.MULTIPLE and len(answer) < 2:
        raise DomainError(_("多选题至少有两个正确答案。"), field="answer")
    return options, answer


@transaction.atomic
def question_add(*, by, bank: QuestionBank, kind: str, text: str, options: list[str], answer: list[int]) -> Question:
    require_action(by, Action.TRAINING_MANAGE)
    bank = get_visible_or_404(QuestionBank.objects.select_for_update(), by, pk=bank.pk)
    own(by, bank)
    options, answer = clean_question(kind, text, options, answer)
    question = Question(bank=bank, kind=kind, text=text.strip(), options=options, answer=answer)
    validated_save(question)
    audit.record(
        actor=by,
        verb=AuditVerb.QUESTION_BANK_SAVED,
        target=bank,
        changes={"question": [None, question.text[:100]], "answer": [None, question.answer_text]},
    )
    return question


@transaction.atomic
def paper_create(*, by, bank: QuestionBank, data: dict[str, Any], count: int) -> Paper:
    """A paper of ``count`` questions drawn at random from the bank's active questions."""
    require_action(by, Action.TRAINING_MANAGE)
    bank = get_visible_or_404(QuestionBank, by, pk=bank.pk)
    own(by, bank)
    pool = list(bank.questions.filter(is_active=True).values_list("pk", flat=True))
    if not count or count < 1:
        raise DomainError(_("请填写题目数量。"), field="count")
    if count > len(pool):
        raise DomainError(
            _("题库中只有 %(n)s 道启用的试题，不能抽取 %(c)s 道。") % {"n": len(pool), "c": count}, field="count"
        )
    if not (data.get("title") or "").strip():
        raise DomainError(_("请填写试卷名称。"), field="title")
    fields = ["title", "time_limit_minutes", "pass_mark", "max_attempts"]
    paper = Paper(organization=bank.organization, bank=bank, created_by=by, **{k: data[k] for k in fields if k in data})
    validated_save(paper)
    drawn = secrets.SystemRandom().sample(pool, count)
    paper.questions.set(drawn)
    audit.record(
        actor=by,
        verb=AuditVerb.PAPER_CREATED,
        target=paper,
        changes={**audit.diff({}, audit.snapshot(paper, fields)), "questions": [None, count]},
    )
    return paper


def attempts_left(paper: Paper, user) -> int:
    used = Attempt.objects.filter(paper=paper, user=user, submitted_at__isnull=False).count()
    return max(paper.max_attempts - used, 0)


@transaction.atomic
def attempt_start(*, by, paper: Paper, session: TrainingSession | None = None) -> Attempt:
    """Start (or resume, while its time runs) an attempt. Refused once passed or out of retakes; a
    session's quiz only for someone who attended the session."""
    require_action(by, Action.TRAINING_ATTEND)
    paper = get_visible_or_404(Paper.objects.select_for_update(), by, pk=paper.pk)
    if paper.organization_id != by.organization_id:
        raise NotPermittedError(_("只有本单位人员可以参加考试。"))
    if not paper.is_active:
        raise ConflictError(_("该试卷已作废，不能参加考试。"))
    if session is not None:
        if not session.is_active:
            raise ConflictError(_("该培训已作废，不能参加随堂测验。"))
        if session.quiz_id != paper.pk or session.organization_id != paper.organization_id:
            raise DomainError(_("该试卷不是这次培训的随堂测验。"), field="session")
        if not Attendance.objects.filter(session=session, user=by).exists():
            raise DomainError(_("请先在培训“%(s)s”签到，再参加随堂测验。") % {"s": session.title}, field="session")
    now = timezone.now()
    open_attempt = Attempt.objects.filter(paper=paper, user=by, submitted_at__isnull=True).first()
    if open_attempt is not None:
        if now <= open_attempt.deadline + GRACE:
            return open_attempt
        _mark(open_attempt, {}, now, by=by, timed_out=True)  # abandoned past its time: a failed sitting
    if Attempt.objects.filter(paper=paper, user=by, passed=True).exists():
        raise ConflictError(_("您已通过该考试，无需再考。"))
    if attempts_left(paper, by) <= 0:
        raise ConflictError(_("考试次数已用完（最多 %(n)s 次），请联系安全管理员。") % {"n": paper.max_attempts})
    attempt = Attempt.objects.create(
        paper=paper,
        user=by,
        session=session,
        started_at=now,
        deadline=now + dt.timedelta(minutes=paper.time_limit_minutes),
    )
    audit.record(
        actor=by,
        verb=AuditVerb.EXAM_STARTED,
        target=attempt,
        organization=paper.organization,
        changes={"deadline": [None, attempt.deadline], **({"session": [None, str(session)]} if session else {})},
    )
    return attempt


def _score(paper: Paper, answers: dict[str, list[int]]) -> int:
    questions = list(paper.questions.all())
    if not questions:
        return 0
    right = sum(1 for q in questions if sorted(answers.get(str(q.pk), [])) == sorted(q.answer))
    return round(100 * right / len(questions))


def _mark(attempt: Attempt, answers: dict, now, *, by, timed_out: bool) -> Attempt:
    attempt.answers = answers
    attempt.submitted_at = now
    attempt.timed_out = timed_out
    attempt.score = 0 if timed_out else _score(attempt.paper, answers)
    attempt.passed = not timed_out and attempt.score >= attempt.paper.pass_mark
    attempt.save(update_fields=["answers", "submitted_at", "timed_out", "score", "passed"])
    audit.record(
        actor=by,
        verb=AuditVerb.EXAM_SUBMITTED,
        target=attempt,
        organization=attempt.paper.organization,
        changes={"score": [None, attempt.score], "passed": [None, attempt.passed]},
        note=str(_("超时未交卷")) if timed_out else "",
    )
    return attempt


@transaction.atomic
def attempt_submit(*, by, attempt: Attempt, answers: dict[str, list[int]]) -> Attempt:
    """Mark the answers (``{question id: [option indexes]}``). After the time limit the attempt
    counts as failed (超时), whatever was answered."""
    require_action(by, Action.TRAINING_ATTEND)
    attempt = get_visible_or_404(
        Attempt.objects.select_for_update(of=("self",)).select_related("paper"), by, pk=attempt.pk
    )
    if attempt.user_id != by.pk:
        raise NotPermittedError(_("只能提交本人的答卷。"))
    if attempt.submitted_at is not None:
        raise ConflictError(_("该答卷已提交。"))
    if not attempt.paper.is_active:
        raise ConflictError(_("该试卷已作废，答卷不再计分。"))
    ids = {str(pk) for pk in attempt.paper.questions.values_list("pk", flat=True)}
    clean = {k: sorted({int(i) for i in v}) for k, v in (answers or {}).items() if k in ids}
    now = timezone.now()
    return _mark(attempt, clean, now, by=by, timed_out=now > attempt.deadline + GRACE)


@transaction.atomic
def questions_import(*, by, bank: QuestionBank, rows) -> int:
    """Import the previewed rows (``question_import.Row``): all of them, or none when one has an
    error (the preview shows which)."""
    require_action(by, Action.TRAINING_MANAGE)
    bank = get_visible_or_404(QuestionBank.objects.select_for_update(), by, pk=bank.pk)
    own(by, bank)
    bad = [r for r in rows if r.error]
    if bad:
        raise DomainError(
            _("第 %(n)s 行：%(e)s 请修改后重新上传，全部无误才导入。") % {"n": bad[0].number, "e": bad[0].error}
        )
    if not rows:
        raise DomainError(_("文件中没有试题。"))
    for r in rows:
        options, answer = clean_question(r.kind, r.text, r.options, r.answer)
        Question.objects.create(bank=bank, kind=r.kind, text=r.text, options=options, answer=answer)
    audit.record(actor=by, verb=AuditVerb.QUESTION_BANK_SAVED, target=bank, changes={"imported": [None, len(rows)]})
    return len(rows)


@transaction.atomic
def paper_void(*, by, paper: Paper, reason: str) -> Paper:
    """A paper made by mistake: kept and marked void with the reason; nobody may start or submit it
    any more, and its attempts count nowhere (files, a session's quiz, a post card's quiz)."""
    require_action(by, Action.TRAINING_MANAGE)
    paper = get_visible_or_404(Paper.objects.select_for_update(of=("self",)), by, pk=paper.pk)
    own(by, paper)
    if not paper.is_active:
        raise ConflictError(_("该试卷已作废。"))
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    paper.is_active, paper.void_reason, paper.voided_at, paper.voided_by = False, reason, timezone.now(), by
    paper.save(update_fields=["is_active", "void_reason", "voided_at", "voided_by"])
    submitted = paper.attempts.filter(submitted_at__isnull=False).count()
    audit.record(
        actor=by,
        verb=AuditVerb.PAPER_VOIDED,
        target=paper,
        changes={"is_active": [True, False], "attempts": [submitted, None]},
        note=reason,
    )
    return paper


@transaction.atomic
def card_quiz_set(*, by, card: PostCard, paper: Paper) -> CardQuiz:
    """Attach (or change) the quiz of a post's cards: one of the institution's active papers."""
    require_action(by, Action.TRAINING_MANAGE)
    card = get_visible_or_404(PostCard, by, pk=card.pk)
    own(by, card)
    if paper.organization_id != card.organization_id or not paper.is_active:
        raise DomainError(_("测验须是本单位启用的试卷。"), field="paper")
    row = CardQuiz.objects.select_for_update().filter(card=card).first()
    before = str(row.paper) if row else None
    if row is None:
        row = CardQuiz(organization=card.organization, card=card)
    row.paper, row.updated_by = paper, by
    validated_save(row)
    audit.record(actor=by, verb=AuditVerb.CARD_QUIZ_SET, target=row, changes={"paper": [before, str(paper)]})
    return row
