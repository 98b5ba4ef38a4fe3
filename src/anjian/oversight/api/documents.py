"""The circulars API (``/api/v1/circulars/``): the regulator's documents (通报, 督促函, 移交函), drafted
here and approved by another regulator user on the page; ``number`` once issued."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import FieldsOnce, HasAction, IdField, bind, scoped_refs
from anjian.core.permissions import Action
from anjian.orgs.choices import InstitutionKind
from anjian.orgs.models import Organization
from anjian.oversight import selectors
from anjian.oversight.choices import DocumentKind
from anjian.oversight.models import RegulatorDocument
from anjian.oversight.services import documents as services

TAGS = ["circulars"]


class DocumentSerializer(FieldsOnce, serializers.ModelSerializer):
    institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = RegulatorDocument
        fields = [
            "id",
            "kind",
            "number",
            "title",
            "addressee",
            "body",
            "institutions",
            "audience_kind",
            "receiving_body",
            "handed_over_on",
            "status",
            "issued_on",
            "created_at",
        ]
        read_only_fields = fields


class DocumentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200)
    addressee = serializers.CharField(max_length=200)
    body = serializers.CharField()
    institutions = serializers.ListField(child=IdField(), required=False, default=list)
    audience_kind = serializers.ChoiceField(
        choices=InstitutionKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="通报范围：辖区内这一类别的机构；空则为辖区全部机构",
    )
    receiving_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    handed_over_on = serializers.DateField(required=False, allow_null=True)


class ReceivedDocumentListView(APIView):
    """What an institution received: the issued 通报 to its district or kind, those naming it, and the 督促函 to it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="收到的通报和督促函",
        description="调用者所在机构收到的已印发文书：发给辖区全部机构或本类机构的通报、点名本机构的通报和督促函。",
        responses={200: DocumentSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        documents = selectors.documents_received(request.user)[:200]
        return Response(DocumentSerializer(documents, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="通报、督促函、移交函", tags=TAGS),
    retrieve=extend_schema(summary="监管文书详情", tags=TAGS),
)
class DocumentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT
    lookup_value_converter = "int"
    serializer_class = DocumentSerializer
    queryset = RegulatorDocument.objects.none()

    def get_queryset(self):
        return RegulatorDocument.objects.visible_to(self.request.user).prefetch_related("institutions")

    @extend_schema(
        summary="拟写监管文书",
        description="拟稿后待审批（由拟稿人以外的监管管理员在页面审批），批准后编号印发。",
        request=DocumentInSerializer,
        responses={201: DocumentSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(DocumentInSerializer, request.data))
        institutions = scoped_refs(Organization, request.user, d.pop("institutions"), field="institutions")
        document = services.document_draft(by=request.user, data=d, institutions=institutions)
        return Response(
            DocumentSerializer(self.get_queryset().get(pk=document.pk)).data, status=status.HTTP_201_CREATED
        )
