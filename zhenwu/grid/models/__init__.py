"""The grid app's models, one module per part; every model is re-exported here."""

from zhenwu.grid.models.categories import Category, CategoryVersion
from zhenwu.grid.models.disputes import Dispute, DisputeParty, MediationSession
from zhenwu.grid.models.incidents import Incident, IncidentCount, IncidentExtension
from zhenwu.grid.models.open311 import Open311Attribute, Open311Client, Open311Request
from zhenwu.grid.models.patrols import CheckIn, Patrol, TrackPoint
from zhenwu.grid.models.points import PointCursor, PointEntry
from zhenwu.grid.models.visits import Visit

__all__ = ["Category", "CategoryVersion", "CheckIn", "Dispute", "DisputeParty", "Incident", "IncidentCount",
           "IncidentExtension", "MediationSession", "Open311Attribute", "Open311Client", "Open311Request", "Patrol",
           "PointCursor", "PointEntry", "TrackPoint", "Visit"]
