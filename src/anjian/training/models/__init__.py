"""The training app's data, one module per part: ``training`` (categories, annual plans, sessions,
attendance, per-post required trainings), ``exams`` (question banks, papers, attempts),
``drills`` (emergency plans, drills and their findings, the institution's rules) and
``certificates`` (kinds, certificates, posts that require a kind, the fire-control room roster)."""

from anjian.training.models.certificates import (
    Certificate,
    CertificateKind,
    DutyShift,
    PostCertificateRequirement,
)
from anjian.training.models.drills import Drill, DrillFinding, DrillPhoto, EmergencyPlan, TrainingRules
from anjian.training.models.exams import Attempt, CardQuiz, Paper, Question, QuestionBank
from anjian.training.models.training import (
    Attendance,
    PostTrainingRequirement,
    TrainingCategory,
    TrainingPlan,
    TrainingPlanItem,
    TrainingSession,
)

__all__ = [
    "Attempt",
    "Attendance",
    "CardQuiz",
    "Certificate",
    "CertificateKind",
    "Drill",
    "DrillFinding",
    "DrillPhoto",
    "DutyShift",
    "EmergencyPlan",
    "Paper",
    "PostCertificateRequirement",
    "PostTrainingRequirement",
    "Question",
    "QuestionBank",
    "TrainingCategory",
    "TrainingPlan",
    "TrainingPlanItem",
    "TrainingRules",
    "TrainingSession",
]
