"""Domain errors: raised by services and models, turned into a form error or an HTTP 4xx in one place."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the change; the message is for the user, in Chinese.

    ``field`` names the input the message belongs to, when there is one; ``errors`` may carry
    several messages keyed by field.
    """

    status_code = 400
    default_message = _("请求无效。")

    def __init__(self, message=None, *, field: str | None = None, errors: dict | None = None):
        self.message = message or self.default_message
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})
        super().__init__(str(self.message))


class ConflictError(DomainError):
    """The change conflicts with the current state (someone else changed it first)."""

    status_code = 409
    default_message = _("该记录已被他人修改，请刷新后重试。")


class NotPermittedError(DomainError):
    """The user may see the record but their role or relation to it does not allow this action."""

    status_code = 403
    default_message = _("您无权执行此操作。")
