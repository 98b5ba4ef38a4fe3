from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    """The four levels, highest first; each has its colour (重大红、较大橙、一般黄、低蓝)."""

    MAJOR = "major", _("重大风险")
    SIGNIFICANT = "significant", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


class Colour(models.TextChoices):
    RED = "red", _("红")
    ORANGE = "orange", _("橙")
    YELLOW = "yellow", _("黄")
    BLUE = "blue", _("蓝")


COLOUR_OF = {
    RiskLevel.MAJOR: Colour.RED,
    RiskLevel.SIGNIFICANT: Colour.ORANGE,
    RiskLevel.GENERAL: Colour.YELLOW,
    RiskLevel.LOW: Colour.BLUE,
}
RANK_OF = {RiskLevel.MAJOR: 4, RiskLevel.SIGNIFICANT: 3, RiskLevel.GENERAL: 2, RiskLevel.LOW: 1}
LEVEL_OF_RANK = {rank: level for level, rank in RANK_OF.items()}
# Tabler's colour classes for the four colours (bg-*, text-*)
CSS_OF = {Colour.RED: "red", Colour.ORANGE: "orange", Colour.YELLOW: "yellow", Colour.BLUE: "blue"}
HEX_OF = {Colour.RED: "#d63939", Colour.ORANGE: "#f76707", Colour.YELLOW: "#f59f00", Colour.BLUE: "#206bc4"}


class MethodCode(models.TextChoices):
    LEC = "LEC", _("作业条件危险性评价法（LEC）")
    LS = "LS", _("风险矩阵法（LS）")


# The factors of each method, in order; the score is their product.
FACTORS = {MethodCode.LEC: ("l", "e", "c"), MethodCode.LS: ("l", "s")}
FACTOR_LABELS = {
    (MethodCode.LEC, "l"): _("L 事故发生的可能性"),
    (MethodCode.LEC, "e"): _("E 暴露于危险环境的频繁程度"),
    (MethodCode.LEC, "c"): _("C 发生事故可能造成的后果"),
    (MethodCode.LS, "l"): _("L 事故发生的可能性"),
    (MethodCode.LS, "s"): _("S 事故后果严重性"),
}


class PointKind(models.TextChoices):
    PLACE = "place", _("场所/区域")
    EQUIPMENT = "equipment", _("设备设施")
    ACTIVITY = "activity", _("作业活动")


class AccidentType(models.TextChoices):
    """GB 6441-1986《企业职工伤亡事故分类》的事故类别."""

    STRUCK = "struck", _("物体打击")
    VEHICLE = "vehicle", _("车辆伤害")
    MACHINERY = "machinery", _("机械伤害")
    LIFTING = "lifting", _("起重伤害")
    ELECTRIC = "electric", _("触电")
    DROWNING = "drowning", _("淹溺")
    SCALD = "scald", _("灼烫")
    FIRE = "fire", _("火灾")
    FALL = "fall", _("高处坠落")
    COLLAPSE = "collapse", _("坍塌")
    ROOF_FALL = "roof_fall", _("冒顶片帮")
    FLOOD = "flood", _("透水")
    BLASTING = "blasting", _("放炮")
    FIREDAMP = "firedamp", _("瓦斯爆炸")
    EXPLOSIVE = "explosive", _("火药爆炸")
    BOILER = "boiler", _("锅炉爆炸")
    VESSEL = "vessel", _("容器爆炸")
    OTHER_EXPLOSION = "other_explosion", _("其他爆炸")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER = "other", _("其他伤害")


class MeasureType(models.TextChoices):
    ENGINEERING = "engineering", _("工程技术")
    MANAGEMENT = "management", _("管理措施")
    TRAINING = "training", _("培训教育")
    PROTECTION = "protection", _("个体防护")
    EMERGENCY = "emergency", _("应急处置")


class ControlTier(models.TextChoices):
    UNIT = "unit", _("单位")
    DEPARTMENT = "department", _("科室")
    TEAM = "team", _("班组")
    POST = "post", _("岗位")
