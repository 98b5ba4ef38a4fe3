"""The import pages for the isolation test (anjian.core.testing.isolation).

The upload is attacked with a real xlsx that names hospital_b by its credit code (a name would be
echoed in the error table, and an echo of what the attacker typed is no leak): every attacker's
upload must be refused without changing anything. The default-organization choice and names of
the victim in every column are covered in ``test_import_scoping.py``.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from anjian.core.testing.isolation import Route, url_patterns
from anjian.core.xlsx import XLSX_CONTENT_TYPE


def _department_file_aimed_at_victim(world) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["所属单位", "科室名称", "岗位"])
    ws.append([world.hospital_b.credit_code, "渗透科", "渗透岗"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("科室.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


ROUTES = [
    # The page lists the institutions a regulator may choose as the default organization.
    Route(
        "imports:import",
        "scoped",
        post=True,
        data=lambda w: {"kind": "departments", "file": _department_file_aimed_at_victim(w)},
    ),
    # The staff template carries a drop-down of the organizations in the user's scope.
    Route("imports:template", "scoped", query="?kind=staff"),
    # Posts back what the result page shows (the generated passwords or the errors) as xlsx.
    Route("imports:download", "self"),
]

# The API endpoint exists once the root URLconf includes anjian.imports.api.urls; declare it
# then (a Route for a pattern that does not exist fails the coverage test).
if "api:import-run" in url_patterns():
    ROUTES.append(Route("api:import-run", "scoped", kwargs=lambda w: {"kind": "departments"}))
