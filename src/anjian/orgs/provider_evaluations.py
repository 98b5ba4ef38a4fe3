"""The regulator's yearly evaluation of third-party service providers (第三方机构考核, 一票否决):
the score sheet as data, the service that records an evaluation, and the rule that refuses a new
engagement of an inspector whose provider was vetoed this year or last year by the engaging
regulator or one above it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action, can
from anjian.core.services import validated_save
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization, ProviderEvaluation

# code, item, full marks
SHEET = [
    ("qualification", _("资质条件与人员配备"), 20),
    ("quality", _("检查质量（发现问题的准确性、完整性）"), 30),
    ("timeliness", _("报告及时性与规范性"), 20),
    ("follow_up", _("问题整改跟踪与复查"), 15),
    ("conduct", _("服务态度与工作纪律"), 15),
]
# code, item: any one of them vetoes the year, whatever the score
VETOES = [
    ("false_report", _("出具虚假检查报告或隐瞒重大事故隐患")),
    ("leak", _("泄露被检查单位的秘密或个人信息")),
    ("integrity", _("索取、收受被检查单位财物等廉洁问题")),
    ("accident", _("因检查失职导致发生生产安全责任事故")),
]
PASS_SCORE = 60


@transaction.atomic
def provider_evaluate(
    *, by, provider: Organization, year: int, scores: dict[str, Any], vetoes: list[str] = (), note: str = ""
) -> ProviderEvaluation:
    if not can(by, Action.PROVIDER_EVALUATE):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": Action.PROVIDER_EVALUATE.label})
    regulator = by.organization
    if regulator is None or not regulator.is_regulator:
        raise DomainError(_("第三方机构考核由监管部门开展。"))
    if provider.type not in (OrganizationType.PROVIDER, OrganizationType.EXPERT_POOL) or not provider.path.startswith(
        regulator.path
    ):
        raise DomainError(_("请选择本辖区的第三方服务机构。"), field="provider")
    if not 2000 <= int(year) <= timezone.localdate().year:
        raise DomainError(_("考核年度不能晚于今年。"), field="year")
    clean = {}
    for code, label, full in SHEET:
        value = scores.get(code)
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise DomainError(_("请填写“%(item)s”的得分。") % {"item": label}, field=code) from None
        if not 0 <= value <= full:
            raise DomainError(_("“%(item)s”的得分为 0–%(full)s 分。") % {"item": label, "full": full}, field=code)
        clean[code] = value
    known = {code for code, _label in VETOES}
    vetoes = [v for v in vetoes or [] if v]
    if set(vetoes) - known:
        raise DomainError(_("一票否决项不存在。"), field="vetoes")
    if ProviderEvaluation.objects.filter(regulator=regulator, provider=provider, year=year).exists():
        raise DomainError(_("该机构本年度已考核。"), field="year")
    evaluation = ProviderEvaluation(
        regulator=regulator,
        provider=provider,
        year=int(year),
        scores=clean,
        total=sum(clean.values()),
        vetoes=sorted(vetoes),
        vetoed=bool(vetoes),
        note=(note or "").strip(),
        evaluated_by=by,
    )
    validated_save(evaluation)
    labels = dict(VETOES)
    audit.record(
        actor=by,
        verb=AuditVerb.PROVIDER_EVALUATED,
        target=provider,
        organization=regulator,
        changes={
            "year": [None, evaluation.year],
            "total": [None, evaluation.total],
            "vetoes": [None, "、".join(str(labels[v]) for v in evaluation.vetoes)],
        },
        note=evaluation.note,
    )
    return evaluation


def engagement_refusal(*, regulator: Organization, provider: Organization | None, today=None) -> str:
    """Why ``regulator`` may not engage an inspector of ``provider`` now ("" when it may): a veto
    in this year's or last year's evaluation by the regulator or one above it."""
    if provider is None:
        return ""
    today = today or timezone.localdate()
    ancestors = [int(pk) for pk in regulator.path.strip("/").split("/") if pk]
    veto = (
        ProviderEvaluation.objects.filter(
            provider=provider, vetoed=True, year__gte=today.year - 1, regulator_id__in=ancestors
        )
        .order_by("-year")
        .first()
    )
    if veto is None:
        return ""
    return str(_("“%(p)s”在 %(y)s 年度考核中被一票否决，不能委托其检查员。") % {"p": provider.name, "y": veto.year})
