"""Invented names for the demo: places, people and firms. No real person data."""

from __future__ import annotations

import random

COUNTY_CODE = "321181"
COUNTY_NAME = "丹溪市"
FIRST_TOWN_NUMBER = 102  # town codes 321181102, 321181103, … (100–199 are 镇)
PARK_NAME = "现代农业产业园"

TOWN_NAMES = (
    "丹湖镇", "青溪镇", "云岭镇", "白塔镇", "柳桥镇", "金沙镇", "石埠镇", "桃源镇", "凤鸣镇", "荷塘镇",
    "双庙镇", "横塘镇", "长乐镇", "新丰镇", "梅岗镇", "芦墩镇", "瑶湾镇", "漕河镇", "松林镇", "鹤洲镇",
)
MAX_TOWNS = len(TOWN_NAMES)

VILLAGE_STEMS = (
    "东塘", "西圩", "南庄", "北岗", "新桥", "荷花", "柳湾", "杏林", "前进", "长山", "石桥", "大圩",
    "金塘", "马庄", "里庄", "双河", "黄泥", "河口", "沙滩", "竹园", "高墩", "陈巷", "柏树", "枫林",
    "后巷", "三圣", "永丰", "建新", "红光", "立新", "蔡家", "王庄", "庙前", "塘头", "花园", "观音",
    "湖滨", "白鹤", "青龙", "梅湾", "桑园", "葛村", "樊巷", "丁庄", "胡桥", "韦庄", "鲍墅", "汤家",
)

ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭",
    "林", "何", "高", "梁", "郑", "罗", "宋", "谢", "唐", "韩", "曹", "许", "邓", "萧", "冯", "曾",
    "程", "蔡", "彭", "潘", "袁", "于", "董", "余", "苏", "叶", "吕", "魏", "蒋", "田", "杜", "丁",
)
GIVEN_CHARS = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "文", "海", "红", "玉", "兰",
    "春", "晓", "雪", "峰", "波", "辉", "鹏", "宇", "浩", "婷", "琳", "慧", "凯", "晨", "欣", "卫",
)
FIRM_STEMS = ("绿源", "丰禾", "金穗", "清泉", "恒达", "鑫盛", "瑞丰", "华宇")
FIRM_TRADES = ("农业科技", "食品", "建材", "机械制造", "物流", "商贸")


def town_name(index: int) -> str:
    return TOWN_NAMES[index]


def village_names(rng: random.Random) -> list[str]:
    """Eleven distinct village names for one town."""
    return [f"{stem}村" for stem in rng.sample(VILLAGE_STEMS, 11)]


def grid1_name(village: str) -> str:
    return f"{village}网格"


def grid2_name(village: str, number: int) -> str:
    """Level-2 grid number `number` (1-based) of a village: 东塘村第一网格."""
    return f"{village}第{ORDINALS[number - 1]}网格"


def person_name(rng: random.Random) -> str:
    """A two- or three-character Chinese name."""
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def firm_name(rng: random.Random, town: str) -> str:
    """An invented limited company registered in `town`."""
    return f"{town.removesuffix('镇')}{rng.choice(FIRM_STEMS)}{rng.choice(FIRM_TRADES)}有限公司"
