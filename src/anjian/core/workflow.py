"""A workflow table: each action with the states it may be taken in, the state it leads to, who may
take it and what else it needs; from it, why a user may not take an action now (a 409 for the state
or a condition, a 403 for who), ``require`` for the services and ``allowed_actions`` for the pages
and the API. hazards/workflow.py and contractors/workflow.py are tables of this kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import ConflictError, NotPermittedError


@dataclass(frozen=True)
class Rule:
    action: str
    label: str
    sources: frozenset
    target: str | None  # None: the state stays
    who: Callable[[object, object], bool]
    who_text: str  # a sentence: who may take the action
    condition: Callable[[object, object], str | None] | None = None  # a refusal (409) beyond the state
    state_message: Callable[[object], str | None] | None = None  # a clearer refusal for a wrong state


class Table:
    """``rules`` in the order pages show them; ``state_refusal`` words the refusal of an object in a
    state the action is not open in (it gets the object and the action's label); ``gate``, if
    given, refuses a user before any rule (a 403 message, or None)."""

    def __init__(self, rules: list[Rule], *, state_refusal, gate: Callable[[object], str | None] | None = None):
        self.rules = {rule.action: rule for rule in rules}
        self.state_refusal = state_refusal
        self.gate = gate

    def refusal(self, obj, action: str, user) -> Exception | None:
        """Why ``user`` may not take ``action`` on ``obj`` now, or None when they may."""
        rule = self.rules[action]
        if self.gate is not None:
            message = self.gate(user)
            if message:
                return NotPermittedError(message)
        if obj.status not in rule.sources:
            message = rule.state_message(obj) if rule.state_message else None
            return ConflictError(message or self.state_refusal(obj, rule.label))
        if not rule.who(obj, user):
            return NotPermittedError(_("您不能%(action)s：%(who)s。") % {"action": rule.label, "who": rule.who_text})
        if rule.condition is not None:
            message = rule.condition(obj, user)
            if message:
                return ConflictError(message)
        return None

    def require(self, obj, action: str, user) -> Rule:
        problem = self.refusal(obj, action, user)
        if problem is not None:
            raise problem
        return self.rules[action]

    def allowed_actions(self, obj, user) -> list[str]:
        """The actions the user can take on the object now, in the order of the table."""
        return [action for action in self.rules if self.refusal(obj, action, user) is None]
