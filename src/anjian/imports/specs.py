"""What each import kind reads: its columns (Chinese titles, required, notes, choices) and who may use it.

The column specs are data: the template, the reader, the error table and the docs all come from
them. ``Column.key`` names the service field the column fills, so a service error on that field
is reported under the column's title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can, grantable_roles
from anjian.core.roles import Role
from anjian.core.xlsx import NO, YES
from anjian.orgs.choices import HospitalGrade, InstitutionKind, Ownership

YES_NO = (YES, NO)


def labels(choices) -> list[str]:
    return [str(label) for label in choices.labels]


def role_labels(user) -> list[str]:
    """The roles the user may give, by label (``core.permissions.ROLE_GRANTS``): a safety officer
    department heads and staff, a regulator's administrator every role but the system's."""
    roles = grantable_roles(user)
    return [str(role.label) for role in Role if role in roles]


@dataclass(frozen=True)
class Column:
    """One column of an import sheet.

    key          the service field it fills (errors on that field land in this column)
    title        the header, in Chinese, as the template writes it (without the * mark)
    required     a blank cell is an error; the template marks it with a red *
    note         what to write, shown as the header's comment and on the instructions sheet
    example      an example value for the instructions sheet
    options      the allowed values (labels), for the drop-down list and the check
    org_list     "regulators" or "organizations": a drop-down of the names in the user's scope
    per_org      only for users who name the organization on each row (regulators); an
                 institution's own users import into their own institution
    fields       other service fields whose errors belong to this column
    """

    key: str
    title: str
    required: bool = False
    width: float = 16
    note: str | Promise = ""
    example: str = ""
    options: Callable[[object], list[str]] | None = None
    org_list: str = ""
    per_org: bool = False
    text: bool = True
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str | Promise
    object_label: str | Promise
    action: Action
    sheet_title: str
    description: str | Promise
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def allowed(self, user) -> bool:
        return can(user, self.action)

    def columns_for(self, user) -> list[Column]:
        """The columns of this user's template: per-organization columns only for those who
        import into more than one organization."""
        names_org = names_organization_per_row(user)
        return [c for c in self.columns if names_org or not c.per_org]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def column_for_field(self, name: str | None) -> Column | None:
        for column in self.columns:
            if name == column.key or name in column.fields:
                return column
        return None

    @property
    def required_titles(self) -> list[str]:
        return [c.title for c in self.columns if c.required]

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.columns]


def names_organization_per_row(user) -> bool:
    """Regulators (and system administrators) import into the institutions they supervise."""
    if user is None:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    org = getattr(user, "organization", None)
    return org is not None and org.is_regulator


def _yes_no(_user) -> list[str]:
    return list(YES_NO)


INSTITUTIONS = ImportKind(
    key="institutions",
    label=_("机构"),
    object_label=_("机构"),
    action=Action.IMPORT_INSTITUTIONS,
    sheet_title="机构",
    description=_("医疗卫生机构的基本信息：名称、类别、等级、统一社会信用代码、消防重点等标志。"),
    columns=(
        Column(
            "name", "名称", required=True, width=30, note=_("机构全称，如“安宁区人民医院”。"), example="安宁区人民医院"
        ),
        Column("short_name", "简称", width=14, example="区人民医院"),
        Column(
            "parent",
            "上级监管部门",
            width=28,
            note=_("您管辖范围内的监管部门名称；不填则为您所在的卫健委。"),
            org_list="regulators",
        ),
        Column(
            "kind",
            "机构类别",
            required=True,
            width=18,
            options=lambda _user: labels(InstitutionKind),
            note=_("从下拉列表中选择。"),
            example=str(InstitutionKind.PUBLIC_HOSPITAL.label),
        ),
        Column(
            "hospital_grade",
            "医院等级",
            width=12,
            options=lambda _user: labels(HospitalGrade),
            example=str(HospitalGrade.TERTIARY_A.label),
        ),
        Column("is_specialty", "专科医院", width=10, options=_yes_no, note=_("是/否，不填为否。"), example=NO),
        Column(
            "ownership",
            "所有制",
            width=16,
            options=lambda _user: labels(Ownership),
            example=str(Ownership.PUBLIC.label),
        ),
        Column(
            "is_fire_key_unit", "消防安全重点单位", width=12, options=_yes_no, note=_("是/否，不填为否。"), example=YES
        ),
        Column("is_fire_high_risk", "火灾高危单位", width=12, options=_yes_no, note=_("是/否，不填为否。"), example=NO),
        Column(
            "is_elderly_care", "老年医养护理场所", width=12, options=_yes_no, note=_("是/否，不填为否。"), example=NO
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            width=22,
            note=_("18位，末位为校验位；同一代码只能登记一个机构。"),
            example="12500112MB1234567X",
        ),
        Column("division_code", "行政区划代码", width=12, note=_("6位数字，如 500112。"), example="500112"),
        Column("address", "地址", width=30),
        Column("legal_representative", "法定代表人", width=12),
        Column("contact_person", "安全联系人", width=12),
        Column("contact_phone", "联系电话", width=16),
        Column("bed_count", "床位数", width=10, note=_("整数。"), text=False, example="500"),
        Column("staff_count", "职工人数", width=10, note=_("整数。"), text=False, example="620"),
    ),
)

DEPARTMENTS = ImportKind(
    key="departments",
    label=_("科室与岗位"),
    object_label=_("科室"),
    action=Action.IMPORT_STAFF,
    sheet_title="科室",
    description=_("机构的科室（可分上下级）及每个科室的岗位。"),
    columns=(
        Column(
            "organization",
            "所属单位",
            width=28,
            per_org=True,
            org_list="institutions",
            note=_("您管辖范围内的医疗卫生机构名称或统一社会信用代码；不填则为上传时选择的单位。"),
        ),
        Column("name", "科室名称", required=True, width=20, example="心内科"),
        Column(
            "parent",
            "上级科室",
            width=20,
            note=_("已有科室或本表上方某行的科室名称；同名科室可写成“内科/心内科”。不填为一级科室。"),
            example="内科",
        ),
        Column("code", "科室编码", width=12),
        Column("location", "位置", width=20, example="住院楼5楼"),
        Column("phone", "电话", width=14),
        Column(
            "posts",
            "岗位",
            width=36,
            note=_("本科室的岗位名称，多个用“、”“，”或“；”分隔。"),
            example="病区护士、护工",
        ),
        Column(
            "certified_posts",
            "需持证岗位",
            width=20,
            note=_("上一列中需要持证上岗的岗位（如电工、消防控制室值班员），多个用“、”分隔。"),
        ),
    ),
)

STAFF = ImportKind(
    key="staff",
    label=_("人员"),
    object_label=_("人员"),
    action=Action.IMPORT_STAFF,
    sheet_title="人员",
    description=_("人员账号：所属单位、科室、岗位与角色；不填初始密码则自动生成，导入后显示一次。"),
    columns=(
        Column(
            "username",
            "用户名",
            required=True,
            width=16,
            note=_("登录用的账号，全平台唯一，建议用工号或拼音。"),
            example="zhangsan",
        ),
        Column("name", "姓名", required=True, width=12, example="张三"),
        Column(
            "organization",
            "所属单位",
            width=28,
            per_org=True,
            org_list="organizations",
            note=_("您管辖范围内的单位名称或统一社会信用代码；不填则为上传时选择的单位或您所在单位。"),
        ),
        Column("department", "科室", width=18, note=_("本单位已有的科室名称。"), example="心内科"),
        Column("post", "岗位", width=18, note=_("所填科室中的岗位名称；填岗位须同时填科室。"), example="病区护士"),
        Column(
            "role",
            "角色",
            required=True,
            width=18,
            options=role_labels,
            note=_("从下拉列表中选择。"),
            example=str(Role.STAFF.label),
        ),
        Column("phone", "手机号", width=14),
        Column("job_title", "职务", width=14, example="护士长"),
        Column("email", "邮箱", width=22),
        Column(
            "password",
            "初始密码",
            width=16,
            note=_("可不填：不填则自动生成强密码，导入后显示一次并可下载。至少8位，不能全为数字。"),
        ),
    ),
)


def _category_names(_user) -> list[str]:
    from anjian.hazards.library import category_list

    return list(category_list(active=True).order_by("sort_order", "pk").values_list("name", flat=True))


CRITERIA = ImportKind(
    key="criteria",
    label=_("重大隐患判定标准"),
    object_label=_("判定条目"),
    action=Action.HAZARD_LIBRARY_MANAGE,
    sheet_title="判定标准",
    description=_(
        "重大事故隐患判定标准的条目：同一标准名称和版本的行归入同一版本（不存在则新建）；已有的版本只能追加新条目。"
    ),
    columns=(
        Column("standard", "标准名称", required=True, width=36, example="医疗机构重大事故隐患判定清单（试行）"),
        Column("document_number", "文号/标准号", width=24, example="国卫办密安函〔2023〕490号"),
        Column("version", "版本", required=True, width=10, example="2023"),
        Column("code", "条目号", required=True, width=8, example="1", note=_("同一版本内不能重复。")),
        Column("text", "判定情形", required=True, width=60),
        Column("category", "隐患类别", width=14, options=_category_names, note=_("从下拉列表中选择，可不填。")),
    ),
)

KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (INSTITUTIONS, DEPARTMENTS, STAFF, CRITERIA)}


def kinds_for(user) -> list[ImportKind]:
    return [kind for kind in KINDS.values() if kind.allowed(user)]
