"""Every change the oversight app makes, one module per part: ``tips`` (举报), ``accidents`` (事故),
``assessment`` (考核). Callers use the package: ``from anjian.oversight import services``."""

from anjian.oversight.services.accidents import accident_complete, accident_report, accident_void
from anjian.oversight.services.tips import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    normalized_code,
    regulator_of,
    tip_accept,
    tip_contact,
    tip_dismiss,
    tip_reply,
    tip_reporter,
    tip_reward_decide,
    tip_reward_propose,
    tip_submit,
    tip_submit_internal,
)

__all__ = [
    "RECEIPT_ALPHABET",
    "RECEIPT_LENGTH",
    "accident_complete",
    "accident_report",
    "accident_void",
    "normalized_code",
    "regulator_of",
    "tip_accept",
    "tip_contact",
    "tip_dismiss",
    "tip_reply",
    "tip_reporter",
    "tip_reward_decide",
    "tip_reward_propose",
    "tip_submit",
    "tip_submit_internal",
]
