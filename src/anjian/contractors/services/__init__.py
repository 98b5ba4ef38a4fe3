"""Every change of contractors and work permits: ``contractors`` (the register, documents,
workers, evaluations) and ``permits`` (the permit's life). Each service checks the rule, writes
and records its audit event in one transaction."""

from anjian.contractors.services.contractors import (
    agreement_add,
    contractor_create,
    contractor_evaluate,
    contractor_set_active,
    contractor_update,
    permit_kind_update,
    qualification_add,
    qualification_retire,
    worker_add,
    worker_update,
)
from anjian.contractors.services.permits import (
    permit_approve,
    permit_cancel,
    permit_close,
    permit_create,
    permit_gas_test,
    permit_reject,
    permit_report_hazard,
    permit_resume,
    permit_start,
    permit_submit,
    permit_suspend,
)

__all__ = [
    "agreement_add",
    "contractor_create",
    "contractor_evaluate",
    "contractor_set_active",
    "contractor_update",
    "permit_approve",
    "permit_cancel",
    "permit_close",
    "permit_create",
    "permit_gas_test",
    "permit_kind_update",
    "permit_reject",
    "permit_report_hazard",
    "permit_resume",
    "permit_start",
    "permit_submit",
    "permit_suspend",
    "qualification_add",
    "qualification_retire",
    "worker_add",
    "worker_update",
]
