"""The statistics API (``/api/v1/stats/…``): the same figures as the dashboards and the forms.

Every endpoint takes the period (``period=month&month=2026-11``, ``quarter=2026Q3``, ``year=2026``
or ``start=…&end=…``; default the current year) and the scope (``organization``: a regulator of
the caller's jurisdiction, or an institution; ``kind``: an institution kind). An organization the
caller may not see is 404, exactly like a missing one; a malformed parameter is 400 in Chinese.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import HasAction
from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.core.permissions import Action
from anjian.stats import activity, dashboard
from anjian.stats import selectors as s

TAGS = ["statistics"]
PERIOD_PARAMS = [
    OpenApiParameter("period", str, enum=["month", "quarter", "year", "custom"], description="统计期间类型，默认本年"),
    OpenApiParameter("month", str, description="月份，如 2026-11"),
    OpenApiParameter("quarter", str, description="季度，如 2026Q3"),
    OpenApiParameter("year", str, description="年份，如 2026"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="自定义期间开始日期"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="自定义期间结束日期（含）"),
]
SCOPE_PARAMS = [
    OpenApiParameter(
        "organization", int, description="统计范围：管辖范围内的监管部门（含下级）或机构；不填为调用者的全部范围"
    ),
    OpenApiParameter("kind", str, description="机构类别，如 general_hospital、clinic"),
]
# the scope's organization, named in the query: the other refusals are every operation's (core.schema)
NOT_FOUND = {404: OpenApiResponse(description="机构不存在或不在调用者的管辖范围内")}


def period_and_scope(request) -> tuple[Period, s.Scope]:
    period = Period.from_params(request.query_params, default="year")
    return period, scope_of(request)


def scope_of(request) -> s.Scope:
    params = request.query_params
    return s.resolve_scope(request.user, organization=_id(params.get("organization")), kind=params.get("kind", ""))


def _id(value):
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise DomainError(_("参数 organization：须为机构编号（整数）。"), field="organization")
    return int(value)


def _scope_dict(scope: s.Scope) -> dict:
    return {
        "label": scope.label,
        "organization": scope.organization.pk if scope.organization else None,
        "kind": scope.kind,
    }


class StatsView(APIView):
    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag
    permission_classes = [HasAction]
    required_action = Action.STATISTICS_VIEW


class HazardStatsView(StatsView):
    @extend_schema(
        summary="隐患统计",
        description=(
            "统计期间内的隐患数字：found 发现、rectified 整改销号、found_rectified 当期发现且期末前已销号、"
            "rate 整改率（%，= found_rectified / found）、open 期末未销号、overdue 期末逾期、in_time 按期销号、"
            "self_found 自查发现、self_share 自查占比（%）。group 给出分组（institution 机构、department 科室、"
            "category 类别、source 来源、level 等级、month 月份），每组同样的数字。口径见 docs/decisions.md。"
        ),
        parameters=[
            *PERIOD_PARAMS,
            *SCOPE_PARAMS,
            OpenApiParameter("group", str, enum=list(s.GROUPINGS), description="分组方式"),
        ],
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request):
        period, scope = period_and_scope(request)
        group = request.query_params.get("group", "")
        if group and group not in s.GROUPINGS:
            raise DomainError(_("参数 group：须为 %(g)s 之一。") % {"g": "、".join(s.GROUPINGS)}, field="group")
        qs = s.scoped_hazards(request.user, scope)
        body = {
            "period": period.as_dict(),
            "scope": _scope_dict(scope),
            "figures": s.hazard_figures(qs, period).as_dict(),
        }
        if group:
            body["group"] = group
            body["groups"] = [row.as_dict() for row in s.hazard_figures_by(qs, period, group)]
        return Response(body)


class MajorClearanceView(StatsView):
    @extend_schema(
        summary="重大事故隐患动态清零",
        description="存量（2023年12月31日及以前发现）的重大隐患总数和期末未销号数；本年增量（期间所在年份1月1日至期末发现）、"
        "其中已销号、按期销号和未销号数。",
        parameters=[*PERIOD_PARAMS, *SCOPE_PARAMS],
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request):
        period, scope = period_and_scope(request)
        figures = s.major_clearance(s.scoped_hazards(request.user, scope), period)
        return Response({"period": period.as_dict(), "scope": _scope_dict(scope), **figures.as_dict()})


class InspectionStatsView(StatsView):
    @extend_schema(
        summary="隐患排查完成情况",
        description="期间内应查（due）与已查（done）次数和完成率（rate，%），合计及按机构、按科室。",
        parameters=[*PERIOD_PARAMS, *SCOPE_PARAMS],
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request):
        period, scope = period_and_scope(request)
        figures = activity.compliance_figures(request.user, scope, period)
        return Response({"period": period.as_dict(), "scope": _scope_dict(scope), **figures.as_dict()})


class TaskStatsView(StatsView):
    @extend_schema(
        summary="任务进展",
        description="启用的任务清单中，范围内各责任单位的任务（一项任务一个单位计一次）：total 总数、done 已完成、"
        "in_progress 推进中、not_started 未开始、overdue 已逾期、soon 30天内到期、pending 待审核、"
        "done_rate 完成率（%），截至今天；by_institution 按责任单位。",
        parameters=SCOPE_PARAMS,
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request):
        scope = scope_of(request)
        figures = activity.task_figures(request.user, scope)
        rows = activity.task_figures_by_institution(request.user, scope)
        return Response(
            {
                "scope": _scope_dict(scope),
                **figures.as_dict(),
                "by_institution": [{"organization": pk, "label": name, **f.as_dict()} for pk, name, f in rows],
            }
        )


class DashboardView(StatsView):
    @extend_schema(
        summary="统计看板数据",
        description="统计分析页面所画的全部数字和图表数据（kpis 关键数字，charts 图表，supervised 挂牌督办清单），"
        "每个数字附带其明细列表的链接（url）。",
        parameters=[*PERIOD_PARAMS, *SCOPE_PARAMS],
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request):
        period, scope = period_and_scope(request)
        return Response(dashboard.dashboard(request.user, scope, period))
