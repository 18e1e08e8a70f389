"""The grid app's models, one module per part; every model is re-exported here."""

from zhenwu.grid.models.categories import Category, CategoryVersion
from zhenwu.grid.models.incidents import Incident, IncidentExtension
from zhenwu.grid.models.patrols import CheckIn, Patrol, TrackPoint

__all__ = ["Category", "CategoryVersion", "CheckIn", "Incident", "IncidentExtension", "Patrol", "TrackPoint"]
