"""Bulk import from xlsx: every row goes through the same services as the forms, all or nothing.

``import_run`` reads the sheet, then creates each row with the real services
(``organization_create``, ``department_create``, ``post_create``, ``user_create``, with
``by=`` the uploader) inside one transaction, each row in its own savepoint so that one bad row
does not hide the next. Every refusal is collected with its row number (as Excel shows it), its
column and the service's message. If any row is bad, or when only validating, everything is
rolled back; otherwise one ``import.completed`` audit event is recorded in the same transaction.

One module per kind of sheet, along the importers: ``institutions``, ``departments`` (and posts),
``staff``, ``criteria``, ``backfill`` (old hazards); ``base`` holds what every importer shares and
``run`` the run itself (``import_run``, its result and its row errors).
"""

from anjian.imports.services.backfill import HazardBackfillImporter
from anjian.imports.services.base import GeneratedPassword, Importer, RowProblem
from anjian.imports.services.criteria import CriterionImporter
from anjian.imports.services.departments import DepartmentImporter
from anjian.imports.services.institutions import InstitutionImporter
from anjian.imports.services.run import IMPORTERS, ImportResult, RowError, import_run
from anjian.imports.services.staff import PASSWORD_LENGTH, StaffImporter, generate_password

__all__ = [
    "IMPORTERS",
    "PASSWORD_LENGTH",
    "CriterionImporter",
    "DepartmentImporter",
    "GeneratedPassword",
    "HazardBackfillImporter",
    "ImportResult",
    "Importer",
    "InstitutionImporter",
    "RowError",
    "RowProblem",
    "StaffImporter",
    "generate_password",
    "import_run",
]
