"""What keeps the public tip-off form from being flooded, enforced by the server for the page and
the API alike: a limit of tips per client address within a sliding minute (through the shared
cache, so every worker process counts together), and a simple arithmetic challenge whose answer is
never in the page: the form carries a signed nonce and an HMAC of the answer, each challenge is
good for one tip and 30 minutes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError

WINDOW_SECONDS = 60
CHALLENGE_SECONDS = 30 * 60
_SALT = "anjian.oversight.challenge"


class RateLimited(DomainError):
    status_code = 429


def _key(scope: str, address: str) -> str:
    return f"oversight:rate:{scope}:{hashlib.sha256(address.encode('utf-8')).hexdigest()[:32]}"


def check_rate(address: str, *, scope: str = "tip", limit: int | None = None) -> None:
    """Count one more request from ``address`` and refuse it once more than ``limit`` (default
    ``settings.TIP_RATE_PER_MINUTE``) were counted in the current minute's window. The counter is
    created with ``cache.add`` and counted with ``cache.incr``, both atomic: parallel requests
    cannot all read the same count and all pass."""
    limit = settings.TIP_RATE_PER_MINUTE if limit is None else limit
    key = _key(scope, address or "unknown")
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add and incr: this request opens the next one
        cache.add(key, 0, WINDOW_SECONDS)
        count = cache.incr(key)
    if count > limit:
        raise RateLimited(_("提交过于频繁，请一分钟后再试。"))


def account_key(user) -> str:
    """What a signed-in tip (内部举报) is counted by: the account, not the address (a hospital's staff
    share one address behind its network's gateway)."""
    return f"user:{user.pk}"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_mac(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def challenge_new() -> Challenge:
    """A new question ("3 加 4 等于几？") and the token that proves its answer without telling it."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_mac(nonce, a + b)}, salt=_SALT)
    return Challenge(question=str(_("%(a)d 加 %(b)d 等于几？") % {"a": a, "b": b}), token=token)


def challenge_check(token: str, answer) -> None:
    """Accept a right answer to an unused, unexpired challenge once; refuse anything else."""
    wrong = DomainError(_("验证题答案不正确，请重新计算后再提交。"), field="answer")
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=CHALLENGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise DomainError(_("验证题已过期，请刷新页面后重新填写。"), field="answer") from exc
    except signing.BadSignature as exc:
        raise wrong from exc
    try:
        value = int(str(answer).strip())
    except (TypeError, ValueError) as exc:
        raise wrong from exc
    if not constant_time_compare(_answer_mac(payload.get("n", ""), value), payload.get("h", "")):
        raise wrong
    if not cache.add(f"oversight:challenge-used:{payload['n']}", 1, CHALLENGE_SECONDS):
        raise DomainError(_("该验证题已使用过，请刷新页面后重新填写。"), field="answer")


def solve(challenge: Challenge) -> int:
    """The answer of a challenge from its question (tests and the demo)."""
    digits = [int(c) for c in challenge.question if c.isdigit()]
    return digits[0] + digits[1]
