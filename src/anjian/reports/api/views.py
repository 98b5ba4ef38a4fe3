"""The monthly statistics form over the API: xlsx by default, the same figures as JSON with
``format=json`` (or ``Accept: application/json``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import HasAction
from anjian.core.permissions import Action
from anjian.core.views import AuditedExportMixin
from anjian.core.xlsx import XLSX_CONTENT_TYPE, workbook_bytes
from anjian.reports import monthly, workbooks


class XlsxRenderer(renderers.BaseRenderer):
    """Lets content negotiation pick xlsx (``format=xlsx`` or by default); the view makes the bytes."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class MonthlyStatisticsView(AuditedExportMixin, APIView):
    permission_classes = [HasAction]
    required_action = Action.STATISTICS_FORM_VIEW
    export_label = _("月报表")
    renderer_classes = [XlsxRenderer, renderers.JSONRenderer]

    def handle_exception(self, exc):
        """Errors are JSON (a Chinese ``detail``), also when the xlsx was asked for."""
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        summary="安全生产专项整治工作进展月报表",
        description=(
            "吉经社管字〔2021〕6号附件2的月报表：每个专题一行，另有“当月累计”和“累计总计”。"
            "默认返回 xlsx；format=json 返回同样的数字（整改率为百分数，保留一位小数，无数据时为 null）。"
            "organization 为机构或监管部门 id（默认为本人所在机构），超出本人范围的返回 404。"
        ),
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="统计月份 YYYY-MM，默认本月"),
            OpenApiParameter("organization", OpenApiTypes.INT, description="机构或监管部门 id"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="机构类别（可选）"),
            OpenApiParameter("since", OpenApiTypes.STR, description="累计起始月份 YYYY-MM，默认当年1月"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["xlsx", "json"], description="xlsx（默认）或 json"),
        ],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件"),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="同样的数字"),
            400: OpenApiResponse(description="参数错误"),
            404: OpenApiResponse(description="超出范围或不存在的机构"),
        },
        tags=["统计报表"],
    )
    def get(self, request):
        q = request.query_params
        form = monthly.monthly_form(
            user=request.user,
            organization=q.get("organization"),
            kind=q.get("kind", ""),
            month=q.get("month"),
            since=q.get("since"),
        )
        if request.accepted_renderer.format == "json":
            return Response(form.as_dict())
        wb = workbooks.monthly_workbook(form, filled_by=request.user.name)
        response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
        name = f"月报表_{form.scope.label}_{form.month.key}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
