from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core import inputs
from anjian.core.api import ErrorSerializer, scoped_ref
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can
from anjian.imports import services
from anjian.imports.api.serializers import ImportResultSerializer
from anjian.imports.specs import KINDS
from anjian.orgs.models import Organization


class ImportAPIView(APIView):
    """Import an xlsx of institutions, departments (with posts), staff, determination criteria or old
    hazards (``hazards``: 历史补录, counted in the month of the import, the original dates kept): all
    rows or none.

    Answers 200 with what was imported (or, with ``?dry_run=true``, what would be), or 400 with
    every bad row. Staff rows without an initial password get a generated one, returned once in
    ``passwords``.
    """

    parser_classes = [MultiPartParser, FormParser]
    # The role is checked per kind inside ``post`` (not as a permission class), so that a GET is
    # 405 for everyone signed in, whatever their role.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["imports"],
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(KINDS)),
            OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="只校验不导入"),
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "按模板填写的 .xlsx 文件"},
                    "organization": {
                        "type": "integer",
                        "description": "科室、人员和历史隐患：未填“所属单位”的行所属机构的 id",
                    },
                },
                "required": ["file"],
            }
        },
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ImportRefused",
                    serializers=[ImportResultSerializer, ErrorSerializer],
                    resource_type_field_name=None,
                ),
                description=(
                    "有错误的行：答 ImportResult，errors 列出每一处（行、列、值、原因），什么也没有导入；"
                    "文件本身不可读（不是 xlsx、表头不符、超出限制）或参数有误：答 detail（中文说明）"
                ),
            ),
        },
    )
    def post(self, request, kind: str):
        spec = KINDS.get(kind)
        if spec is None:
            raise Http404
        if not can(request.user, Action.API_USE) or not spec.allowed(request.user):
            raise PermissionDenied(_("您的角色无权导入%(kind)s。") % {"kind": spec.label})
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(_("请上传文件（表单字段 file）。"), field="file")
        organization = None
        if request.data.get("organization"):
            message = _("所选单位不存在或不在您的管辖范围内。")
            pk = inputs.id_or_none(request.data["organization"])
            if pk is None:
                raise DomainError(message, field="organization")
            organization = scoped_ref(Organization, request.user, pk, field="organization", message=message)
        dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "yes"}
        result = services.import_run(
            kind=spec,
            file=upload,
            file_name=upload.name,
            by=request.user,
            commit=not dry_run,
            organization=organization,
        )
        body = {
            "kind": spec.key,
            "dry_run": dry_run,
            "rows": result.rows,
            "imported": result.imported,
            "counts": result.counts,
            "errors": [e.as_dict() for e in result.errors],
            "passwords": [{"row": p.row, "username": p.username, "password": p.password} for p in result.passwords],
        }
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)
