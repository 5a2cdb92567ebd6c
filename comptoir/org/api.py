"""People and organisation units in the API, through the same selectors and fetchers as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.api import ImportJobOut, import_job_from_api
from comptoir.core.importjobs import import_kinds
from comptoir.core.models import ImportJob
from comptoir.org import access, selectors, services
from comptoir.org.models import OrgUnit, Region, Role, Team, User

MAX_PAGE_SIZE = 200

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


def _check_size(size: int) -> None:
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(
            422, "invalid_input", f"size must be between 1 and {MAX_PAGE_SIZE}.", [{"field": "size", "message": f"1..{MAX_PAGE_SIZE}"}]
        )


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
    _check_size(size)
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


class ProfileOut(PersonOut):
    phone: str
    language: str
    email_notifications: bool
    photo_url: str | None

    @staticmethod
    def resolve_photo_url(obj: User) -> str | None:
        return obj.photo.url if obj.photo else None


class ProfileIn(Schema):
    job_title: str | None = None
    phone: str | None = None
    language: str | None = None
    email_notifications: bool | None = None


@router.get("/me", response=ProfileOut)
def get_me(request: HttpRequest) -> User:
    """The caller's own profile, with what only they see (language, e-mail choice)."""
    return access.person_for(request.user, request.user.pk)  # type: ignore[arg-type]


@router.patch("/me", response=ProfileOut)
def patch_me(request: HttpRequest, payload: ProfileIn) -> User:
    """Change one's job title, phone, language or e-mail switch; role, unit and manager are the admin's."""
    changes = payload.dict(exclude_unset=True)
    person = access.person_for(request.user, request.user.pk)  # type: ignore[arg-type]
    return services.person_update_profile(person=person, changes=changes)


@router.post("/me/photo", response=ProfileOut)
def post_my_photo(request: HttpRequest, file: File[UploadedFile]) -> User:
    """A new profile photo: checked, re-encoded as JPEG at 512 px, metadata (GPS) removed."""
    person = access.person_for(request.user, request.user.pk)  # type: ignore[arg-type]
    return services.person_set_photo(person=person, upload=file.read(), filename=file.name or "photo")


@router.get("/people/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> User:
    return access.person_for(request.user, person_id)  # type: ignore[arg-type]


@router.get("/units", response=PageOut[UnitOut])
def list_units(
    request: HttpRequest,
    kind: OrgUnit.Kind | None = None,
    q: str = "",
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, object]:
    """Business units and departments; `kind` is `business_unit` or `department`."""
    _check_size(size)
    page = selectors.units_for(
        viewer=request.user, kind=kind or "", query=q, cursor=cursor, size=size  # type: ignore[arg-type]
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/units/{int:unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    return access.unit_for(request.user, unit_id)  # type: ignore[arg-type]


class TeamOut(Schema):
    id: int
    name: str
    unit_id: int
    region_id: int | None
    manager_id: int | None


@router.get("/regions", response=list[RefOut])
def list_regions(request: HttpRequest) -> list[Region]:
    return list(Region.objects.all())


@router.get("/roles", response=list[RefOut])
def list_roles(request: HttpRequest) -> list[Role]:
    return list(Role.objects.all())


@router.get("/teams", response=PageOut[TeamOut])
def list_teams(
    request: HttpRequest,
    unit: int | None = None,
    region: int | None = None,
    manager: int | None = None,
    q: str = "",
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, object]:
    """Teams with their manager; members are `GET /api/org/people?team=<id>`."""
    _check_size(size)
    page = selectors.teams_for(
        viewer=request.user,  # type: ignore[arg-type]
        unit=unit,
        region=region,
        manager=manager,
        query=q,
        cursor=cursor,
        size=size,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/teams/{int:team_id}", response=TeamOut)
def get_team(request: HttpRequest, team_id: int) -> Team:
    return access.team_for(request.user, team_id)  # type: ignore[arg-type]


@router.post("/people/import", response={202: ImportJobOut})
def import_people(
    request: HttpRequest,
    file: File[UploadedFile],
    partial: Form[bool] = False,
    sync: Form[bool] = False,
) -> Status[ImportJob]:
    """Queue an HR export for import on the task worker and answer 202 with the job.

    Poll the job's `url` (`GET /api/imports/{id}`) for its progress and, once `finished`, its
    report: nothing is written when a row is bad, unless `partial` is true; `sync` deactivates the
    people absent from the file.
    """
    return import_job_from_api(request, import_kinds()["people"], file, partial=partial, options={"sync": sync})
