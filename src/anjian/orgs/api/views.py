from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from anjian.core.api import HasAction
from anjian.core.permissions import Action
from anjian.orgs import selectors
from anjian.orgs.api.serializers import EngagementSerializer, OrganizationSerializer
from anjian.orgs.models import Engagement


@extend_schema_view(
    list=extend_schema(
        tags=["organizations"],
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="名称、拼音首字母或统一社会信用代码"),
            OpenApiParameter("type", OpenApiTypes.STR, enum=["regulator", "institution", "provider", "expert_pool"]),
            OpenApiParameter("kind", OpenApiTypes.STR),
        ],
    ),
    retrieve=extend_schema(tags=["organizations"]),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organizations the caller may see: a regulator its jurisdiction, an institution itself."""

    serializer_class = OrganizationSerializer
    permission_classes = [HasAction]
    required_action = Action.ORGANIZATION_VIEW

    def get_queryset(self):
        params = self.request.query_params
        return selectors.organization_list(
            user=self.request.user,
            q=params.get("q", ""),
            type=params.get("type", ""),
            kind=params.get("kind", ""),
            active=None if params.get("include_inactive") == "true" else True,
        )


@extend_schema_view(list=extend_schema(tags=["organizations"]), retrieve=extend_schema(tags=["organizations"]))
class EngagementViewSet(viewsets.ReadOnlyModelViewSet):
    """Engagements (委托/聘请) of inspectors: a regulator's own and its jurisdiction's, an inspector's
    own (which institutions, until when). Created, changed and ended on the pages."""

    serializer_class = EngagementSerializer
    permission_classes = [HasAction]
    required_action = Action.ORGANIZATION_VIEW

    def get_queryset(self):
        return (
            Engagement.objects.visible_to(self.request.user)
            .select_related("regulator", "inspector__organization")
            .prefetch_related("institutions")
        )
