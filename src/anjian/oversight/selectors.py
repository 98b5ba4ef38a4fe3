"""The reads the oversight pages, API and exports share, each from ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anjian.core.periods import Period
from anjian.orgs.models import Organization
from anjian.oversight.choices import ApprovalStatus, DocumentKind, RewardStatus, TipStatus
from anjian.oversight.models import Accident, Tip
from anjian.oversight.services.tips import normalized_code


def tip_list(*, user, status: str = "") -> QuerySet[Tip]:
    qs = (
        Tip.objects.visible_to(user)
        .select_related("organization", "regulator", "hazard")
        .annotate(photo_total=Count("photos"))
    )
    if status in TipStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def accident_list(*, user, year: int) -> QuerySet[Accident]:
    """The accidents of ``year`` (by the day they happened, local time), voided ones included."""
    period = Period.year(year)
    return (
        Accident.objects.visible_to(user)
        .filter(occurred_at__gte=period.start_at, occurred_at__lt=period.end_at)
        .select_related("organization")
        .order_by("-occurred_at", "-pk")
    )


def tip_public(code: str) -> Tip | None:
    """The tip behind a receipt code, for the reporter's status page (no login: the code is the key)."""
    code = normalized_code(code)
    if not code:
        return None
    return Tip.objects.select_related("hazard").filter(receipt_code=code).first()


def tip_public_answer(tip: Tip) -> dict:
    """All the reporter may learn: the status and the regulator's reply; no names, no ledger."""
    status = tip.public_status
    return {
        "receipt_code": tip.receipt_code,
        "submitted_on": timezone.localdate(tip.created_at).isoformat(),
        "status": status.value,
        "status_label": str(status.label),
        "reply": tip.reply,
        "replied_at": tip.replied_at.isoformat() if tip.replied_at else None,
    }


def tip_list_mine(*, user) -> QuerySet[Tip]:
    """The tips the signed-in user filed internally (内部举报): theirs alone, whoever else may handle them."""
    if not getattr(user, "is_authenticated", False):
        return Tip.objects.none()
    return Tip.objects.filter(reporter=user).select_related("hazard").order_by("-created_at", "-pk")


def tip_own_answer(tip: Tip) -> dict:
    """What an internal reporter reads of their own tip: what the public reads with the receipt code,
    with the tip's number and their own words, and the reward once approved."""
    return {
        **tip_public_answer(tip),
        "number": tip.number,
        "description": tip.description,
        "reward_approved": tip.reward_status == RewardStatus.APPROVED,
    }


def tip_targets(q: str, limit: int = 10) -> list[Organization]:
    """What the public may name in a tip: active institutions and the district regulators (for a
    place given by address), by name or pinyin initials; nothing for fewer than 2 characters."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    match = Q(name__icontains=q) | Q(short_name__icontains=q) | Q(name_initials__icontains=q.lower())
    return list(
        Organization.objects.filter(match, is_active=True, type__in=["institution", "regulator"]).order_by(
            "type", "name"
        )[:limit]
    )


def documents_received(user) -> QuerySet:
    """The issued documents an institution's people read (``RegulatorDocument``): the 通报 of the
    regulators above their institution, to all institutions or to its kind, and the 通报 and 督促函
    that name it. Nothing for anyone else (a regulator reads its own documents on its pages)."""
    from anjian.oversight.models import RegulatorDocument

    org = getattr(user, "organization", None)
    if org is None or not org.is_institution or not org.is_active:
        return RegulatorDocument.objects.none()
    regulators = Organization.objects.filter(type="regulator", path__in=_prefixes(org.path))
    to_all = Q(kind=DocumentKind.CIRCULAR, regulator__in=regulators) & (Q(audience_kind="") | Q(audience_kind=org.kind))
    named = Q(kind__in=[DocumentKind.CIRCULAR, DocumentKind.URGE], institutions=org)
    ids = RegulatorDocument.objects.filter(status=ApprovalStatus.APPROVED).filter(to_all | named).values("pk")
    return (
        RegulatorDocument.objects.filter(pk__in=ids)
        .select_related("regulator")
        .prefetch_related("institutions")
        .order_by("-issued_on", "-pk")
    )


def assessments_for(user) -> QuerySet:
    """The assessments the user sees: a regulator its own (and those below it); an institution's
    leaders the published ones of the regulators above their institution (their own sheet only)."""
    from anjian.oversight.models import Assessment

    org = getattr(user, "organization", None)
    if org is not None and org.is_institution:
        regulators = Organization.objects.filter(type="regulator", path__in=_prefixes(org.path))
        return Assessment.objects.filter(regulator__in=regulators, status="published").select_related("regulator")
    return Assessment.objects.visible_to(user).select_related("regulator")


def _prefixes(path: str) -> list[str]:
    """Every ancestor path of ``path`` (``/1/4/9/`` → ``/1/``, ``/1/4/``, ``/1/4/9/``)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
