"""The reference data every installation starts with: certificate kinds and training categories.
Loaded by a data migration and again by ``ensure_defaults`` (browser tests flush the database);
administrators edit them afterwards."""

from __future__ import annotations

# code, name, issuer hint, fire-control room
CERTIFICATE_KINDS = [
    ("fire_operator", "消防设施操作员", "消防救援机构/人社部门认定的评价机构", True),
    ("special_equipment", "特种设备作业人员证", "市场监督管理部门", False),
    ("electrician", "电工作业（特种作业操作证）", "应急管理部门", False),
    ("pressure_vessel", "压力容器操作", "市场监督管理部门", False),
    ("boiler", "锅炉操作", "市场监督管理部门", False),
    ("elevator", "电梯安全管理", "市场监督管理部门", False),
    ("welding", "焊接与热切割作业", "应急管理部门", False),
    ("gas_cylinder", "气瓶充装", "市场监督管理部门", False),
]

# code, name, yearly
TRAINING_CATEGORIES = [
    ("all_staff", "全员安全培训", True),
    ("pre_post", "岗前培训", False),
    ("fire", "消防安全培训", True),
    ("special_operation", "特种作业培训", True),
    ("criteria", "重大事故隐患判定标准专题培训", False),
    ("cards", "两单两卡培训", True),
    ("emergency", "应急处置培训", True),
]


def load(certificate_kind, training_category) -> None:
    for order, (code, name, issuer, fire_room) in enumerate(CERTIFICATE_KINDS, 1):
        certificate_kind.objects.get_or_create(
            code=code,
            defaults={"name": name, "issuer_hint": issuer, "fire_control_room": fire_room, "sort_order": order},
        )
    for order, (code, name, yearly) in enumerate(TRAINING_CATEGORIES, 1):
        training_category.objects.get_or_create(
            code=code, defaults={"name": name, "yearly": yearly, "sort_order": order}
        )


def ensure_defaults() -> None:
    from anjian.training.models import CertificateKind, TrainingCategory

    load(CertificateKind, TrainingCategory)
