"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.applications import AssistanceApplication
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

__all__ = ["Asset", "AssistanceApplication", "AssistanceFile", "Expenditure", "ImportedIncome", "Income",
           "MemberProfile", "Need", "Resource", "ResourceMatch", "StatusChange"]
