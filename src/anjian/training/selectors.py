"""The reads that pages, API, panels and exports share, each starting from ``visible_to``: the
certificates expiring within 60/30/7 days, the fire-control room shifts without enough certified
operators, each person's training file, who misses a post's required training or certificate,
the drill rhythm, the regulator's overview per institution, and the filtered lists of emergency
plans, training plans, question banks and papers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from anjian.accounts.models import User
from anjian.orgs.models import Organization
from anjian.risks.selectors import card_of_user
from anjian.training.choices import EXPIRY_WINDOWS, ROSTER_LOOKAHEAD_DAYS, DrillStatus, RhythmState
from anjian.training.models import (
    Attempt,
    Attendance,
    CardQuiz,
    Certificate,
    Drill,
    DutyShift,
    EmergencyPlan,
    Paper,
    PostCertificateRequirement,
    PostTrainingRequirement,
    QuestionBank,
    TrainingPlan,
    TrainingRules,
    TrainingSession,
)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- certificates ------------------------------------------------------------------------------------
def certificate_list(
    *,
    user,
    active: bool | None = True,
    expires_before: dt.date | None = None,
    within: int | str | None = None,
    kind=None,
    organization=None,
    q: str = "",
    today: dt.date | None = None,
):
    """Certificates in scope: ``active`` (valid ones; False the voided; None both), expiring before
    a day, in an expiry ``within`` window (``expiry_q``), of a kind or an institution, or whose
    holder's name or number contains ``q``."""
    qs = Certificate.objects.visible_to(user).select_related("holder", "kind", "organization", "holder__post")
    if active is not None:
        qs = qs.filter(is_active=active)
    if expires_before is not None:
        qs = qs.filter(expires_on__lt=expires_before)
    if within:
        qs = qs.filter(expiry_q(within, today))
    if kind is not None:
        qs = qs.filter(kind=kind)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if q:
        qs = qs.filter(Q(holder__name__icontains=q) | Q(number__icontains=q))
    return qs.order_by("expires_on", "pk")


def expiry_q(window: int | str, today: dt.date | None = None) -> Q:
    """The certificates in one expiry window: ``"expired"`` (before today), or expiring within
    ``window`` days (today … today + window; "within 30 days" includes "within 7")."""
    today = _today(today)
    if window == "expired":
        return Q(expires_on__lt=today)
    return Q(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=window))


def expiry_figures(today: dt.date | None = None) -> dict[str, Count]:
    """``expired`` and ``within_<n>`` for each of ``EXPIRY_WINDOWS``, as counts to aggregate."""
    today = _today(today)
    figures = {"expired": Count("pk", filter=expiry_q("expired", today))}
    for days in EXPIRY_WINDOWS:
        figures[f"within_{days}"] = Count("pk", filter=expiry_q(days, today))
    return figures


def expiring_counts(certificates, today: dt.date | None = None) -> dict[str, int]:
    """Active certificates already expired, and expiring within 7, 30 and 60 days."""
    return certificates.filter(is_active=True).aggregate(**expiry_figures(today))


# --- the fire-control room roster ---------------------------------------------------------------------
@dataclass
class ShiftCheck:
    shift: DutyShift
    certified: list = field(default_factory=list)  # the people on duty holding a valid certificate
    uncertified: list = field(default_factory=list)
    required: int = 2

    @property
    def covered(self) -> bool:
        return len(self.certified) >= self.required


def _required_by_org(org_ids) -> dict[int, int]:
    rules = dict(
        TrainingRules.objects.filter(organization_id__in=org_ids).values_list("organization_id", "fire_room_certified")
    )
    return defaultdict(lambda: TrainingRules.DEFAULT_FIRE_ROOM_CERTIFIED, rules)


def fire_room_certified_on(people) -> Callable[[int, dt.date], bool]:
    """Whether a person (of ``people``, by id) holds a valid fire-control room certificate (消防设施
    操作员) on a day: one query for all of them. The roster, its checks and its import ask it."""
    certs = defaultdict(list)
    for holder_id, issued, expires in Certificate.objects.filter(
        holder_id__in=set(people), is_active=True, kind__fire_control_room=True
    ).values_list("holder_id", "issued_on", "expires_on"):
        certs[holder_id].append((issued, expires))
    return lambda person, day: any(issued <= day <= expires for issued, expires in certs.get(person, ()))


def shift_checks(shifts) -> list[ShiftCheck]:
    """Each shift with who on duty holds a valid fire-control room certificate on its day."""
    shifts = list(shifts.select_related("organization").prefetch_related("people"))
    certified_on = fire_room_certified_on({u.pk for s in shifts for u in s.people.all()})
    required = _required_by_org({s.organization_id for s in shifts})
    checks = []
    for s in shifts:
        check = ShiftCheck(shift=s, required=required[s.organization_id])
        for person in sorted(s.people.all(), key=lambda u: u.name):
            (check.certified if certified_on(person.pk, s.day) else check.uncertified).append(person)
        checks.append(check)
    return checks


def roster(*, user, start: dt.date, days: int = 7):
    return DutyShift.objects.visible_to(user).filter(day__gte=start, day__lt=start + dt.timedelta(days=days))


def uncovered_shifts(*, user, today: dt.date | None = None, days: int = ROSTER_LOOKAHEAD_DAYS) -> list[ShiftCheck]:
    """The shifts from today on (``days`` ahead) with fewer certified operators than required."""
    return [c for c in shift_checks(roster(user=user, start=_today(today), days=days)) if not c.covered]


# --- training files -----------------------------------------------------------------------------------
def _narrowed(qs, **given):
    """``qs`` narrowed by each lookup whose value is given (neither None nor empty): the filters of
    the lists below, each one optional."""
    return qs.filter(**{lookup: value for lookup, value in given.items() if value is not None and value != ""})


def session_list(
    *,
    user,
    year: int | None = None,
    active: bool | None = True,
    category=None,
    organization=None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    q: str = "",
):
    """Sessions in scope, newest first, with their attendee count: ``active`` (True: valid ones, the
    only ones that count; False: the voided; None: both), of a year or a date range, a category, an
    institution, or whose title or teacher contains ``q``."""
    qs = _narrowed(
        TrainingSession.objects.visible_to(user).select_related("category", "organization"),
        is_active=active,
        held_on__year=year or None,
        category=category,
        organization=organization,
        held_on__gte=held_from,
        held_on__lte=held_to,
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(teacher__icontains=q))
    return qs.annotate(attendee_count=Count("attendances")).order_by("-held_on", "-pk")


def person_file(person: User, *, viewer) -> dict:
    """One person's training file: sessions attended (newest first), hours per year, exams,
    certificates; only the records ``viewer`` may see (a person who moved institution keeps their
    old records there, out of the new institution's sight)."""
    attendances = list(
        Attendance.objects.visible_to(viewer)
        .filter(user=person, session__is_active=True)
        .select_related("session", "session__category")
        .order_by("-session__held_on", "-pk")
    )
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for a in attendances:
        by_year[a.session.held_on.year] += a.session.hours
    attempts = list(
        Attempt.objects.visible_to(viewer)
        .filter(user=person, submitted_at__isnull=False, paper__is_active=True)
        .select_related("paper")
        .order_by("-submitted_at")
    )
    return {
        "person": person,
        "attendances": attendances,
        "hours_by_year": sorted(by_year.items(), reverse=True),
        "attempts": attempts,
        "certificates": list(
            Certificate.objects.visible_to(viewer)
            .filter(holder=person, is_active=True)
            .select_related("kind")
            .order_by("expires_on")
        ),
    }


def hours_of(person: User, year: int) -> Decimal:
    total = Attendance.objects.filter(user=person, session__is_active=True, session__held_on__year=year).aggregate(
        h=Sum("session__hours")
    )["h"]
    return total or Decimal("0")


# --- what posts require, and who misses it -----------------------------------------------------------------
@dataclass
class Gap:
    requirement: object
    people: list  # the people at the post, each with whether they meet it
    missing: list


def training_gaps(*, user, today: dt.date | None = None) -> list[Gap]:
    today = _today(today)
    reqs = list(
        PostTrainingRequirement.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("post", "post__department", "category")
        .order_by("post__department__name", "post__name")
    )
    posts = {r.post_id for r in reqs}
    people = defaultdict(list)
    for u in User.objects.filter(post_id__in=posts, is_active=True).order_by("name"):
        people[u.post_id].append(u)
    taken = defaultdict(set)  # (user, category) -> years
    for uid, cat, held in Attendance.objects.filter(
        user__post_id__in=posts, session__is_active=True, session__category__isnull=False
    ).values_list("user_id", "session__category_id", "session__held_on"):
        taken[(uid, cat)].add(held.year)
    gaps = []
    for r in reqs:

        def met(u, r=r):
            years = taken[(u.pk, r.category_id)]
            return today.year in years if r.category.yearly else bool(years)

        everyone = people[r.post_id]
        gaps.append(Gap(requirement=r, people=everyone, missing=[u for u in everyone if not met(u)]))
    return gaps


def certificate_gaps(*, user, today: dt.date | None = None) -> list[Gap]:
    today = _today(today)
    reqs = list(
        PostCertificateRequirement.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("post", "post__department", "kind", "organization")
        .order_by("organization__name", "post__department__name", "post__name")
    )
    posts = {r.post_id for r in reqs}
    people = defaultdict(list)
    for u in User.objects.filter(post_id__in=posts, is_active=True).order_by("name"):
        people[u.post_id].append(u)
    valid = set(
        Certificate.objects.filter(
            holder__post_id__in=posts, is_active=True, issued_on__lte=today, expires_on__gte=today
        ).values_list("holder_id", "kind_id")
    )
    return [
        Gap(
            requirement=r,
            people=people[r.post_id],
            missing=[u for u in people[r.post_id] if (u.pk, r.kind_id) not in valid],
        )
        for r in reqs
    ]


# --- drills ---------------------------------------------------------------------------------------------
@dataclass
class Rhythm:
    months: int
    window_start: dt.date
    window_end: dt.date
    done_in_window: int
    done_in_previous: int
    state: str

    @property
    def state_label(self) -> str:
        return RhythmState(self.state).label


def _window(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)) - dt.timedelta(days=1)
    return start, end


def drill_rhythm(organization: Organization, today: dt.date | None = None, *, drills=None, months=None) -> Rhythm:
    """At least one drill each window of ``drill_every_months`` months (half-years by default):
    done in the current window; due by its end; overdue when the window before had none either."""
    today = _today(today)
    if months is None:
        rules = TrainingRules.objects.filter(organization=organization).first()
        months = rules.drill_every_months if rules else TrainingRules.DEFAULT_DRILL_MONTHS
    start, end = _window(today, months)
    prev_start, _prev_end = _window(start - dt.timedelta(days=1), months)
    dates = (
        drills
        if drills is not None
        else list(
            Drill.objects.filter(
                organization=organization, status=DrillStatus.DONE, held_on__gte=prev_start
            ).values_list("held_on", flat=True)
        )
    )
    done = sum(1 for d in dates if start <= d <= today)
    before = sum(1 for d in dates if prev_start <= d < start)
    state = RhythmState.DONE if done else (RhythmState.DUE if before else RhythmState.OVERDUE)
    return Rhythm(months, start, end, done, before, state)


def drill_list(
    *,
    user,
    status: str | None = DrillStatus.DONE,
    organization=None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    emergency_plan=None,
    q: str = "",
):
    """Drills in scope, newest first: of a ``status`` (held ones by default, the only ones that
    count; None: every state), an institution, a date range, exercising an emergency plan (any
    version of it), or whose title, scenario or place contains ``q``."""
    qs = Drill.objects.visible_to(user).select_related("organization", "emergency_plan")
    qs = _narrowed(qs, status=status, organization=organization, held_on__gte=held_from, held_on__lte=held_to)
    if emergency_plan is not None:
        qs = qs.filter(emergency_plan__family=emergency_plan.family)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(scenario__icontains=q) | Q(place__icontains=q))
    return qs.annotate(finding_count=Count("findings")).order_by("-held_on", "-pk")


def emergency_plan_list(*, user, organization=None, kind: str = "", review_due: bool = False, q: str = ""):
    """The current version of each emergency plan in scope, by institution, kind and title: of an
    institution, a kind, due for review (its review day passed), or whose title contains ``q``."""
    qs = EmergencyPlan.objects.visible_to(user).filter(is_current=True).select_related("organization")
    qs = _narrowed(qs, organization=organization, kind=kind, title__icontains=q)
    if review_due:
        qs = qs.filter(review_on__lt=timezone.localdate())
    return qs.order_by("organization__name", "kind", "title", "pk")


def upcoming_drills(*, user, organization=None):
    """The drills planned and not yet recorded, soonest first (those whose day has passed too:
    they still wait to be recorded or cancelled)."""
    qs = Drill.objects.visible_to(user).filter(status=DrillStatus.PLANNED).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.annotate(planned_count=Count("planned_participants")).order_by("held_on", "pk")


# --- the quiz of a post's cards (两单两卡) ------------------------------------------------------------
def card_quiz_of(user) -> dict | None:
    """The quiz of the user's post's cards, and the user's passing attempt if any."""
    card = card_of_user(user)
    if card is None:
        return None
    quiz = CardQuiz.objects.filter(card=card).select_related("paper", "card__post").first()
    if quiz is None or not quiz.paper.is_active:
        return None
    passed = Attempt.objects.filter(paper=quiz.paper, user=user, passed=True).first()
    return {"quiz": quiz, "passed": passed}


def card_quiz_list(*, user) -> list[dict]:
    """Each post card in scope with its quiz and how many of the post's staff passed it."""
    quizzes = list(CardQuiz.objects.visible_to(user).select_related("card__post__department", "paper", "organization"))
    posts = {q.card.post_id for q in quizzes}
    staff = defaultdict(set)
    for uid, post_id in User.objects.filter(post_id__in=posts, is_active=True).values_list("pk", "post_id"):
        staff[post_id].add(uid)
    passed = defaultdict(set)
    for paper_id, uid in Attempt.objects.filter(
        paper__in=[q.paper_id for q in quizzes], paper__is_active=True, passed=True
    ).values_list("paper_id", "user_id"):
        passed[paper_id].add(uid)
    return [
        {"quiz": q, "staff": len(staff[q.card.post_id]), "passed": len(staff[q.card.post_id] & passed[q.paper_id])}
        for q in quizzes
    ]


# --- plans, banks and papers --------------------------------------------------------------------------
def training_plan_list(*, user, organization=None, year: int | None = None):
    """Annual training plans in scope, newest year first: of an institution, of a year."""
    qs = TrainingPlan.objects.visible_to(user).select_related("organization")
    return _narrowed(qs, organization=organization, year=year).order_by("-year", "organization__name", "pk")


def bank_list(*, user, organization=None, q: str = ""):
    """Question banks in scope by title, each with its count of questions in use."""
    qs = _narrowed(QuestionBank.objects.visible_to(user), organization=organization, title__icontains=q)
    return (
        qs.select_related("organization")
        .annotate(question_count=Count("questions", filter=Q(questions__is_active=True)))
        .order_by("title", "pk")
    )


def paper_list(*, user, active: bool | None = None, organization=None, q: str = ""):
    """Papers in scope, newest first, with their questions and submitted attempts counted: valid or
    voided (``active``; None: both), of an institution, or whose title or bank's title contains ``q``."""
    qs = _narrowed(Paper.objects.visible_to(user), is_active=active, organization=organization)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(bank__title__icontains=q))
    return (
        qs.select_related("bank", "organization")
        .annotate(
            question_count=Count("questions", distinct=True),
            submitted_count=Count("attempts", filter=Q(attempts__submitted_at__isnull=False), distinct=True),
        )
        .order_by("-pk")
    )
