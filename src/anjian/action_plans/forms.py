from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.action_plans.models import Assignment, Plan, Task
from anjian.action_plans.selectors import MATRIX_STATES
from anjian.core import uploads
from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, date_input, search_field
from anjian.orgs.choices import InstitutionKind, OrganizationType, Ownership
from anjian.orgs.models import Organization

# what the file pickers offer (the server checks each file by its content: core.uploads)
ACCEPT = ",".join(ext for key in uploads.ATTACHMENT_KINDS for ext in uploads.KINDS[key].extensions)


class _TablerChoices:
    """Checkboxes or radios as Tabler's inline form-checks (the class is set in the template)."""

    template_name = "action_plans/widgets/choices.html"
    option_template_name = "action_plans/widgets/choice_option.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("class", None)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["attrs"].pop("class", None)
        return context


class Checks(_TablerChoices, forms.CheckboxSelectMultiple):
    pass


class Radios(_TablerChoices, forms.RadioSelect):
    pass


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label=_("任务清单（xlsx 或 docx）"),
        help_text=_(
            "支持 Excel 表格和 Word 文档中的任务清单表格，合并单元格、分项任务、“牵头部门：…”等标注可直接导入；"
            ".doc、.wps 请先另存为 .docx。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx"}),
    )


class ImportConfirmForm(StyledForm):
    """The plan's name and number, and what the preview lets the user fix before confirming: a
    deadline not understood (or already past), the units of a task that reaches none."""

    title = forms.CharField(label=_("方案名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)

    def __init__(self, *args, problems=(), past=(), unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline_fields, self.unit_fields = [], []
        seen = set()
        for problem in problems:
            number = problem.get("number")
            if problem.get("field") == "deadline" and f"fix_{number}" not in seen:
                self._deadline_field(number, problem["message"], problem.get("text"))
                seen.add(f"fix_{number}")
            if problem.get("field") == "units" and f"units_{number}" not in seen:
                name = f"units_{number}"
                self.fields[name] = forms.MultipleChoiceField(
                    label=_("序号%(n)s 的责任单位") % {"n": number},
                    required=False,
                    choices=unit_choices,
                    help_text=problem["message"],
                    widget=forms.SelectMultiple(attrs={"data-testid": f"units-{number}", "size": 8}),
                )
                self.unit_fields.append(name)
                seen.add(name)
        self.past_fields = []  # shown beside each task in the list of past deadlines, not in the form's body
        for task in past:
            if f"fix_{task['number']}" not in seen:
                self._deadline_field(
                    task["number"],
                    _("完成时限 %(d)s 已过，可改为新的时限") % {"d": task["deadline"]},
                    task.get("deadline_text"),
                )
                field = self.fields[f"fix_{task['number']}"]
                field.widget.attrs.update({"form": "import-confirm", "class": "form-control form-control-sm"})
                self.past_fields.append(f"fix_{task['number']}")
                seen.add(f"fix_{task['number']}")
        self.fieldsets = [("", [n for n in self.fields if n not in self.past_fields])]

    def _deadline_field(self, number, help_text, text):
        name = f"fix_{number}"
        self.fields[name] = forms.CharField(
            label=_("序号%(n)s 的完成时限") % {"n": number},
            required=False,
            max_length=100,
            help_text=help_text,
            widget=forms.TextInput(attrs={"placeholder": text or _("如 2024年12月前、长期坚持")}),
        )
        self.deadline_fields.append(name)

    def fixes(self) -> dict:
        return {name.removeprefix("fix_"): self.cleaned_data.get(name, "") for name in self.deadline_fields}

    def unit_fixes(self) -> dict:
        out = {}
        for name in self.unit_fields:
            values = self.cleaned_data.get(name) or []
            out[name.removeprefix("units_")] = {
                "groups": [int(v[2:]) for v in values if v.startswith("g:")],
                "institutions": [int(v[2:]) for v in values if v.startswith("o:")],
            }
        return out


class PlanForm(ServiceModelForm):
    class Meta:
        model = Plan
        fields = ["title", "document_number", "issued_on", "start_year", "end_year", "document"]
        widgets = {"issued_on": date_input(), "document": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = uploads.upload_help()


class TaskForm(ServiceModelForm):
    class Meta:
        model = Task
        fields = ["title", "content", "measures", "deadline", "is_standing", "result_form", "cooperating_text", "notes"]
        widgets = {"deadline": date_input()}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ProgressForm(StyledForm):
    text = forms.CharField(label=_("工作进展"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    reported_on = forms.DateField(label=_("报告日期"), widget=date_input())
    result_form = forms.CharField(
        label=_("成果形式"), required=False, max_length=200, help_text=_("如：制度文件、培训记录、台账、照片")
    )
    attachments = MultipleFileField(label=_("附件"), required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = uploads.upload_help()

    claims_done = forms.BooleanField(label=_("任务已完成，申请确认"), required=False)


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("确认完成")), ("return", _("退回，继续推进"))],
        widget=Radios(),
    )
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportDefinitionForm(StyledForm):
    name = forms.CharField(label=_("报表名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_lines = forms.CharField(
        label=_("填报项"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "每行一项；整数项在末尾加“#”，如：一般隐患（项）#。平台能统计的数字（隐患总数、一般隐患、重大隐患及其已整改数，"
            "应开展和已开展排查次数）按名称自动为各单位预填；组建检查组、督导检查、检查单位、发现问题、约谈警示"
            "是监管部门自身的工作，不列入医疗机构的填报表。"
        ),
    )
    max_chars = forms.IntegerField(label=_("全文字数上限"), required=False, min_value=1)
    frequency = forms.ChoiceField(label=_("频次"), choices=[("monthly", _("月报")), ("quarterly", _("季报"))])
    due_day = forms.IntegerField(label=_("报送日"), min_value=1, max_value=31, initial=25)
    months_after = forms.TypedChoiceField(
        label=_("报送月份"), coerce=int, choices=[(0, _("当期内报送")), (1, _("次月报送上期"))]
    )
    holiday_shift = forms.ChoiceField(
        label=_("遇节假日"), choices=[("none", _("不顺延")), ("next_workday", _("顺延至下一个工作日"))]
    )
    unit_groups = forms.ModelMultipleChoiceField(label=_("报送单位"), queryset=None, widget=Checks())

    def __init__(self, *args, **kwargs):
        from anjian.action_plans.models import UnitGroup

        super().__init__(*args, **kwargs)
        self.fields["unit_groups"].queryset = UnitGroup.objects.all()

    def service_data(self) -> dict:
        d = self.cleaned_data
        fields = []
        for index, line in enumerate(d["field_lines"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            is_int = line.endswith("#")
            fields.append({"name": f"f{index}", "label": line.rstrip("#").strip(), "type": "int" if is_int else "text"})
        return {
            "name": d["name"],
            "description": d["description"],
            "fields": fields,
            "max_chars": d["max_chars"],
            "frequency": d["frequency"],
            "due_day": d["due_day"],
            "months_after": d["months_after"],
            "holiday_shift": d["holiday_shift"],
        }


class SubmissionForm(StyledForm):
    """One input per field an institution fills (the regulator's own columns left out); integers as
    numbers. A figure the platform counts starts at that count and says so; changing it asks for
    the reason beside it (``<name>__reason``; the service requires it when submitting)."""

    def __init__(self, *args, definition=None, counted=None, **kwargs):
        from anjian.action_plans.figures import institution_fields

        super().__init__(*args, **kwargs)
        self.counted = counted or {}
        self.reason_fields = []
        for item in institution_fields(definition):
            name = item["name"]
            if item.get("type") == "int":
                field = forms.CharField(label=item["label"], required=False, widget=forms.NumberInput(attrs={"min": 0}))
            else:
                field = forms.CharField(label=item["label"], required=False, widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[name] = field
            field.widget.attrs.setdefault("class", "form-control")
            if name in self.counted:
                field.help_text = _("平台按隐患台账和排查记录统计：%(n)s。如需更正，请在下方写明原因。") % {
                    "n": self.counted[name]
                }
                field.widget.attrs.update({"data-counted": self.counted[name], "data-reason-for": f"{name}__reason"})
                self.initial.setdefault(name, self.counted[name])
                reason = forms.CharField(
                    label=_("“%(l)s”的更正原因") % {"l": item["label"]},
                    required=False,
                    max_length=200,
                    help_text=_("与平台统计不一致时必填，监管部门可见"),
                )
                reason.widget.attrs.update({"class": "form-control", "data-reason": name})
                self.fields[f"{name}__reason"] = reason
                self.reason_fields.append(name)

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.fields if not name.endswith("__reason")}

    def reasons(self) -> dict:
        return {name: self.cleaned_data.get(f"{name}__reason", "") for name in self.reason_fields}


class UnitGroupForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=60)
    keyword_text = forms.CharField(
        label=_("对应的表述"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个；任务清单的责任单位中出现这些词语即对应本组，如“局属”“托育”"),
    )
    kinds = forms.MultipleChoiceField(
        label=_("机构类别"), required=False, choices=InstitutionKind.choices, widget=Checks()
    )
    ownership = forms.ChoiceField(label=_("所有制"), required=False, choices=[("", _("不限")), *Ownership.choices])
    all_institutions = forms.BooleanField(label=_("辖区全部机构"), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "keywords": [line.strip() for line in d["keyword_text"].splitlines() if line.strip()],
            "kinds": list(d["kinds"]),
            "ownership": d["ownership"],
            "all_institutions": d["all_institutions"],
            "sort_order": d["sort_order"],
        }


class PlanCreateForm(StyledForm):
    title = forms.CharField(label=_("方案名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("印发日期"), required=False, widget=date_input())
    start_year = forms.IntegerField(label=_("起始年度"), required=False, min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("截止年度"), required=False, min_value=2000, max_value=2100)
    document = forms.FileField(
        label=_("方案原文"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = uploads.upload_help()


class TaskCreateForm(StyledForm):
    action_title = forms.CharField(label=_("行动"), max_length=200, required=False)
    number = forms.CharField(label=_("序号"), max_length=20, required=False)
    title = forms.CharField(label=_("任务名称"), max_length=200, required=False)
    content = forms.CharField(label=_("任务内容"), widget=forms.Textarea(attrs={"rows": 3}))
    offices = forms.CharField(label=_("责任处室"), required=False, help_text=_("多个处室用顿号分隔"))
    unit_groups = forms.ModelMultipleChoiceField(
        label=_("责任单位（分组）"), queryset=None, required=False, widget=Checks()
    )
    named_units = forms.ModelMultipleChoiceField(label=_("责任单位（点名）"), queryset=None, required=False)
    cooperating_text = forms.CharField(label=_("配合单位"), required=False)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=date_input())
    is_standing = forms.BooleanField(label=_("长期坚持"), required=False)
    result_form = forms.CharField(label=_("成果形式"), max_length=200, required=False)
    wide_fields = ("content", "unit_groups")

    def __init__(self, *args, **kwargs):
        from anjian.action_plans.models import UnitGroup
        from anjian.orgs.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["unit_groups"].queryset = UnitGroup.objects.all()
        self.fields["named_units"].queryset = (
            Organization.objects.visible_to(self.user).filter(type="institution", is_active=True).order_by("path")
        )


class TaskBulkForm(StyledForm):
    """Change many tasks of a plan at once; the tasks are ticked in the table below the fields."""

    fieldsets = [(None, ["deadline", "standing", "offices", "offices_mode", "result_form"])]

    tasks = forms.ModelMultipleChoiceField(
        label=_("任务"),
        queryset=Task.objects.none(),
        error_messages={"required": _("请至少勾选一项任务。"), "invalid_choice": _("所选任务不属于本清单。")},
    )
    deadline = forms.DateField(
        label=_("完成时限"),
        required=False,
        widget=date_input(),
        help_text=_("留空则不改"),
    )
    standing = forms.ChoiceField(
        label=_("长期坚持"),
        required=False,
        choices=[("", _("不改")), ("set", _("设为长期坚持")), ("clear", _("取消长期坚持"))],
        widget=Radios,
    )
    offices = forms.CharField(
        label=_("责任处室"), required=False, max_length=200, help_text=_("多个处室用顿号分隔；留空则不改")
    )
    offices_mode = forms.ChoiceField(
        label=_("处室的改法"),
        choices=[("replace", _("替换原有处室")), ("add", _("添加到原有处室"))],
        initial="replace",
        widget=Radios,
    )
    result_form = forms.CharField(label=_("成果形式"), required=False, max_length=200, help_text=_("留空则不改"))

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks if tasks is not None else Task.objects.none()


class BulkReviewForm(StyledForm):
    fieldsets = [(None, ["decision", "comment"])]

    assignments = forms.ModelMultipleChoiceField(
        label=_("待审核的任务"),
        queryset=Assignment.objects.none(),
        error_messages={
            "required": _("请至少勾选一项待审核的任务。"),
            "invalid_choice": _("所选任务中有的已不在待审核状态（可能已被他人审核），请刷新后重试。"),
        },
    )
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("确认完成")), ("return", _("退回，继续推进"))],
        initial="accept",
        widget=Radios,
    )
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填；同一意见发给所选的每个单位"),
    )

    def __init__(self, *args, assignments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignments is not None:
            self.fields["assignments"].queryset = assignments


class MatrixFilterForm(FilterForm):
    """The units of the dispatch matrix: by name, by district (a regulator below the user's own,
    offered only when there is one) and by the state of their tasks."""

    q = search_field(_("单位名称或拼音首字母"))
    district = forms.ModelChoiceField(
        label=_("辖区"), required=False, queryset=Organization.objects.none(), empty_label=_("全部辖区")
    )
    state = forms.ChoiceField(label=_("任务状态"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部单位")), *MATRIX_STATES.items()]
        org = getattr(self.user, "organization", None)
        regulators = Organization.objects.none()
        if org is not None and org.is_regulator:
            regulators = (
                Organization.objects.visible_to(self.user)
                .filter(type=OrganizationType.REGULATOR, is_active=True)
                .exclude(pk=org.pk)
                .order_by("path")
            )
        if regulators.exists():
            self.fields["district"].queryset = regulators
        else:
            del self.fields["district"]
