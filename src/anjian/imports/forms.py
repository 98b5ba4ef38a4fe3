from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledForm
from anjian.imports.specs import kinds_for, names_organization_per_row
from anjian.orgs.selectors import institution_list


class ImportForm(StyledForm):
    kind = forms.ChoiceField(label=_("导入内容"), widget=forms.RadioSelect)
    organization = forms.ModelChoiceField(
        label=_("默认单位"),
        queryset=None,
        required=False,
        empty_label=_("（按表中“所属单位”列）"),
        help_text=_("科室、人员和历史隐患：表中未填“所属单位”的行导入到此单位。"),
    )
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("只校验不导入"), required=False, help_text=_("逐行检查并列出错误，不写入任何数据。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds_for(user)]
        self.fields["kind"].widget.attrs.pop("class", None)
        if names_organization_per_row(user):
            self.fields["organization"].queryset = institution_list(user=user)
        else:
            del self.fields["organization"]
