"""The inspections API: checklists (read; write drafts, publish, new versions, copy), points and
schedules (read and write), my due inspections, submitting a record (failed items become hazards,
or link to the one still open), and compliance.

Thin: reads from ``inspections.selectors``, writes through ``inspections.services``. Objects out
of the caller's scope are 404 like missing ones."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.accounts.models import User
from anjian.core import inputs
from anjian.core.api import HasAction, bind, scoped_ref
from anjian.core.errors import DomainError
from anjian.core.idempotency import idempotent
from anjian.core.parsers import JSONParser
from anjian.core.periods import Period
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.hazards.models import Criterion, HazardCategory
from anjian.inspections import selectors, services
from anjian.inspections.api import serializers as s
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
)
from anjian.orgs.models import Department, Organization, Post

TAGS = ["inspections"]


def _partial(serializer_class):
    """``bind`` for PATCH: only the fields sent are checked and returned."""
    return lambda data: serializer_class(data=data, partial=True)


def _category(code: str | None) -> HazardCategory | None:
    if not code:
        return None
    category = HazardCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise DomainError(_("没有编码为“%(code)s”的隐患类别（或已停用）。") % {"code": code}, field="category")
    return category


def _criterion(pk: int | None) -> Criterion | None:
    if pk is None:
        return None
    criterion = Criterion.objects.filter(pk=pk, is_active=True).first()
    if criterion is None:
        raise DomainError(_("判定依据（id %(pk)s）不存在或已停用。") % {"pk": pk}, field="criterion")
    return criterion


def _own(model, pk: int | None, user, field: str, message):
    """An object of the caller's own institution named in the body (``core.api.scoped_ref``)."""
    return scoped_ref(model, user, pk, field=field, message=message, organization_id=user.organization_id)


def _template_data(d: dict) -> dict:
    data = {k: d[k] for k in ("name", "description", "applies_to") if k in d}
    if "category" in d:
        data["category"] = _category(d["category"])
    return data


def _item_data(d: dict) -> dict:
    plain = ("text", "fail_text", "basis", "guidance", "photo_required_on_fail", "suggests_major")
    data = {k: d[k] for k in plain if k in d}
    if "category" in d:
        data["category"] = _category(d["category"])
    if "criterion" in d:
        data["criterion"] = _criterion(d["criterion"])
    return data


def _detail_qs(user):
    return (
        ChecklistTemplate.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=ChecklistSection.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("items", queryset=ChecklistItem.objects.select_related("category").order_by("order", "pk"))
                ),
            )
        )
    )


TEMPLATE_WRITE = (
    "只有监管部门（本辖区通用）和机构安全管理员（本机构）维护检查表；平台通用检查表和上级的检查表先复制再修改。"
    "已发布的版本不再修改：改动在新版本草稿上进行，发布后替代旧版本，检查记录保留其使用的版本。"
)


@extend_schema_view(
    list=extend_schema(
        summary="检查表", description="调用者可见的检查表（平台通用、上级监管部门的和本单位的）各版本。", tags=TAGS
    ),
    retrieve=extend_schema(
        summary="检查表详情",
        description="含分区和检查项。",
        responses={200: s.TemplateDetailSerializer},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="新建检查表",
        description="新建本单位检查表的草稿（第1版），再逐项添加检查项、发布。" + TEMPLATE_WRITE,
        request=s.TemplateInSerializer,
        responses={201: s.TemplateDetailSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="修改检查表草稿",
        description="名称、说明、适用场所、类别；只能修改本单位的草稿。" + TEMPLATE_WRITE,
        request=s.TemplateInSerializer,
        responses={200: s.TemplateDetailSerializer},
        tags=TAGS,
    ),
)
class TemplateViewSet(viewsets.GenericViewSet):
    """Checklists (检查表) and their versions: read, and for those who maintain them, write."""

    permission_classes = [HasAction]
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = ChecklistTemplate.objects.none()

    @property
    def required_action(self) -> Action:
        return Action.INSPECTION_VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.CHECKLIST_MANAGE

    def get_queryset(self):
        return (
            ChecklistTemplate.objects.visible_to(self.request.user).select_related("owner").order_by("name", "-version")
        )

    def get_serializer_class(self):
        return s.TemplateListSerializer if self.action == "list" else s.TemplateDetailSerializer

    def _answer(self, template, code=status.HTTP_200_OK):
        template = _detail_qs(self.request.user).get(pk=template.pk)
        return Response(s.TemplateDetailSerializer(template).data, status=code)

    def _get(self, pk) -> ChecklistTemplate:
        return get_visible_or_404(ChecklistTemplate, self.request.user, pk=pk)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.TemplateListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(
            s.TemplateDetailSerializer(get_visible_or_404(_detail_qs(request.user), request.user, pk=pk)).data
        )

    def create(self, request):
        d = bind(s.TemplateInSerializer, request.data)
        template = services.template_create(by=request.user, data=_template_data(d))
        return self._answer(template, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        template = self._get(pk)
        d = bind(_partial(s.TemplateInSerializer), request.data)
        return self._answer(services.template_update(by=request.user, template=template, data=_template_data(d)))

    @extend_schema(
        summary="添加检查项",
        description="向本单位检查表的草稿添加一项（分区按名称，新名称即新建分区）。答 201 和检查表。" + TEMPLATE_WRITE,
        request=s.ItemInSerializer,
        responses={201: s.TemplateDetailSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        template = self._get(pk)
        d = bind(s.ItemInSerializer, request.data)
        services.item_add(by=request.user, template=template, section_title=d["section"], data=_item_data(d))
        return self._answer(template, status.HTTP_201_CREATED)

    def _item(self, pk, item_id) -> ChecklistItem:
        return get_visible_or_404(ChecklistItem.objects.filter(template_id=pk), self.request.user, pk=item_id)

    @extend_schema(
        summary="修改检查项",
        description="修改草稿中的一项（不含分区）。答 200 和检查表。" + TEMPLATE_WRITE,
        request=s.ItemPatchSerializer,
        responses={200: s.TemplateDetailSerializer},
        tags=TAGS,
        methods=["PATCH"],
    )
    @extend_schema(
        summary="删除检查项",
        description=(
            "从草稿中删除一项（分区随最后一项一并删除）；已发布的版本不能删除检查项。答 200 和检查表。" + TEMPLATE_WRITE
        ),
        request=None,
        responses={200: s.TemplateDetailSerializer},
        tags=TAGS,
        methods=["DELETE"],
    )
    @action(detail=True, methods=["patch", "delete"], url_path="items/<int:item_id>", url_name="item")
    def item(self, request, pk=None, item_id=None):
        item = self._item(pk, item_id)
        if request.method == "DELETE":
            return self._answer(services.item_remove(by=request.user, item=item))
        d = bind(_partial(s.ItemPatchSerializer), request.data)
        services.item_update(by=request.user, item=item, data=_item_data(d))
        return self._answer(item.template)

    @extend_schema(
        summary="发布检查表",
        description="发布本单位的草稿：此后不再修改，同一检查表的上一发布版本停用（检查记录保留其版本）。",
        request=None,
        responses={200: s.TemplateDetailSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.template_publish(by=request.user, template=self._get(pk)))

    @extend_schema(
        summary="新建版本",
        description="以现行版本为底新建下一版本的草稿（检查项标识不变，重复不合格仍关联同一隐患）。答 201 和草稿。",
        request=None,
        responses={201: s.TemplateDetailSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request, pk=None):
        draft = services.template_new_version(by=request.user, template=self._get(pk))
        return self._answer(draft, status.HTTP_201_CREATED)

    @extend_schema(
        summary="复制为本单位检查表",
        description="把可见的检查表（平台通用、上级监管部门的）复制为本单位的草稿。答 201 和草稿。",
        request=None,
        responses={201: s.TemplateDetailSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        return self._answer(services.template_copy(by=request.user, template=self._get(pk)), status.HTTP_201_CREATED)


def _point_data(d: dict, user) -> dict:
    data = {k: d[k] for k in ("name", "location", "is_active") if k in d}
    if "department" in d:
        data["department"] = _own(Department, d["department"], user, "department", _("科室须属于本机构。"))
    return data


@extend_schema_view(
    list=extend_schema(summary="巡检点", description="调用者可见的巡检点，含二维码指向的地址 scan_url。", tags=TAGS),
    retrieve=extend_schema(summary="巡检点详情", responses={200: s.PointSerializer}, tags=TAGS),
    create=extend_schema(
        summary="新建巡检点",
        description="本机构的巡检点（安全管理员、主要负责人、分管负责人）；二维码编码自动生成。",
        request=s.PointInSerializer,
        responses={201: s.PointSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="修改巡检点",
        description="名称、位置、科室；is_active=false 停用（不删除，检查记录保留）。",
        request=s.PointInSerializer,
        responses={200: s.PointSerializer},
        tags=TAGS,
    ),
)
class PointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    serializer_class = s.PointSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = InspectionPoint.objects.none()

    @property
    def required_action(self) -> Action:
        return Action.INSPECTION_VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.SCHEDULE_MANAGE

    def get_queryset(self):
        return InspectionPoint.objects.visible_to(self.request.user).select_related("department").order_by("pk")

    def _answer(self, point, code=status.HTTP_200_OK):
        point = self.get_queryset().get(pk=point.pk)
        return Response(self.get_serializer(point).data, status=code)

    def create(self, request):
        d = bind(s.PointInSerializer, request.data)
        return self._answer(
            services.point_create(by=request.user, data=_point_data(d, request.user)), status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        point = get_visible_or_404(InspectionPoint, request.user, pk=pk)
        d = bind(_partial(s.PointInSerializer), request.data)
        return self._answer(services.point_update(by=request.user, point=point, data=_point_data(d, request.user)))

    @extend_schema(
        summary="重新生成二维码标签",
        description=(
            "为本机构的巡检点生成新的标签凭证（label_version 加 1）：此前打印的标签随即作废，扫码不再记为到场。"
            "答 200 和巡检点，label_url 为新标签应印制的地址。"
        ),
        request=None,
        responses={200: s.PointSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="reissue-label", url_name="reissue-label")
    def reissue_label(self, request, pk=None):
        point = get_visible_or_404(InspectionPoint, request.user, pk=pk)
        return self._answer(services.point_reissue_label(by=request.user, point=point))


def _schedule_data(d: dict, user) -> tuple[dict, list | None]:
    data = {
        k: d[k]
        for k in ("name", "rhythm", "every_hours", "day_start", "day_end", "starts_on", "ends_on", "is_active", "role")
        if k in d
    }
    if "template" in d:
        data["template"] = scoped_ref(
            ChecklistTemplate,
            user,
            d["template"],
            field="template",
            message=_("检查表（id %(pk)s）不存在。") % {"pk": d["template"]},
        )
    if "assignee" in d:
        data["assignee"] = _own(User, d["assignee"], user, "assignee", _("检查人须为本机构人员。"))
    if "post" in d:
        data["post"] = _own(Post, d["post"], user, "post", _("岗位须属于本机构。"))
    if "department" in d:
        data["department"] = _own(Department, d["department"], user, "department", _("科室须属于本机构。"))
    points = None
    if "points" in d:
        points = [
            _own(InspectionPoint, pk, user, "points", _("巡检点须属于本机构。")) for pk in dict.fromkeys(d["points"])
        ]
    return data, points


SCHEDULE_WRITE = (
    "由本机构的安全管理员、主要负责人或分管负责人制定。检查人、岗位、角色三选一（角色可限定科室）。"
    "rhythm=hours 时须填 every_hours（1～12），可用 day_start、day_end 限定每日检查时段（如 08:00–20:00，空为全天）；"
    "其他频次不设时段。"
)


@extend_schema_view(
    list=extend_schema(summary="排查计划", description="谁、用哪张检查表、在哪里、多久检查一次。", tags=TAGS),
    retrieve=extend_schema(summary="排查计划详情", responses={200: s.ScheduleSerializer}, tags=TAGS),
    create=extend_schema(
        summary="新建排查计划",
        description=SCHEDULE_WRITE,
        request=s.ScheduleInSerializer,
        responses={201: s.ScheduleSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="修改排查计划",
        description="只改所传字段；is_active=false 停用（不删除，已有记录和完成情况保留）。" + SCHEDULE_WRITE,
        request=s.ScheduleInSerializer,
        responses={200: s.ScheduleSerializer},
        tags=TAGS,
    ),
)
class ScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    serializer_class = s.ScheduleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Schedule.objects.none()

    @property
    def required_action(self) -> Action:
        return Action.INSPECTION_VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.SCHEDULE_MANAGE

    def get_queryset(self):
        return (
            Schedule.objects.visible_to(self.request.user)
            .select_related("assignee", "post__department", "department")
            .prefetch_related("points")
            .order_by("pk")
        )

    def _answer(self, schedule, code=status.HTTP_200_OK):
        schedule = self.get_queryset().get(pk=schedule.pk)
        return Response(self.get_serializer(schedule).data, status=code)

    def create(self, request):
        d = bind(s.ScheduleInSerializer, request.data)
        data, points = _schedule_data(d, request.user)
        schedule = services.schedule_create(by=request.user, data=data, points=points or [])
        return self._answer(schedule, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        schedule = get_visible_or_404(Schedule, request.user, pk=pk)
        d = bind(_partial(s.ScheduleInSerializer), request.data)
        data, points = _schedule_data(d, request.user)
        return self._answer(services.schedule_update(by=request.user, schedule=schedule, data=data, points=points))

    @extend_schema(
        summary="按默认频次新建排查计划",
        description=(
            "按监管部门设置的默认频次（机构类别、消防安全重点单位等标识）为本机构新建排查计划，已有同名计划的跳过。"
            "答 201 和新建的计划。"
        ),
        request=None,
        responses={201: s.ScheduleSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=False, methods=["post"], url_path="from-defaults", url_name="from-defaults", pagination_class=None)
    def from_defaults(self, request):
        org = request.user.organization
        if org is None or not org.is_institution:
            raise DomainError(_("巡检点和排查计划属于医疗卫生机构，请以机构人员身份操作。"))
        made = services.schedules_from_defaults(by=request.user, organization=org)
        rows = self.get_queryset().filter(pk__in=[m.pk for m in made])
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)


def _record_qs(user):
    return InspectionRecord.objects.visible_to(user).prefetch_related(
        Prefetch("results", queryset=InspectionResult.objects.select_related("item", "hazard"))
    )


@extend_schema_view(
    list=extend_schema(summary="检查记录", description="调用者可见的检查记录，新的在前。", tags=TAGS),
    retrieve=extend_schema(summary="检查记录详情", responses={200: s.RecordSerializer}, tags=TAGS),
)
class InspectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Inspection records (检查记录), my due inspections and compliance."""

    permission_classes = [HasAction]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_converter = "int"
    serializer_class = s.RecordListSerializer
    queryset = InspectionRecord.objects.none()

    @property
    def required_action(self) -> Action:
        if self.action == "create":
            return Action.INSPECTION_PERFORM
        if self.action == "compliance":
            return Action.COMPLIANCE_VIEW
        return Action.INSPECTION_VIEW

    def get_queryset(self):
        return selectors.record_list(user=self.request.user)

    def retrieve(self, request, pk=None):
        record = get_visible_or_404(_record_qs(request.user), request.user, pk=pk)
        return Response(s.RecordSerializer(record).data)

    @extend_schema(
        summary="提交检查记录",
        description=(
            'JSON：{"schedule": id, "point": id 或 null, "scan_token": "…", "results": [{"item": id, '
            '"result": "pass"|"fail"|"na", "note": "…"}]}，须覆盖该计划检查表现行版本的每一项。'
            "不合格项须说明问题；标明“不合格须拍照”（photo_required_on_fail）的项不合格时须带照片，否则整条记录被拒、"
            "不写入任何数据；不要求拍照的项可不带。带照片时用 multipart，results 为 JSON 字符串，照片字段名为 "
            "photo_<检查项 id>。scan_token 为扫描巡检点二维码标签所得的到场凭证，服务器核验后决定 scanned，"
            "客户端传入的 scanned 不被采信。"
            "被拒时答 400，detail 概括全部问题，errors 按检查项列出（键为 item_<检查项 id>）。"
            "每个不合格项登记为隐患（来源：自查，名称为检查项的不合格表述，说明为填写的 note），"
            "同一巡检点同一检查项已有未销号隐患时关联该隐患而不重复登记。"
            "答 201 和记录，hazards 为登记或关联的隐患 id。"
        ),
        request={"application/json": s.RecordInSerializer},
        responses={201: s.RecordSerializer, 409: OpenApiResponse(description="本周期已完成该检查")},
        tags=TAGS,
    )
    @idempotent
    def create(self, request):
        data = request.data
        if hasattr(data, "getlist") and isinstance(data.get("results"), str):
            try:  # checked first: a NUL or a nesting too deep is refused as such
                data = {**{k: data.get(k) for k in data}, "results": inputs.loads(data["results"])}
            except ValueError as exc:
                raise DomainError(_("results 须为 JSON 数组。"), field="results") from exc
            if data.get("point") in ("", "null"):
                data["point"] = None
        d = bind(s.RecordInSerializer, data)
        # the service fetches the schedule, then the point, in the caller's scope (404 like missing)
        schedule = Schedule(pk=d["schedule"])
        point = InspectionPoint(pk=d["point"]) if d.get("point") is not None else None
        results = [
            {**r, "photos": request.FILES.getlist(f"photo_{r['item']}") if request.FILES else []} for r in d["results"]
        ]
        record = services.inspection_submit(
            by=request.user,
            schedule=schedule,
            point=point,
            scan_token=d.get("scan_token", ""),
            results=results,
            note=d.get("note", ""),
        )
        # the record as saved, its results included (no query: see inspection_submit)
        return Response(s.RecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="我今天的排查任务",
        description=(
            "调用者当前周期应做的检查（按排查计划计算，不是预先生成的），"
            "每项含 schedule、point 和要填写的 items（id、text）；done 表示本周期已完成。"
        ),
        responses={200: s.DueSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def due(self, request):
        entries = selectors.due_for(request.user)
        template_ids = {e.template.pk for e in entries if e.template is not None}
        items = defaultdict(list)
        for item in (
            ChecklistItem.objects.filter(template_id__in=template_ids)
            .select_related("section")
            .order_by("section__order", "order", "pk")
        ):
            items[item.template_id].append(item)
        return Response(s.DueSerializer(entries, many=True, context={"items": items}).data)

    @extend_schema(
        summary="排查完成情况",
        description=(
            "某期间（period=YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY）某范围（organization=机构或监管部门 id）的"
            "应检、已检、完成率，按计划、人员、岗位、科室、机构汇总，并列出漏检。"
        ),
        parameters=[s.ComplianceQuerySerializer],
        responses={200: s.ComplianceSerializer, 404: OpenApiResponse(description="机构不存在或不在调用者的管辖范围内")},
        tags=TAGS,
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request):
        q = bind(s.ComplianceQuerySerializer, {k: v for k, v in request.query_params.items() if v != ""}, query=True)
        period = Period.parse(q.get("period") or Period.current().code)
        organization = None
        if q.get("organization") is not None:
            organization = get_visible_or_404(Organization, request.user, pk=q["organization"])
        result = selectors.compliance(user=request.user, period=period, organization=organization)
        body = {
            "period": period.code,
            "period_label": period.label,
            "organization": organization.pk if organization else None,
            "total": result.total,
            "by_schedule": result.by_schedule,
            "by_person": result.by_person,
            "by_post": result.by_post,
            "by_department": result.by_department,
            "by_institution": result.by_institution,
            "missed": [
                {
                    "schedule": sch.pk,
                    "schedule_name": sch.name,
                    "point": p.pk if p else None,
                    "period_start": slot.start,
                    "period_end": slot.end,
                }
                for sch, p, slot in result.total.missed
            ],
        }
        return Response(s.ComplianceSerializer(body).data)
