"""Pages of contractors and work permits. ``contractors`` (the register, documents, workers,
evaluations, the kinds of work) and ``permits`` (the permit's life, its phone page)."""

from anjian.contractors.views.contractors import (
    AgreementAddView,
    AgreementFileView,
    ContractorCreateView,
    ContractorDetailView,
    ContractorEditView,
    ContractorListView,
    ContractorSetActiveView,
    EvaluationAddView,
    KindEditView,
    KindListView,
    QualificationAddView,
    WorkerAddView,
    WorkerEditView,
    WorkerExportView,
)
from anjian.contractors.views.permits import (
    PermitActionView,
    PermitCreateView,
    PermitDetailView,
    PermitListView,
    PermitPhotoView,
)

__all__ = [
    "AgreementAddView",
    "AgreementFileView",
    "ContractorCreateView",
    "ContractorDetailView",
    "ContractorEditView",
    "ContractorListView",
    "ContractorSetActiveView",
    "EvaluationAddView",
    "KindEditView",
    "KindListView",
    "PermitActionView",
    "PermitCreateView",
    "PermitDetailView",
    "PermitListView",
    "PermitPhotoView",
    "QualificationAddView",
    "WorkerAddView",
    "WorkerEditView",
    "WorkerExportView",
]
