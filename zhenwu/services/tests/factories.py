"""Hand-written items and personas of the service hall (independent of the demo catalogue)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.casework.models import Attachment
from zhenwu.casework.services import attachment_store
from zhenwu.services.models import Application, ServiceItem
from zhenwu.services.services import application_submit, service_item_create
from zhenwu.testing import PASSWORD, VALID_ID, VALID_USCC, TestTown, make_citizen, make_staff

OTHER_ID = "110105194912310038"  # another valid ID number
THIRD_ID = "110105198001010016"  # a person without an account
STRANGER = {"applicant_name": "赵强", "id_number": THIRD_ID, "mobile": "13800007777"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def material(name: str, required: bool = True) -> dict[str, Any]:
    return {"name": name, "form": "copy", "count": 1, "required": required, "sample": f"{name}样例"}


def item_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "老年人优待证", "kind": "public_service", "department": "民政", "legal_basis": "老年人权益保障法",
        "conditions": "年满60周岁", "materials": [material("身份证"), material("照片"), material("户口簿", False)],
        "legal_limit_days": 20, "promised_limit_days": 3, "fees": "不收费", "online": True, "proxy": True,
        "delivery": ["window", "express", "electronic"], "supervision": False,
        "chain": ["first_review", "approval"], "applicant": "person"}
    data.update(extra)
    return data


def make_item(code: str = "320000-MZ-0001", **extra: Any) -> ServiceItem:
    return service_item_create(actor=None, code=code, data=item_data(**extra))


def upload(by: User, data: bytes = PDF) -> str:
    """A file uploaded by ``by`` (materials may name only their own uploads)."""
    return attachment_store(actor=by, data=data + timezone.now().isoformat().encode()).sha256


def all_materials(files_by: User | None = None) -> list[dict[str, Any]]:
    sha = [upload(files_by)] if files_by else []
    return [{"name": "身份证", "attachments": sha}, {"name": "照片", "attachments": sha}]


@dataclass
class Hall:
    clerk: User
    clerk2: User
    reviewer: User
    reviewer2: User
    leader: User
    village_a: User
    village_b: User
    citizen: User
    citizen2: User
    enterprise: User
    officer_a: User


def build_hall(town: TestTown) -> Hall:
    return Hall(
        clerk=make_staff("window1", roles=[Role.WINDOW_CLERK], scope=town.town, full_name="窗口甲"),
        clerk2=make_staff("window2", roles=[Role.WINDOW_CLERK], scope=town.town, full_name="窗口乙"),
        reviewer=make_staff("rev1", roles=[Role.REVIEWER], scope=town.town, full_name="审核甲"),
        reviewer2=make_staff("rev2", roles=[Role.REVIEWER], scope=town.town, full_name="审核乙"),
        leader=make_staff("lead", roles=[Role.LEADER], scope=town.town, full_name="分管领导"),
        village_a=make_staff("vs_a", roles=[Role.VILLAGE_STAFF], scope=town.village_a),
        village_b=make_staff("vs_b", roles=[Role.VILLAGE_STAFF], scope=town.village_b),
        citizen=make_citizen(),
        citizen2=make_citizen("citizen2", mobile="13900001111", id_number=OTHER_ID),
        enterprise=User.objects.create_user(username="ent", password=PASSWORD, kind=UserKind.ENTERPRISE,
                                            full_name="测试有限公司", mobile="13700002222", uscc=VALID_USCC),
        officer_a=make_staff("officer_a", roles=[Role.ENFORCEMENT_OFFICER], scope=town.grid_a),
    )


def window_app(hall: Hall, code: str = "320000-MZ-0001", **extra: Any) -> Application:
    values: dict[str, Any] = {
        "actor": hall.clerk, "item_code": code, "channel": "window", "materials": all_materials(),
        "applicant": {"applicant_name": "王芳", "id_number": VALID_ID, "mobile": "13512342210"}}
    values.update(extra)
    return application_submit(**values)


def online_app(hall: Hall, code: str = "320000-MZ-0001", actor: User | None = None) -> Application:
    return application_submit(actor=actor or hall.citizen, item_code=code, channel="online",
                              materials=all_materials(files_by=actor or hall.citizen))


def proxy_app(hall: Hall, staff: User | None = None, code: str = "320000-MZ-0001") -> Application:
    return application_submit(
        actor=staff or hall.village_a, item_code=code, channel="proxy", materials=all_materials(),
        applicant={"applicant_name": "赵大爷", "id_number": VALID_ID, "mobile": "13512342210"},
        consent={"by": "赵大爷", "method": "书面委托签字", "at": timezone.now() - dt.timedelta(hours=1)})


def attachments_count() -> int:
    return Attachment.objects.count()


def storage_exists(sha: str) -> bool:
    return default_storage.exists(f"attachments/{sha[:2]}/{sha}")
