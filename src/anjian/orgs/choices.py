from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    REGULATOR = "regulator", _("监管部门")
    INSTITUTION = "institution", _("医疗卫生机构")
    PROVIDER = "provider", _("第三方服务机构")
    EXPERT_POOL = "expert_pool", _("专家库")


class RegulatorLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class InstitutionKind(models.TextChoices):
    PUBLIC_HOSPITAL = "public_hospital", _("公立医院")
    COMMUNITY_HEALTH_CENTER = "community_health_center", _("社区卫生服务中心")
    COMMUNITY_HEALTH_STATION = "community_health_station", _("社区卫生服务站")
    VILLAGE_CLINIC = "village_clinic", _("村卫生室")
    CDC = "cdc", _("疾病预防控制中心")
    PRIVATE_HOSPITAL = "private_hospital", _("民营医院")
    CLINIC = "clinic", _("诊所")
    MEDICAL_ELDERLY_CARE = "medical_elderly_care", _("医养结合机构")
    CHILDCARE = "childcare", _("托育机构")
    OTHER = "other", _("其他")


class HospitalGrade(models.TextChoices):
    TERTIARY_A = "3a", _("三级甲等")
    TERTIARY = "3", _("三级")
    SECONDARY_A = "2a", _("二级甲等")
    SECONDARY = "2", _("二级")
    PRIMARY = "1", _("一级")
    UNGRADED = "none", _("未定级")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公立")
    PRIVATE = "private", _("非公立（社会办）")
