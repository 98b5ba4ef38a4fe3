"""Every change to a hazard: one service per action, each checking its rule in ``workflow`` and
recording its audit event in the same transaction. Views, API, imports and jobs call these.

One module per part of a hazard's life: ``report`` (entered as found, or fixed on the spot),
``backfill`` (entered from an old ledger, 历史补录), ``plan`` (what a rectification plan must hold),
``loop`` (the closed loop's transitions after entry), ``photos``; ``common`` holds what they share.
Callers use the package: ``from anjian.hazards import services; services.hazard_confirm(...)``."""

from anjian.hazards.services.backfill import (
    BACKFILL_FIELDS,
    BACKFILL_STATUSES,
    EARLIEST_BACKFILL_DATE,
    hazard_backfill,
)
from anjian.hazards.services.common import DESCRIPTION_FIELDS, NUMBER_PREFIX
from anjian.hazards.services.loop import (
    hazard_accept,
    hazard_change_plan,
    hazard_confirm,
    hazard_decide_postponement,
    hazard_dismiss,
    hazard_endorse,
    hazard_postpone,
    hazard_reclassify,
    hazard_reject,
    hazard_submit,
    hazard_supervise,
    hazard_unsupervise,
)
from anjian.hazards.services.photos import hazard_add_photo
from anjian.hazards.services.plan import (
    CHANGEABLE_PLAN_FIELDS,
    GENERAL_PLAN_REQUIRED,
    PLAN_FIELDS,
    SIX_PARTS,
    missing_plan_parts,
)
from anjian.hazards.services.report import (
    PHOTO_EXEMPT_SOURCES,
    PHOTO_REQUIRED,
    REPORT_FIELDS,
    earliest_found_on,
    hazard_report,
    photo_exempt,
)

__all__ = [
    "BACKFILL_FIELDS",
    "BACKFILL_STATUSES",
    "CHANGEABLE_PLAN_FIELDS",
    "DESCRIPTION_FIELDS",
    "EARLIEST_BACKFILL_DATE",
    "GENERAL_PLAN_REQUIRED",
    "NUMBER_PREFIX",
    "PHOTO_EXEMPT_SOURCES",
    "PHOTO_REQUIRED",
    "PLAN_FIELDS",
    "REPORT_FIELDS",
    "SIX_PARTS",
    "earliest_found_on",
    "hazard_accept",
    "hazard_add_photo",
    "hazard_backfill",
    "hazard_change_plan",
    "hazard_confirm",
    "hazard_decide_postponement",
    "hazard_dismiss",
    "hazard_endorse",
    "hazard_postpone",
    "hazard_reclassify",
    "hazard_reject",
    "hazard_report",
    "hazard_submit",
    "hazard_supervise",
    "hazard_unsupervise",
    "missing_plan_parts",
    "photo_exempt",
]
