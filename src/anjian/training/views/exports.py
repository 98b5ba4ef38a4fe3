"""Downloads: a person's training file and the training/drill register, as xlsx (audited)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.core.docx import docx_response
from anjian.core.errors import ConflictError
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin
from anjian.core.xlsx import workbook_response
from anjian.training import exports, selectors
from anjian.training.views.common import RefusalMixin, organization_filter
from anjian.training.views.drills import drill_or_404
from anjian.training.views.training import visible_person


class PersonFileXlsxView(AuditedExportMixin, ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW
    export_label = "个人培训档案"

    def get(self, request, pk):
        file = selectors.person_file(visible_person(request.user, pk), viewer=request.user)
        self.export_rows = len(file["attendances"])
        self.export_target = file["person"]
        return workbook_response(exports.person_file_workbook(file), f"培训档案-{file['person'].name}.xlsx")


class RegisterXlsxView(AuditedExportMixin, ActionRequiredMixin, View):
    """The training and drill register of the year (``?year=``), of one institution (``?organization=``)
    or of every one in the user's scope."""

    required_action = Action.CERTIFICATE_VIEW
    export_label = "培训和演练台账"

    def get(self, request):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        sessions, _org = organization_filter(request, selectors.session_list(user=request.user, year=year))
        drills, _org = organization_filter(request, selectors.drill_list(user=request.user).filter(held_on__year=year))
        sessions, drills = list(sessions), list(drills)
        self.export_rows = len(sessions) + len(drills)
        return workbook_response(exports.register_workbook(sessions, drills), f"培训和演练台账-{year}.xlsx")


class DrillDocxView(AuditedExportMixin, RefusalMixin, ActionRequiredMixin, View):
    required_action = Action.TRAINING_VIEW
    export_label = "应急演练记录"

    def get(self, request, pk):
        drill = drill_or_404(request.user, pk)
        if not drill.is_done:
            raise ConflictError(_("演练尚未开展（或已取消），还没有演练记录。"))
        findings = list(drill.findings.select_related("hazard").order_by("pk"))
        participants = list(drill.participants.order_by("name"))
        self.export_target = drill
        content = exports.drill_record_docx(drill, findings, participants)
        return docx_response(content, f"应急演练记录-{drill.held_on:%Y%m%d}.docx")
