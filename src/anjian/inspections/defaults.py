"""The starter library of checklists for health institutions and the default rhythms (DOMAIN.md
§3): data that regulators and safety officers copy and edit, never constants in code.

``load`` is idempotent: a checklist exists once per code in the platform's library (owner none),
published as version 1; rhythm defaults once per (kind, flag, role, checklist). The migration calls
it with historical models, ``ensure_defaults`` with the current ones (tests that flush the
database, the demo)."""

from __future__ import annotations

import datetime as dt

# Each item: (text, basis, flags[, category code]); flags: "p" photo required when failed,
# "m" failing it may be a major hazard (the inspector is reminded to check the determination standard).
GB = "GB 25201-2010《建筑消防设施的维护管理》"
FIRE_RULES = "《医疗机构消防安全管理九项规定》"
MEDICAL_LIST = "《医疗机构重大事故隐患判定清单（试行）》"

STARTER = [
    {
        "code": "ward_fire_patrol",
        "name": "病区防火巡查表",
        "category": "fire",
        "applies_to": "住院病区、门急诊",
        "description": "病区、门急诊每日防火巡查：白天至少每2小时一次，夜间至少两次（公安部令第61号、医疗机构消防安全管理规定）。",  # noqa: E501 - data
        "sections": [
            (
                "安全疏散",
                [
                    ("安全出口、疏散通道畅通，无杂物堆放、无锁闭", "《消防法》第二十八条", "pm"),
                    ("常闭式防火门处于关闭状态，闭门器、顺序器完好", GB, "p"),
                    ("疏散指示标志、应急照明灯完好有效", GB, "p"),
                    ("病房内无违规使用大功率电器、无私拉乱接电线", FIRE_RULES, "p"),
                ],
            ),
            (
                "消防设施器材",
                [
                    ("灭火器在位、压力指针在绿区、在有效期内", "GB 50444《建筑灭火器配置验收及检查规范》", "p"),
                    ("室内消火栓箱无遮挡，水带、水枪齐全", GB, "p"),
                    ("烟感探测器、手动报警按钮无遮挡、无损坏", GB, "pm"),
                ],
            ),
            (
                "用火用电和人员",
                [
                    ("病区内无吸烟、无使用明火（酒精灯等须专人看护）", FIRE_RULES, "p"),
                    ("氧气瓶直立固定，远离热源，有“严禁烟火”标识", "《医用气体工程技术规范》", "p"),
                    ("值班人员知晓报警方法、初起火灾扑救和疏散引导职责", FIRE_RULES, ""),
                ],
            ),
        ],
    },
    {
        "code": "monthly_fire_check",
        "name": "月度防火检查表",
        "category": "fire",
        "applies_to": "全院（消防安全管理人会同科室负责人）",
        "description": "消防安全管理人至少每月组织一次防火检查，检查结果记录存档。",
        "sections": [
            (
                "消防安全管理",
                [
                    (
                        "消防安全责任制、管理制度和操作规程落实，责任人明确",
                        "《机关、团体、企业、事业单位消防安全管理规定》",
                        "",
                    ),
                    ("上月防火巡查记录齐全，发现问题已整改", "公安部令第61号", ""),
                    ("员工消防安全培训和灭火疏散演练按计划开展", "公安部令第61号", ""),
                ],
            ),
            (
                "消防设施",
                [
                    ("火灾自动报警系统运行正常，无故障、无屏蔽点位", GB, "pm"),
                    ("自动喷水灭火系统末端试水压力正常，阀门处于开启状态", GB, "pm"),
                    ("消防水泵、防排烟风机能正常手动、自动启动", GB, "pm"),
                    ("消防水池、高位水箱水位正常", GB, "p"),
                    ("防火卷帘下方无障碍物，能正常升降", GB, "p"),
                ],
            ),
            (
                "重点部位",
                [
                    ("配电室、液氧站、危化品库、厨房等重点部位管理责任落实", FIRE_RULES, ""),
                    ("施工区域与使用区域有效防火分隔，动火作业有审批", "《医疗机构消防安全管理九项规定》", "p"),
                    ("电动自行车未在楼内、疏散通道停放和充电", "《高层民用建筑消防安全管理规定》", "p"),
                ],
            ),
        ],
    },
    {
        "code": "fire_control_room_shift",
        "name": "消防控制室值班检查表",
        "category": "fire",
        "applies_to": "消防控制室",
        "description": "消防控制室24小时专人值班，每班不少于2人并持证上岗，每2小时记录一次设备运行情况。",
        "sections": [
            (
                "值班人员",
                [
                    ("每班值班人员不少于2人，均在岗", "GB 25506《消防控制室通用技术要求》", "m"),
                    ("值班人员持有消防设施操作员证书", MEDICAL_LIST + "第1条", "m"),
                    ("值班人员熟悉火警处置程序（确认、报警、启动预案）", "GB 25506", ""),
                ],
            ),
            (
                "设备状态",
                [
                    ("火灾报警控制器处于正常监视状态，无故障、无屏蔽", "GB 25506", "pm"),
                    ("消防联动控制器处于自动状态", "GB 25506", "pm"),
                    ("消防电话、应急广播测试正常", "GB 25506", ""),
                    ("备用电源电压正常，主备电切换正常", "GB 25506", ""),
                    ("值班记录、设备运行记录按时填写", "GB 25506", ""),
                ],
            ),
        ],
    },
    {
        "code": "electrical_room",
        "name": "配电房安全检查表",
        "category": "electrical",
        "applies_to": "高低压配电房、发电机房",
        "description": "电工每日巡视配电设施，检查运行参数和安全防护。",
        "sections": [
            (
                "运行状态",
                [
                    ("变压器温度、声音正常，无异味", "DL/T 572《电力变压器运行规程》", "p"),
                    ("开关柜、配电柜指示正常，无过热、放电痕迹", "GB 50054", "p"),
                    ("备用发电机蓄电池电压正常、油位充足，能按时试机", "《医疗建筑电气设计规范》", ""),
                    ("UPS、双电源切换装置工作正常", "JGJ 312", ""),
                ],
            ),
            (
                "安全防护",
                [
                    ("绝缘垫、绝缘手套、验电器等安全用具齐全并在检验期内", "DL 408《电业安全工作规程》", "p"),
                    ("防小动物挡板完好，门窗、电缆沟盖板完好", "GB 50054", "p"),
                    ("配电房内无杂物、无易燃物堆放，配有气体灭火器", GB, "p"),
                    ("电工持有效特种作业操作证上岗", MEDICAL_LIST + "第1条", "m"),
                ],
            ),
        ],
    },
    {
        "code": "medical_gas_oxygen",
        "name": "医用气体及液氧储罐检查表",
        "category": "medical_gas",
        "applies_to": "液氧站、汇流排间、负压吸引机房",
        "description": "液氧储罐属固定式压力容器，安全阀每年校验、压力表每半年检定；每日巡检压力、液位和周边环境。",
        "sections": [
            (
                "液氧储罐",
                [
                    ("储罐压力、液位在正常范围，无结霜异常、无泄漏", "TSG 21《固定式压力容器安全技术监察规程》", "pm"),
                    ("安全阀在校验有效期内，铅封完好", "TSG 21", "pm", "special_equipment"),
                    ("压力表在检定有效期内，表盘清晰", "TSG 21", "p", "special_equipment"),
                    ("储罐已办理使用登记，定期检验合格且在有效期内", MEDICAL_LIST + "第2条", "m", "special_equipment"),
                    ("储罐周边5米内无油脂、可燃物，设有“严禁烟火”标识和围栏", "GB 50751《医用气体工程技术规范》", "p"),
                ],
            ),
            (
                "汇流排和供气",
                [
                    ("汇流排切换正常，备用气源充足", "GB 50751", ""),
                    ("氧气钢瓶直立固定，满瓶、空瓶分区存放并有标识", "GB 50751", "p"),
                    ("管道、阀门无泄漏，压力报警装置工作正常", "GB 50751", "pm"),
                    ("操作人员持证上岗，交接班记录完整", "TSG Z6001", "m"),
                ],
            ),
        ],
    },
    {
        "code": "hazardous_chemical_store",
        "name": "危险化学品库房检查表",
        "category": "hazardous_chemicals",
        "applies_to": "药剂科危化品库、检验科、病理科试剂间",
        "description": "乙醇、过氧乙酸、含氯消毒剂、甲醛、二甲苯、甲醇等危险化学品的储存与“一图一表”“五双”管理。",
        "sections": [
            (
                "储存条件",
                [
                    ("库房阴凉通风，防爆灯具、防爆排风完好", "GB 15603《危险化学品仓库储存通则》", "p"),
                    ("乙醇、甲醇等易燃液体不超量存放，禁忌物分开储存", "GB 15603", "pm"),
                    ("防泄漏托盘、吸附棉、洗眼器等应急物资齐全有效", "GB 15603", "p"),
                    ("可燃气体/有毒气体报警装置正常", MEDICAL_LIST + "第3条", "pm"),
                ],
            ),
            (
                "台账和人员",
                [
                    ("危化品“一图一表”（存放位置图、品种数量责任人表）与实物一致", "《危险化学品安全管理条例》", ""),
                    (
                        "易制毒、易制爆品落实“五双”管理（双人保管、双锁、双人发放、双人使用、双账）",
                        "《危险化学品安全管理条例》",
                        "m",
                    ),
                    ("出入库登记完整，领用量与台账相符", "《危险化学品安全管理条例》", ""),
                    ("安全技术说明书（MSDS）和安全标签齐全", "GB 30000", ""),
                ],
            ),
        ],
    },
    {
        "code": "kitchen_gas",
        "name": "厨房燃气安全检查表",
        "category": "gas",
        "applies_to": "职工食堂、营养食堂",
        "description": "使用燃气的场所须安装可燃气体报警装置并保持有效（重大隐患判定第4条）。",
        "sections": [
            (
                "燃气设施",
                [
                    ("可燃气体报警器安装到位并能正常报警，与紧急切断阀联动", MEDICAL_LIST + "第4条", "pm"),
                    ("燃气软管无老化、龟裂，长度不超过2米，两端卡箍紧固", "GB 50028《城镇燃气设计规范》", "p"),
                    ("燃气管道、阀门无泄漏（肥皂水检漏）", "GB 50028", "pm"),
                    ("灶具熄火保护装置有效", "GB 16410", ""),
                ],
            ),
            (
                "厨房消防",
                [
                    ("烟道、油烟罩定期清洗，无厚重油垢", "GB 51251", "p", "fire"),
                    ("配置灭火毯和厨房专用灭火器，有效期内", GB, "p", "fire"),
                    ("操作人员离开时关闭灶具和燃气阀门", "《城镇燃气管理条例》", ""),
                ],
            ),
        ],
    },
    {
        "code": "lift",
        "name": "电梯安全检查表",
        "category": "special_equipment",
        "applies_to": "客梯、医用梯、货梯、自动扶梯",
        "description": "电梯须办理使用登记、按期定期检验（第1、4、7、9、11、13、15年检验，其余年份自检），维保单位每15日维保。",  # noqa: E501 - data
        "sections": [
            (
                "登记和检验",
                [
                    ("轿厢内张贴有效的使用标志（检验合格在有效期内）", "TSG T7001《电梯监督检验和定期检验规则》", "pm"),
                    ("维保单位按期维保（不超过15日），维保记录签字齐全", "TSG T5002《电梯维护保养规则》", ""),
                    ("电梯安全管理员持证并明确", "《特种设备安全法》", "m"),
                ],
            ),
            (
                "运行状态",
                [
                    ("轿厢紧急报警装置（五方通话）能接通值班室", "TSG T7001", "p"),
                    ("平层准确，开关门无异常，门防夹保护有效", "TSG T7001", "p"),
                    ("轿厢照明、通风正常，应急照明有效", "TSG T7001", ""),
                    ("机房整洁、通风良好，无杂物，盘车工具在位", "TSG T7001", "p"),
                ],
            ),
        ],
    },
    {
        "code": "construction_hot_work",
        "name": "施工现场及动火作业检查表",
        "category": "hot_work",
        "applies_to": "院内改造、装修、维修施工现场",
        "description": "在用医疗建筑内施工须与使用区域防火分隔；动火作业须办理动火证并落实监护。",
        "sections": [
            (
                "施工管理",
                [
                    ("施工单位资质合格，已签订安全生产管理协议明确双方职责", MEDICAL_LIST + "第6条", "m", "other"),
                    (
                        "施工区域与病区、门诊有效分隔，设置警示标志",
                        "GB 50720《建设工程施工现场消防安全技术规范》",
                        "p",
                        "fire",
                    ),
                    ("未擅自改变建筑主体承重结构", MEDICAL_LIST + "第5条", "pm", "building"),
                    ("临时用电规范，配电箱“一机一闸一漏”", "JGJ 46《施工现场临时用电安全技术规范》", "p", "electrical"),
                ],
            ),
            (
                "动火作业",
                [
                    (
                        "动火作业已办理动火审批，动火人持证（焊工证）",
                        "GB 30871《危险化学品企业特殊作业安全规范》",
                        "pm",
                    ),
                    ("动火点周围易燃物已清除，配备灭火器材和监护人", "GB 50720", "p"),
                    ("动火结束后检查确认无遗留火种", "GB 50720", ""),
                ],
            ),
        ],
    },
    {
        "code": "childcare_room",
        "name": "托育机构安全检查表",
        "category": "other",
        "applies_to": "托育机构活动室、睡眠室、厨房",
        "description": "《托育机构设置标准（试行）》《托育机构管理规范（试行）》：婴幼儿活动场所的消防、设施和照护安全。",  # noqa: E501 - data
        "sections": [
            (
                "场所设施",
                [
                    ("婴幼儿用房设在首层至三层，疏散通道畅通", "《托育机构设置标准（试行）》", "pm", "fire"),
                    ("插座采用安全型并安装在婴幼儿够不到的高度", "《托育机构设置标准（试行）》", "p", "electrical"),
                    ("桌椅、家具边角有防护，窗户有防护栏、防坠落措施", "《托育机构管理规范（试行）》", "p"),
                    (
                        "消毒剂、药品存放在婴幼儿接触不到的上锁柜内",
                        "《托育机构管理规范（试行）》",
                        "p",
                        "hazardous_chemicals",
                    ),
                ],
            ),
            (
                "照护和应急",
                [
                    ("午睡期间有照护人员值守并定时巡视", "《托育机构婴幼儿伤害预防指南》", ""),
                    ("接送交接登记完整，严格执行实名接送", "《托育机构管理规范（试行）》", "", "security"),
                    ("每月开展消防疏散演练，婴幼儿疏散有专人负责", "《托育机构管理规范（试行）》", "", "fire"),
                    ("食品留样48小时、每样不少于125克", "《食品安全法》", "", "food"),
                ],
            ),
        ],
    },
    {
        "code": "elderly_care_room",
        "name": "医养结合护理区安全检查表",
        "category": "fire",
        "applies_to": "医养结合机构、老年护理院",
        "description": "老年医养护理场所为火灾高危场所，依据《养老机构重大事故隐患判定标准》和《养老机构服务安全基本规范》。",  # noqa: E501 - data
        "sections": [
            (
                "消防安全",
                [
                    ("居室、走廊安装独立式烟感或火灾报警系统，工作正常", "《养老机构重大事故隐患判定标准》", "pm"),
                    (
                        "未使用易燃可燃材料装修、分隔，未设置彩钢板房",
                        "《养老机构重大事故隐患判定标准》",
                        "pm",
                        "building",
                    ),
                    ("夜间值班人员与失能老人比例符合要求，熟悉疏散预案", "GB 38600《养老机构服务安全基本规范》", "m"),
                    (
                        "未在老人居室内使用电热毯、电取暖器等大功率电器（经评估许可的除外）",
                        "GB 38600",
                        "p",
                        "electrical",
                    ),
                ],
            ),
            (
                "照护安全",
                [
                    ("床栏、扶手、呼叫器完好，卫生间防滑", "GB 38600", "p"),
                    ("老人跌倒、压疮、噎食、走失风险已评估并落实防范措施", "GB 38600", ""),
                    ("氧气瓶、制氧机使用区域无明火，有警示标识", "GB 38600", "p", "medical_gas"),
                    ("食品留样和餐具消毒符合要求", "《食品安全法》", "", "food"),
                ],
            ),
        ],
    },
    {
        "code": "comprehensive_inspection",
        "name": "单位负责人综合检查表",
        "category": "other",
        "applies_to": "全院（主要负责人、分管负责人带队）",
        "description": "主要负责人每季度（火灾高危单位、消防安全重点单位、老年医养护理场所每月）带队检查；分管负责人每月检查。",  # noqa: E501 - data
        "sections": [
            (
                "责任落实",
                [
                    ("安全生产责任制、“两单两卡”在各岗位落实", "《安全生产法》第二十二条", ""),
                    ("隐患台账完整，重大隐患整改“五落实”", "原国家安监总局令第16号", "m"),
                    ("安全生产投入（经费、物资）按计划落实", "《安全生产法》第二十三条", ""),
                ],
            ),
            (
                "重点部位抽查",
                [
                    ("消防控制室值班、消防设施运行正常", MEDICAL_LIST, "pm", "fire"),
                    ("液氧站、配电房、危化品库、食堂燃气等重点部位无明显隐患", MEDICAL_LIST, "pm"),
                    (
                        "特种设备登记、检验和作业人员持证情况符合要求",
                        MEDICAL_LIST + "第1、2条",
                        "m",
                        "special_equipment",
                    ),
                    ("外包服务单位安全协议签订和管理到位", MEDICAL_LIST + "第6条", "m"),
                ],
            ),
        ],
    },
    {
        "code": "department_weekly",
        "name": "科室安全周检查表",
        "category": "other",
        "applies_to": "各临床、医技科室（科室负责人）",
        "description": "“日周月”排查中的周查：科室负责人每周检查本科室。",
        "sections": [
            (
                "科室安全",
                [
                    ("本周员工日查记录齐全，发现问题已处理", "“日周月”排查制度", ""),
                    ("科室疏散通道畅通，消防器材完好", "《消防法》", "p", "fire"),
                    ("用电规范，无私拉乱接、无插线板串接", FIRE_RULES, "p", "electrical"),
                    ("科室存放的易燃消毒剂不超过一日用量", "GB 15603", "p", "hazardous_chemicals"),
                    ("新入科员工已接受岗位安全培训，知晓“两单两卡”", "《安全生产法》第二十八条", ""),
                ],
            ),
        ],
    },
]

# What a failure of each starter item is called (its 不合格表述): the title of the hazard it raises,
# keyed by the item's text. Copies of the library carry it along; items written without one fall
# back to "不符合要求：<text>" (ChecklistItem.problem).
FAIL_TEXTS = {
    # 病区防火巡查表
    "安全出口、疏散通道畅通，无杂物堆放、无锁闭": "安全出口、疏散通道堵塞或锁闭",
    "常闭式防火门处于关闭状态，闭门器、顺序器完好": "常闭式防火门未处于关闭状态或闭门器、顺序器损坏",
    "疏散指示标志、应急照明灯完好有效": "疏散指示标志、应急照明灯损坏或失效",
    "病房内无违规使用大功率电器、无私拉乱接电线": "病房内违规使用大功率电器或私拉乱接电线",
    "灭火器在位、压力指针在绿区、在有效期内": "灭火器缺失、压力不足或超过有效期",
    "室内消火栓箱无遮挡，水带、水枪齐全": "室内消火栓箱被遮挡或水带、水枪缺失",
    "烟感探测器、手动报警按钮无遮挡、无损坏": "烟感探测器、手动报警按钮被遮挡或损坏",
    "病区内无吸烟、无使用明火（酒精灯等须专人看护）": "病区内有人吸烟或违规使用明火",
    "氧气瓶直立固定，远离热源，有“严禁烟火”标识": "氧气瓶未直立固定、靠近热源或缺少“严禁烟火”标识",
    "值班人员知晓报警方法、初起火灾扑救和疏散引导职责": "值班人员不清楚报警方法、初起火灾扑救或疏散引导职责",
    # 月度防火检查表
    "消防安全责任制、管理制度和操作规程落实，责任人明确": "消防安全责任制、管理制度或操作规程未落实，责任人不明确",
    "上月防火巡查记录齐全，发现问题已整改": "上月防火巡查记录不全或发现的问题未整改",
    "员工消防安全培训和灭火疏散演练按计划开展": "员工消防安全培训或灭火疏散演练未按计划开展",
    "火灾自动报警系统运行正常，无故障、无屏蔽点位": "火灾自动报警系统存在故障或屏蔽点位",
    "自动喷水灭火系统末端试水压力正常，阀门处于开启状态": "自动喷水灭火系统末端试水压力不足或阀门未开启",
    "消防水泵、防排烟风机能正常手动、自动启动": "消防水泵、防排烟风机不能正常手动或自动启动",
    "消防水池、高位水箱水位正常": "消防水池、高位水箱水位不足",
    "防火卷帘下方无障碍物，能正常升降": "防火卷帘下方有障碍物或不能正常升降",
    "配电室、液氧站、危化品库、厨房等重点部位管理责任落实": "配电室、液氧站、危化品库、厨房等重点部位管理责任未落实",
    "施工区域与使用区域有效防火分隔，动火作业有审批": "施工区域与使用区域未有效防火分隔或动火作业未经审批",
    "电动自行车未在楼内、疏散通道停放和充电": "电动自行车在楼内、疏散通道停放或充电",
    # 消防控制室值班检查表
    "每班值班人员不少于2人，均在岗": "消防控制室每班值班人员少于2人或脱岗",
    "值班人员持有消防设施操作员证书": "消防控制室值班人员未持消防设施操作员证书",
    "值班人员熟悉火警处置程序（确认、报警、启动预案）": "值班人员不熟悉火警处置程序（确认、报警、启动预案）",
    "火灾报警控制器处于正常监视状态，无故障、无屏蔽": "火灾报警控制器未处于正常监视状态，存在故障或屏蔽",
    "消防联动控制器处于自动状态": "消防联动控制器未处于自动状态",
    "消防电话、应急广播测试正常": "消防电话或应急广播测试不正常",
    "备用电源电压正常，主备电切换正常": "备用电源电压异常或主备电不能正常切换",
    "值班记录、设备运行记录按时填写": "值班记录或设备运行记录未按时填写",
    # 配电房安全检查表
    "变压器温度、声音正常，无异味": "变压器温度、声音异常或有异味",
    "开关柜、配电柜指示正常，无过热、放电痕迹": "开关柜、配电柜指示异常或有过热、放电痕迹",
    "备用发电机蓄电池电压正常、油位充足，能按时试机": "备用发电机蓄电池电压不足、油位不足或未按时试机",
    "UPS、双电源切换装置工作正常": "UPS或双电源切换装置工作不正常",
    "绝缘垫、绝缘手套、验电器等安全用具齐全并在检验期内": "绝缘垫、绝缘手套、验电器等安全用具缺失或超过检验期",
    "防小动物挡板完好，门窗、电缆沟盖板完好": "防小动物挡板、门窗或电缆沟盖板缺损",
    "配电房内无杂物、无易燃物堆放，配有气体灭火器": "配电房内堆放杂物、易燃物或未配气体灭火器",
    "电工持有效特种作业操作证上岗": "电工无有效特种作业操作证上岗",
    # 医用气体及液氧储罐检查表
    "储罐压力、液位在正常范围，无结霜异常、无泄漏": "液氧储罐压力、液位异常，或有异常结霜、泄漏",
    "安全阀在校验有效期内，铅封完好": "液氧储罐安全阀超过校验有效期或铅封损坏",
    "压力表在检定有效期内，表盘清晰": "液氧储罐压力表超过检定有效期或表盘不清",
    "储罐已办理使用登记，定期检验合格且在有效期内": "液氧储罐未办理使用登记或未按期检验合格",
    "储罐周边5米内无油脂、可燃物，设有“严禁烟火”标识和围栏": "液氧储罐周边5米内有油脂、可燃物或无“严禁烟火”标识、围栏",
    "汇流排切换正常，备用气源充足": "汇流排切换异常或备用气源不足",
    "氧气钢瓶直立固定，满瓶、空瓶分区存放并有标识": "氧气钢瓶未直立固定或满瓶、空瓶未分区存放标识",
    "管道、阀门无泄漏，压力报警装置工作正常": "医用气体管道、阀门泄漏或压力报警装置失效",
    "操作人员持证上岗，交接班记录完整": "医用气体操作人员无证上岗或交接班记录不全",
    # 危险化学品库房检查表
    "库房阴凉通风，防爆灯具、防爆排风完好": "危化品库房通风不良或防爆灯具、防爆排风损坏",
    "乙醇、甲醇等易燃液体不超量存放，禁忌物分开储存": "乙醇、甲醇等易燃液体超量存放或禁忌物混存",
    "防泄漏托盘、吸附棉、洗眼器等应急物资齐全有效": "防泄漏托盘、吸附棉、洗眼器等应急物资缺失或失效",
    "可燃气体/有毒气体报警装置正常": "可燃气体/有毒气体报警装置失效",
    "危化品“一图一表”（存放位置图、品种数量责任人表）与实物一致": "危化品“一图一表”缺失或与实物不一致",
    "易制毒、易制爆品落实“五双”管理（双人保管、双锁、双人发放、双人使用、双账）": "易制毒、易制爆品未落实“五双”管理",
    "出入库登记完整，领用量与台账相符": "危化品出入库登记不全或领用量与台账不符",
    "安全技术说明书（MSDS）和安全标签齐全": "危化品安全技术说明书（MSDS）或安全标签缺失",
    # 厨房燃气安全检查表
    "可燃气体报警器安装到位并能正常报警，与紧急切断阀联动": "可燃气体报警器未安装、不能正常报警或未与紧急切断阀联动",
    "燃气软管无老化、龟裂，长度不超过2米，两端卡箍紧固": "燃气软管老化、龟裂、超过2米或卡箍松动",
    "燃气管道、阀门无泄漏（肥皂水检漏）": "燃气管道、阀门泄漏",
    "灶具熄火保护装置有效": "灶具熄火保护装置失效",
    "烟道、油烟罩定期清洗，无厚重油垢": "烟道、油烟罩未定期清洗，油垢厚重",
    "配置灭火毯和厨房专用灭火器，有效期内": "厨房未配灭火毯、专用灭火器或已超过有效期",
    "操作人员离开时关闭灶具和燃气阀门": "操作人员离开时未关闭灶具或燃气阀门",
    # 电梯安全检查表
    "轿厢内张贴有效的使用标志（检验合格在有效期内）": "电梯无有效使用标志或超期未检验",
    "维保单位按期维保（不超过15日），维保记录签字齐全": "电梯未按期维保（超过15日）或维保记录签字不全",
    "电梯安全管理员持证并明确": "电梯安全管理员未明确或无证",
    "轿厢紧急报警装置（五方通话）能接通值班室": "电梯紧急报警装置（五方通话）不能接通值班室",
    "平层准确，开关门无异常，门防夹保护有效": "电梯平层不准、开关门异常或门防夹保护失效",
    "轿厢照明、通风正常，应急照明有效": "电梯轿厢照明、通风异常或应急照明失效",
    "机房整洁、通风良好，无杂物，盘车工具在位": "电梯机房有杂物、通风不良或盘车工具缺失",
    # 施工现场及动火作业检查表
    "施工单位资质合格，已签订安全生产管理协议明确双方职责": "施工单位资质不合格或未签订安全生产管理协议",
    "施工区域与病区、门诊有效分隔，设置警示标志": "施工区域与病区、门诊未有效分隔或未设警示标志",
    "未擅自改变建筑主体承重结构": "擅自改变建筑主体承重结构",
    "临时用电规范，配电箱“一机一闸一漏”": "施工临时用电不规范，配电箱未做到“一机一闸一漏”",
    "动火作业已办理动火审批，动火人持证（焊工证）": "动火作业未办理审批或动火人无证（焊工证）",
    "动火点周围易燃物已清除，配备灭火器材和监护人": "动火点周围易燃物未清除或未配灭火器材、监护人",
    "动火结束后检查确认无遗留火种": "动火结束后未检查确认有无遗留火种",
    # 托育机构安全检查表
    "婴幼儿用房设在首层至三层，疏散通道畅通": "婴幼儿用房设在三层以上或疏散通道不畅",
    "插座采用安全型并安装在婴幼儿够不到的高度": "插座非安全型或安装在婴幼儿可触及的高度",
    "桌椅、家具边角有防护，窗户有防护栏、防坠落措施": "桌椅、家具边角无防护或窗户无防护栏、防坠落措施",
    "消毒剂、药品存放在婴幼儿接触不到的上锁柜内": "消毒剂、药品未存放在上锁柜内，婴幼儿可接触",
    "午睡期间有照护人员值守并定时巡视": "午睡期间无照护人员值守或未定时巡视",
    "接送交接登记完整，严格执行实名接送": "接送交接登记不全或未执行实名接送",
    "每月开展消防疏散演练，婴幼儿疏散有专人负责": "未每月开展消防疏散演练或婴幼儿疏散无专人负责",
    "食品留样48小时、每样不少于125克": "食品留样不足48小时或每样少于125克",
    # 医养结合护理区安全检查表
    "居室、走廊安装独立式烟感或火灾报警系统，工作正常": "居室、走廊未安装烟感或火灾报警系统，或工作不正常",
    "未使用易燃可燃材料装修、分隔，未设置彩钢板房": "使用易燃可燃材料装修、分隔或设置彩钢板房",
    "夜间值班人员与失能老人比例符合要求，熟悉疏散预案": "夜间值班人员与失能老人比例不足或不熟悉疏散预案",
    "未在老人居室内使用电热毯、电取暖器等大功率电器（经评估许可的除外）": "居室内违规使用电热毯、电取暖器等大功率电器",
    "床栏、扶手、呼叫器完好，卫生间防滑": "床栏、扶手、呼叫器损坏或卫生间未防滑",
    "老人跌倒、压疮、噎食、走失风险已评估并落实防范措施": "老人跌倒、压疮、噎食、走失风险未评估或防范措施未落实",
    "氧气瓶、制氧机使用区域无明火，有警示标识": "氧气瓶、制氧机使用区域有明火或无警示标识",
    "食品留样和餐具消毒符合要求": "食品留样或餐具消毒不符合要求",
    # 单位负责人综合检查表
    "安全生产责任制、“两单两卡”在各岗位落实": "安全生产责任制、“两单两卡”未在各岗位落实",
    "隐患台账完整，重大隐患整改“五落实”": "隐患台账不完整或重大隐患整改未做到“五落实”",
    "安全生产投入（经费、物资）按计划落实": "安全生产投入（经费、物资）未按计划落实",
    "消防控制室值班、消防设施运行正常": "消防控制室值班或消防设施运行不正常",
    "液氧站、配电房、危化品库、食堂燃气等重点部位无明显隐患": "液氧站、配电房、危化品库、食堂燃气等重点部位有明显隐患",
    "特种设备登记、检验和作业人员持证情况符合要求": "特种设备未登记、未按期检验或作业人员无证",
    "外包服务单位安全协议签订和管理到位": "外包服务单位未签订安全协议或管理不到位",
    # 科室安全周检查表
    "本周员工日查记录齐全，发现问题已处理": "本周员工日查记录不全或发现的问题未处理",
    "科室疏散通道畅通，消防器材完好": "科室疏散通道不畅或消防器材损坏",
    "用电规范，无私拉乱接、无插线板串接": "科室私拉乱接电线或插线板串接",
    "科室存放的易燃消毒剂不超过一日用量": "科室存放的易燃消毒剂超过一日用量",
    "新入科员工已接受岗位安全培训，知晓“两单两卡”": "新入科员工未接受岗位安全培训或不知晓“两单两卡”",
}

# name, institution kind ("" any), flag ("" none), role, rhythm, every_hours, checklist code
RHYTHMS = [
    ("病区防火巡查（每2小时）", "public_hospital", "", "staff", "hours", 2, "ward_fire_patrol"),
    ("病区防火巡查（每日）", "private_hospital", "", "staff", "daily", None, "ward_fire_patrol"),
    ("一线员工日查", "", "", "staff", "daily", None, "ward_fire_patrol"),
    ("科室负责人周查", "", "", "department_head", "weekly", None, "department_weekly"),
    ("分管负责人月查", "", "", "deputy", "monthly", None, "comprehensive_inspection"),
    ("月度防火检查", "", "", "safety_officer", "monthly", None, "monthly_fire_check"),
    ("主要负责人季度检查", "", "", "principal", "quarterly", None, "comprehensive_inspection"),
    (
        "主要负责人月度检查（消防安全重点单位）",
        "",
        "is_fire_key_unit",
        "principal",
        "monthly",
        None,
        "comprehensive_inspection",
    ),
    (
        "主要负责人月度检查（火灾高危单位）",
        "",
        "is_fire_high_risk",
        "principal",
        "monthly",
        None,
        "comprehensive_inspection",
    ),
    (
        "主要负责人月度检查（老年医养护理场所）",
        "",
        "is_elderly_care",
        "principal",
        "monthly",
        None,
        "comprehensive_inspection",
    ),
    ("医养护理区日查", "medical_elderly_care", "", "staff", "daily", None, "elderly_care_room"),
    ("托育机构日查", "childcare", "", "staff", "daily", None, "childcare_room"),
]


# the day window of an "every N hours" default (DOMAIN.md §3: wards "every 2 hours by day"), by name
WINDOWS = {"病区防火巡查（每2小时）": (dt.time(8, 0), dt.time(20, 0))}


def load_windows(RhythmDefault) -> None:
    """Give the "every N hours" defaults their day window, where still unset (whole day)."""
    for name, (day_start, day_end) in WINDOWS.items():
        RhythmDefault.objects.filter(name=name, rhythm="hours", day_start__isnull=True, day_end__isnull=True).update(
            day_start=day_start, day_end=day_end
        )


def load_fail_texts(Item) -> int:
    """Give the starter items, and the copies that kept their wording, their 不合格表述 where still
    empty (checklists made before it existed); never changes one already written."""
    changed = 0
    for text, fail_text in FAIL_TEXTS.items():
        changed += Item.objects.filter(text=text, fail_text="").update(fail_text=fail_text)
    return changed


def load(Template, Section, Item, Category, RhythmDefault) -> None:  # model classes, also historical ones
    """Create whatever of the starter library is missing; never changes what exists."""
    categories = {c.code: c for c in Category.objects.all()}
    has_fail_text = any(f.name == "fail_text" for f in Item._meta.get_fields())
    for spec in STARTER:
        if Template.objects.filter(owner__isnull=True, code=spec["code"]).exists():
            continue
        template = Template.objects.create(
            owner=None,
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            applies_to=spec["applies_to"],
            category=categories.get(spec["category"]),
            version=1,
            status="published",
        )
        for s_order, (title, items) in enumerate(spec["sections"], start=1):
            section = Section.objects.create(template=template, order=s_order, title=title)
            for i_order, (text, basis, flags, *cat) in enumerate(items, start=1):
                Item.objects.create(
                    template=template,
                    section=section,
                    order=i_order,
                    text=text,
                    basis=basis,
                    category=categories.get(cat[0]) if cat else None,
                    photo_required_on_fail="p" in flags,
                    suggests_major="m" in flags,
                    **({"fail_text": FAIL_TEXTS[text]} if has_fail_text else {}),
                )
    has_window = any(f.name == "day_start" for f in RhythmDefault._meta.get_fields())
    for order, (name, kind, flag, role, rhythm, hours, code) in enumerate(RHYTHMS, start=1):
        rule, created = RhythmDefault.objects.get_or_create(
            kind=kind,
            flag=flag,
            role=role,
            template_code=code,
            defaults={"name": name, "rhythm": rhythm, "every_hours": hours, "sort_order": order * 10},
        )
        if created and has_window and name in WINDOWS and rhythm == "hours":
            rule.day_start, rule.day_end = WINDOWS[name]
            rule.save(update_fields=["day_start", "day_end"])


def ensure_defaults() -> None:
    from anjian.hazards.defaults import ensure_defaults as hazard_defaults
    from anjian.hazards.models import HazardCategory
    from anjian.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate, RhythmDefault

    hazard_defaults()
    load(ChecklistTemplate, ChecklistSection, ChecklistItem, HazardCategory, RhythmDefault)
