"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.household import AssistanceFile, StatusChange

__all__ = ["AssistanceFile", "StatusChange"]
