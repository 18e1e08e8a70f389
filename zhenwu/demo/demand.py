"""How often a township hall of ~50,000 residents handles each item of the catalogue (relative weights).

A hall's counters are dominated by social insurance and medical insurance (参保, 社保卡, 待遇资格认证,
异地就医备案), household-registration certificates and residence permits, 生育登记, the monthly run of
elderly, disability and 低保 subsidies, and 个体工商户 registration; permits for digging roads, felling
trees or hanging billboards are a few a year. Weights are per item name (codes are assigned by position
in the catalogue); an item not named here gets ``DEFAULT``.
"""

from __future__ import annotations

DEFAULT = 1.5

WEIGHTS: dict[str, float] = {
    # medical insurance and social insurance: the bulk of the counter
    "城乡居民基本医疗保险参保登记": 60, "城乡居民基本医疗保险费缴纳": 45, "社会保障卡申领": 40,
    "领取养老金人员资格认证": 34, "城乡居民养老保险参保登记": 30, "异地就医备案": 26, "社会保障卡补换": 22,
    "城乡居民基本养老保险费缴纳": 20, "灵活就业人员参保登记": 14, "灵活就业人员社会保险费缴纳": 10,
    "医疗费用零星报销": 12, "门诊慢特病待遇认定": 10, "城乡居民养老保险待遇领取申请": 10,
    "城乡居民养老保险注销登记及丧葬补助金申领": 6, "城乡居民养老保险缴费档次变更": 5,
    "基本医疗保险关系转移接续": 5, "医疗救助申请": 6, "就业创业证申领": 8, "失业登记": 6,
    # births, households, identity
    "生育登记": 20, "户籍证明开具": 20, "居住证申领": 18, "居住登记": 16, "出生登记": 12, "居民身份证换领": 10,
    "居民身份证补领": 5, "居民身份证首次申领": 4, "死亡注销户口": 6, "县内户口迁移": 6, "户口簿换领补领": 4,
    "分户": 3, "办理临时居民身份证": 3, "孕产妇保健手册建册": 8, "预防接种证办理": 8, "家庭医生签约服务": 10,
    "老年人健康体检预约": 8,
    # subsidies and assistance
    "困难残疾人生活补贴申请": 14, "重度残疾人护理补贴申请": 12, "高龄津贴申请": 14, "老年人优待证办理": 12,
    "最低生活保障审核确认": 12, "临时救助申请审核": 5, "特困人员救助供养审核确认": 3, "低保边缘家庭认定": 3,
    "经济困难老年人居家养老服务补贴申请": 4, "惠民殡葬基本服务费用减免": 5, "残疾人证换领": 8, "残疾人证新办": 6,
    "残疾人证补办": 2, "残疾人证迁移": 1, "残疾人证注销": 2, "耕地地力保护补贴申报": 8,
    "企业退休人员独生子女父母一次性奖励申请": 4, "农村部分计划生育家庭奖励扶助申报": 4,
    # businesses and taxes
    "个体工商户设立登记": 14, "个体工商户年度报告": 12, "个体工商户变更登记": 8, "个体工商户注销登记": 6,
    "自然人代开增值税普通发票": 10, "仅销售预包装食品备案": 5, "食品经营许可": 4, "小餐饮经营许可": 3,
    "营业执照遗失补领": 2, "个人所得税纳税记录开具": 4, "不动产登记申请受理": 6, "契税申报": 4,
    "退役军人信息采集": 4, "消费投诉受理": 3,
    # rare: a few a year
    "砍伐、迁移城市树木审批": 0.3, "临时占用城市绿地审批": 0.3, "城市道路挖掘审批": 0.5, "户外广告设施设置审批": 0.5,
    "建筑垃圾处置核准": 0.5, "临时占用城市道路审批": 0.6, "耕地占用税申报": 0.3, "残疾等级评定申请": 0.4,
    "孤儿基本生活费申请": 0.3, "事实无人抚养儿童认定": 0.4, "社区社会组织备案": 0.3, "农民专业合作社设立登记": 0.5,
    "清税证明开具": 0.8, "农村宅基地使用权流转（转让）审核": 0.4, "设施农业用地备案": 0.4, "姓名变更登记": 0.6,
    "户口登记项目变更更正": 0.6, "公共租赁住房申请": 0.6, "劳动保障监察投诉受理": 0.8,
}


def weight(name: str) -> float:
    """The relative number of applications for the item called ``name``."""
    return WEIGHTS.get(name, DEFAULT)
