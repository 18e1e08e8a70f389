"""/api/v1/registry/: scoped CRUD of base data, grid staffing and the grid file (一格一档).

Lists are masked and paged by keyset (``after``); ``GET /residents/{id}?unmasked=true`` shows full
values to roles that need them and writes an audit entry first. Citizens and enterprise accounts
get 404 everywhere here; rows outside the caller's scope are 404; writes need an editing role (403).
"""

# No ``from __future__ import annotations``: the routes are made by a factory, and django-ninja must
# see the real schema classes in their signatures, not strings naming closure variables.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status

from zhenwu.accounts.http import request_id as _request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.errors import FieldError
from zhenwu.registry import display, schemas, selectors, services
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident

router = Router(tags=["registry"])






def _page(page: selectors.Page, row: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {"items": [row(r) for r in page.items], "next_after": page.next_after,
            "count": page.count, "count_capped": page.count_capped}


@dataclass(frozen=True)
class Crud:
    """The pieces one kind's endpoints are made of."""

    path: str
    label: str
    kind: services.Kind
    list_in: type[Schema]
    select: Callable[..., Any]
    create_in: type[Schema]
    patch_in: type[Schema]
    out: type[Schema]
    page_out: type[Schema]
    row: Callable[[Any], dict[str, Any]]


def _register(c: Crud) -> None:
    name = c.kind.name

    @router.get(c.path, response=c.page_out, summary=f"List {c.label} in my scope (masked)",
                operation_id=f"registry_{name}_list")
    def list_rows(request: HttpRequest, filters: Query[c.list_in]) -> Any:  # type: ignore[name-defined]
        params = filters.dict()
        after, limit = params.pop("after"), params.pop("limit")
        qs = c.select(user=_user(request), **params)
        return _page(selectors.page_of(qs, after=after, limit=limit), c.row)

    @router.post(c.path, response={201: c.out}, summary=f"Create one of the {c.label}",
                 operation_id=f"registry_{name}_create")
    def create_row(request: HttpRequest, payload: c.create_in) -> Any:  # type: ignore[name-defined]
        selectors.registry_prefix(_user(request))  # non-staff: 404 before any role check
        row = services.record_create(c.kind, actor=_user(request), data=payload.dict(),
                                     request_id=_request_id(request))
        return Status(201, c.row(row))

    @router.patch(f"{c.path}/{{row_id}}", response=c.out, summary=f"Change one of the {c.label}",
                  operation_id=f"registry_{name}_update")
    def update_row(request: HttpRequest, row_id: int, payload: c.patch_in) -> Any:  # type: ignore[name-defined]
        user = _user(request)
        row = selectors.record_get(c.kind.model, user=user, pk=row_id)
        row = services.record_update(c.kind, actor=user, row=row, changes=payload.dict(exclude_unset=True),
                                     request_id=_request_id(request))
        return c.row(row)

    @router.delete(f"{c.path}/{{row_id}}", response={204: None}, summary=f"Delete one of the {c.label}",
                   operation_id=f"registry_{name}_delete")
    def delete_row(request: HttpRequest, row_id: int) -> Any:
        user = _user(request)
        row = selectors.record_get(c.kind.model, user=user, pk=row_id)
        services.record_delete(c.kind, actor=user, row=row, request_id=_request_id(request))
        return Status(204, None)


# --- residents: detail with the audited reveal, tags -----------------------------------------------

@router.get("/residents/{row_id}", response=schemas.ResidentOut, summary="One resident (masked unless unmasked=true)",
            operation_id="registry_resident_get")
def resident_get(request: HttpRequest, row_id: int, unmasked: bool = False) -> Any:
    """`unmasked=true` needs a role that may see full personal data (403 otherwise) and is audited."""
    user = _user(request)
    resident = selectors.record_get(Resident, user=user, pk=row_id)
    if unmasked:
        services.resident_reveal(actor=user, resident=resident, request_id=_request_id(request))
    return display.resident_row(resident, unmasked=unmasked)


@router.put("/residents/{row_id}/tags", response=schemas.ResidentOut, summary="Replace a resident's care tags",
            operation_id="registry_resident_tags_set")
def resident_tags(request: HttpRequest, row_id: int, payload: schemas.TagsIn) -> Any:
    user = _user(request)
    resident = selectors.record_get(Resident, user=user, pk=row_id)
    resident = services.resident_tags_set(actor=user, resident=resident, tags=payload.tags,
                                          request_id=_request_id(request))
    return display.resident_row(resident)


@router.get("/households/{row_id}", response=schemas.HouseholdDetailOut, summary="One household with its members",
            operation_id="registry_household_get")
def household_get(request: HttpRequest, row_id: int) -> Any:
    household = selectors.record_get(Household, user=_user(request), pk=row_id)
    members = household.members.order_by("id").prefetch_related("tags")
    return {**display.household_row(household), "members": [display.resident_row(m) for m in members]}


@router.get("/enterprises/{row_id}", response=schemas.EnterpriseOut, summary="One enterprise",
            operation_id="registry_enterprise_get")
def enterprise_get(request: HttpRequest, row_id: int) -> Any:
    return display.enterprise_row(selectors.record_get(Enterprise, user=_user(request), pk=row_id))


@router.get("/places/{row_id}", response=schemas.PlaceOut, summary="One place", operation_id="registry_place_get")
def place_get(request: HttpRequest, row_id: int) -> Any:
    return display.place_row(selectors.record_get(Place, user=_user(request), pk=row_id))


@router.get("/cameras/{row_id}", response=schemas.CameraOut, summary="One camera", operation_id="registry_camera_get")
def camera_get(request: HttpRequest, row_id: int) -> Any:
    return display.camera_row(selectors.record_get(Camera, user=_user(request), pk=row_id))


def _resident_list_row(r: Resident) -> dict[str, Any]:
    return display.resident_row(r)


for _crud in (
    Crud("/residents", "residents", services.RESIDENT, schemas.ResidentListIn, selectors.resident_list,
         schemas.ResidentIn, schemas.ResidentPatch, schemas.ResidentOut, schemas.ResidentPageOut,
         _resident_list_row),
    Crud("/households", "households", services.HOUSEHOLD, schemas.HouseholdListIn, selectors.household_list,
         schemas.HouseholdIn, schemas.HouseholdPatch, schemas.HouseholdOut, schemas.HouseholdPageOut,
         display.household_row),
    Crud("/enterprises", "enterprises", services.ENTERPRISE, schemas.EnterpriseListIn, selectors.enterprise_list,
         schemas.EnterpriseIn, schemas.EnterprisePatch, schemas.EnterpriseOut, schemas.EnterprisePageOut,
         display.enterprise_row),
    Crud("/places", "places", services.PLACE, schemas.PlaceListIn, selectors.place_list,
         schemas.PlaceIn, schemas.PlacePatch, schemas.PlaceOut, schemas.PlacePageOut, display.place_row),
    Crud("/cameras", "cameras", services.CAMERA, schemas.CameraListIn, selectors.camera_list,
         schemas.CameraIn, schemas.CameraPatch, schemas.CameraOut, schemas.CameraPageOut, display.camera_row),
):
    _register(_crud)


# --- grid staffing and the grid file ----------------------------------------------------------------

@router.get("/grid-assignments", response=list[schemas.AssignmentOut], summary="Grid assignments with history",
            operation_id="registry_assignment_list")
def assignment_list(request: HttpRequest, filters: Query[schemas.AssignmentListIn]) -> Any:
    rows = selectors.assignment_list(user=_user(request), grid=filters.grid, current=filters.current)
    return [display.assignment_row(a) for a in rows[:1000]]


@router.post("/grid-assignments", response={201: schemas.AssignmentOut}, summary="Assign a staff member to a grid",
             operation_id="registry_assignment_start")
def assignment_start(request: HttpRequest, payload: schemas.AssignmentIn) -> Any:
    actor = _user(request)
    grid = selectors.grid_get(user=actor, code=payload.grid)
    member = _staff_member(payload.user_id)
    row = services.grid_assignment_start(actor=actor, grid=grid, user=member, duty=payload.duty,
                                         started_on=payload.started_on, request_id=_request_id(request))
    return Status(201, display.assignment_row(row))


def _staff_member(user_id: int) -> User:
    member = User.objects.filter(pk=user_id).first()
    if member is None:
        raise FieldError("user_id", _("No such staff member."))
    return member


@router.post("/grid-assignments/{row_id}/end", response=schemas.AssignmentOut, summary="End a grid assignment",
             operation_id="registry_assignment_end")
def assignment_end(request: HttpRequest, row_id: int, payload: schemas.AssignmentEndIn) -> Any:
    actor = _user(request)
    row: GridAssignment = selectors.assignment_get(user=actor, pk=row_id)
    row = services.grid_assignment_end(actor=actor, assignment=row, ended_on=payload.ended_on,
                                       request_id=_request_id(request))
    return display.assignment_row(row)


def _grid_ref(area: Any) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name, "level": area.level} if area else None


@router.get("/grids/{code}", response=schemas.GridFileOut, summary="Grid file (一格一档): staff and counts",
            operation_id="registry_grid_file")
def grid_file(request: HttpRequest, code: str) -> Any:
    gf = selectors.grid_file(user=_user(request), code=code)
    return {
        **_grid_ref(gf.grid),  # type: ignore[dict-item]
        "level_label": str(gf.grid.get_level_display()), "parent": _grid_ref(gf.grid.parent),
        "sub_grids": [_grid_ref(a) for a in gf.sub_grids],
        "current_staff": [display.assignment_row(a) for a in gf.current_staff],
        "past_staff": [display.assignment_row(a) for a in gf.past_staff],
        "counts": gf.counts, "residents_by_status": gf.residents_by_status, "residents_by_tag": gf.residents_by_tag,
    }
