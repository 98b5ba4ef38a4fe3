from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from anjian.accounts import services
from anjian.accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenResponseSerializer
from anjian.core.middleware import client_address


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="缺少用户名或密码，或用户名、密码不正确"),
            403: OpenApiResponse(description="登录失败次数过多，账号暂时锁定；或密码由他人设置，须先在网页上修改"),
        },
        tags=["auth"],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"detail": str(_("登录失败次数过多，账号已暂时锁定，请稍后再试。"))},
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None or not user.is_active:
            return Response({"detail": str(_("用户名或密码不正确。"))}, status=status.HTTP_400_BAD_REQUEST)
        if user.must_change_password:
            return Response(
                {"detail": str(_("您的密码由他人设置，请先登录网页修改密码，再获取接口令牌。"))},
                status=status.HTTP_403_FORBIDDEN,
            )
        key = services.token_issue(user=user, address=client_address(request._request))
        services.record_login(user=user)
        return Response({"token": key})


class MeView(APIView):
    """The signed-in user, their organization and role, and what the role may do."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    def get(self, request):
        user = type(request.user).objects.select_related("organization", "department", "post").get(pk=request.user.pk)
        return Response(MeSerializer(user).data)
