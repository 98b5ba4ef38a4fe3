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
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.orgs.choices import HospitalGrade, InstitutionKind, Ownership
from anjian.registers.choices import Unit, WasteCategory

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
    strict       the drop-down refuses a value not in the list (else it only warns: names that
                 may also be typed another way, as a department's "上级/下级")
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
    strict: bool = True


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str | Promise
    object_label: str | Promise
    action: Action
    sheet_title: str
    description: str | Promise
    columns: tuple[Column, ...] = field(default_factory=tuple)
    instructions: tuple[str | Promise, ...] = ()  # more lines for the template's instructions sheet

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

# the institution a row belongs to: only regulators name it (an institution imports into itself)
INSTITUTION_COLUMN = Column(
    "organization",
    "所属单位",
    width=28,
    per_org=True,
    org_list="institutions",
    note=_("您管辖范围内的医疗卫生机构名称或统一社会信用代码；不填则为上传时选择的单位。"),
)

DEPARTMENTS = ImportKind(
    key="departments",
    label=_("科室与岗位"),
    object_label=_("科室"),
    action=Action.IMPORT_STAFF,
    sheet_title="科室",
    description=_("机构的科室（可分上下级）及每个科室的岗位。"),
    columns=(
        INSTITUTION_COLUMN,
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

# --- old hazards (历史补录) ------------------------------------------------------------------------

# What an old ledger says of a hazard's state, and what it becomes: still open, it enters as 待确认
# (the institution confirms a plan through the loop); closed, it is closed when entered.
HAZARD_STATES: dict[str, str] = {
    "未整改": HazardStatus.REPORTED,
    "整改中": HazardStatus.REPORTED,
    "已销号": HazardStatus.CLOSED,
}
# the short words an old ledger uses for the two levels
LEVEL_WORDS: dict[str, str] = {"一般": HazardLevel.GENERAL, "重大": HazardLevel.MAJOR}


def criterion_labels(criterion) -> tuple[str, str]:
    """How a sheet names a determination item: "标准名称 第N条", and with the version when a standard
    has several ("标准名称（版本） 第N条")."""
    cset = criterion.criterion_set
    return f"{cset.name} 第{criterion.code}条", f"{cset.name}（{cset.version}） 第{criterion.code}条"


def _criterion_options(_user) -> list[str]:
    """The items a hazard may cite now, each by the shortest name that is unique."""
    from anjian.hazards.library import criterion_choices

    items = list(criterion_choices().order_by("criterion_set__name", "-criterion_set__version", "pk"))
    plain = [criterion_labels(c)[0] for c in items]
    return [name if plain.count(name) == 1 else criterion_labels(c)[1] for c, name in zip(items, plain, strict=True)]


def _department_names(user) -> list[str]:
    """The departments of an institution's own user (a regulator's sheet spans institutions: typed)."""
    from anjian.orgs.models import Department

    org = getattr(user, "organization", None)
    if org is None or not org.is_institution:
        return []
    qs = Department.objects.visible_to(user).filter(organization=org, is_active=True)
    return list(dict.fromkeys(qs.values_list("name", flat=True)))


HAZARDS = ImportKind(
    key="hazards",
    label=_("历史隐患台账（补录）"),
    object_label=_("历史补录隐患"),
    action=Action.HAZARD_BACKFILL,
    sheet_title="历史隐患",
    description=_("发现时间早于上月1日的隐患只能在此补录，计入导入当月的统计，原发现日期和原销号日期保留在台账中。"),
    instructions=(
        _(
            "5. 发现时间早于上月1日的隐患（此前各月的统计报表已报送）只能在此补录。补录的隐患标为“历史补录”，"
            "发现时间记为导入时间、计入导入当月的统计；已销号的，销号时间也记为导入时间。原发现日期和原销号日期保留在台账中。"
        ),
        _(
            "6. 未整改、整改中的隐患导入后为“待确认”，由本单位按闭环流程确认整改方案、整改和验收销号。"
            "已销号的重大事故隐患须由属地监管部门补录。不需要上传照片。"
        ),
    ),
    columns=(
        INSTITUTION_COLUMN,
        Column("title", "隐患名称", required=True, width=28, example="安全出口堵塞"),
        Column("location", "隐患部位", required=True, width=20, example="住院楼3楼东侧"),
        Column(
            "department",
            "科室",
            width=16,
            options=_department_names,
            strict=False,
            note=_("本单位已有的科室名称；同名科室可写成“内科/心内科”。可不填。"),
        ),
        Column(
            "category",
            "隐患类别",
            required=True,
            width=14,
            options=_category_names,
            note=_("从下拉列表中选择。"),
            example="消防",
        ),
        Column(
            "level",
            "隐患等级",
            width=14,
            options=lambda _user: labels(HazardLevel),
            note=_("不填为一般事故隐患。"),
            example=str(HazardLevel.GENERAL.label),
        ),
        Column(
            "criterion",
            "判定依据",
            width=40,
            options=_criterion_options,
            note=_("重大事故隐患必填：从下拉列表中选择判定标准的条目。一般事故隐患不填。"),
        ),
        Column(
            "source",
            "隐患来源",
            width=12,
            options=lambda _user: labels(HazardSource),
            note=_("不填：本单位导入的为自查，监管部门导入的为督导检查。"),
            example=str(HazardSource.SELF_INSPECTION.label),
        ),
        Column("source_reference", "来源编号", width=16, note=_("举报受理编号、上级交办文号或检查报告编号。")),
        Column("description", "隐患描述", width=30),
        Column("found_by_name", "发现人/单位", width=14),
        Column(
            "original_found_on",
            "原发现日期",
            required=True,
            width=13,
            text=False,
            note=_("原台账上的发现日期，如 2023-06-01；不能晚于今天，不能早于 2000-01-01。"),
            example="2023-06-01",
        ),
        Column(
            "status",
            "整改状态",
            required=True,
            width=10,
            options=lambda _user: list(HAZARD_STATES),
            note=_("未整改、整改中：导入后为“待确认”；已销号：须填写原销号日期。"),
            example="已销号",
        ),
        Column(
            "original_closed_on",
            "原销号日期",
            width=13,
            text=False,
            note=_("已销号的隐患必填：不早于原发现日期，不晚于今天。未销号的不填。"),
            example="2023-07-15",
        ),
        Column("rectification_note", "整改情况", width=30, note=_("已销号的隐患可填；未销号的不填。")),
        Column("acceptance_note", "验收意见", width=24, note=_("已销号的隐患可填；未销号的不填。")),
    ),
)


# registers (issue 15): an institution's special equipment and fire facilities
def _equipment_kind_names(_user) -> list[str]:
    from anjian.registers.models import EquipmentKind

    return list(EquipmentKind.objects.filter(is_active=True).values_list("name", flat=True))


def _risk_point_names(user) -> list[str]:
    from anjian.risks.models import RiskPoint

    org = getattr(user, "organization", None)
    if org is None or not org.is_institution:
        return []
    return list(
        RiskPoint.objects.filter(organization=org, is_active=True).order_by("name").values_list("name", flat=True)
    )


EQUIPMENT = ImportKind(
    key="equipment",
    label=_("特种设备和消防设施台账"),
    object_label=_("设备设施"),
    action=Action.IMPORT_REGISTERS,
    sheet_title="设备设施",
    description=_("导入本单位的特种设备和消防设施；填写上次检验日期的，按种类的法定检验周期算出下次检验日期。"),
    columns=(
        Column("name", "设备名称", required=True, width=24, example="门诊楼1号电梯"),
        Column(
            "kind",
            "设备种类",
            required=True,
            width=18,
            options=_equipment_kind_names,
            note=_("从下拉列表中选择（种类及其法定检验周期见“安全台账 → 法定检验周期”）。"),
            example="电梯",
        ),
        Column("registration_number", "使用登记证编号", width=20),
        Column(
            "risk_point",
            "所在风险点",
            width=18,
            options=_risk_point_names,
            strict=False,
            note=_("本单位风险分级管控中已有的风险点名称。可不填。"),
        ),
        Column("area", "安装位置", width=20, example="门诊楼东侧"),
        Column("maintenance_contractor", "维保单位", width=20),
        Column(
            "last_inspected_on",
            "上次检验日期",
            width=13,
            text=False,
            note=_("如 2026-03-01；不能晚于今天。可不填（无下次检验日期）。"),
            example="2026-03-01",
        ),
    ),
)


def _chemical_names(_user) -> list[str]:
    from anjian.registers.models import Chemical

    return list(Chemical.objects.filter(is_active=True).values_list("name", flat=True))


CHEMICAL_STOCKS = ImportKind(
    key="chemical_stocks",
    label=_("危险化学品库存（一张表）"),
    object_label=_("危化品库存"),
    action=Action.IMPORT_REGISTERS,
    sheet_title="危化品库存",
    description=_("导入本单位各储存地点的危化品、最大允许储存量和盘点数；储存地点不存在的自动新建。"),
    columns=(
        Column("place", "储存地点", required=True, width=20, example="药剂科危化品库"),
        Column("keepers", "保管人", width=18, note=_("新建储存地点时填写，如“王药师、周药师”（双人保管）。")),
        Column(
            "chemical",
            "危化品名称",
            required=True,
            width=26,
            options=_chemical_names,
            note=_("从下拉列表中选择（危化品目录）。"),
            example="乙醇（75%、95%）",
        ),
        Column(
            "unit",
            "单位",
            required=True,
            width=8,
            options=lambda _user: labels(Unit),
            example=str(Unit.L.label),
        ),
        Column("max_quantity", "最大允许储存量", required=True, width=14, text=False, example="200"),
        Column("quantity", "当前库存", width=12, text=False, note=_("盘点数，不填为0。"), example="120"),
    ),
)

WASTE_HANDOVERS = ImportKind(
    key="waste_handovers",
    label=_("医疗废物和危险废物交接记录"),
    object_label=_("废物交接记录"),
    action=Action.IMPORT_REGISTERS,
    sheet_title="废物交接",
    description=_("导入本单位的废物交接记录（转移联单）。"),
    columns=(
        Column("handed_on", "交接日期", required=True, width=13, text=False, example="2026-11-03"),
        Column(
            "category",
            "废物类别",
            required=True,
            width=14,
            options=lambda _user: labels(WasteCategory),
            example=str(WasteCategory.INFECTIOUS.label),
        ),
        Column("weight_kg", "重量（千克）", required=True, width=12, text=False, example="186.5"),
        Column("receiver", "接收单位", required=True, width=24, example="示范市医疗废物集中处置中心"),
        Column("form_number", "转移联单编号", width=18),
        Column("handed_by_name", "交接人", width=12),
        Column("note", "备注", width=20),
    ),
)

KINDS: dict[str, ImportKind] = {
    kind.key: kind
    for kind in (INSTITUTIONS, DEPARTMENTS, STAFF, CRITERIA, HAZARDS, EQUIPMENT, CHEMICAL_STOCKS, WASTE_HANDOVERS)
}


def kinds_for(user) -> list[ImportKind]:
    return [kind for kind in KINDS.values() if kind.allowed(user)]
