"""The kinds of dangerous work of GB 30871-2022 (危险化学品企业特殊作业安全规范), as a hospital uses
them: their safety checks, gas tests and approvals. Loaded by a data migration and by
``ensure_defaults`` (tests that flush the database); an administrator edits them afterwards, and
an edited kind is never overwritten here."""

from __future__ import annotations

HOT_WORK_CHECKS = [
    "动火点周围（最小半径15米）易燃可燃物已清除",
    "动火点附近的排水井、地漏、沟道已封严",
    "配备灭火器、灭火毯等消防器材并有专人监护",
    "动火设备、管线已与系统隔绝、清洗置换",
    "电焊回路线接在焊件上，未穿越其他设备",
    "气瓶间距不小于5米，与动火点间距不小于10米",
    "作业人员持有效特种作业操作证",
]

# code, name, checks, gas test required, minutes valid, principal approves, max hours
KINDS = [
    ("hot-special", "特级动火作业", [*HOT_WORK_CHECKS, "制定专项作业方案和应急预案，已现场交底"], True, 30, True, 8),
    ("hot-1", "一级动火作业", HOT_WORK_CHECKS, True, 30, False, 8),
    ("hot-2", "二级动火作业", HOT_WORK_CHECKS, True, 30, False, 72),
    (
        "confined-space",
        "受限空间作业",
        [
            "受限空间已与其他系统可靠隔绝（加盲板或断开）",
            "已通风置换，必要时强制通风",
            "出入口畅通，设置警示标志",
            "配备空气呼吸器、安全绳等救援器材，监护人在出入口全程监护",
            "照明电压不大于36V，潮湿环境不大于12V",
        ],
        True,
        30,
        False,
        24,
    ),
    (
        "height",
        "高处作业",
        [
            "作业人员身体条件符合要求，佩戴安全带、安全帽",
            "安全带高挂低用，挂点牢固",
            "作业平台、脚手架、梯子验收合格",
            "下方设置警戒区，工具材料防坠落",
            "遇五级以上大风、雷雨等恶劣天气停止作业",
        ],
        False,
        30,
        False,
        168,
    ),
    (
        "temporary-power",
        "临时用电作业",
        [
            "临时用电线路由持证电工安装，绝缘良好",
            "配电箱设置漏电保护器并经测试有效",
            "线路架空或穿管保护，不拖地、不浸水",
            "用电设备一机一闸一保护",
        ],
        False,
        30,
        False,
        168,
    ),
    (
        "lifting",
        "吊装作业",
        [
            "吊装设备、索具经检查合格",
            "司索、指挥、司机持有效操作证",
            "吊装区域设置警戒，无关人员撤离",
            "吊物下方严禁站人，明确指挥信号",
        ],
        False,
        30,
        False,
        24,
    ),
    (
        "excavation",
        "动土作业",
        [
            "已查明地下电缆、管道（医用气体、给排水、燃气）位置并标识",
            "作业区域设置围栏和警示标志，夜间设警示灯",
            "挖掘深度超过1.2米时采取放坡或支护措施",
        ],
        False,
        30,
        False,
        72,
    ),
    (
        "road-closure",
        "断路作业",
        [
            "已制定交通组织方案，保证消防车、救护车通道",
            "断路路口设置交通警示标志和路障",
            "夜间设置警示灯，作业人员穿反光背心",
        ],
        False,
        30,
        False,
        72,
    ),
]


def ensure_defaults(kind_model=None) -> None:
    """Create the kinds that are missing; leave existing (maybe edited) ones as they are."""
    if kind_model is None:
        from anjian.contractors.models import PermitKind as kind_model
    for order, (code, name, checks, gas, minutes, principal, hours) in enumerate(KINDS, start=1):
        kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "required_checks": "\n".join(checks),
                "gas_test_required": gas,
                "gas_test_valid_minutes": minutes,
                "needs_principal": principal,
                "max_hours": hours,
                "order": order,
            },
        )
