"""Forms of the training pages: they bind and check the shape of input; choices come from scoped
querysets (people, posts and plans of the user's own institution); the rules live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.errors import DomainError
from anjian.core.forms import FilterForm, StyledForm, date_input, search_field
from anjian.hazards.choices import HazardLevel
from anjian.hazards.forms import ImagesField
from anjian.orgs.models import Department, Organization, Post
from anjian.risks.models import PostCard
from anjian.training import question_import
from anjian.training.choices import EXPIRY_WINDOWS, DrillStatus, PlanKind, QuestionKind
from anjian.training.models import (
    CertificateKind,
    EmergencyPlan,
    Paper,
    TrainingCategory,
    TrainingPlanItem,
)


def _people(user):
    return User.objects.filter(organization_id=user.organization_id, is_active=True).order_by("name")


def _posts(user):
    return Post.objects.filter(organization_id=user.organization_id, is_active=True).select_related("department")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.username}）"


class CertificateForm(StyledForm):
    holder = forms.ModelChoiceField(label=_("持证人"), queryset=User.objects.none())
    kind = forms.ModelChoiceField(label=_("证书类别"), queryset=CertificateKind.objects.filter(is_active=True))
    number = forms.CharField(label=_("证书编号"), max_length=60)
    issuer = forms.CharField(label=_("发证机关"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("发证日期"), widget=date_input())
    expires_on = forms.DateField(label=_("有效期至"), widget=date_input())
    scan = forms.FileField(label=_("证书扫描件（PDF/JPG/PNG）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = _people(self.user)


class VoidForm(StyledForm):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class RequirementForm(StyledForm):
    post = forms.ModelChoiceField(label=_("岗位"), queryset=Post.objects.none())
    kind = forms.ModelChoiceField(
        label=_("须持证书"), queryset=CertificateKind.objects.filter(is_active=True), required=False
    )
    category = forms.ModelChoiceField(
        label=_("须参加培训"), queryset=TrainingCategory.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = _posts(self.user)


class ShiftForm(StyledForm):
    day = forms.DateField(label=_("日期"), widget=date_input())
    name = forms.CharField(label=_("班次"), max_length=20, initial=_("白班"))
    starts_at = forms.TimeField(label=_("开始时间"), initial="08:00", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束时间"), initial="20:00", widget=forms.TimeInput(attrs={"type": "time"}))
    people = PeopleField(label=_("值班人员"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = _people(self.user)


class RulesForm(StyledForm):
    drill_every_months = forms.TypedChoiceField(
        label=_("应急演练周期"),
        coerce=int,
        choices=[
            (6, _("每半年")),
            (3, _("每季度")),
            (12, _("每年")),
            (4, _("每四个月")),
            (2, _("每两个月")),
            (1, _("每月")),
        ],
    )
    fire_room_certified = forms.IntegerField(label=_("消控室每班持证人数"), min_value=1, max_value=10)


class KindForm(StyledForm):
    code = forms.SlugField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    issuer_hint = forms.CharField(label=_("常见发证机关"), max_length=100, required=False)
    fire_control_room = forms.BooleanField(label=_("消控室值班须持此证"), required=False)


class CategoryForm(StyledForm):
    code = forms.SlugField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    yearly = forms.BooleanField(label=_("每年须参加"), required=False)


class PlanForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=100, required=False)


class PlanItemForm(StyledForm):
    topic = forms.CharField(label=_("培训内容"), max_length=200)
    category = forms.ModelChoiceField(label=_("培训类别"), queryset=TrainingCategory.objects.filter(is_active=True))
    month = forms.IntegerField(label=_("计划月份"), min_value=1, max_value=12)
    hours = forms.DecimalField(label=_("学时"), min_value=Decimal("0.5"), max_value=100, decimal_places=1)
    audience = forms.CharField(label=_("培训对象"), max_length=200, required=False)
    posts = forms.ModelMultipleChoiceField(label=_("对象岗位"), queryset=Post.objects.none(), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("对象科室"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = _posts(self.user)
        self.fields["departments"].queryset = Department.objects.filter(
            organization_id=self.user.organization_id, is_active=True
        ).order_by("name")


class SessionForm(StyledForm):
    title = forms.CharField(label=_("培训名称"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("培训类别"), queryset=TrainingCategory.objects.filter(is_active=True), required=False
    )
    held_on = forms.DateField(label=_("培训日期"), widget=date_input())
    hours = forms.DecimalField(label=_("学时"), min_value=Decimal("0.5"), max_value=100, decimal_places=1)
    teacher = forms.CharField(label=_("授课人"), max_length=60, required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    content = forms.CharField(label=_("培训内容"), required=False, widget=forms.Textarea)
    plan_item = forms.ModelChoiceField(
        label=_("对应计划条目"), queryset=TrainingPlanItem.objects.none(), required=False
    )
    quiz = forms.ModelChoiceField(label=_("随堂测验（试卷）"), queryset=Paper.objects.none(), required=False)
    materials = forms.FileField(label=_("培训材料"), required=False)
    attendees = PeopleField(
        label=_("参训人员（按名单登记，也可扫码签到）"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.user.organization_id
        self.fields["attendees"].queryset = _people(self.user)
        self.fields["quiz"].queryset = Paper.objects.filter(organization_id=org, is_active=True)
        self.fields["plan_item"].queryset = TrainingPlanItem.objects.filter(plan__organization_id=org).select_related(
            "plan"
        )


class AttendanceForm(StyledForm):
    attendees = PeopleField(label=_("参训人员"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _people(self.user)


class BankForm(StyledForm):
    title = forms.CharField(label=_("题库名称"), max_length=100)


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), widget=forms.Textarea)
    options = forms.CharField(
        label=_("选项（每行一个；判断题可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer = forms.CharField(label=_("正确答案（选项字母，如 A 或 ACD；判断题填“正确”或“错误”）"), max_length=10)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("answer"):
            try:
                data["parsed_answer"] = question_import.parse_answer(data["kind"], data["answer"])
            except DomainError as exc:
                self.add_error("answer", exc.message)
        return data

    def parsed(self) -> tuple[list[str], list[int]]:
        options = [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]
        if self.cleaned_data["kind"] == QuestionKind.TRUE_FALSE:
            options = []
        return options, self.cleaned_data["parsed_answer"]


class PaperForm(StyledForm):
    title = forms.CharField(label=_("试卷名称"), max_length=100)
    count = forms.IntegerField(label=_("从题库抽取题目数"), min_value=1, max_value=200)
    time_limit_minutes = forms.IntegerField(label=_("考试时长（分钟）"), min_value=1, max_value=240, initial=10)
    pass_mark = forms.IntegerField(label=_("及格分（百分制）"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(label=_("最多考试次数"), min_value=1, max_value=20, initial=3)


class EmergencyPlanForm(StyledForm):
    kind = forms.ChoiceField(label=_("预案类型"), choices=PlanKind.choices)
    title = forms.CharField(label=_("预案名称"), max_length=200)
    effective_on = forms.DateField(label=_("发布日期"), widget=date_input())
    review_on = forms.DateField(label=_("下次评审日期"), widget=date_input())
    document = forms.FileField(label=_("预案文本（PDF/Word/WPS/OFD）"), required=False)
    posts = forms.ModelMultipleChoiceField(label=_("适用岗位"), queryset=Post.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = _posts(self.user)


class EmergencyPlanReviseForm(StyledForm):
    effective_on = forms.DateField(label=_("发布日期"), widget=date_input())
    review_on = forms.DateField(label=_("下次评审日期"), widget=date_input())
    document = forms.FileField(label=_("新版预案文本"), required=False)
    note = forms.CharField(label=_("修订说明"), widget=forms.Textarea)


class DrillForm(StyledForm):
    title = forms.CharField(label=_("演练名称"), max_length=200)
    held_on = forms.DateField(label=_("演练日期"), widget=date_input())
    emergency_plan = forms.ModelChoiceField(
        label=_("演练的预案"), queryset=EmergencyPlan.objects.none(), required=False
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    scenario = forms.CharField(label=_("演练情景"), required=False, widget=forms.Textarea)
    participants = PeopleField(label=_("参演人员"), queryset=User.objects.none(), required=False)
    participant_count = forms.IntegerField(label=_("参演总人数（含外单位）"), min_value=0, required=False)
    timeline = forms.CharField(label=_("演练过程"), required=False, widget=forms.Textarea)
    evaluation = forms.CharField(label=_("演练评估"), required=False, widget=forms.Textarea)
    photos = ImagesField(label=_("现场照片（可多选）"), required=False)
    findings = forms.CharField(
        label=_("发现的问题（每行一条，登记为隐患，来源“应急演练”）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _people(self.user)
        self.fields["emergency_plan"].queryset = EmergencyPlan.objects.filter(
            organization_id=self.user.organization_id, is_current=True
        )

    def findings_list(self) -> list[dict]:
        return _findings(self.cleaned_data.get("findings", ""))


def _findings(text: str) -> list[dict]:
    """发现的问题, one a line: each a hazard of the general level (a major one is entered alone)."""
    return [{"description": line.strip(), "level": HazardLevel.GENERAL} for line in text.splitlines() if line.strip()]


class DrillPlanForm(StyledForm):
    """A drill planned ahead: what, which plan it exercises, when, where, who is to take part."""

    title = forms.CharField(label=_("演练名称"), max_length=200)
    held_on = forms.DateField(label=_("计划演练日期"), widget=date_input())
    emergency_plan = forms.ModelChoiceField(
        label=_("演练的预案"), queryset=EmergencyPlan.objects.none(), required=False
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    scenario = forms.CharField(label=_("演练情景"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    participants = PeopleField(label=_("计划参演人员"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _people(self.user)
        self.fields["emergency_plan"].queryset = EmergencyPlan.objects.filter(
            organization_id=self.user.organization_id, is_current=True
        )


class DrillRecordForm(StyledForm):
    """What a planned drill adds once held: the day, who took part (those who scanned stay), the
    course, the evaluation, photos, and the problems found (hazards)."""

    held_on = forms.DateField(label=_("实际演练日期"), widget=date_input())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    participants = PeopleField(
        label=_("参演人员（已扫码签到的人员自动计入）"), queryset=User.objects.none(), required=False
    )
    participant_count = forms.IntegerField(
        label=_("参演总人数（含外单位）"), min_value=0, max_value=100000, required=False
    )
    timeline = forms.CharField(label=_("演练过程"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    evaluation = forms.CharField(label=_("演练评估"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = ImagesField(label=_("现场照片（可多选）"), required=False)
    findings = forms.CharField(
        label=_("发现的问题（每行一条，登记为隐患，来源“应急演练”）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _people(self.user)

    def findings_list(self) -> list[dict]:
        return _findings(self.cleaned_data.get("findings", ""))


class DrillCancelForm(StyledForm):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class FindingForm(StyledForm):
    description = forms.CharField(label=_("发现的问题"), widget=forms.Textarea)
    location = forms.CharField(label=_("部位"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("隐患等级"), choices=[(HazardLevel.GENERAL, HazardLevel.GENERAL.label)])


class CardQuizForm(StyledForm):
    card = forms.ModelChoiceField(label=_("两单两卡（岗位）"), queryset=PostCard.objects.none())
    paper = forms.ModelChoiceField(label=_("测验试卷"), queryset=Paper.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.user.organization_id
        self.fields["card"].queryset = PostCard.objects.filter(organization_id=org).select_related("post__department")
        self.fields["paper"].queryset = Paper.objects.filter(organization_id=org, is_active=True)


# --- the filter bars of the lists (core.views.FilteredListView) -----------------------------------
VALID_CHOICES = [("", _("有效记录")), ("void", _("已作废")), ("all", _("全部"))]


def valid_value(choice: str) -> bool | None:
    """The ``active`` argument of a selector for a value of a ``VALID_CHOICES`` field."""
    return {"": True, "void": False}.get(choice or "")


class InstitutionFilterForm(FilterForm):
    """A filter bar with 机构 for those who see several institutions (a regulator); an institution's
    own people see only theirs and get no such box (``?organization=`` from the overview is then
    simply their own records)."""

    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.user.organization
        if org is not None and org.is_institution:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = (
                Organization.objects.visible_to(self.user).filter(type="institution").order_by("name")
            )


def _from_to():
    return (
        forms.DateField(label=_("自"), required=False, widget=date_input()),
        forms.DateField(label=_("至"), required=False, widget=date_input()),
    )


class SessionFilterForm(InstitutionFilterForm):
    q = search_field(_("培训名称或授课人"))
    category = forms.ModelChoiceField(
        label=_("培训类别"), required=False, queryset=TrainingCategory.objects.all(), empty_label=_("全部类别")
    )
    held_from, held_to = _from_to()
    valid = forms.ChoiceField(label=_("状态"), required=False, choices=VALID_CHOICES)
    field_order = ["q", "category", "organization", "held_from", "held_to", "valid"]


class PlanFilterForm(InstitutionFilterForm):
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput({"placeholder": _("年度")}),
    )


class BankFilterForm(InstitutionFilterForm):
    q = search_field(_("题库名称"))


class PaperFilterForm(InstitutionFilterForm):
    q = search_field(_("试卷名称或题库"))
    valid = forms.ChoiceField(label=_("状态"), required=False, choices=VALID_CHOICES)


class DrillFilterForm(InstitutionFilterForm):
    q = search_field(_("演练名称、情景或地点"))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *DrillStatus.choices])
    held_from, held_to = _from_to()
    field_order = ["q", "status", "organization", "held_from", "held_to"]


class EmergencyPlanFilterForm(InstitutionFilterForm):
    q = search_field(_("预案名称"))
    kind = forms.ChoiceField(label=_("预案类型"), required=False, choices=[("", _("全部类型")), *PlanKind.choices])
    review = forms.ChoiceField(label=_("评审"), required=False, choices=[("", _("全部")), ("due", _("评审已到期"))])


class CertificateFilterForm(InstitutionFilterForm):
    q = search_field(_("持证人姓名或证书编号"))
    kind = forms.ModelChoiceField(
        label=_("证书类别"), required=False, queryset=CertificateKind.objects.all(), empty_label=_("全部类别")
    )
    within = forms.ChoiceField(
        label=_("有效期"),
        required=False,
        choices=[
            ("", _("全部有效期")),
            *((str(d), _("%(d)s天内到期") % {"d": d}) for d in EXPIRY_WINDOWS),
            ("expired", _("已过期")),
        ],
    )
    valid = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("有效证书")), ("void", _("已作废")), ("all", _("全部"))]
    )
    field_order = ["q", "kind", "within", "organization", "valid"]
