"""Where an address-only Open311 request goes (best effort): the registry's addresses, then the area names,
then the configured grid (``OPEN311_ADDRESS_GRID``).

A GeoReport client may locate a request by ``address_string`` / ``address_id`` alone. The town's own address
book is the registry (households and places, each filed in its grid), so the request goes to the grid of
the registry row it names, in this order:

1. ``address_id`` equal to a household number of the town (the registry's id of an address);
2. a household's or place's address equal to the address sent;
3. the longest household or place address, or place name, written inside the address sent (at least
   ``MIN_MATCH`` characters: "东山村7号" in "东山村7号门口");
4. the longest grid or village name in it: a grid takes the request; a village gives the configured grid
   when it lies in that village, else the village's first regular grid (the dispatcher moves it);
5. the configured grid.

Nothing matched and no grid configured: ``None`` (the caller answers 400). The incident gets no point: the
client gave none, and the dispatcher places it on the map.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Length, StrIndex

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.registry.models import Household, Place

MIN_MATCH = 4  # characters of a registry address or name that must be found in the address sent
_SPACE = re.compile(r"\s+")
REGULAR_GRIDS = (AreaLevel.GRID2, AreaLevel.GRID1)


def normalise(text: str) -> str:
    """Full-width letters and digits folded (NFKC), spaces dropped: "东山村 7 号" = "东山村７号"."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def _by_id(town: Area, address_id: str) -> str | None:
    if not address_id:
        return None
    found = Household.objects.filter(number=address_id.strip(), area_code__startswith=town.code)
    return found.values_list("area_code", flat=True).first()


def _exact(town: Area, text: str) -> str | None:
    for model in (Household, Place):
        code = (model.objects.filter(address=text, area_code__startswith=town.code)
                .values_list("area_code", flat=True).first())
        if code:
            return code
    return None


def _contained(town: Area, text: str) -> str | None:
    """The grid of the longest registry address (or place name) written inside ``text``."""
    best: tuple[int, str] | None = None
    for model, field in ((Household, "address"), (Place, "address"), (Place, "name")):
        row = (model.objects.filter(area_code__startswith=town.code)
               .annotate(n=Length(field), at=StrIndex(Value(text), F(field)))
               .filter(n__gte=MIN_MATCH, at__gt=0).order_by("-n", "pk").values_list("n", "area_code").first())
        if row and (best is None or row[0] > best[0]):
            best = (row[0], row[1])
    return best[1] if best else None


def _first_grid(village: Area, fallback: str) -> str | None:
    if fallback and fallback.startswith(village.code):
        return fallback
    for level in REGULAR_GRIDS:
        code = (Area.objects.filter(code__startswith=village.code, level=level).order_by("code")
                .values_list("code", flat=True).first())
        if code:
            return code
    return None


def _by_area_name(town: Area, text: str, fallback: str) -> str | None:
    levels = (AreaLevel.VILLAGE, AreaLevel.GRID1, AreaLevel.GRID2, AreaLevel.SPECIAL)
    named = [a for a in Area.objects.filter(code__startswith=town.code, level__in=levels).only("code", "name", "level")
             if len(a.name) >= 2 and a.name in text]
    if not named:
        return None
    area = max(named, key=lambda a: (len(a.name), len(a.code)))  # the longest name; a grid before its village
    return area.code if area.level != AreaLevel.VILLAGE else _first_grid(area, fallback)


def address_grid(town: Area, *, address: str, address_id: str = "") -> str | None:
    """The grid code an address-only request of ``town`` goes to (see the module), or None."""
    fallback = settings.OPEN311_ADDRESS_GRID if settings.OPEN311_ADDRESS_GRID.startswith(town.code) else ""
    text = normalise(address)
    found = _by_id(town, address_id)
    if found is None and text:
        found = _exact(town, text) or _contained(town, text) or _by_area_name(town, text, fallback)
    return found or fallback or None
