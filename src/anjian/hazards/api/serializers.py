"""What the hazards API reads and answers.

Input serializers only turn the request into Python values (types, dates, enums); every rule of
the domain (who may act, a major hazard's six-part plan, the acceptor not being the submitter …)
is checked by the services, so the page, the API and the importer say the same thing.

References in requests and answers use the same shape: ``organization``, ``department``,
``responsible``, ``criterion`` are ids; ``category`` is the category's code (e.g. ``fire``), as in
the ledger's ``category`` filter. Answers add ``*_name`` / ``*_label`` fields for display.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.core.api import FieldsOnce, IdField
from anjian.core.models import AuditEvent
from anjian.hazards import links, services, workflow
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, PhotoPhase, SupervisionLevel
from anjian.hazards.models import Criterion, Hazard, HazardCategory, HazardPhoto, Postponement
from anjian.hazards.selectors import ORDERINGS

DATE_FORMATS = ["%Y-%m-%d"]
ORDERING_LABELS = {
    "found": _("发现时间，早的在前"),
    "-found": _("发现时间，晚的在前（默认）"),
    "deadline": _("整改期限，早的在前"),
    "-deadline": _("整改期限，晚的在前"),
    "number": _("编号"),
    "-number": _("编号倒序"),
    "overdue": _("逾期的在前，再按整改期限"),
}


def _date(**kwargs) -> serializers.DateField:
    return serializers.DateField(input_formats=DATE_FORMATS, **kwargs)


def _text(help_text: str, **kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(help_text=help_text, **kwargs)


# --- answers -------------------------------------------------------------------------------------
@extend_schema_field({"type": "string"})
class ChoiceLabelField(serializers.ReadOnlyField):
    """The label of a choice field's value (``get_FOO_display``, without its per-row signature inspection
    and choices dictionary: on a 50-row ledger page the three labels cost more than the rest of a row)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _label(self.labels, value)


class HazardListSerializer(serializers.ModelSerializer):
    """One row of the ledger."""

    organization_name = serializers.CharField(source="organization.name", read_only=True, help_text="所属机构名称")
    department_name = serializers.CharField(
        source="department.name", read_only=True, default=None, allow_null=True, help_text="所在科室名称"
    )
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="隐患类别编码")
    category_name = serializers.CharField(source="category.name", read_only=True, help_text="隐患类别名称")
    level_label = ChoiceLabelField(HazardLevel.choices, source="level")
    source_label = ChoiceLabelField(HazardSource.choices, source="source")
    status_label = ChoiceLabelField(HazardStatus.choices, source="status")
    responsible_name = serializers.CharField(
        source="responsible.name", read_only=True, default=None, allow_null=True, help_text="整改责任人姓名"
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text="未销号且整改期限早于今天（按北京时间计算）")
    is_due_soon = serializers.BooleanField(read_only=True, help_text="未销号且整改期限在今后几天内（临期）")

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "organization",
            "organization_name",
            "department",
            "department_name",
            "location",
            "title",
            "category",
            "category_name",
            "level",
            "level_label",
            "source",
            "source_label",
            "status",
            "status_label",
            "criterion",
            "found_at",
            "fixed_on_spot",
            "responsible",
            "responsible_name",
            "deadline",
            "original_deadline",
            "is_overdue",
            "is_due_soon",
            "is_supervised",
            "supervision_level",
            "supervision_deadline",
            "created_at",
            "updated_at",
            "is_backfill",
            "original_found_on",
            "original_closed_on",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "is_backfill": {"help_text": "历史补录：从原台账补录，found_at（及已销号的 accepted_at）为补录时间"},
            "original_found_on": {"help_text": "原发现日期（历史补录的隐患），YYYY-MM-DD"},
            "original_closed_on": {"help_text": "原销号日期（历史补录且已销号的隐患），YYYY-MM-DD"},
        }

    def to_representation(self, h: Hazard) -> dict:
        """The fields above written out directly: a ledger page is 50 rows of 31 fields, and DRF's
        field-by-field walk was most of the request (tested equal to it, ``test_api_list.py``).
        Subclasses (the detail) add fields: they take DRF's way."""
        if type(self) is not HazardListSerializer:
            return super().to_representation(h)
        when, day = _DATETIME.to_representation, _DATE.to_representation
        return {
            "id": h.pk,
            "number": h.number,
            "organization": h.organization_id,
            "organization_name": h.organization.name,
            "department": h.department_id,
            "department_name": h.department.name if h.department_id else None,
            "location": h.location,
            "title": h.title,
            "category": h.category.code if h.category_id else None,
            "category_name": h.category.name if h.category_id else None,
            "level": h.level,
            "level_label": _label(_LABELS["level"], h.level),
            "source": h.source,
            "source_label": _label(_LABELS["source"], h.source),
            "status": h.status,
            "status_label": _label(_LABELS["status"], h.status),
            "criterion": h.criterion_id,
            "found_at": when(h.found_at),
            "fixed_on_spot": h.fixed_on_spot,
            "responsible": h.responsible_id,
            "responsible_name": h.responsible.name if h.responsible_id else None,
            "deadline": day(h.deadline),
            "original_deadline": day(h.original_deadline),
            "is_overdue": h.is_overdue,
            "is_due_soon": h.is_due_soon,
            "is_supervised": h.is_supervised,
            "supervision_level": h.supervision_level,
            "supervision_deadline": day(h.supervision_deadline),
            "created_at": when(h.created_at),
            "updated_at": when(h.updated_at),
            "is_backfill": h.is_backfill,
            "original_found_on": day(h.original_found_on),
            "original_closed_on": day(h.original_closed_on),
        }


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
_LABELS = {
    "level": dict(HazardLevel.choices),
    "source": dict(HazardSource.choices),
    "status": dict(HazardStatus.choices),
}


def _label(labels: dict, value):
    label = labels.get(value, value)
    return str(label) if label is not None else None


class HazardPhotoSerializer(serializers.ModelSerializer):
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    image = serializers.SerializerMethodField(help_text="照片（JPEG）的地址，须登录或携带令牌访问")
    thumbnail = serializers.SerializerMethodField(help_text="缩略图（JPEG）的地址")

    class Meta:
        model = HazardPhoto
        fields = ["id", "phase", "phase_label", "image", "thumbnail", "width", "height", "uploaded_by", "uploaded_at"]
        read_only_fields = fields

    def _url(self, photo: HazardPhoto, size: str) -> str:
        url = reverse("api:hazard-photo-file", kwargs={"pk": photo.hazard_id, "photo_id": photo.pk, "size": size})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_image(self, photo: HazardPhoto) -> str:
        return self._url(photo, "image")

    def get_thumbnail(self, photo: HazardPhoto) -> str:
        return self._url(photo, "thumbnail")


class PostponementSerializer(serializers.ModelSerializer):
    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Postponement
        fields = [
            "id",
            "requested_deadline",
            "reason",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "decision",
            "decision_label",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class OriginSerializer(serializers.Serializer):
    """Where the hazard came from: an inspection record, a supervision inspection, a risk."""

    kind = serializers.ChoiceField(
        choices=[
            ("inspection", "检查记录"),
            ("supervision", "督导检查"),
            ("risk", "关联风险"),
            ("work_permit", "危险作业票"),
            ("drill", "应急演练"),
            ("equipment", "设施设备"),
            ("tip", "举报"),
        ],
        help_text=(
            "inspection：检查记录（id 为检查记录 id）；supervision：督导检查；risk：风险；"
            "work_permit：危险作业票（id 为作业票 id）；drill：应急演练；equipment：设施设备；tip：举报"
        ),
    )
    id = serializers.IntegerField(help_text="该记录的 id")
    label = serializers.CharField(help_text="来源的中文名称")
    text = serializers.CharField(help_text="编号和名称")
    detail = serializers.CharField(help_text="时间、地点或等级")
    note = serializers.CharField(help_text="如不合格的检查项；再次发现时注明")


def _name(field: str, help_text: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"{field}.name", read_only=True, default=None, allow_null=True, help_text=help_text
    )


class HazardDetailSerializer(FieldsOnce, HazardListSerializer):
    """A hazard with its plan, photos, postponements, supervision, and the actions the caller may take."""

    criterion_text = serializers.SerializerMethodField(help_text="判定依据（标准名称、条目号和判定情形）")
    found_by_name = serializers.CharField(read_only=True, help_text="发现人/单位")
    confirmed_by_name = _name("confirmed_by", "确认人姓名")
    rectified_by_name = _name("rectified_by", "整改提交人姓名")
    endorsed_by_name = _name("endorsed_by", "单位负责人姓名")
    accepted_by_name = _name("accepted_by", "验收人姓名")
    supervised_by_name = _name("supervised_by", "挂牌人姓名")
    supervision_level_label = serializers.CharField(source="get_supervision_level_display", read_only=True)
    funds = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text="整改资金（元），十进制字符串"
    )
    photos = HazardPhotoSerializer(many=True, read_only=True)
    postponements = PostponementSerializer(many=True, read_only=True)
    postponement_count = serializers.SerializerMethodField(help_text="已批准的延期次数")
    missing_plan_parts = serializers.SerializerMethodField(
        help_text="整改方案尚缺的内容（重大事故隐患为六项内容），为空表示齐全"
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的操作，即 POST /api/v1/hazards/{id}/{action}/ 中的 action"
    )
    origins = serializers.SerializerMethodField(
        help_text="隐患的来源记录：发现它的检查记录和不合格检查项、督导检查、关联风险（调用者可见的）"
    )

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "description",
            "source_reference",
            "risk",
            "origins",
            "criterion_text",
            "found_by",
            "found_by_name",
            # the rectification plan
            "goal",
            "measures",
            "funds",
            "materials",
            "responsible_unit",
            "requirements",
            "safety_measures",
            "missing_plan_parts",
            "confirmed_at",
            "confirmed_by",
            "confirmed_by_name",
            # rectification and acceptance
            "rectification_note",
            "rectified_at",
            "rectified_by",
            "rectified_by_name",
            "endorsed_at",
            "endorsed_by",
            "endorsed_by_name",
            "accepted_at",
            "accepted_by",
            "accepted_by_name",
            "acceptance_note",
            "dismissed_reason",
            # supervision
            "supervision_level_label",
            "supervision_notice_number",
            "supervised_at",
            "supervised_by",
            "supervised_by_name",
            "backfill_batch",
            "photos",
            "postponements",
            "postponement_count",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_criterion_text(self, hazard: Hazard) -> str | None:
        c = hazard.criterion
        return f"{c}：{c.text}" if c is not None else None

    @extend_schema_field(OriginSerializer(many=True))
    def get_origins(self, hazard: Hazard) -> list[dict]:
        return OriginSerializer(links.origins(hazard, self.context["request"].user), many=True).data

    def get_postponement_count(self, hazard: Hazard) -> int:
        return sum(1 for p in hazard.postponements.all() if p.decision == "approved")

    def get_missing_plan_parts(self, hazard: Hazard) -> list[str]:
        return services.missing_plan_parts(hazard)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[(name, rule.label) for name, rule in workflow.RULES.items()])
        )
    )
    def get_allowed_actions(self, hazard: Hazard) -> list[str]:
        return workflow.allowed_actions(hazard, self.context["request"].user)


class AuditEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor_repr", read_only=True, help_text="操作人（姓名和用户名）")
    verb_label = serializers.CharField(source="get_verb_display", read_only=True, help_text="操作的中文名称")
    changes = serializers.JSONField(read_only=True, help_text='变更的字段：{"字段": [变更前, 变更后]}')

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_name", "verb", "verb_label", "changes", "note"]
        read_only_fields = fields


# --- the ledger's filters ------------------------------------------------------------------------
class HazardFilterSerializer(serializers.Serializer):
    """The query parameters of ``GET /api/v1/hazards/``: the ledger page's filters."""

    status = serializers.ChoiceField(
        choices=[*HazardStatus.choices, ("open", _("未销号"))],
        required=False,
        help_text="状态；open 为未销号（待确认、整改中、待验收）",
    )
    level = serializers.ChoiceField(choices=HazardLevel.choices, required=False, help_text="隐患等级")
    category = serializers.SlugField(required=False, help_text="隐患类别编码，如 fire")
    source = serializers.ChoiceField(choices=HazardSource.choices, required=False, help_text="隐患来源")
    organization = IdField(required=False, help_text="所属机构 id（监管部门用）")
    department = IdField(required=False, help_text="所在科室 id")
    overdue = serializers.BooleanField(required=False, help_text="true：只看逾期；false：排除逾期")
    due_soon = serializers.BooleanField(required=False, help_text="true：只看临期；false：排除临期")
    supervised = serializers.BooleanField(required=False, help_text="true：只看挂牌督办；false：排除")
    found_from = _date(required=False, help_text="发现日期起（含），YYYY-MM-DD")
    found_to = _date(required=False, help_text="发现日期止（含），YYYY-MM-DD")
    deadline_from = _date(required=False, help_text="整改期限起（含），YYYY-MM-DD")
    deadline_to = _date(required=False, help_text="整改期限止（含），YYYY-MM-DD")
    q = serializers.CharField(max_length=100, required=False, help_text="编号、名称、部位、描述或机构名称中的文字")
    ordering = serializers.ChoiceField(
        choices=[(key, ORDERING_LABELS.get(key, key)) for key in ORDERINGS],
        required=False,
        help_text="排序；默认按发现时间倒序",
    )

    def validate_category(self, value: str) -> str:
        if not HazardCategory.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("没有编码为“%(code)s”的隐患类别。") % {"code": value})
        return value

    def validate(self, attrs):
        for start, end in (("found_from", "found_to"), ("deadline_from", "deadline_to")):
            if attrs.get(start) and attrs.get(end) and attrs[start] > attrs[end]:
                raise serializers.ValidationError({start: [_("开始日期不能晚于结束日期 %(end)s。") % {"end": end}]})
        return attrs


# --- requests ------------------------------------------------------------------------------------
class HazardReportSerializer(serializers.Serializer):
    """Report a hazard. A photo of the scene is required (multipart ``photos``), whoever reports:
    staff, an institution's leaders, a regulator's supervision entry, a third party's inspector: each
    has seen the hazard on site, and the photo is what the institution and the acceptance compare the
    rectification with. Only a hazard known from a numbered document may come without one, as JSON
    too: a tip-off (``source=tip_off``) or an assignment (``source=assigned``) with its
    ``source_reference``. Hazards raised by an inspection's failed item or a supervision's finding are
    entered through those records, not here."""

    organization = IdField(required=False, help_text="所属机构 id；不填为调用者所在机构（监管部门须填写）")
    department = IdField(required=False, allow_null=True, help_text="所在科室 id，须属于该机构")
    location = serializers.CharField(max_length=200, help_text="隐患部位")
    title = serializers.CharField(max_length=200, help_text="隐患名称")
    description = _text("隐患描述")
    category = serializers.SlugField(help_text="隐患类别编码，如 fire（消防）、electrical（电气）")
    level = serializers.ChoiceField(choices=HazardLevel.choices, required=False, help_text="隐患等级，默认 general")
    source = serializers.ChoiceField(
        choices=HazardSource.choices, required=False, help_text="隐患来源，默认按登记人身份（本单位为自查）"
    )
    criterion = serializers.IntegerField(
        required=False, allow_null=True, help_text="判定依据（判定标准条目）id，重大事故隐患必填"
    )
    found_at = serializers.DateTimeField(required=False, help_text="发现时间，默认现在")
    source_reference = _text("来源编号：举报受理编号、上级交办文号或第三方检查报告编号", max_length=100)
    found_by_name = _text("发现人/单位，默认登记人姓名", max_length=100)
    fixed_on_spot = serializers.BooleanField(
        required=False, help_text="即查即改：已当场整改（须同时上传整改后照片，multipart 的 after_photos）"
    )
    note = _text("说明；即查即改时为整改情况")


class HazardReportMultipartSerializer(HazardReportSerializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=(
            "隐患现场照片（整改前，可多张），必传：无论登记人是员工、本单位负责人、监管部门督导检查人员"
            "还是第三方检查员；缺少时答 400（errors.photos）且不登记。"
            "仅举报（source=tip_off）、上级交办（source=assigned）且填写来源编号 source_reference 的隐患可暂不上传"
            "（可用 JSON 登记，之后通过 photos 接口补传）"
        ),
    )
    after_photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="整改后照片（即查即改时必传）"
    )


class ConfirmSerializer(serializers.Serializer):
    """The rectification plan. A general hazard needs ``responsible``, ``measures`` and ``deadline``;
    a major hazard all six parts (目标任务、方法措施、经费物资、机构人员、时限要求、安全措施和应急预案)."""

    responsible = serializers.IntegerField(
        required=False, allow_null=True, help_text="整改责任人的用户 id，须为本单位人员"
    )
    responsible_unit = _text("负责整改的单位/部门", max_length=100)
    measures = _text("整改方法和措施")
    funds = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="整改资金（元）"
    )
    deadline = _date(required=False, allow_null=True, help_text="整改期限，YYYY-MM-DD")
    goal = _text("整改目标和任务（重大事故隐患）")
    materials = _text("经费和物资落实（重大事故隐患）")
    requirements = _text("时限和要求（重大事故隐患）")
    safety_measures = _text("整改期间安全措施和应急预案（重大事故隐患）")
    note = _text("说明")


class ReasonSerializer(serializers.Serializer):
    reason = _text("理由（必填）", default="")


class NoteSerializer(serializers.Serializer):
    note = _text("意见或说明", default="")


class RefuseNoteSerializer(serializers.Serializer):
    note = _text("不批准的理由（必填）", default="")


class SubmitSerializer(serializers.Serializer):
    rectification_note = _text("整改情况（必填）", default="")


class SubmitMultipartSerializer(SubmitSerializer):
    after_photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=(
            "整改后照片。隐患所属机构要求时（机构设置“提交整改结果须上传整改后照片”，默认开启）须至少有一张："
            "随本请求上传，或此前已通过 photos 接口上传"
        ),
    )


class ChangePlanSerializer(ConfirmSerializer):
    """Change the plan after confirmation: only the parts sent change. The deadline is not changed
    here (sending another one is refused): it moves by a postponement."""

    note = None  # the reason takes its place
    reason = _text("变更理由（必填），记入操作记录")


class PostponeSerializer(serializers.Serializer):
    new_deadline = _date(help_text="申请延期至，YYYY-MM-DD，须晚于当前整改期限")
    reason = _text("延期理由（必填）", default="")


class ReclassifySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=HazardLevel.choices, help_text="调整后的隐患等级")
    reason = _text("理由（必填）", default="")
    criterion = serializers.IntegerField(
        required=False, allow_null=True, help_text="判定依据 id，调整为重大事故隐患时必填"
    )


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(SupervisionLevel.values) + ")$"})
class SupervisionLevelField(serializers.ChoiceField):
    """In the schema as a pattern, not an enum: drf-spectacular names enum components by field name,
    and this ``level`` (district|city) would collide with the hazard's ``level`` (general|major)."""

    def __init__(self, **kwargs):
        super().__init__(choices=SupervisionLevel.choices, **kwargs)


class SuperviseSerializer(serializers.Serializer):
    level = SupervisionLevelField(help_text="督办级别：district 区级，city 市级")
    deadline = _date(help_text="督办期限，YYYY-MM-DD")
    notice_number = _text("督办通知书文号（必填）", max_length=60, default="")


class PhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(
        required=False, help_text="照片文件（JPEG、PNG、WebP），服务器解码验证，去除元数据并生成缩略图"
    )
    phase = serializers.ChoiceField(choices=PhotoPhase.choices, help_text="before：整改前；after：整改后")


class HazardCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardCategory
        fields = ["code", "name", "sort_order"]


class CriterionSerializer(serializers.ModelSerializer):
    standard = serializers.CharField(source="criterion_set.name")
    document_number = serializers.CharField(source="criterion_set.document_number")
    version = serializers.CharField(source="criterion_set.version")
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "standard", "document_number", "version", "code", "text", "category"]
