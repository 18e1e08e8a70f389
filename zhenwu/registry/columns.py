"""Columns of the registry spreadsheets: the Chinese headers, their aliases and the terms staff write.

Imports, exports and templates share these, so an exported ledger can be imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import FieldError
from zhenwu.registry import cleaning
from zhenwu.registry.choices import (
    CareTag,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    Relation,
    ResidentStatus,
    RiskLevel,
)
from zhenwu.registry.models import Camera, Enterprise, Household, Place, Resident


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Chinese header, the model field, an example and a note for the template."""

    header: str
    field: str
    required: bool = False
    example: str = ""
    note: Any = ""
    aliases: tuple[str, ...] = ()


# Chinese terms staff write in spreadsheets → choice values. The first term per value is the one
# exports and templates show; the cleaners also accept values and (translated) labels.
SYNONYMS: dict[str, dict[str, str]] = {
    "status": {"户籍": ResidentStatus.REGISTERED, "常住": ResidentStatus.PERMANENT, "流动": ResidentStatus.FLOATING,
               "户籍人口": ResidentStatus.REGISTERED, "常住人口": ResidentStatus.PERMANENT,
               "流动人口": ResidentStatus.FLOATING},
    "relation": {"户主": Relation.HEAD, "本人": Relation.HEAD, "配偶": Relation.SPOUSE, "妻子": Relation.SPOUSE,
                 "丈夫": Relation.SPOUSE, "子女": Relation.CHILD, "儿子": Relation.CHILD, "女儿": Relation.CHILD,
                 "父母": Relation.PARENT, "父亲": Relation.PARENT, "母亲": Relation.PARENT,
                 "孙子女": Relation.GRANDCHILD, "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD,
                 "兄弟姐妹": Relation.SIBLING, "租户": Relation.TENANT, "租客": Relation.TENANT,
                 "其他亲属": Relation.OTHER, "其他": Relation.OTHER},
    "tags": {"独居老人": CareTag.ELDERLY_ALONE, "残疾人": CareTag.DISABLED, "低保": CareTag.DIBAO,
             "低保户": CareTag.DIBAO, "特困": CareTag.TEKUN, "特困人员": CareTag.TEKUN,
             "重点青少年": CareTag.YOUTH, "退役军人": CareTag.VETERAN, "党员": CareTag.PARTY,
             "留守儿童": CareTag.LEFT_BEHIND_CHILD, "大病": CareTag.SEVERE_ILLNESS},
    "kind:households": {"户籍户": HouseholdKind.REGISTERED, "常住户": HouseholdKind.RESIDENT,
                        "出租户": HouseholdKind.RENTAL, "集体户": HouseholdKind.COLLECTIVE,
                        "空挂户": HouseholdKind.VACANT},
    "operating_status": {"在业": OperatingStatus.OPERATING, "存续": OperatingStatus.OPERATING,
                         "开业": OperatingStatus.OPERATING, "停业": OperatingStatus.SUSPENDED,
                         "歇业": OperatingStatus.SUSPENDED, "注销": OperatingStatus.CANCELLED,
                         "吊销": OperatingStatus.REVOKED},
    "risk_level": {"低": RiskLevel.LOW, "中": RiskLevel.MEDIUM, "高": RiskLevel.HIGH, "低风险": RiskLevel.LOW,
                   "中风险": RiskLevel.MEDIUM, "高风险": RiskLevel.HIGH},
    "kind:places": {"商铺": PlaceKind.SHOP, "店铺": PlaceKind.SHOP, "出租房": PlaceKind.RENTAL_HOUSE,
                    "出租屋": PlaceKind.RENTAL_HOUSE, "学校": PlaceKind.SCHOOL, "医院": PlaceKind.HOSPITAL,
                    "诊所": PlaceKind.HOSPITAL, "卫生院": PlaceKind.HOSPITAL, "工厂": PlaceKind.FACTORY,
                    "建筑工地": PlaceKind.CONSTRUCTION_SITE, "工地": PlaceKind.CONSTRUCTION_SITE,
                    "餐饮": PlaceKind.RESTAURANT, "饭店": PlaceKind.RESTAURANT,
                    "公共场所": PlaceKind.PUBLIC_VENUE, "其他": PlaceKind.OTHER},
    "abnormal_listed": {"是": "1", "否": "0"},
}

GRID_NOTE = _("Code of the grid (15 or 18 digits) or its name; it must exist and lie in your scope (a name must "
              "be unique there).")
LNG = Column("经度", "lng", example="119.52", note=_("WGS84 longitude; optional, with the latitude."))
LAT = Column("纬度", "lat", example="31.95", note=_("WGS84 latitude; optional, with the longitude."))


@dataclass(frozen=True)
class Kind:
    """One importable kind: its model, cleaner, columns and the field(s) that identify a row."""

    slug: str
    label: Any
    model: type[models.Model]
    cleaner: Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[tuple[str, Any]]]]
    key: tuple[str, ...]
    key_message: Any
    columns: tuple[Column, ...]

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), field_name)

    def synonyms(self, field_name: str) -> dict[str, str]:
        return SYNONYMS.get(f"{field_name}:{self.slug}") or SYNONYMS.get(field_name, {})


def _grid(example: str = "321181102201001001") -> Column:
    return Column("所属网格", "grid", True, example, GRID_NOTE,
                  ("网格编码", "网格代码", "网格名称", "所属网格名称", "网格"))


KINDS: dict[str, Kind] = {k.slug: k for k in (
    Kind("residents", _("residents"), Resident, cleaning.resident_clean, ("id_number",),
         _("A resident with this ID number already exists."), (
             Column("姓名", "name", True, "李明"),
             Column("身份证号", "id_number", True, "11010519491231002X",
                    _("18 characters; birth date and sex are derived from it."), ("身份证号码", "公民身份号码")),
             Column("手机号", "mobile", False, "13512342210", aliases=("手机号码", "联系电话")),
             _grid(),
             Column("户编号", "household", False, "H0001",
                    _("Number of an existing household in your scope, or its address where no other household "
                      "in your scope has it.")),
             Column("与户主关系", "relation", False, "户主", _("户主, 配偶, 子女, 父母, 孙子女, 兄弟姐妹, 租户, 其他")),
             Column("居住状态", "status", True, "户籍", _("户籍, 常住 or 流动")),
             Column("人员标签", "tags", False, "党员、独居老人",
                    _("Separated by 、 or commas: 独居老人, 残疾人, 低保, 特困, 重点青少年, 退役军人, 党员, "
                      "留守儿童, 大病")),
             Column("来到本地日期", "arrival_date", False, "", _("YYYY-MM-DD; required for 流动."),
                    ("来本地日期", "到达日期")),
             Column("户籍地", "origin", False, "", _("Required for 流动."), ("原籍地",)),
             LNG, LAT)),
    Kind("households", _("households"), Household, cleaning.household_clean, ("number",),
         _("A household with this number already exists."), (
             Column("户编号", "number", True, "H0001"),
             Column("地址", "address", True, "东山村1组8号"),
             Column("户类型", "kind", True, "户籍户", _("户籍户, 常住户, 出租户, 集体户 or 空挂户")),
             _grid(), LNG, LAT)),
    Kind("enterprises", _("enterprises"), Enterprise, cleaning.enterprise_clean, ("uscc",),
         _("An enterprise with this unified social credit code already exists."), (
             Column("统一社会信用代码", "uscc", True, "91350100M000100Y43"),
             Column("企业名称", "name", True, "丹阳市东山机械有限公司", aliases=("名称",)),
             Column("法定代表人", "legal_representative", True, "王强", aliases=("经营者",)),
             Column("行业", "industry", False, "通用设备制造业"),
             Column("地址", "address", True, "东山村工业园3号"),
             _grid(),
             Column("经营状态", "operating_status", False, "在业", _("在业, 停业, 注销 or 吊销; default 在业")),
             Column("风险等级", "risk_level", False, "低", _("低, 中 or 高; default 低")),
             Column("经营异常", "abnormal_listed", False, "否", _("是 or 否")),
             Column("投诉次数", "complaint_count", False, "0"),
             Column("联系电话", "mobile", False, "13512342210", aliases=("手机号",)),
             LNG, LAT)),
    Kind("places", _("places"), Place, cleaning.place_clean, ("name", "address"),
         _("A place with this name at this address already exists."), (
             Column("场所名称", "name", True, "东山小学", aliases=("名称",)),
             Column("场所类型", "kind", True, "学校",
                    _("商铺, 出租房, 学校, 医院, 工厂, 建筑工地, 餐饮, 公共场所 or 其他")),
             Column("地址", "address", True, "东山村文化路1号"),
             _grid(),
             Column("所属企业统一社会信用代码", "enterprise", False, "",
                    _("USCC of an existing enterprise, or its name where it is unique in your scope; optional."),
                    ("统一社会信用代码", "所属企业", "所属企业名称")),
             Column("联系人", "contact_name", False, "张老师"),
             Column("联系电话", "contact_mobile", False, "13512342210"),
             LNG, LAT)),
    Kind("cameras", _("cameras"), Camera, cleaning.camera_clean, ("code",),
         _("A camera with this code already exists."), (
             Column("设备编码", "code", True, "32118110220100001", aliases=("编码",)),
             Column("设备名称", "name", True, "东山村村委会门口"),
             Column("来源系统", "source_system", True, "雪亮工程"),
             Column("视频流地址", "stream_url", False, "rtsp://10.0.0.8/live/1"),
             _grid(), LNG, LAT)),
)}
SINGULAR = {"resident": "residents", "household": "households", "enterprise": "enterprises",
            "place": "places", "camera": "cameras"}


def kind_get(slug: str) -> Kind:
    """The kind named ``slug`` (plural or singular), or a FieldError naming the allowed ones."""
    kind = KINDS.get(SINGULAR.get(slug, slug))
    if kind is None:
        raise FieldError("kind", _("Choose one of: residents, households, enterprises, places, cameras."))
    return kind
