"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.applications import AssistanceApplication
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.household import (
    Asset,
    AssistanceFile,
    Expenditure,
    ImportedIncome,
    Income,
    MemberProfile,
    Need,
    Resource,
    ResourceMatch,
    StatusChange,
)
from zhenwu.assistance.models.payments import PayeeAccount, PaymentLine, PaymentList
from zhenwu.assistance.models.rules import AddOn, CategoryRule, ItemCap, RuleSet, Tier

__all__ = ["AddOn", "Asset", "AssistanceApplication", "AssistanceFile", "CategoryRule", "Expenditure", "Grant",
           "ImportedIncome", "Income", "ItemCap", "MemberProfile", "Need", "PayeeAccount", "PaymentLine", "PaymentList",
           "Resource", "ResourceMatch", "RuleSet", "StatusChange", "Tier"]
