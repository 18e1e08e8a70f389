"""The built-in 部件/事件 categories of a Jiangsu town (loaded by ``zhenwu grid_categories``).

Major classes (DOMAIN.md): 事件 市容环境, 宣传广告, 施工管理, 突发事件, 街面秩序, 其他事件; 部件 公用设施,
道路交通, 市容环境, 园林绿化, 房屋土地, 其他设施. Each minor category: code, name, handling department,
limit (unit, value), may a grid worker self-close it, default priority.
"""

from __future__ import annotations

from typing import NamedTuple


class Major(NamedTuple):
    code: str
    name: str
    type: str  # "event" | "part"


class Minor(NamedTuple):
    code: str
    name: str
    department: str
    unit: str  # "hours" | "working_days"
    value: int
    self_close: bool
    priority: str  # "normal" | "urgent" | "critical"


H, WD = "hours", "working_days"
N, U, C = "normal", "urgent", "critical"

ENFORCE = "镇综合行政执法局"
SANITATION = "镇环卫所"
MUNICIPAL = "镇市政管理所"
BUILDING = "镇建设和规划办"
POWER = "镇供电所"
WATER = "镇水务站"
TRAFFIC = "交警中队"
POLICE = "镇派出所"
MARKET = "市场监督管理所"
SAFETY = "镇应急管理办公室"
ECOLOGY = "镇生态环境办公室"
LAND = "自然资源和规划所"
GREEN = "镇园林绿化站"
VILLAGE = "村（社区）"
TELECOM = "镇通信管线办"

MAJORS: list[Major] = [
    Major("E01", "市容环境", "event"), Major("E02", "宣传广告", "event"), Major("E03", "施工管理", "event"),
    Major("E04", "突发事件", "event"), Major("E05", "街面秩序", "event"), Major("E06", "其他事件", "event"),
    Major("P01", "公用设施", "part"), Major("P02", "道路交通", "part"), Major("P03", "市容环境", "part"),
    Major("P04", "园林绿化", "part"), Major("P05", "房屋土地", "part"), Major("P06", "其他设施", "part"),
]

MINORS: list[Minor] = [
    # 事件 · 市容环境
    Minor("E0101", "暴露垃圾", SANITATION, H, 24, True, N),
    Minor("E0102", "积存垃圾渣土", SANITATION, H, 48, False, N),
    Minor("E0103", "道路不洁", SANITATION, H, 24, True, N),
    Minor("E0104", "水域不洁", WATER, H, 48, False, N),
    Minor("E0105", "绿地脏乱", GREEN, H, 48, True, N),
    Minor("E0106", "私搭乱建", ENFORCE, WD, 5, False, N),
    Minor("E0107", "焚烧垃圾秸秆", ECOLOGY, H, 2, True, U),
    Minor("E0108", "油烟污染", ECOLOGY, WD, 3, False, N),
    Minor("E0109", "噪声扰民", ENFORCE, H, 24, False, N),
    Minor("E0110", "违规饲养家禽家畜", VILLAGE, WD, 3, True, N),
    Minor("E0111", "乱堆物堆料", ENFORCE, H, 48, True, N),
    Minor("E0112", "乱涂写乱张贴", SANITATION, H, 48, True, N),
    # 事件 · 宣传广告
    Minor("E0201", "非法小广告", SANITATION, H, 48, True, N),
    Minor("E0202", "违规户外广告", ENFORCE, WD, 5, False, N),
    Minor("E0203", "广告牌匾破损", ENFORCE, WD, 3, False, U),
    Minor("E0204", "占道广告牌", ENFORCE, H, 24, True, N),
    Minor("E0205", "条幅横幅乱挂", ENFORCE, H, 24, True, N),
    # 事件 · 施工管理
    Minor("E0301", "施工扰民", ENFORCE, H, 24, False, N),
    Minor("E0302", "工地扬尘", ECOLOGY, H, 24, False, U),
    Minor("E0303", "渣土车辆撒漏", ENFORCE, H, 12, False, U),
    Minor("E0304", "道路遗撒", SANITATION, H, 12, True, N),
    Minor("E0305", "无证掘路", MUNICIPAL, H, 24, False, U),
    Minor("E0306", "施工占道", MUNICIPAL, H, 48, False, N),
    Minor("E0307", "施工围挡破损", BUILDING, H, 48, False, N),
    # 事件 · 突发事件
    Minor("E0401", "路面塌陷", MUNICIPAL, H, 4, False, C),
    Minor("E0402", "自来水管破裂", WATER, H, 4, False, C),
    Minor("E0403", "燃气泄漏", SAFETY, H, 1, False, C),
    Minor("E0404", "道路积水", MUNICIPAL, H, 6, False, U),
    Minor("E0405", "火情", SAFETY, H, 1, False, C),
    Minor("E0406", "危险化学品泄漏", SAFETY, H, 1, False, C),
    Minor("E0407", "架空线缆脱落", TELECOM, H, 8, False, U),
    Minor("E0408", "树木倒伏", GREEN, H, 6, False, U),
    # 事件 · 街面秩序
    Minor("E0501", "占道经营", ENFORCE, H, 24, True, N),
    Minor("E0502", "店外经营", ENFORCE, H, 24, True, N),
    Minor("E0503", "无照经营游商", MARKET, H, 48, False, N),
    Minor("E0504", "流浪乞讨", POLICE, H, 24, False, N),
    Minor("E0505", "乱停放非机动车", ENFORCE, H, 24, True, N),
    Minor("E0506", "机动车乱停放", TRAFFIC, H, 24, False, N),
    Minor("E0507", "占用消防通道", SAFETY, H, 4, False, U),
    Minor("E0508", "露天烧烤", ENFORCE, H, 12, True, N),
    # 事件 · 其他事件
    Minor("E0601", "河道漂浮物", WATER, H, 48, True, N),
    Minor("E0602", "违规种植", VILLAGE, WD, 5, False, N),
    Minor("E0603", "私设地桩地锁", ENFORCE, WD, 3, True, N),
    Minor("E0604", "群租房安全隐患", SAFETY, WD, 3, False, U),
    Minor("E0605", "电动车楼道充电", SAFETY, H, 24, True, U),
    Minor("E0606", "违法占用耕地", LAND, WD, 5, False, U),
    # 部件 · 公用设施
    Minor("P0101", "井盖缺失破损", MUNICIPAL, H, 4, False, C),
    Minor("P0102", "雨水篦子损坏", MUNICIPAL, H, 24, False, U),
    Minor("P0103", "消防栓损坏", SAFETY, H, 48, False, U),
    Minor("P0104", "电力设施损坏", POWER, H, 12, False, U),
    Minor("P0105", "通信交接箱破损", TELECOM, WD, 3, False, N),
    Minor("P0106", "供水设施损坏", WATER, H, 24, False, U),
    Minor("P0107", "公共健身器材损坏", VILLAGE, WD, 5, False, N),
    # 部件 · 道路交通
    Minor("P0201", "路灯不亮", MUNICIPAL, H, 48, False, N),
    Minor("P0202", "道路破损", MUNICIPAL, WD, 5, False, N),
    Minor("P0203", "交通标志损坏", TRAFFIC, WD, 3, False, N),
    Minor("P0204", "护栏损坏", MUNICIPAL, WD, 3, False, N),
    Minor("P0205", "公交站亭损坏", MUNICIPAL, WD, 5, False, N),
    Minor("P0206", "隔离桩缺失", MUNICIPAL, WD, 3, True, N),
    Minor("P0207", "人行道板松动", MUNICIPAL, WD, 5, False, N),
    # 部件 · 市容环境
    Minor("P0301", "垃圾箱破损满溢", SANITATION, H, 24, True, N),
    Minor("P0302", "公厕损坏", SANITATION, H, 48, False, N),
    Minor("P0303", "垃圾分类亭损坏", SANITATION, WD, 3, False, N),
    Minor("P0304", "环卫车辆停放点脏乱", SANITATION, H, 48, True, N),
    # 部件 · 园林绿化
    Minor("P0401", "行道树缺失死亡", GREEN, WD, 10, False, N),
    Minor("P0402", "绿地毁损", GREEN, WD, 5, False, N),
    Minor("P0403", "树木枝条遮挡", GREEN, WD, 3, False, N),
    Minor("P0404", "花坛花箱破损", GREEN, WD, 5, True, N),
    # 部件 · 房屋土地
    Minor("P0501", "危房", BUILDING, H, 24, False, C),
    Minor("P0502", "废弃房屋", BUILDING, WD, 10, False, N),
    Minor("P0503", "空置土地乱堆", LAND, WD, 5, False, N),
    # 部件 · 其他设施
    Minor("P0601", "监控探头损坏", POLICE, WD, 3, False, N),
    Minor("P0602", "宣传栏破损", VILLAGE, WD, 5, True, N),
    Minor("P0603", "河道护栏缺失", WATER, H, 24, False, U),
    Minor("P0604", "门牌楼牌缺失", VILLAGE, WD, 5, True, N),
]
