"""What the synthetic city is made of: its fixed names (the city commission, the logins, the city's
checklist), the kinds of institution with their weights and sizes, the words names are made from,
and two helpers: a weighted draw and a name's initials."""

from __future__ import annotations

import functools
import random

from anjian.core.pinyin import initials

CITY_NAME = "规模测试市卫生健康委员会"
PASSWORD = "Anjian@2026"  # noqa: S105 - the demo password, documented in the README
CITY_USERNAME = "sc_city"
TEMPLATE_CODE = "scale_general_30"

# kind → (weight, mean staff, departments, hospital grade choices, name suffix)
KINDS = [
    ("public_hospital", 5, 500, 20, ["3a", "3", "2a", "2"], "人民医院"),
    ("private_hospital", 8, 120, 10, ["2", "1", "none"], "医院"),
    ("community_health_center", 10, 60, 6, [], "社区卫生服务中心"),
    ("community_health_station", 20, 12, 2, [], "社区卫生服务站"),
    ("clinic", 40, 8, 1, [], "诊所"),
    ("village_clinic", 9, 3, 1, [], "村卫生室"),
    ("medical_elderly_care", 5, 60, 4, [], "医养中心"),
    ("cdc", 2, 80, 6, [], "疾病预防控制中心"),
    ("childcare", 1, 10, 1, [], "托育园"),
]


def _words(text: str) -> list[str]:
    return text.split()


DISTRICT_NAMES = _words("东城 西城 南岸 北山 江北 河西 新城 高新 临江 青山 白云 金山 松林 清水 长安 云岭")
PLACE_WORDS = _words(
    "和平 幸福 建设 人民 光明 友谊 长青 康宁 仁爱 华夏 阳光 春晖 民生 安康 永安 兴业 锦绣 朝阳 文化 东风"
)
DEPARTMENTS = _words(
    "内科 外科 急诊科 儿科 妇产科 眼科 口腔科 药剂科 检验科 放射科 手术室 重症医学科 "
    "感染科 康复科 中医科 后勤保障部 总务科 保卫科 信息科 设备科"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉建国志文斌宁浩宇欣怡晨阳雪琳佳"


def weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


@functools.cache
def name_initials(name: str) -> str:
    return initials(name)
