"""Forms of the hazard pages: they bind input; the rules live in hazards.services and workflow."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, date_input, search_field
from anjian.core.inputs import id_or_none
from anjian.core.roles import Role
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.library import criterion_choices
from anjian.hazards.models import Criterion, CriterionSet, HazardCategory
from anjian.hazards.services import CHANGEABLE_PLAN_FIELDS, PHOTO_REQUIRED, photo_exempt
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Department, Organization

DATE = date_input()
YES_NO = [("", _("不限")), ("true", _("是")), ("false", _("否"))]


class FastSelect(forms.Select):
    """A select written in Python rather than through a template per option; for a ModelChoiceField
    over named rows (institutions, departments) the options are read as ``(pk, name)`` pairs, without
    a model instance each. A city regulator's thousand institutions took 60 ms to render in the
    ledger's filter bar. The same HTML as ``forms.Select`` (those rows' ``__str__`` is their name)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            options = [("", field.empty_label)] if field.empty_label is not None else []
            options += field.queryset.values_list("pk", "name")
        else:
            options = list(choices)
            if any(isinstance(label, list | tuple) for _value, label in options):
                return super().render(name, value, attrs, renderer)  # option groups: Django's templates
        wanted = self.format_value(value)
        parts = [format_html('<select name="{}"{}>', name, _attrs(self.build_attrs(self.attrs, attrs)))]
        for option, label in options:
            key = "" if option is None else str(option)
            selected = key in wanted
            if selected:
                wanted = ()  # one selected option, as forms.Select
            parts.append(f'<option value="{escape(key)}"{" selected" if selected else ""}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("\n  ".join(parts))  # noqa: S308 - every value and label is escaped


def _attrs(attrs: dict) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them (True: the bare name; False: left out)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


def _bool(value: str):
    return {"true": True, "false": False}.get(value or "")


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several photos in one input; each is decoded and checked by the service."""

    widget = MultipleImageInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(ImagesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def criterion_label(criterion: Criterion, limit: int = 36) -> str:
    """判定依据 as a person picks it: the standard, the item number and its wording, the wording cut
    at ``limit`` characters (the whole of it goes in the option's title and the search)."""
    text = " ".join(criterion.text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip("，、；。,; ") + "…"
    return str(
        _("%(set)s 第%(code)s条：%(text)s")
        % {"set": criterion.criterion_set.name, "code": criterion.code, "text": text}
    )


class CriterionSelect(forms.Select):
    """The criteria as a select with a search box above it (criterion-picker.js shows the box and
    filters the options as one types: standard, number, document number and the whole wording)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        criterion = getattr(value, "instance", None)
        if criterion is not None:
            cset = criterion.criterion_set
            option["attrs"]["title"] = criterion.text
            option["attrs"]["data-search"] = " ".join(
                [cset.name, cset.document_number, f"第{criterion.code}条", criterion.code, criterion.text]
            )
        return option

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        box = format_html(
            '<input type="search" class="form-control mb-2" data-filter-for="{}" placeholder="{}" aria-label="{}"'
            ' autocomplete="off" hidden>',
            select_id,
            _("输入关键词查找，如：燃气、报警、承重"),
            _("查找判定依据"),
        )
        text = format_html('<div class="form-hint" data-criterion-text-for="{}"></div>', select_id)
        return box + select + text


class CriterionChoiceField(forms.ModelChoiceField):
    widget = CriterionSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("请选择判定依据"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Criterion) -> str:
        return criterion_label(obj)


def institutions_for(user):
    return Organization.objects.visible_to(user).filter(type=OrganizationType.INSTITUTION, is_active=True)


class HazardFilterForm(FilterForm):
    q = search_field(_("编号、名称、部位或机构"))
    status = forms.ChoiceField(  # set by the status tabs above the list
        label=_("状态"),
        required=False,
        widget=forms.HiddenInput,
        choices=[("", _("全部状态")), ("open", _("未销号")), *HazardStatus.choices],
    )
    level = forms.ChoiceField(
        label=_("等级"), required=False, choices=[("", _("全部等级")), *HazardLevel.choices], widget=FastSelect
    )
    category = forms.ChoiceField(label=_("类别"), required=False, widget=FastSelect)
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部来源")), *HazardSource.choices], widget=FastSelect
    )
    organization = forms.ModelChoiceField(
        label=_("机构"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("全部机构"),
        widget=FastSelect,
    )
    department = forms.ModelChoiceField(
        label=_("科室"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("全部科室"),
        widget=FastSelect,
    )
    overdue = forms.ChoiceField(
        label=_("逾期"),
        required=False,
        choices=[("", _("是否逾期")), ("true", _("已逾期")), ("false", _("未逾期"))],
        widget=FastSelect,
    )
    due_soon = forms.ChoiceField(
        label=_("临期"),
        required=False,
        choices=[("", _("是否临期")), ("true", _("即将到期")), ("false", _("未临期"))],
        widget=FastSelect,
    )
    supervised = forms.ChoiceField(
        label=_("挂牌督办"),
        required=False,
        choices=[("", _("是否督办")), ("true", _("挂牌督办")), ("false", _("未督办"))],
        widget=FastSelect,
    )
    found_from = forms.DateField(label=_("发现日期起"), required=False, widget=DATE)
    found_to = forms.DateField(label=_("发现日期止"), required=False, widget=DATE)
    deadline_from = forms.DateField(label=_("整改期限起"), required=False, widget=DATE)
    deadline_to = forms.DateField(label=_("整改期限止"), required=False, widget=DATE)
    ordering = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("", _("最新发现在前")),
            ("overdue", _("逾期在前")),
            ("deadline", _("期限近的在前")),
            ("found", _("最早发现在前")),
            ("number", _("按编号")),
        ],
        widget=FastSelect,
    )
    # set by a statistics figure's click-through (anjian.stats), kept across the filter bar
    closed_from = forms.DateField(label=_("销号日期起"), required=False, widget=forms.HiddenInput)
    closed_to = forms.DateField(label=_("销号日期止"), required=False, widget=forms.HiddenInput)
    open_on = forms.DateField(label=_("截至当日未销号"), required=False, widget=forms.HiddenInput)
    overdue_on = forms.DateField(label=_("截至当日逾期"), required=False, widget=forms.HiddenInput)
    in_time = forms.ChoiceField(label=_("按期销号"), required=False, choices=YES_NO, widget=forms.HiddenInput)
    dismissed = forms.ChoiceField(label=_("已撤销"), required=False, choices=YES_NO, widget=forms.HiddenInput)
    no_department = forms.BooleanField(label=_("未指定科室"), required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("机构类别"), required=False, choices=[("", ""), *InstitutionKind.choices], widget=forms.HiddenInput
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("辖区"), required=False, queryset=Organization.objects.none(), widget=forms.HiddenInput
    )
    # no out-of-band refresh: the ledger's filter bar sits inside #list-results (with the status tabs),
    # so every answer redraws it whole, departments included; an out-of-band copy would be taken out
    # of that answer and the department filter would vanish after the first change
    refresh_fields = ()

    # dates are typed or linked, never picked from a list: a bad one is said, next to its box, and the
    # list shows nothing until it is put right (a select's stale value is still dropped quietly: the
    # department of another institution after the institution changed)
    DATE_FIELDS = (
        "found_from",
        "found_to",
        "deadline_from",
        "deadline_to",
        "closed_from",
        "closed_to",
        "open_on",
        "overdue_on",
    )
    DATE_RANGES = (("found_from", "found_to"), ("deadline_from", "deadline_to"), ("closed_from", "closed_to"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        categories = HazardCategory.objects.filter(is_active=True).values_list("code", "name")
        self.fields["category"].choices = [("", _("全部类别")), *categories]
        institutions = institutions_for(user)
        self.fields["jurisdiction"].queryset = Organization.objects.visible_to(user).filter(
            type=OrganizationType.REGULATOR
        )
        if user is not None and user.organization is not None and user.organization.is_institution:
            del self.fields["organization"]
            self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        else:
            self.fields["organization"].queryset = institutions
            org_id = self.data.get("organization")
            depts = Department.objects.visible_to(user).filter(is_active=True)
            self.fields["department"].queryset = (
                depts.filter(organization_id=org_id) if org_id and str(org_id).isdigit() else depts.none()
            )

    def clean(self):
        cleaned = super().clean()
        self.inverted = {}
        example = timezone.localdate().isoformat()
        for name in self.DATE_FIELDS:
            if name in self._errors:  # Django's "输入一个有效的日期" names neither the box nor the value
                self._errors[name] = self.error_class(
                    [
                        _("%(label)s“%(value)s”不是有效的日期，请按“年-月-日”填写，如 %(example)s。")
                        % {"label": self.fields[name].label, "value": self.data.get(name, "")[:20], "example": example}
                    ]
                )
        for start, end in self.DATE_RANGES:
            first, last = cleaned.get(start), cleaned.get(end)
            if first and last and first > last:
                self.inverted[start] = first  # still applied where the form is read (an empty range)
                self.add_error(
                    start,
                    _("%(start)s（%(first)s）不能晚于%(end)s（%(last)s）。")
                    % {
                        "start": self.fields[start].label,
                        "first": first.isoformat(),
                        "end": self.fields[end].label,
                        "last": last.isoformat(),
                    },
                )
        return cleaned

    def date_errors(self) -> dict[str, list[str]]:
        """The bad dates, by field: all of them at once, for the page to show (and to list nothing)."""
        self.is_valid()
        return {name: list(self.errors[name]) for name in self.DATE_FIELDS if name in self.errors}

    STATISTICS_FIELDS = (
        "closed_from",
        "closed_to",
        "open_on",
        "overdue_on",
        "in_time",
        "dismissed",
        "no_department",
        "kind",
        "jurisdiction",
    )

    def statistics_filters(self) -> list[str]:
        """The hidden filters a statistics figure set (its 口径), to say above the list what it shows."""
        f = self.filters()
        out = []
        for name in self.STATISTICS_FIELDS:
            value = f.get(name)
            if value in (None, "", False):
                continue
            field = self.fields[name]
            if name == "dismissed":
                out.append(str(_("不含已撤销")) if value == "false" else str(_("仅已撤销")))
            elif name == "in_time":
                out.append(str(_("按期销号")) if value == "true" else str(_("超期销号")))
            elif name == "no_department":
                out.append(str(field.label))
            elif name == "kind":
                out.append(f"{field.label}{_('：')}{dict(field.choices).get(value, value)}")
            else:
                out.append(f"{field.label}{_('：')}{value}")
        return out

    def to_selector(self):
        from anjian.hazards.selectors import HazardFilters

        f = self.filters()
        inverted = getattr(self, "inverted", {})
        return HazardFilters(
            status=f.get("status", ""),
            level=f.get("level", ""),
            category=f.get("category", ""),
            source=f.get("source", ""),
            organization=f["organization"].pk if f.get("organization") else None,
            department=f["department"].pk if f.get("department") else None,
            overdue=_bool(f.get("overdue", "")),
            due_soon=_bool(f.get("due_soon", "")),
            supervised=_bool(f.get("supervised", "")),
            found_from=f.get("found_from", inverted.get("found_from")),
            found_to=f.get("found_to"),
            deadline_from=f.get("deadline_from", inverted.get("deadline_from")),
            deadline_to=f.get("deadline_to"),
            closed_from=f.get("closed_from", inverted.get("closed_from")),
            closed_to=f.get("closed_to"),
            open_on=f.get("open_on"),
            overdue_on=f.get("overdue_on"),
            in_time=_bool(f.get("in_time", "")),
            dismissed=_bool(f.get("dismissed", "")),
            no_department=bool(f.get("no_department")),
            kind=f.get("kind", ""),
            jurisdiction=f["jurisdiction"].pk if f.get("jurisdiction") else None,
            q=f.get("q", ""),
            ordering=f.get("ordering") or self.data.get("ordering", ""),
        )


class HazardReportForm(StyledForm):
    """随手拍: what a nurse fills on a phone in under a minute."""

    # not required here: the service decides (hazards.services.photo_exempt), so the form and the
    # API say the same thing; the template marks it required
    photos = ImagesField(
        label=_("现场照片"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    category = forms.ModelChoiceField(
        label=_("隐患类别"),
        queryset=HazardCategory.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    location = forms.CharField(
        label=_("隐患部位"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：住院部3楼东侧安全出口")}),
    )
    title = forms.CharField(
        label=_("发现了什么"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：安全出口被杂物堵塞")}),
    )
    description = forms.CharField(label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    organization = forms.ModelChoiceField(label=_("机构"), queryset=Organization.objects.none())
    department = forms.ModelChoiceField(label=_("科室"), required=False, queryset=Department.objects.none())
    level = forms.ChoiceField(label=_("隐患等级"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)
    criterion = CriterionChoiceField(
        label=_("判定依据（重大隐患必填）"), required=False, queryset=Criterion.objects.none()
    )
    source = forms.ChoiceField(
        label=_("隐患来源"), required=False, choices=[("", _("按登记人默认")), *HazardSource.choices]
    )
    source_reference = forms.CharField(
        label=_("来源编号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("举报受理编号、交办文号或检查报告编号")}),
    )
    fixed_on_spot = forms.BooleanField(label=_("已现场整改（即查即改）"), required=False)
    after_photos = ImagesField(
        label=_("整改后照片"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        institutions = institutions_for(user)
        self.fields["organization"].queryset = institutions
        own = user.organization if user is not None else None
        if own is not None and own.is_institution:
            self.fields["organization"].initial = own.pk
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["department"].queryset = Department.objects.filter(organization=own, is_active=True)
            self.fields["department"].initial = user.department_id
        else:
            org_id = id_or_none(self.data.get("organization") or self.initial.get("organization"))
            self.fields["department"].queryset = (
                Department.objects.visible_to(user).filter(organization_id=org_id, is_active=True)
                if org_id is not None
                else Department.objects.none()
            )
        self.fields["criterion"].queryset = criterion_choices()
        self.fields["category"].widget.attrs.pop("class", None)
        if user is not None and user.role in (Role.STAFF, Role.DEPARTMENT_HEAD):
            # the phone form stays short: front-line reports are self-inspection
            del self.fields["source"]
            del self.fields["source_reference"]

    def clean(self):
        cleaned = super().clean()
        # said with the other errors at once; the service checks it again (the API's way in)
        if not cleaned.get("photos") and "photos" not in self.errors and not photo_exempt(cleaned):
            # a nurse's short form has no source to be exempt by: the plain sentence
            self.add_error("photos", PHOTO_REQUIRED if "source" in self.fields else _("请上传至少一张隐患现场照片。"))
        return cleaned

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "location": d["location"],
            "description": d.get("description", ""),
            "category": d["category"],
            "department": d.get("department"),
            "level": d["level"],
            "criterion": d.get("criterion"),
            "fixed_on_spot": d.get("fixed_on_spot", False),
            **({"source": d["source"]} if d.get("source") else {}),
            "source_reference": d.get("source_reference", ""),
        }


# --- one small form per action -------------------------------------------------------------------
class NoteForm(StyledForm):
    note = forms.CharField(label=_("意见（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(StyledForm):
    note = forms.CharField(label=_("不批准的理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(StyledForm):
    """The rectification plan; for a major hazard all six parts (the service says which are missing)."""

    responsible = forms.ModelChoiceField(label=_("整改责任人"), queryset=User.objects.none())
    responsible_unit = forms.CharField(label=_("责任单位/部门"), required=False, max_length=100)
    measures = forms.CharField(label=_("整改方法和措施"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    funds = forms.DecimalField(label=_("整改资金（元）"), required=False, min_value=0, max_digits=14, decimal_places=2)
    goal = forms.CharField(label=_("整改目标和任务"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    materials = forms.CharField(label=_("经费和物资落实"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requirements = forms.CharField(label=_("时限和要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    safety_measures = forms.CharField(
        label=_("整改期间安全措施和应急预案"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("measures", "goal", "materials", "requirements", "safety_measures", "note")

    def __init__(self, *args, user=None, hazard=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["responsible"].queryset = User.objects.filter(
            organization_id=hazard.organization_id, is_active=True
        ).order_by("name")
        if hazard.is_major:
            for name in ("goal", "materials", "requirements", "safety_measures"):
                self.fields[name].required = True
            self.fields["responsible_unit"].required = True

    def plan(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class ChangePlanForm(PlanForm):
    """The plan changed after confirmation, with a reason; the deadline moves only by a postponement."""

    reason = forms.CharField(
        label=_("变更理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("记入操作记录。整改期限的变更请通过“申请延期”办理。"),
    )
    wide_fields = (*PlanForm.wide_fields, "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["deadline"], self.fields["note"]
        self.fields["reason"].error_messages["required"] = _("变更整改方案须填写变更理由。")

    def plan(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in CHANGEABLE_PLAN_FIELDS}


class SubmitForm(StyledForm):
    rectification_note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    after_photos = ImagesField(
        label=_("整改后照片"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hazard is not None and hazard.organization.require_after_photo:
            # the service refuses without one; the label says so (the field stays optional here, so
            # that photos uploaded earlier through the API count, as the service counts them)
            self.fields["after_photos"].label = _("整改后照片（本单位要求必传）")


class PostponeForm(StyledForm):
    new_deadline = forms.DateField(label=_("申请延期至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReclassifyForm(StyledForm):
    level = forms.ChoiceField(label=_("调整为"), choices=HazardLevel.choices)
    criterion = CriterionChoiceField(
        label=_("判定依据（调整为重大隐患时必填）"), required=False, queryset=Criterion.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criterion_choices()

    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class SuperviseForm(StyledForm):
    level = forms.ChoiceField(label=_("督办级别"), choices=SupervisionLevel.choices)
    notice_number = forms.CharField(
        label=_("督办通知书文号"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("如：安卫督〔2026〕3号")}),
    )
    deadline = forms.DateField(label=_("督办期限"), widget=DATE)


# --- the library: categories and determination standards -----------------------------------------
class CategoryForm(ServiceModelForm):
    class Meta:
        model = HazardCategory
        fields = ["name", "code", "sort_order", "is_active"]
        help_texts = {"code": _("英文小写字母、数字、下划线，用于接口和导入，如 fire")}


class CriterionSetForm(ServiceModelForm):
    class Meta:
        model = CriterionSet
        fields = ["name", "document_number", "version", "effective_from", "is_active"]
        widgets = {"effective_from": DATE}


class CriterionForm(ServiceModelForm):
    wide_fields = ("text",)

    class Meta:
        model = Criterion
        fields = ["code", "text", "category", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
