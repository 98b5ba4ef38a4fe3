"""The choices of the registers: equipment groups and records, the hazard classes of GB 6944, the
units chemicals are counted in, and the medical-waste categories of 《医疗废物分类目录（2021年版）》."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# How many days ahead an inspection counts as "due soon" (临期), as the inspections app shows it.
DUE_SOON_DAYS = 30


class EquipmentGroup(models.TextChoices):
    SPECIAL = "special", _("特种设备")
    FIRE = "fire", _("消防设施")


class RecordKind(models.TextChoices):
    INSPECTION = "inspection", _("法定检验/检测")
    MAINTENANCE = "maintenance", _("维护保养")


class RecordResult(models.TextChoices):
    PASSED = "passed", _("合格")
    CONDITIONAL = "conditional", _("基本合格（限期整改）")
    FAILED = "failed", _("不合格")


# a record with one of these results moves the next statutory inspection date
PASSING_RESULTS = (RecordResult.PASSED, RecordResult.CONDITIONAL)


class DueState(models.TextChoices):
    OVERDUE = "overdue", _("已逾期")
    DUE_SOON = "due_soon", _("30日内到期")
    OK = "ok", _("正常")
    UNKNOWN = "unknown", _("未登记检验日期")


class HazardClass(models.TextChoices):
    """The nine classes of GB 6944-2012《危险货物分类和品名编号》."""

    EXPLOSIVE = "1", _("第1类 爆炸品")
    GAS = "2", _("第2类 气体")
    FLAMMABLE_LIQUID = "3", _("第3类 易燃液体")
    FLAMMABLE_SOLID = "4", _("第4类 易燃固体、易于自燃的物质、遇水放出易燃气体的物质")
    OXIDIZER = "5", _("第5类 氧化性物质和有机过氧化物")
    TOXIC = "6", _("第6类 毒性物质和感染性物质")
    RADIOACTIVE = "7", _("第7类 放射性物质")
    CORROSIVE = "8", _("第8类 腐蚀性物质")
    MISC = "9", _("第9类 杂项危险物质和物品")


class Unit(models.TextChoices):
    KG = "kg", _("千克")
    L = "L", _("升")
    BOTTLE = "bottle", _("瓶")
    CYLINDER = "cylinder", _("钢瓶")
    BARREL = "barrel", _("桶")


class MovementDirection(models.TextChoices):
    IN = "in", _("入库")
    OUT = "out", _("出库")


class MovementStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    CONFIRMED = "confirmed", _("已复核")
    CANCELLED = "cancelled", _("已作废")


class WasteCategory(models.TextChoices):
    """The five categories of 《医疗废物分类目录（2021年版）》, and other hazardous waste."""

    INFECTIOUS = "infectious", _("感染性废物")
    SHARPS = "sharps", _("损伤性废物")
    PATHOLOGICAL = "pathological", _("病理性废物")
    PHARMACEUTICAL = "pharmaceutical", _("药物性废物")
    CHEMICAL = "chemical", _("化学性废物")
    HAZARDOUS = "hazardous", _("其他危险废物")


class FireDuty(models.TextChoices):
    """The two people a unit names for fire safety (《机关、团体、企业、事业单位消防安全管理规定》)."""

    RESPONSIBLE = "responsible", _("消防安全责任人")
    MANAGER = "manager", _("消防安全管理人")
