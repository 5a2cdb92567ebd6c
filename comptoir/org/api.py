"""People and organisation units in the API, through the same selectors and fetchers as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.permissions import Cap, has_cap
from comptoir.org import access, selectors
from comptoir.org.models import OrgUnit, User

PREFIX = "org"
router = Router(tags=["organisation"])


class RefOut(Schema):
    id: int
    code: str
    name: str


class PersonOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    job_title: str
    role: str | None
    unit_id: int | None
    region_id: int | None
    team_id: int | None
    manager_id: int | None
    is_active: bool

    @staticmethod
    def resolve_role(obj: User) -> str | None:
        return obj.role.code if obj.role else None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str


class ImportErrorOut(Schema):
    line: int
    column: str
    message: str


class ImportReportOut(Schema):
    applied: bool
    total_rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    file_error: str
    errors: list[ImportErrorOut]


@router.get("/people", response=PageOut[PersonOut])
def list_people(
    request: HttpRequest,
    q: str = "",
    unit: int | None = None,
    region: int | None = None,
    team: int | None = None,
    role: int | None = None,
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, object]:
    if not 1 <= size <= 200:
        raise ApiError(422, "invalid_input", "size must be between 1 and 200.", [{"field": "size", "message": "1..200"}])
    page = selectors.directory_for(
        viewer=request.user,  # type: ignore[arg-type]
        query=q,
        unit=unit,
        region=region,
        team=team,
        role=role,
        cursor=cursor,
        size=size,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> User:
    return access.person_for(request.user, person_id)  # type: ignore[arg-type]


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> list[OrgUnit]:
    return list(OrgUnit.objects.all())


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    return access.unit_for(request.user, unit_id)  # type: ignore[arg-type]


@router.post("/people/import", response={200: ImportReportOut, 422: ImportReportOut})
def import_people(
    request: HttpRequest,
    file: File[UploadedFile],
    partial: Form[bool] = False,
    sync: Form[bool] = False,
) -> tuple[int, dict[str, object]]:
    """Import an HR export. Nothing is written when a row is bad, unless `partial` is true."""
    if not has_cap(request.user, Cap.IMPORT_DATA):
        raise ApiError(403, "forbidden", "You may not import people.")
    kind = import_kinds()["people"]
    report = import_file(kind, file.read(), file.name or "upload.csv", partial=partial, options={"sync": sync})
    return (200 if report.applied else 422), report.as_dict()
