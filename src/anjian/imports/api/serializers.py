"""The shape of an import's answer, for the OpenAPI schema."""

from rest_framework import serializers


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中的行号")
    column = serializers.CharField(help_text="列名，空为整行")
    value = serializers.CharField(help_text="填写的值")
    message = serializers.CharField(help_text="原因")


class GeneratedPasswordSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    username = serializers.CharField()
    password = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField(help_text="数据行数")
    imported = serializers.IntegerField(help_text="已导入的行数（只校验或有错误时为 0）")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text='新建的对象数，如 {"科室": 3, "岗位": 7}'
    )
    errors = ImportRowErrorSerializer(many=True)
    passwords = GeneratedPasswordSerializer(many=True, help_text="自动生成的初始密码，只返回这一次")
