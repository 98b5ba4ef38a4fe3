"""Password rules beyond Django's (等保 2.0 第三级: 口令复杂度): three of four kinds of character,
not the username, and in production not the published demo password."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _kinds(password: str) -> int:
    lower = any(c.islower() for c in password)
    upper = any(c.isupper() for c in password)
    digit = any(c.isdigit() for c in password)
    other = any(not (c.isalnum()) for c in password)
    return lower + upper + digit + other


class CharacterClassesValidator:
    """At least ``kinds`` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, kinds: int = 3):
        self.kinds = kinds

    def validate(self, password, user=None):
        if _kinds(password) < self.kinds:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 种。") % {"n": self.kinds},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("至少包含小写字母、大写字母、数字、符号中的 %(n)d 种。") % {"n": self.kinds}


class NotUsernameValidator:
    """Not the username, forwards or backwards, whatever the case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if username and password.lower() in (username, username[::-1]):
            raise ValidationError(_("密码不能与用户名相同。"), code="password_is_username")

    def get_help_text(self):
        return _("不能与用户名相同。")


class NotDemoPasswordValidator:
    """In production the demo password, printed in the README, is never accepted as a password."""

    def validate(self, password, user=None):
        from anjian.accounts.backends import demo_password_refused
        from anjian.accounts.demo import DEMO_PASSWORD

        if password == DEMO_PASSWORD and demo_password_refused():
            raise ValidationError(_("不能使用演示密码。"), code="password_is_demo")

    def get_help_text(self):
        return ""
