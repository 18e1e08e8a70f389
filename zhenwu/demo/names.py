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


# --- the full-scale town: people, firms, places ---------------------------------------------------

# Surnames with rough shares (per mille) of the population of Jiangsu; the tail shares the rest.
SURNAME_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("王", 78), ("张", 62), ("陈", 58), ("李", 55), ("刘", 45), ("徐", 32), ("周", 30), ("朱", 28),
    ("吴", 27), ("孙", 26), ("杨", 24), ("黄", 20), ("赵", 18), ("胡", 17), ("丁", 15), ("钱", 14),
    ("顾", 14), ("沈", 13), ("蒋", 13), ("许", 12), ("姜", 11), ("马", 11), ("汤", 10), ("葛", 10),
    ("高", 10), ("殷", 9), ("戴", 9), ("郭", 9), ("何", 8), ("严", 8), ("束", 8), ("贡", 7),
    ("眭", 7), ("荆", 6), ("林", 6), ("邓", 6), ("曹", 6), ("潘", 6), ("袁", 5), ("于", 5),
    ("韦", 5), ("施", 5), ("范", 5), ("陆", 5), ("唐", 5), ("蔡", 5), ("鲍", 4), ("樊", 4),
    ("冯", 4), ("谢", 4), ("宋", 4), ("韩", 4), ("程", 4), ("彭", 3), ("董", 3), ("吕", 3),
    ("魏", 3), ("田", 3), ("杜", 3), ("叶", 3), ("苏", 3), ("余", 3), ("贺", 2), ("毛", 2),
)
SURNAMES_ONLY = tuple(s for s, _w in SURNAME_WEIGHTS)
SURNAME_CUM = tuple(sum(w for _s, w in SURNAME_WEIGHTS[:i + 1]) for i in range(len(SURNAME_WEIGHTS)))
MALE_CHARS = (
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "华", "建", "国", "志", "文",
    "海", "峰", "波", "辉", "鹏", "宇", "浩", "凯", "卫", "东", "林", "斌", "俊", "亮", "成", "荣",
    "新", "平", "生", "金", "福", "根", "宝", "龙", "祥", "德", "春", "忠", "兵", "健", "晨", "睿",
)
FEMALE_CHARS = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "秀", "霞", "桂", "英", "红", "玉", "兰", "春", "晓",
    "雪", "婷", "琳", "慧", "梅", "萍", "珍", "凤", "琴", "燕", "云", "莉", "洁", "欣", "怡", "佳",
    "颖", "倩", "彩", "月", "菊", "华", "美", "花", "芬", "娣", "宁", "雯", "悦", "萱", "琪", "妍",
)
CN_DIGITS = "零一二三四五六七八九"
PARK_ROADS = ("振兴", "富民", "兴农", "园区", "科创", "丰收", "惠民", "育才", "金穗", "绿洲")

FIRM_STEMS_FULL = FIRM_STEMS + (
    "鼎盛", "宏远", "永盛", "华康", "丰源", "天禾", "润泽", "博远", "新禾", "正泰", "兴隆", "聚福",
    "锦程", "嘉禾", "同创", "盛世", "汇丰", "宏泰", "明达", "鑫源", "东升", "安泰", "顺达", "恒信",
)
# (trade in the firm name, industry as shown in the ledger, is manufacturing)
TRADES: tuple[tuple[str, str, bool], ...] = (
    ("农业科技", "农业", False), ("食品", "农副食品加工业", True), ("建材", "非金属矿物制品业", True),
    ("机械制造", "通用设备制造业", True), ("物流", "道路运输业", False), ("商贸", "批发业", False),
    ("眼镜", "其他制造业", True), ("五金", "金属制品业", True), ("纺织", "纺织业", True),
    ("家具", "家具制造业", True), ("电子科技", "计算机、通信和其他电子设备制造业", True),
    ("汽车配件", "汽车制造业", True), ("建筑工程", "房屋建筑业", False), ("餐饮管理", "餐饮业", False),
    ("装饰工程", "建筑装饰业", False), ("化工", "化学原料和化学制品制造业", True),
)
SHOP_TRADES: tuple[tuple[str, str], ...] = (
    ("便利店", "零售业"), ("超市", "零售业"), ("五金店", "零售业"), ("理发店", "居民服务业"),
    ("农资店", "零售业"), ("电动车行", "零售业"), ("小吃店", "餐饮业"), ("面馆", "餐饮业"),
    ("饭店", "餐饮业"), ("药店", "零售业"), ("修理部", "居民服务业"), ("水果店", "零售业"),
)


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for village groups)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones or not tens else "")


def weighted_surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES_ONLY, cum_weights=SURNAME_CUM)[0]


def given_name(rng: random.Random, *, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    return "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.3 else 2))
