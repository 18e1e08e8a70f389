"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.household import AssistanceFile, Expenditure, Income, MemberProfile, StatusChange
from zhenwu.assistance.models.payments import PayeeAccount, PaymentLine, PaymentList
from zhenwu.assistance.models.rules import AddOn, CategoryRule, ItemCap, RuleSet, Tier

__all__ = ["AddOn", "AssistanceFile", "CategoryRule", "Expenditure", "Grant", "Income", "ItemCap", "MemberProfile",
           "PayeeAccount", "PaymentLine", "PaymentList", "RuleSet", "StatusChange", "Tier"]
