"""The annual assessment pages: the list, the ranking (a regulator) or the institution's own sheet,
hand scoring, publication, the xlsx score sheets, and the indicator set."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from openpyxl import Workbook

from anjian.core.docx import docx_response
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView
from anjian.core.xlsx import HeaderCell, workbook_response, write_header, write_rows
from anjian.orgs.models import Organization
from anjian.oversight import assessment as sheets
from anjian.oversight import selectors
from anjian.oversight.choices import AssessmentStatus, IndicatorKind
from anjian.oversight.forms import AssessmentForm, IndicatorForm, ManualScoreForm
from anjian.oversight.models import Assessment, Indicator, ManualScore
from anjian.oversight.services import assessment as services


def visible_assessment(request, pk) -> Assessment:
    try:
        return selectors.assessments_for(request.user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError) as exc:
        raise Http404(_("未找到该记录。")) from exc


def own_institution(user) -> Organization | None:
    org = user.organization
    return org if org is not None and org.is_institution else None


class AssessmentListView(ActionRequiredMixin, View):
    required_action = Action.ASSESSMENT_VIEW

    def get(self, request):
        return render(
            request,
            "oversight/assessment_list.html",
            {
                "assessments": selectors.assessments_for(request.user).order_by("-year"),
                "may_manage": can(request.user, Action.ASSESSMENT_MANAGE),
            },
        )


class AssessmentCreateView(ServiceFormView):
    required_action = Action.ASSESSMENT_MANAGE
    form_class = AssessmentForm
    success_message = _("已建立%(object)s。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("新建年度考核")}

    def perform(self, form):
        return services.assessment_create(by=self.request.user, year=form.cleaned_data["year"])

    def get_success_url(self):
        return reverse("oversight:assessment-detail", args=[self.object.pk])


class AssessmentDetailView(ActionRequiredMixin, View):
    required_action = Action.ASSESSMENT_VIEW

    def get(self, request, pk):
        assessment = visible_assessment(request, pk)
        rows = sheets.sheet_data(request.user, assessment, organization=own_institution(request.user))
        headers = rows[0]["cells"] if rows else []
        return render(
            request,
            "oversight/assessment_detail.html",
            {
                "assessment": assessment,
                "rows": rows,
                "headers": headers,
                "may_score": can(request.user, Action.ASSESSMENT_MANAGE)
                and assessment.status == AssessmentStatus.DRAFT,
            },
        )


class AssessmentScoreView(ServiceFormView):
    """Hand scores of one institution: one form for every hand-scored indicator."""

    required_action = Action.ASSESSMENT_MANAGE
    form_class = ManualScoreForm

    def setup_object(self):
        self.object = get_visible_or_404(Assessment, self.request.user, pk=self.kwargs["pk"])
        self.organization = get_visible_or_404(
            Organization.objects.filter(type="institution"), self.request.user, pk=self.kwargs["org"]
        )
        self.indicators = [i for i in sheets.indicators_of(self.object.regulator) if i.kind == IndicatorKind.MANUAL]

    def get_form_kwargs(self):
        current = {
            s.indicator_id: s
            for s in ManualScore.objects.filter(assessment=self.object, organization=self.organization)
        }
        return {**super().get_form_kwargs(), "indicators": self.indicators, "current": current}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": f"{self.object} · {self.organization.name}"}

    @transaction.atomic
    def perform(self, form):
        d = form.cleaned_data
        for ind in self.indicators:
            services.manual_score_save(
                by=self.request.user,
                assessment=self.object,
                organization=self.organization,
                indicator=ind,
                score=d.get(f"score_{ind.pk}") or 0,
                evidence=d.get(f"evidence_{ind.pk}") or "",
                vetoed=d.get(f"vetoed_{ind.pk}") or False,
            )
        messages.success(self.request, _("评分已保存。"))
        return self.object

    def get_success_url(self):
        return reverse("oversight:assessment-detail", args=[self.object.pk])


class AssessmentPublishView(ActionRequiredMixin, View):
    required_action = Action.ASSESSMENT_MANAGE
    http_method_names = ["post"]

    def post(self, request, pk):
        assessment = get_visible_or_404(Assessment, request.user, pk=pk)
        services.assessment_publish(by=request.user, assessment=assessment)
        messages.success(request, _("考核结果已发布，各机构可查看本单位评分表。"))
        return redirect("oversight:assessment-detail", pk=assessment.pk)


class AssessmentExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """The ranking and each institution's score sheet (an institution: its own sheet only)."""

    required_action = Action.ASSESSMENT_VIEW
    export_label = _("年度考核评分表")

    def get(self, request, pk):
        assessment = visible_assessment(request, pk)
        rows = sheets.sheet_data(request.user, assessment, organization=own_institution(request.user))
        self.export_rows, self.export_target = len(rows), assessment
        wb = Workbook()
        ws = wb.active
        ws.title = str(_("排名"))
        write_header(ws, [HeaderCell(str(t), False) for t in (_("名次"), _("机构"), _("总分"), _("结果"))])
        write_rows(
            ws,
            [
                (r["rank"], r["name"], float(r["total"]), str(_("不合格（一票否决）")) if r["vetoed"] else "")
                for r in rows
            ],
        )
        for r in rows:
            sheet = wb.create_sheet(title=f"{r['rank']}-{r['name']}"[:31])
            columns = (_("指标"), _("分值"), _("平台数据（%）"), _("得分"), _("评分依据"))
            write_header(sheet, [HeaderCell(str(t), False) for t in columns])
            write_rows(
                sheet,
                [
                    (
                        c["indicator"],
                        float(c["weight"]),
                        c["rate"] if c["rate"] is not None else "",
                        str(_("否决")) if c["vetoed"] else float(c["score"]),
                        c["evidence"],
                    )
                    for c in r["cells"]
                ]
                + [(str(_("合计")), "", "", float(r["total"]), "")],
            )
        return workbook_response(wb, f"{assessment.year}年度考核评分表.xlsx")


class AssessmentSheetDocxView(AuditedExportMixin, ActionRequiredMixin, View):
    """One institution's score sheet as a Word document in the official record layout: each
    indicator with its points, the platform's rate and the evidence; the rank and total. An
    institution: its own sheet only (another's is 404)."""

    required_action = Action.ASSESSMENT_VIEW
    export_label = _("年度考核评分表")

    def get(self, request, pk, org):
        assessment = visible_assessment(request, pk)
        organization = get_visible_or_404(Organization.objects.filter(type="institution"), request.user, pk=org)
        rows = sheets.sheet_data(request.user, assessment, organization=organization)
        if not rows:
            raise Http404(_("未找到该记录。"))
        row = rows[0]
        self.export_rows, self.export_target = len(row["cells"]), assessment
        content = sheets.sheet_docx(assessment, row)
        return docx_response(content, f"{assessment.year}年度考核评分表-{row['name']}.docx")


class IndicatorListView(ActionRequiredMixin, View):
    required_action = Action.ASSESSMENT_MANAGE

    def get(self, request):
        regulator = services.regulator_of_user(request.user)
        indicators = Indicator.objects.filter(regulator=regulator).order_by("sort_order", "pk")
        return render(request, "oversight/indicator_list.html", {"indicators": indicators, "metrics": sheets.METRICS})

    def post(self, request):
        """Load the default indicator set (only when the regulator has none)."""
        services.indicators_ensure_default(by=request.user)
        return redirect("oversight:indicator-list")


class IndicatorFormView(ServiceFormView):
    required_action = Action.ASSESSMENT_MANAGE
    form_class = IndicatorForm
    success_message = _("指标已保存。")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_visible_or_404(Indicator, self.request.user, pk=pk) if pk else None

    def get_initial(self):
        if self.object is None:
            return {"is_active": True}
        fields = ("name", "kind", "metric", "weight", "is_veto", "description", "sort_order", "is_active")
        return {f: getattr(self.object, f) for f in fields}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("考核指标")}

    def perform(self, form):
        return services.indicator_save(by=self.request.user, data=form.cleaned_data, indicator=self.object)

    def get_success_url(self):
        return reverse("oversight:indicator-list")
