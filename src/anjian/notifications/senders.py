"""How a message leaves: the group robots' webhooks (WeCom, DingTalk with its signature, Feishu),
email through Django's mail, SMS through a provider (``SMS_PROVIDER``: the console one for
development; an SMS gateway such as Aliyun's implements ``SmsProvider``).

Each sender raises ``SendError`` with the reason when the message did not go: the delivery is then
retried later. Webhook hosts are limited to ``NOTIFY_WEBHOOK_HOSTS`` (the robots' own hosts), so a
webhook cannot be aimed at a server inside the network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from anjian.notifications import texts
from anjian.notifications.choices import ROBOTS, Medium

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class SendError(Exception):
    """The message did not go; the text says why (kept in the delivery log)."""


# --- webhooks ------------------------------------------------------------------------------------
def host_allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return False
    allowed = settings.NOTIFY_WEBHOOK_HOSTS
    return not allowed or parts.hostname.lower() in allowed


def post_json(url: str, payload: dict) -> dict:
    """POST ``payload`` as JSON; the robots answer 200 with ``errcode`` (or ``code``) 0 when they
    took the message."""
    if not host_allowed(url):
        raise SendError(_("Webhook 地址不在允许的范围内。"))
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme and host checked above
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            text = response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendError(_("无法连接：%(reason)s") % {"reason": getattr(exc, "reason", exc)}) from exc
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        answer = {}
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0))) if isinstance(answer, dict) else 0
    if code not in (0, "0", None):
        message = answer.get("errmsg") or answer.get("msg") or ""
        raise SendError(_("接口返回错误 %(code)s：%(message)s") % {"code": code, "message": message})
    return answer if isinstance(answer, dict) else {}


def wecom_payload(title: str, body: str, link: str) -> dict:
    return {"msgtype": "markdown", "markdown": {"content": texts.markdown(title, body, link)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def dingtalk_payload(title: str, body: str, link: str) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": title, "text": texts.markdown(title, body, link)}}


def feishu_payload(title: str, body: str, link: str, secret: str = "", timestamp: int | None = None) -> dict:
    payload: dict = {"msg_type": "text", "content": {"text": texts.plain(title, body, link)}}
    if secret:  # Feishu signs "timestamp\nsecret" as the key of an empty message
        timestamp = timestamp if timestamp is not None else int(time.time())
        key = f"{timestamp}\n{secret}".encode()
        payload["timestamp"] = str(timestamp)
        payload["sign"] = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    return payload


# --- SMS -----------------------------------------------------------------------------------------
class SmsProvider:
    """An SMS gateway. ``send`` raises SendError when the gateway refused the message."""

    def send(self, *, phone: str, text: str) -> str:
        raise NotImplementedError


class ConsoleSmsProvider(SmsProvider):
    """For development: the message goes to the log, nowhere else."""

    def send(self, *, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return "console"


class AliyunSmsProvider(SmsProvider):
    """Aliyun SMS (阿里云短信服务, SendSms of API 2017-05-25), signed with the RPC signature (HMAC-SHA1
    of the sorted, percent-encoded query). The template (``ALIYUN_SMS_TEMPLATE_CODE``, approved in
    advance) takes one variable, ``content``: the message's title, cut to the 35 characters a
    variable may hold; the link is in the inbox."""

    VERSION = "2017-05-25"

    def __init__(self):
        self.key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.key_secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.ALIYUN_SMS_SIGN_NAME
        self.template = settings.ALIYUN_SMS_TEMPLATE_CODE
        self.endpoint = settings.ALIYUN_SMS_ENDPOINT

    @staticmethod
    def _encode(value: str) -> str:
        return urllib.parse.quote(str(value), safe="~")

    def signed_query(self, params: dict[str, str]) -> str:
        canonical = "&".join(f"{self._encode(k)}={self._encode(v)}" for k, v in sorted(params.items()))
        to_sign = f"GET&%2F&{self._encode(canonical)}"
        digest = hmac.new(f"{self.key_secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        return f"Signature={self._encode(base64.b64encode(digest).decode())}&{canonical}"

    def send(self, *, phone: str, text: str) -> str:
        import datetime as dt
        import uuid

        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({"content": text.splitlines()[0][:35]}, ensure_ascii=False),
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.VERSION,
        }
        url = f"{self.endpoint.rstrip('/')}/?{self.signed_query(params)}"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the configured endpoint
                answer = json.loads(response.read(65536).decode("utf-8", "replace") or "{}")
        except urllib.error.HTTPError as exc:
            raise SendError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SendError(_("无法连接短信服务：%(reason)s") % {"reason": getattr(exc, "reason", exc)}) from exc
        if answer.get("Code") != "OK":
            raise SendError(
                _("短信服务返回错误 %(code)s：%(message)s")
                % {"code": answer.get("Code"), "message": answer.get("Message", "")}
            )
        return str(answer.get("BizId", "OK"))


def sms_provider() -> SmsProvider:
    return import_string(settings.SMS_PROVIDER)()


# --- one delivery --------------------------------------------------------------------------------
def send(delivery) -> str:
    """Send one delivery; answers what the far side said (for the log) or raises SendError."""
    title, body, link = delivery.title, delivery.body, delivery.link
    medium = delivery.medium
    if medium in ROBOTS:
        channel = delivery.channel
        if channel is None or not channel.is_active:
            raise SendError(_("渠道已停用。"))
        if medium == Medium.WECOM:
            post_json(channel.webhook_url, wecom_payload(title, body, link))
        elif medium == Medium.DINGTALK:
            post_json(dingtalk_url(channel.webhook_url, channel.signing_secret), dingtalk_payload(title, body, link))
        else:
            post_json(channel.webhook_url, feishu_payload(title, body, link, channel.signing_secret))
        return "ok"
    if medium == Medium.EMAIL:
        addresses = _addresses(delivery)
        if not addresses:
            raise SendError(_("没有收件邮箱。"))
        try:
            send_mail(title, texts.plain("", body, link).strip(), None, addresses)
        except Exception as exc:  # SMTP errors of every kind: kept as the reason, retried
            raise SendError(_("邮件发送失败：%(reason)s") % {"reason": exc}) from exc
        return "ok"
    if medium == Medium.SMS:
        phone = delivery.recipient.phone if delivery.recipient else ""
        if not phone:
            raise SendError(_("没有手机号。"))
        return sms_provider().send(phone=phone, text=texts.plain(title, "", link))
    raise SendError(_("未知的发送方式。"))


def _addresses(delivery) -> list[str]:
    if delivery.channel is not None:
        return [a.strip() for a in delivery.channel.webhook_url.split(",") if a.strip()]
    email = delivery.recipient.email if delivery.recipient else ""
    return [email] if email else []
