"""Every change of the training app, one module per part: ``certificates`` (certificates, post
requirements, the fire-control room roster, the rules and reference data), ``training`` (plans,
sessions, attendance), ``exams`` (banks, papers, attempts), ``drills`` (emergency plans, drills and
their findings). Callers use the package: ``from anjian.training import services``."""

from anjian.training.services.certificates import (
    certificate_add,
    certificate_kind_save,
    certificate_void,
    duty_shift_save,
    post_requirement_set,
    rules_of,
    training_category_save,
    training_rules_save,
)
from anjian.training.services.drills import (
    drill_add_finding,
    drill_add_photo,
    drill_record,
    drill_sign_in,
    emergency_plan_create,
    emergency_plan_revise,
)
from anjian.training.services.exams import (
    attempt_start,
    attempt_submit,
    attempts_left,
    card_quiz_set,
    clean_question,
    paper_create,
    question_add,
    question_bank_create,
    questions_import,
)
from anjian.training.services.training import (
    attendance_record,
    attendance_sign_in,
    quiz_of,
    training_plan_create,
    training_plan_item_add,
    training_session_create,
)

__all__ = [
    "attempt_start",
    "attempt_submit",
    "attempts_left",
    "attendance_record",
    "attendance_sign_in",
    "card_quiz_set",
    "certificate_add",
    "certificate_kind_save",
    "certificate_void",
    "clean_question",
    "drill_add_finding",
    "drill_add_photo",
    "drill_record",
    "drill_sign_in",
    "duty_shift_save",
    "emergency_plan_create",
    "emergency_plan_revise",
    "paper_create",
    "post_requirement_set",
    "question_add",
    "question_bank_create",
    "questions_import",
    "quiz_of",
    "rules_of",
    "training_category_save",
    "training_plan_create",
    "training_plan_item_add",
    "training_rules_save",
    "training_session_create",
]
