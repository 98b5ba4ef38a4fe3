"""The notifications API: the caller's own inbox (``?unread=1``) and marking read; an organization's
channels (WeCom, DingTalk, Feishu robots, email); the caller's preferences. Thin: selectors read,
services write; another organization's channel is 404 like a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import HasAction, bind, scoped_ref
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.notifications import preferences, selectors, services
from anjian.notifications.api import serializers as s
from anjian.notifications.models import Channel, Notification
from anjian.orgs.models import Organization

TAGS = ["notifications"]


@extend_schema_view(
    list=extend_schema(
        summary="我的消息",
        description="调用者本人的站内消息，最新的在前。",
        parameters=[OpenApiParameter("unread", str, description="为 1 时只列未读消息")],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="消息详情", tags=TAGS),
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.API_USE
    lookup_value_converter = "int"
    serializer_class = s.NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        return selectors.inbox(user=self.request.user, unread=self.request.query_params.get("unread") == "1")

    @extend_schema(summary="标为已读", request=None, responses=s.NotificationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        item = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.notification_mark_read(notification=item, by=request.user)
        return Response(s.NotificationSerializer(item).data)


@extend_schema_view(
    list=extend_schema(summary="消息渠道", description="调用者可见的机构消息渠道；密钥不完整显示。", tags=TAGS),
    retrieve=extend_schema(summary="消息渠道详情", tags=TAGS),
)
class ChannelViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.NOTIFICATION_CHANNEL_MANAGE
    lookup_value_converter = "int"
    serializer_class = s.ChannelSerializer
    queryset = Channel.objects.none()

    def get_queryset(self):
        return selectors.channel_list(user=self.request.user)

    @extend_schema(
        summary="新建消息渠道", request=s.ChannelInSerializer, responses={201: s.ChannelSerializer}, tags=TAGS
    )
    def create(self, request):
        d = dict(bind(s.ChannelInSerializer, request.data))
        org_id = d.pop("organization", None)
        organization = (
            scoped_ref(Organization, request.user, org_id, field="organization")
            if org_id is not None
            else request.user.organization
        )
        if organization is None:
            raise DomainError(_("请指定所属机构。"), field="organization")
        channel = services.channel_create(by=request.user, organization=organization, data=d)
        return Response(s.ChannelSerializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改消息渠道",
        description="未提交的字段不变（密钥不回显，修改名称时无需再填）。",
        request=s.ChannelUpdateSerializer,
        responses=s.ChannelSerializer,
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        channel = get_visible_or_404(Channel, request.user, pk=pk)
        d = dict(bind(s.ChannelUpdateSerializer, request.data))
        channel = services.channel_update(by=request.user, channel=channel, data=d)
        return Response(s.ChannelSerializer(channel).data)

    @extend_schema(summary="停用消息渠道", request=s.NoteSerializer, responses=s.ChannelSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="deactivate")
    def deactivate(self, request, pk=None):
        return self._set_active(request, pk, False)

    @extend_schema(summary="启用消息渠道", request=s.NoteSerializer, responses=s.ChannelSerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="reactivate")
    def reactivate(self, request, pk=None):
        return self._set_active(request, pk, True)

    def _set_active(self, request, pk, active: bool):
        channel = get_visible_or_404(Channel, request.user, pk=pk)
        d = bind(s.NoteSerializer, request.data)
        channel = services.channel_set_active(by=request.user, channel=channel, active=active, note=d.get("note", ""))
        return Response(s.ChannelSerializer(channel).data)


def _preference_data(user) -> dict:
    pref = preferences.of(user)
    return s.PreferenceSerializer(
        {
            "email_kinds": pref.email_kinds,
            "sms_kinds": pref.sms_kinds,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "daily_digest": pref.daily_digest,
        }
    ).data


class PreferenceView(APIView):
    """The caller's own preferences: which kinds by email and by SMS, and quiet hours (免打扰)."""

    permission_classes = [HasAction]
    required_action = Action.API_USE

    @extend_schema(summary="我的提醒设置", responses=s.PreferenceSerializer, tags=TAGS)
    def get(self, request):
        return Response(_preference_data(request.user))

    @extend_schema(
        summary="修改我的提醒设置",
        description="未提交的字段不变。",
        request=s.PreferenceSerializer,
        responses=s.PreferenceSerializer,
        tags=TAGS,
    )
    def put(self, request):
        d = bind(s.PreferenceSerializer, request.data)
        services.preference_save(by=request.user, data=dict(d))
        return Response(_preference_data(request.user))
