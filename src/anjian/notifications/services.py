"""Every change of the notifications app: an organization's channels, a person's preferences, the
escalation ladder (each audited in its transaction), and reading one's own inbox.

Marking a message read is the reader's own bookkeeping, like a mail client's: it changes no data of
the organization and is not audited (an audit event per click would bury the ones that matter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.crypto import encrypt, mask
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, require
from anjian.core.scoping import get_visible_or_404
from anjian.notifications import senders
from anjian.notifications.choices import CHANNEL_KINDS, DEFAULT_LADDER, Audience, Kind, Medium
from anjian.notifications.models import Channel, EscalationStep, Notification, Preference
from anjian.orgs.models import Organization


# --- the inbox -----------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise DomainError(_("只能标记自己的消息。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


# --- channels ------------------------------------------------------------------------------------
def masked_url(url: str) -> str:
    """A webhook URL with its key (WeCom ``key``, DingTalk ``access_token``, Feishu's last path part) hidden."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if not parts.scheme:
        return url  # email addresses
    query = urlencode(
        [
            (k, mask(v) if k.lower() in ("key", "access_token", "token", "sign") else v)
            for k, v in parse_qsl(parts.query)
        ],
        safe="*",
    )
    segments = parts.path.split("/")
    if segments and len(segments[-1]) >= 16:
        segments[-1] = mask(segments[-1])
    return urlunsplit((parts.scheme, parts.netloc, "/".join(segments), query, ""))


def _clean_channel(data: dict[str, Any], *, kind: str) -> dict[str, Any]:
    errors: dict[str, list] = {}
    out = {}
    if "name" in data:
        out["name"] = (data["name"] or "").strip()
        if not out["name"]:
            errors["name"] = [_("请填写渠道名称。")]
        elif len(out["name"]) > 60:
            errors["name"] = [_("渠道名称不超过 60 个字。")]
    if "url" in data:
        url = (data["url"] or "").strip()
        out["url"] = url
        if kind == Medium.EMAIL:
            addresses = [a.strip() for a in url.split(",") if a.strip()]
            try:
                if not addresses:
                    raise ValidationError("empty")
                for address in addresses:
                    validate_email(address)
            except ValidationError:
                errors["url"] = [_("请填写有效的收件邮箱，多个用逗号分隔。")]
            out["url"] = ",".join(addresses)
        elif not url or len(url) > 500 or not url.lower().startswith(("https://", "http://")):
            errors["url"] = [_("请填写以 https:// 开头的群机器人 Webhook 地址。")]
        elif not senders.host_allowed(url):
            errors["url"] = [
                _("该地址不是企业微信、钉钉或飞书的群机器人地址（允许的主机由 NOTIFY_WEBHOOK_HOSTS 设置）。")
            ]
    if "secret" in data:
        out["secret"] = (data["secret"] or "").strip()
        if len(out["secret"]) > 200:
            errors["secret"] = [_("加签密钥不超过 200 个字符。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    return out


def _channel_changes(before: dict, after: dict) -> dict:
    changes = audit.diff(before, after)
    if "secret" in changes:  # the audit trail never holds the secret itself
        changes["secret"] = [bool(before.get("secret")) and "****", bool(after.get("secret")) and "****"]
    if "url" in changes:
        changes["url"] = [masked_url(before.get("url") or ""), masked_url(after.get("url") or "")]
    return changes


@transaction.atomic
def channel_create(*, by, organization: Organization, data: dict[str, Any]) -> Channel:
    require(by, Action.NOTIFICATION_CHANNEL_MANAGE)
    get_visible_or_404(Organization, by, pk=organization.pk)
    kind = data.get("kind")
    if kind not in CHANNEL_KINDS:
        raise DomainError(_("渠道类型无效。"), field="kind")
    clean = _clean_channel(
        {"name": data.get("name"), "url": data.get("url"), "secret": data.get("secret", "")}, kind=kind
    )
    channel = Channel.objects.create(
        organization=organization,
        kind=kind,
        created_by=by,
        name=clean["name"],
        url=encrypt(clean["url"]),
        secret=encrypt(clean["secret"]),
    )
    audit.record(
        actor=by,
        verb=AuditVerb.NOTIFICATION_CHANNEL_CREATED,
        target=channel,
        changes=_channel_changes({}, {"kind": channel.get_kind_display(), **clean}),
    )
    return channel


@transaction.atomic
def channel_update(*, by, channel: Channel, data: dict[str, Any]) -> Channel:
    """Change the name, URL or secret; a field left out keeps its value (the secret is never shown
    back, so an edit without it keeps it)."""
    require(by, Action.NOTIFICATION_CHANNEL_MANAGE)
    channel = get_visible_or_404(Channel.objects.select_for_update(), by, pk=channel.pk)
    unknown = set(data) - {"name", "url", "secret"}
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    clean = _clean_channel(data, kind=channel.kind)
    plain = {"name": channel.name, "url": channel.webhook_url, "secret": channel.signing_secret}
    before = {k: plain[k] for k in clean}
    for k, v in clean.items():
        setattr(channel, k, v if k == "name" else encrypt(v))
    changes = _channel_changes(before, clean)
    if changes:
        channel.save(update_fields=list(clean))
        audit.record(actor=by, verb=AuditVerb.NOTIFICATION_CHANNEL_UPDATED, target=channel, changes=changes)
    return channel


@transaction.atomic
def channel_set_active(*, by, channel: Channel, active: bool, note: str = "") -> Channel:
    require(by, Action.NOTIFICATION_CHANNEL_MANAGE)
    channel = get_visible_or_404(Channel.objects.select_for_update(), by, pk=channel.pk)
    if channel.is_active == active:
        return channel
    channel.is_active = active
    channel.save(update_fields=["is_active"])
    verb = AuditVerb.NOTIFICATION_CHANNEL_REACTIVATED if active else AuditVerb.NOTIFICATION_CHANNEL_DEACTIVATED
    audit.record(actor=by, verb=verb, target=channel, changes={"is_active": [not active, active]}, note=note)
    return channel


# --- preferences ---------------------------------------------------------------------------------
def _kinds(value, field: str) -> list[str]:
    if not isinstance(value, list | tuple) or any(k not in Kind.values for k in value):
        raise DomainError(_("消息类型无效。"), field=field)
    return sorted(set(value), key=Kind.values.index)


@transaction.atomic
def preference_save(*, by, data: dict[str, Any]) -> Preference:
    """Save the signed-in person's own preferences: kinds by email and by SMS, quiet hours."""
    from anjian.notifications import preferences

    pref = Preference.objects.select_for_update().filter(user=by).first() or Preference(
        user=by, **preferences.defaults()
    )
    before = {
        "email_kinds": list(pref.email_kinds),
        "sms_kinds": list(pref.sms_kinds),
        "quiet_start": pref.quiet_start,
        "quiet_end": pref.quiet_end,
        "daily_digest": pref.daily_digest,
    }
    if "email_kinds" in data:
        pref.email_kinds = _kinds(data["email_kinds"], "email_kinds")
    if "sms_kinds" in data:
        pref.sms_kinds = _kinds(data["sms_kinds"], "sms_kinds")
    for name in ("quiet_start", "quiet_end"):
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, dt.time):
                raise DomainError(_("请填写时间，如 22:00。"), field=name)
            setattr(pref, name, value)
    if "daily_digest" in data:
        pref.daily_digest = bool(data["daily_digest"])
    if (pref.quiet_start is None) != (pref.quiet_end is None):
        raise DomainError(_("免打扰须同时填写开始和结束时间。"), field="quiet_end")
    after = {
        "email_kinds": list(pref.email_kinds),
        "sms_kinds": list(pref.sms_kinds),
        "quiet_start": pref.quiet_start,
        "quiet_end": pref.quiet_end,
        "daily_digest": pref.daily_digest,
    }
    changes = audit.diff(before, after)
    if changes or pref.pk is None:
        pref.save()
        audit.record(
            actor=by,
            verb=AuditVerb.NOTIFICATION_PREFERENCES_SAVED,
            organization=by.organization,
            changes=changes,
            note=str(by),
        )
    return pref


# --- the escalation ladder -----------------------------------------------------------------------
@transaction.atomic
def escalation_save(*, by, days: dict[str, int]) -> list[EscalationStep]:
    """Set the days overdue of each rung: whole days, 1–365, rising from the department head to the
    regulator (a higher rung is never reached before a lower one)."""
    require(by, Action.ESCALATION_MANAGE)
    from anjian.notifications.scan import ladder

    current = {audience: d for d, audience in ladder()}
    errors = {}
    values = {}
    for audience in Audience:
        value = days.get(audience.value, current[audience.value])
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 365:
            errors[audience.value] = [_("逾期天数须为 1 到 365 的整数。")]
        values[audience.value] = value
    if not errors:
        previous = 0
        for audience in Audience:
            if values[audience.value] <= previous:
                errors[audience.value] = [
                    _("上一级的天数须多于下一级（科室负责人 < 安全管理员 < 主要负责人 < 监管部门）。")
                ]
                break
            previous = values[audience.value]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    steps = []
    for audience in Audience:
        step, _created = EscalationStep.objects.select_for_update().get_or_create(
            audience=audience.value, defaults={"days": DEFAULT_LADDER[audience]}
        )
        if step.days != values[audience.value]:
            step.days = values[audience.value]
            step.save(update_fields=["days"])
        steps.append(step)
    changes = audit.diff(current, values)
    if changes:
        audit.record(actor=by, verb=AuditVerb.ESCALATION_LADDER_SAVED, organization=by.organization, changes=changes)
    return steps
