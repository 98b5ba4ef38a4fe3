"""Demo risk register of the people's hospital: operating theatres, the liquid-oxygen tank, the
pharmacy's alcohol store, kitchen gas, the substation, lifts, wards at night and the construction
site of the new ward block; control measures at the posts that carry them, a checklist generated
from the oxygen station's measures, the posts' cards (两单两卡) and a floor plan with areas.

Idempotent: points by name, risks by (point, name), cards by post, the plan by floor."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.accounts.models import User
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Department, Organization, Post
from anjian.risks import services
from anjian.risks.defaults import ensure_defaults
from anjian.risks.models import FloorPlan, PostCard, Risk, RiskPoint

# point name, kind, department, building, floor, area, risks:
#   (name, accident type, method, factors, [(measure, type, tier, (department, post) or None)])
REGISTER = [
    (
        "手术室",
        "place",
        "手术室",
        "外科楼",
        "3F",
        "手术部（洁净区）",
        [
            (
                "电外科设备、激光引燃手术敷料",
                "fire",
                "LEC",
                {"l": 3, "e": 6, "c": 15},
                [
                    (
                        "使用电刀前确认消毒液已挥发，电刀笔不用时放入绝缘保护套",
                        "management",
                        "post",
                        ("手术室", "手术室护士"),
                    ),
                    ("手术间配备灭火毯和二氧化碳灭火器并每日检查", "engineering", "department", None),
                ],
            ),
            (
                "医用气体供应中断",
                "poisoning",
                "LEC",
                {"l": 1, "e": 6, "c": 40},
                [
                    ("术前检查气体终端压力，备用氧气瓶在位且压力正常", "management", "post", ("手术室", "手术室护士")),
                ],
            ),
            (
                "手术器械锐器刺伤",
                "other",
                "LS",
                {"l": 2, "s": 1},
                [("锐器使用后放入锐器盒，传递器械使用弯盘", "management", "post", ("手术室", "手术室护士"))],
            ),
        ],
    ),
    (
        "液氧站",
        "equipment",
        "设备科",
        "住院楼",
        "1F",
        "住院楼北侧液氧站",
        [
            (
                "液氧储罐超压爆炸",
                "vessel",
                "LEC",
                {"l": 1, "e": 10, "c": 100},
                [
                    (
                        "储罐压力表、安全阀在检定有效期内，每班记录压力",
                        "engineering",
                        "post",
                        ("设备科", "医用气体及液氧站操作员"),
                    ),
                    ("压力容器按期定期检验，持证人员操作", "management", "unit", None),
                ],
            ),
            (
                "液氧充装泄漏引发富氧燃烧",
                "fire",
                "LEC",
                {"l": 3, "e": 3, "c": 40},
                [
                    (
                        "液氧站周边5米内严禁烟火、无油脂和可燃物",
                        "management",
                        "post",
                        ("设备科", "医用气体及液氧站操作员"),
                    ),
                    ("充装时专人监护，穿戴防冻手套和面罩", "protection", "post", ("设备科", "医用气体及液氧站操作员")),
                ],
            ),
        ],
    ),
    (
        "药剂科酒精库",
        "place",
        "药剂科",
        "医技楼",
        "B1",
        "危化品库",
        [
            (
                "乙醇挥发遇火源燃烧爆炸",
                "fire",
                "LEC",
                {"l": 3, "e": 6, "c": 15},
                [
                    ("使用防爆灯具和防爆排风，库内温度不超过30℃", "engineering", "department", None),
                    ("酒精限量存放，双人双锁，出入库登记", "management", "post", ("药剂科", "危化品管理员")),
                ],
            ),
            (
                "危险化学品混存反应",
                "poisoning",
                "LS",
                {"l": 2, "s": 4},
                [
                    (
                        "氧化剂与易燃液体分区分柜存放，张贴安全技术说明书",
                        "management",
                        "post",
                        ("药剂科", "危化品管理员"),
                    )
                ],
            ),
        ],
    ),
    (
        "职工食堂燃气",
        "place",
        "食堂",
        "后勤楼",
        "2F",
        "职工食堂操作间",
        [
            (
                "燃气泄漏爆炸",
                "other_explosion",
                "LEC",
                {"l": 3, "e": 6, "c": 40},
                [
                    ("可燃气体报警器与紧急切断阀联动，每月测试", "engineering", "post", ("食堂", "厨房燃气操作岗")),
                    ("班前检查燃气管道和阀门，下班关闭总阀", "management", "post", ("食堂", "厨房燃气操作岗")),
                ],
            ),
            (
                "油锅起火",
                "fire",
                "LS",
                {"l": 3, "s": 3},
                [("灶台旁配置灭火毯，烟道每季度清洗", "engineering", "team", None)],
            ),
        ],
    ),
    (
        "高低压配电房",
        "place",
        "配电房",
        "后勤楼",
        "1F",
        "1号配电房",
        [
            (
                "带电作业触电",
                "electric",
                "LEC",
                {"l": 3, "e": 6, "c": 15},
                [
                    ("执行工作票、操作票制度，停电验电挂牌", "management", "post", ("配电房", "电工")),
                    ("绝缘手套、绝缘靴按期检测", "protection", "post", ("配电房", "电工")),
                ],
            ),
            (
                "电气设备过热引发火灾",
                "fire",
                "LEC",
                {"l": 1, "e": 6, "c": 15},
                [("每月红外测温，配电房配置气体灭火装置", "engineering", "department", None)],
            ),
        ],
    ),
    (
        "门诊电梯",
        "equipment",
        "总务科",
        "门诊楼",
        "1F",
        "1号至4号客梯",
        [
            (
                "电梯困人、剪切",
                "machinery",
                "LS",
                {"l": 2, "s": 4},
                [
                    (
                        "电梯每半月维保、年度检验合格后使用，轿厢内张贴应急电话",
                        "management",
                        "post",
                        ("总务科", "维修工"),
                    )
                ],
            ),
        ],
    ),
    (
        "住院病区夜间",
        "activity",
        "心内科",
        "住院楼",
        "5F",
        "心内科病区",
        [
            (
                "夜间火灾疏散困难",
                "fire",
                "LEC",
                {"l": 1, "e": 6, "c": 40},
                [
                    ("夜间至少两次防火巡查，疏散通道和安全出口保持畅通", "management", "post", ("心内科", "病区护士")),
                    ("护士站备有应急照明、湿毛巾和疏散预案", "emergency", "post", ("心内科", "病区护士")),
                ],
            ),
            (
                "患者跌倒坠床",
                "fall",
                "LS",
                {"l": 3, "s": 2},
                [("高危患者床栏拉起、夜间巡视并做好交接", "management", "post", ("心内科", "病区护士"))],
            ),
        ],
    ),
    (
        "新住院楼施工现场",
        "activity",
        "总务科",
        "新住院楼工地",
        "",
        "施工围挡区",
        [
            (
                "脚手架高处坠落",
                "fall",
                "LEC",
                {"l": 3, "e": 6, "c": 15},
                [("高处作业系安全带，脚手架验收挂牌后使用", "management", "unit", None)],
            ),
            (
                "动火作业引燃保温材料",
                "fire",
                "LEC",
                {"l": 3, "e": 3, "c": 40},
                [("动火作业审批、专人监护，配置灭火器材，清理可燃物", "management", "unit", None)],
            ),
            ("物体打击", "struck", "LS", {"l": 2, "s": 3}, []),
        ],
    ),
]

FIRE_CARD = {
    "incident": "火灾",
    "alarm": "发现火情立即呼喊、按下手动报警按钮，拨打消防控制室电话",
    "isolate": "关闭着火区域防火门，切断电源和氧气阀门",
    "rescue": "使用灭火器或灭火毯扑救初起火灾，按预案组织疏散，先疏散行动不便者",
    "report": "报告科室负责人和保卫科；火势较大拨打119",
    "phones": "消防控制室 8119　保卫科 8110　火警 119　急救 120",
}
# post (department, name) → duties, steps, extra emergency card
CARDS = {
    ("心内科", "病区护士"): (
        "遵守本岗位安全操作规程，落实“一岗双责”\n每班交接病区消防设施、氧气终端和疏散通道情况\n发现隐患立即报告或随手拍登记\n参加消防培训和疏散演练，会报警、会灭火、会疏散",
        "上岗前检查护士站灭火器、应急照明和手电筒\n使用氧气时远离明火和热源，禁止油手操作氧气装置\n夜间按时巡视病房，关注高危跌倒患者\n下班前检查电器关闭、疏散通道无堆物",
        {
            "incident": "患者跌倒坠床",
            "alarm": "立即呼叫值班医生和同事",
            "isolate": "保护现场，不随意搬动患者",
            "rescue": "评估生命体征，遵医嘱处置",
            "report": "报告护士长，按不良事件上报",
            "phones": "值班医生 8501　护士长 8502",
        },
    ),
    ("设备科", "医用气体及液氧站操作员"): (
        "持证上岗，负责液氧站日常运行和巡检\n每班记录储罐压力、液位\n发现泄漏、超压立即处置并报告",
        "穿戴防冻手套、面罩后方可操作\n检查压力表、安全阀、液位计\n充装时专人监护，车辆熄火接地\n充装完毕关闭阀门并记录",
        {
            "incident": "液氧泄漏",
            "alarm": "呼喊周围人员撤离，报告设备科",
            "isolate": "关闭泄漏点上游阀门，设立警戒区，严禁烟火",
            "rescue": "冻伤者用温水复温，送急诊",
            "report": "报告设备科和保卫科",
            "phones": "设备科 8301　保卫科 8110　急救 120",
        },
    ),
    ("食堂", "厨房燃气操作岗"): (
        "负责灶具和燃气设施的安全使用\n每班检查燃气报警器和紧急切断阀\n保持操作间通风，不在岗不离火",
        "开火前闻有无燃气异味，确认报警器正常\n先点火后开气，火焰正常后方可离手\n用毕关闭灶前阀，下班关闭总阀",
        {
            "incident": "燃气泄漏",
            "alarm": "不开关电器、不打电话，到室外报告",
            "isolate": "关闭燃气总阀，开窗通风，疏散人员",
            "rescue": "有人中毒时移至通风处并呼叫急救",
            "report": "报告总务科和燃气公司",
            "phones": "总务科 8201　燃气抢修 96777　急救 120",
        },
    ),
    ("配电房", "电工"): (
        "持证上岗，负责配电设施运行维护\n执行工作票、操作票制度\n定期巡检并记录设备温度、运行参数",
        "作业前办理工作票，停电、验电、挂接地线、悬挂标示牌\n穿戴合格的绝缘手套、绝缘靴\n作业完毕清点工具，拆除接地线后送电",
        {
            "incident": "触电",
            "alarm": "大声呼救，通知值班电工",
            "isolate": "立即切断电源，用绝缘物使触电者脱离电源",
            "rescue": "心跳呼吸停止时立即心肺复苏，使用AED",
            "report": "报告总务科和保卫科",
            "phones": "配电房 8203　急救 120",
        },
    ),
    ("药剂科", "危化品管理员"): (
        "负责危化品（酒精等）出入库和储存管理\n执行双人双锁、限量存放\n每日检查库房温度、通风和防爆设施",
        "进库前开启防爆排风，禁止携带火种和手机\n按品类分区存放，不超量\n出入库称量登记，双人签字",
        {
            "incident": "酒精泄漏",
            "alarm": "立即报告科室负责人和保卫科",
            "isolate": "切断周边火源，开启排风，用吸附棉围堵",
            "rescue": "人员撤离至通风处",
            "report": "报告保卫科，记录泄漏量",
            "phones": "药剂科 8401　保卫科 8110",
        },
    ),
    ("手术室", "手术室护士"): (
        "术前检查手术间医用气体、电刀和消防器材\n术中落实电外科设备安全使用\n术后清点器械、关闭气体和电源",
        "电刀使用前确认消毒液已挥发\n电刀笔不用时放入绝缘保护套\n使用激光时遮挡易燃敷料\n术后关闭电刀、无影灯和气体终端",
        None,
    ),
}


def _plan_image() -> SimpleUploadedFile:
    img = Image.new("RGB", (1200, 800), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, 1180, 780], outline=(60, 60, 60), width=6)
    for box in ([60, 60, 360, 300], [420, 60, 760, 300], [820, 60, 1140, 300], [60, 380, 1140, 740]):
        draw.rectangle(box, outline=(90, 90, 90), width=4)
    draw.line([60, 340, 1140, 340], fill=(180, 180, 180), width=30)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile("住院楼1F.png", out.getvalue(), content_type="image/png")


# smaller registers at two more institutions, so the district sees more than one
OTHERS = {
    "安宁区中医院": [
        (
            "煎药室",
            "place",
            "",
            "医技楼",
            "1F",
            "中药煎药室",
            [
                (
                    "燃气煎药机泄漏爆炸",
                    "other_explosion",
                    "LEC",
                    {"l": 3, "e": 6, "c": 40},
                    [("燃气报警器与切断阀联动，每日班前检查", "engineering", "team", None)],
                ),
                (
                    "蒸汽烫伤",
                    "scald",
                    "LS",
                    {"l": 3, "s": 2},
                    [("佩戴隔热手套，出药时关闭蒸汽阀", "protection", "team", None)],
                ),
            ],
        ),
    ],
    "安宁区颐康医养中心": [
        (
            "失能老人护理区",
            "place",
            "",
            "护理楼",
            "3F",
            "失能老人护理区",
            [
                (
                    "夜间火灾疏散困难",
                    "fire",
                    "LEC",
                    {"l": 1, "e": 10, "c": 40},
                    [("夜间双人值班，每2小时巡查一次", "management", "team", None)],
                ),
                ("老人跌倒", "fall", "LS", {"l": 4, "s": 3}, []),
            ],
        ),
    ],
}


def _register(org: Organization, by, register) -> tuple[int, dict[str, RiskPoint]]:
    created = 0
    points: dict[str, RiskPoint] = {}

    def post_of(dept_name: str, post_name: str) -> Post | None:
        return Post.objects.filter(organization=org, department__name=dept_name, name=post_name).first()

    for name, kind, dept_name, building, floor, area, risks in register:
        point = RiskPoint.objects.filter(organization=org, name=name).first()
        if point is None:
            department = Department.objects.filter(organization=org, name=dept_name).first() if dept_name else None
            point = services.risk_point_create(
                by=by,
                data={
                    "name": name,
                    "kind": kind,
                    "department": department,
                    "building": building,
                    "floor": floor,
                    "area": area,
                },
            )
            created += 1
        points[name] = point
        for risk_name, accident, method, factors, measures in risks:
            if Risk.objects.filter(risk_point=point, name=risk_name).exists():
                continue
            review_on = timezone.localdate() + dt.timedelta(days=365)
            if risk_name == "油锅起火":
                review_on = timezone.localdate() - dt.timedelta(days=10)  # overdue: shows the re-assessment flag
            risk = services.risk_create(
                by=by,
                risk_point=point,
                data={"name": risk_name, "accident_type": accident, "review_on": review_on},
                method=method,
                factors=factors,
            )
            created += 1
            for text, mtype, tier, post in measures:
                services.measure_add(
                    by=by,
                    risk=risk,
                    data={
                        "text": text,
                        "type": mtype,
                        "tier": tier,
                        "responsible_post": post_of(*post) if post else None,
                    },
                )
    return created, points


def seed() -> int:
    ensure_defaults()
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    officer = User.objects.filter(username="hospital_officer").first()
    if hospital is None or officer is None:
        return 0
    created, points = _register(hospital, officer, REGISTER)
    for name, register in OTHERS.items():
        org = Organization.objects.filter(name=name).first()
        other_officer = User.objects.filter(organization=org, role="safety_officer").order_by("pk").first()
        if org is not None and other_officer is not None:
            created += _register(org, other_officer, register)[0]

    def post_of(dept_name: str, post_name: str) -> Post | None:
        return Post.objects.filter(organization=hospital, department__name=dept_name, name=post_name).first()

    oxygen = points["液氧站"]
    oxygen.refresh_from_db()
    if not oxygen.checklist_family:
        services.risk_point_checklist(by=officer, risk_point=oxygen)
        created += 1

    for (dept_name, post_name), (duties, steps, extra) in CARDS.items():
        post = post_of(dept_name, post_name)
        if post is None or PostCard.objects.filter(post=post).exists():
            continue
        services.post_card_save(
            by=officer,
            post=post,
            data={"duties": duties, "operation_steps": steps},
            emergencies=[FIRE_CARD, *([extra] if extra else [])],
        )
        created += 1

    if not FloorPlan.objects.filter(organization=hospital, building="住院楼", floor="1F").exists():
        plan = services.floor_plan_upload(by=officer, building="住院楼", floor="1F", image=_plan_image())
        for name, box, linked in (
            ("液氧站", (60, 60, 360, 300), ["液氧站"]),
            ("药剂科危化品库", (420, 60, 760, 300), ["药剂科酒精库"]),
            ("高低压配电房", (820, 60, 1140, 300), ["高低压配电房"]),
            ("病区与护士站", (60, 380, 1140, 740), ["住院病区夜间"]),
        ):
            x0, y0, x1, y1 = (v / d for v, d in zip(box, (1200, 800, 1200, 800), strict=True))
            services.map_area_save(
                by=officer,
                plan=plan,
                name=name,
                points=[[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
                risk_points=[points[n] for n in linked],
            )
        created += 1
    return created
