"""Choice sets of the area tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    """Level in the tree county → town → village → level-1 grid → level-2 grid (+ special grids)."""

    COUNTY = "county", _("County")
    TOWN = "town", _("Town / sub-district")
    VILLAGE = "village", _("Village / community")
    GRID1 = "grid1", _("Level-1 grid")
    GRID2 = "grid2", _("Level-2 grid")
    SPECIAL = "special", _("Special grid")


class SpecialKind(models.TextChoices):
    """专属网格 kinds; they overlap regular grids."""

    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    PARK = "park", _("Industrial park")
    OTHER = "other", _("Other")


# Which levels may sit directly under which parent level.
ALLOWED_PARENT: dict[str, tuple[str, ...]] = {
    AreaLevel.COUNTY: (),
    AreaLevel.TOWN: (AreaLevel.COUNTY,),
    AreaLevel.VILLAGE: (AreaLevel.TOWN,),
    AreaLevel.GRID1: (AreaLevel.VILLAGE,),
    AreaLevel.GRID2: (AreaLevel.GRID1,),
    AreaLevel.SPECIAL: (AreaLevel.TOWN, AreaLevel.VILLAGE),
}

# Regular levels from the top; special grids are outside this order.
REGULAR_LEVELS: tuple[str, ...] = (
    AreaLevel.COUNTY, AreaLevel.TOWN, AreaLevel.VILLAGE, AreaLevel.GRID1, AreaLevel.GRID2,
)
GRID_LEVELS: tuple[str, ...] = (AreaLevel.GRID1, AreaLevel.GRID2, AreaLevel.SPECIAL)
