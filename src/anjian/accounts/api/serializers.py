from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.accounts.models import User
from anjian.core.permissions import allowed_actions


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class OrganizationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True)
    department = serializers.SerializerMethodField()
    post = serializers.SerializerMethodField()
    role_label = serializers.CharField(source="get_role_display")
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "role",
            "role_label",
            "organization",
            "department",
            "post",
            "phone",
            "email",
            "permissions",
        ]

    def get_department(self, obj) -> dict | None:
        return {"id": obj.department_id, "name": obj.department.name} if obj.department_id else None

    def get_post(self, obj) -> dict | None:
        return {"id": obj.post_id, "name": obj.post.name} if obj.post_id else None

    def get_permissions(self, obj) -> list[str]:
        return sorted(allowed_actions(obj))
