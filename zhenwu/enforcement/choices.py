"""Choice sets of 一队执法."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OriginDepartment(models.TextChoices):
    """The county department a penalty power was delegated from (来源部门)."""

    URBAN = "urban", _("Urban management (城管)")
    SAFETY = "safety", _("Emergency management / work safety (应急/安监)")
    ECOLOGY = "ecology", _("Ecology and environment (生态环境)")
    LABOUR = "labour", _("Human resources and social security / labour (人社/劳动)")
    MARKET = "market", _("Market regulation (市场监管)")
    HEALTH = "health", _("Health (卫健)")
    LAND = "land", _("Natural resources (自然资源)")
    HOUSING = "housing", _("Housing and construction (住建)")
    WATER = "water", _("Water affairs (水务)")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs (农业农村)")
    CULTURE = "culture", _("Culture and tourism (文旅)")
    EDUCATION = "education", _("Education (教育)")
    TRANSPORT = "transport", _("Transport (交通运输)")
    FIRE = "fire", _("Fire rescue (消防)")
    CIVIL = "civil", _("Civil affairs (民政)")


class Parties(models.TextChoices):
    """Who a power applies to (适用对象)."""

    CITIZEN = "citizen", _("Citizens")
    ORGANISATION = "organisation", _("Legal persons and other organisations")
    BOTH = "both", _("Citizens, legal persons and other organisations")


class BandLevel(models.TextChoices):
    """A discretion band (裁量等级), lightest first."""

    MINOR = "minor", _("Minor (轻微)")
    ORDINARY = "ordinary", _("Ordinary (一般)")
    SERIOUS = "serious", _("Serious (较重)")
    GRAVE = "grave", _("Grave (严重)")


BAND_ORDER = [BandLevel.MINOR, BandLevel.ORDINARY, BandLevel.SERIOUS, BandLevel.GRAVE]


class ConflictKind(models.TextChoices):
    """A declared conflict of interest (回避): the party the officer may not handle."""

    RELATIVE = "relative", _("Relative (ID number)")
    SHAREHOLDING = "shareholding", _("Shareholding (USCC)")
    OTHER = "other", _("Other interest")


class Procedure(models.TextChoices):
    SUMMARY = "summary", _("Summary procedure (简易程序)")
    GENERAL = "general", _("General procedure (普通程序)")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning (警告)")
    FINE = "fine", _("Fine (罚款)")
    CONFISCATION = "confiscation", _("Confiscation of illegal gains (没收违法所得)")
    SUSPENSION = "suspension", _("Suspension of business (责令停产停业)")
    REVOCATION = "revocation", _("Revocation of a licence (吊销许可证件)")
    CLOSURE = "closure", _("Closure (责令关闭)")


# The Chinese terms a county's 司法局 sheet writes → values. The first term per value is what exports write.
DEPARTMENT_TERMS: dict[str, str] = {
    "城管": OriginDepartment.URBAN, "城市管理": OriginDepartment.URBAN, "综合执法": OriginDepartment.URBAN,
    "应急/安监": OriginDepartment.SAFETY, "应急": OriginDepartment.SAFETY, "安监": OriginDepartment.SAFETY,
    "应急管理": OriginDepartment.SAFETY,
    "生态环境": OriginDepartment.ECOLOGY, "环保": OriginDepartment.ECOLOGY,
    "人社/劳动": OriginDepartment.LABOUR, "人社": OriginDepartment.LABOUR, "劳动": OriginDepartment.LABOUR,
    "人力资源和社会保障": OriginDepartment.LABOUR,
    "市场监管": OriginDepartment.MARKET, "市场监督管理": OriginDepartment.MARKET,
    "卫健": OriginDepartment.HEALTH, "卫生健康": OriginDepartment.HEALTH,
    "自然资源": OriginDepartment.LAND, "自然资源和规划": OriginDepartment.LAND,
    "住建": OriginDepartment.HOUSING, "住房城乡建设": OriginDepartment.HOUSING,
    "水务": OriginDepartment.WATER, "水利": OriginDepartment.WATER,
    "农业农村": OriginDepartment.AGRICULTURE, "农业": OriginDepartment.AGRICULTURE,
    "文旅": OriginDepartment.CULTURE, "文化和旅游": OriginDepartment.CULTURE, "文体旅游": OriginDepartment.CULTURE,
    "教育": OriginDepartment.EDUCATION,
    "交通运输": OriginDepartment.TRANSPORT, "交通": OriginDepartment.TRANSPORT,
    "消防": OriginDepartment.FIRE, "消防救援": OriginDepartment.FIRE,
    "民政": OriginDepartment.CIVIL,
}
PARTY_TERMS: dict[str, str] = {
    "公民、法人和其他组织": Parties.BOTH, "全部": Parties.BOTH, "公民、法人或者其他组织": Parties.BOTH,
    "公民": Parties.CITIZEN, "自然人": Parties.CITIZEN, "个人": Parties.CITIZEN,
    "法人和其他组织": Parties.ORGANISATION, "法人": Parties.ORGANISATION, "单位": Parties.ORGANISATION,
    "法人或者其他组织": Parties.ORGANISATION,
}
BAND_TERMS: dict[str, str] = {"轻微": BandLevel.MINOR, "一般": BandLevel.ORDINARY, "较重": BandLevel.SERIOUS,
                              "严重": BandLevel.GRAVE}


def first_term(terms: dict[str, str], value: str) -> str:
    """The term an export writes for ``value``."""
    return next(t for t, v in terms.items() if v == value)


class CaseSource(models.TextChoices):
    """Where a penalty case came from (案件来源)."""

    PATROL = "patrol", _("Patrol (巡查发现)")
    GRID_INCIDENT = "grid_incident", _("Escalated grid incident (网格事件移交)")
    COMPLAINT = "complaint", _("Complaint or report (投诉举报)")
    HOTLINE = "hotline", _("12345 hotline (12345热线)")
    RANDOM_INSPECTION = "random_inspection", _("Random inspection finding (双随机抽查)")
    SUPERVISION_TASK = "supervision_task", _("Supervision task of an approval (审管联动)")
    TRANSFER = "transfer", _("Transfer from another authority (部门移送)")


class PublicationStatus(models.TextChoices):
    """行政处罚决定公开: a decided general case waits to be published, is published, or was withdrawn."""

    PENDING = "pending", _("To be published (待公开)")
    PUBLISHED = "published", _("Published (已公开)")
    WITHDRAWN = "withdrawn", _("Withdrawn (已撤销)")


class OverturnKind(models.TextChoices):
    """How a published decision was overturned (Administrative Penalty Law Art. 48: withdrawn within 3 days)."""

    RECONSIDERATION_REVOKED = "reconsideration_revoked", _("Revoked on administrative reconsideration (复议撤销)")
    RECONSIDERATION_CHANGED = "reconsideration_changed", _("Changed on administrative reconsideration (复议变更)")
    LITIGATION_REVOKED = "litigation_revoked", _("Revoked by a court (诉讼撤销)")
    LITIGATION_CHANGED = "litigation_changed", _("Changed by a court (诉讼变更)")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("Confirmed illegal (确认违法)")
    CONFIRMED_VOID = "confirmed_void", _("Confirmed void (确认无效)")


class RemedyKind(models.TextChoices):
    """The party's remedy against a decision: Administrative Penalty Law Art. 7, 73."""

    RECONSIDERATION = "reconsideration", _("Administrative reconsideration (行政复议)")
    LAWSUIT = "lawsuit", _("Administrative lawsuit (行政诉讼)")


class RemedyOutcome(models.TextChoices):
    """How a reconsideration or lawsuit ended for the decision."""

    UPHELD = "upheld", _("Decision upheld (维持)")
    ANNULLED = "annulled", _("Decision annulled (撤销)")
    CHANGED = "changed", _("Decision changed (变更)")


class FollowUpResult(models.TextChoices):
    """How a 审管联动 task ended: an inspection record (no problem / a problem put right) or a penalty case."""

    NO_PROBLEM = "no_problem", _("Inspected: no problem found")
    PROBLEM = "problem", _("Inspected: problem found, ordered to put it right")
    CASE = "case", _("Penalty case opened")

class DocumentKind(models.TextChoices):
    """The numbered documents of a general-procedure case (执法文书), each numbered per kind and year."""

    FILING = "filing", _("Case filing approval form (立案审批表)")
    INQUIRY = "inquiry", _("Inquiry record (询问笔录)")
    INSPECTION = "inspection", _("On-site inspection record (现场检查笔录)")
    DISCUSSION = "discussion", _("Collective discussion record (集体讨论记录)")
    NOTICE = "notice", _("Prior notice of the penalty (行政处罚事先告知书)")
    HEARING = "hearing", _("Hearing notice (听证通知书)")
    HEARING_RECORD = "hearing_record", _("Hearing record (听证笔录)")
    DECISION = "decision", _("Penalty decision (行政处罚决定书)")
    SERVICE = "service", _("Proof of service (送达回证)")
    DEMAND = "demand", _("Payment demand (催告书)")
    COURT = "court", _("Application to the court for enforcement (强制执行申请书)")
    CLOSING = "closing", _("Case closing report (结案报告)")


# The character(s) a document number carries for its kind: 综执罚决字〔2026〕第12号.
DOCUMENT_CODES: dict[str, str] = {
    DocumentKind.FILING: "立", DocumentKind.INQUIRY: "询", DocumentKind.INSPECTION: "检",
    DocumentKind.DISCUSSION: "讨", DocumentKind.NOTICE: "告", DocumentKind.HEARING: "听",
    DocumentKind.HEARING_RECORD: "听笔",
    DocumentKind.DECISION: "罚决", DocumentKind.SERVICE: "送", DocumentKind.CLOSING: "结",
    DocumentKind.DEMAND: "催", DocumentKind.COURT: "执申",
}
# One per case (the others, records, may be many): the action of the process that issues each.
SINGLE_DOCUMENTS: dict[str, str] = {
    "approve_filing": DocumentKind.FILING, "notify": DocumentKind.NOTICE, "hold_hearing": DocumentKind.HEARING,
    "decide": DocumentKind.DECISION, "serve": DocumentKind.SERVICE, "close": DocumentKind.CLOSING,
    "demand": DocumentKind.DEMAND, "apply_court": DocumentKind.COURT,
}


class ServiceMethod(models.TextChoices):
    """How a decision was served (送达方式, Art. 61 and the Civil Procedure Law)."""

    DIRECT = "direct", _("In person (直接送达)")
    LEFT = "left", _("Left at the residence (留置送达)")
    POST = "post", _("By post (邮寄送达)")
    ELECTRONIC = "electronic", _("Electronically, with the party's consent (电子送达)")
    ENTRUSTED = "entrusted", _("Through another authority (委托送达)")
    PUBLIC_NOTICE = "public_notice", _("By public notice (公告送达)")


class PersonRole(models.TextChoices):
    """Who was asked (询问笔录) or was present (现场检查笔录)."""

    PARTY = "party", _("The party (当事人)")
    REPRESENTATIVE = "representative", _("Legal representative or agent (法定代表人/委托代理人)")
    WITNESS = "witness", _("Witness (证人/见证人)")
    OTHER = "other", _("Other person concerned (其他有关人员)")


class PaymentPlanKind(models.TextChoices):
    """Art. 66: a party in real financial difficulty may pay later or in instalments, on approval."""

    DEFERRAL = "deferral", _("Deferral (延期缴纳)")
    INSTALMENTS = "instalments", _("Instalments (分期缴纳)")


class PaymentPlanStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
