"""Actions in the API: a CRM can list, create, move and comment actions, with the pages' permissions."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from comptoir.actions import access, from_voice, selectors, services
from comptoir.actions.models import Action, ActionComment, ActionKind
from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.customers.models import Account
from comptoir.org.models import Team, User
from comptoir.voice.models import Response

PREFIX = "actions"
router = Router(tags=["actions"])


class ActionOut(Schema):
    id: int
    title: str
    description: str
    status: str
    priority: int
    kind: str
    due_on: dt.date
    overdue: bool
    author_id: int
    assignee_id: int | None
    team_id: int | None
    to_team: bool
    account_id: int | None
    response_id: int | None
    resolution_note: str
    cancel_reason: str
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None

    @staticmethod
    def resolve_kind(obj: Action) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_overdue(obj: Action) -> bool:
        return selectors.is_overdue(obj)


class ActionIn(Schema):
    title: str
    kind: str
    due_on: dt.date
    assignee_id: int | None = None
    team_id: int | None = None
    account_id: int | None = None
    response_id: int | None = None
    description: str = ""
    priority: int = Action.Priority.NORMAL


class TransitionIn(Schema):
    to: str
    note: str = ""


class DispatchIn(Schema):
    assignee_id: int


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: dt.datetime
    attachment_name: str


class MonthOut(Schema):
    month: dt.date
    created: int
    from_response: int
    closed: int
    median_first_response_h: float | None
    median_closure_h: float | None
    detractors: int
    followed: int
    followed_pct: float | None


def _size(size: int) -> None:
    if not 1 <= size <= 200:
        raise ApiError(
            422, "invalid_input", "size must be between 1 and 200.", [{"field": "size", "message": "1..200"}]
        )


def _ref[T](model: type[T], pk: int | None, field: str) -> T | None:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise ApiError(422, "invalid_input", f"Unknown {field}.", [{"field": field, "message": "unknown"}])
    return found  # type: ignore[no-any-return]


@router.get("", response=PageOut[ActionOut])
def list_actions(
    request: HttpRequest,
    view: str = "all",
    status: str = "",
    kind: str = "",
    unit: int | None = None,
    region: int | None = None,
    account: int | None = None,
    overdue: bool = False,
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, object]:
    """`view`: mine (open, by due date), team (my teams, open), written, all (what I may see, newest
    first, with the filters)."""
    _size(size)
    viewer: User = request.user  # type: ignore[assignment]
    if view == "mine":
        page = selectors.my_actions(viewer=viewer, cursor=cursor, size=size)
    elif view == "team":
        page = selectors.team_actions(viewer=viewer, cursor=cursor, size=size)
    elif view == "written":
        page = selectors.written_actions(viewer=viewer, cursor=cursor, size=size)
    elif view == "all":
        kind_id = None
        if kind:
            found = ActionKind.objects.filter(code=kind).first()
            if found is None:
                raise ApiError(
                    422, "invalid_input", "Unknown kind.", [{"field": "kind", "message": "unknown"}]
                )
            kind_id = found.pk
        if status and status not in (*Action.Status.values, "open_any"):
            raise ApiError(
                422, "invalid_input", "Unknown status.", [{"field": "status", "message": "unknown"}]
            )
        filters = selectors.ActionFilters(
            status=status, kind=kind_id, unit=unit, region=region, account=account, overdue=overdue
        )
        page = selectors.filtered_actions(viewer=viewer, filters=filters, cursor=cursor, size=size)
    else:
        raise ApiError(
            422,
            "invalid_input",
            "view is mine, team, written or all.",
            [{"field": "view", "message": "unknown"}],
        )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("", response={201: ActionOut})
def create_action(request: HttpRequest, payload: ActionIn) -> tuple[int, Action]:
    viewer: User = request.user  # type: ignore[assignment]
    kind = ActionKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise ApiError(422, "invalid_input", "Unknown kind.", [{"field": "kind", "message": "unknown"}])
    response = _ref(Response, payload.response_id, "response_id")
    if response is not None and not from_voice.may_raise_from(viewer, response):
        raise ApiError(
            422, "invalid_input", "Unknown response_id.", [{"field": "response_id", "message": "unknown"}]
        )
    action = services.action_create(
        author=viewer,
        assignee=_ref(User, payload.assignee_id, "assignee_id"),
        team=_ref(Team, payload.team_id, "team_id"),
        account=_ref(Account, payload.account_id, "account_id"),
        response=response,
        kind=kind,
        title=payload.title,
        description=payload.description,
        due_on=payload.due_on,
        priority=payload.priority,
    )
    return 201, access.action_for(viewer, action.pk)


@router.get("/metrics", response=list[MonthOut])
def metrics(
    request: HttpRequest, months: int = 12, unit: int | None = None, region: int | None = None
) -> list[object]:
    if not 1 <= months <= 36:
        raise ApiError(
            422,
            "invalid_input",
            "months must be between 1 and 36.",
            [{"field": "months", "message": "1..36"}],
        )
    return list(selectors.closed_loop_metrics(viewer=request.user, months=months, unit=unit, region=region))  # type: ignore[arg-type]


@router.get("/{action_id}", response=ActionOut)
def get_action(request: HttpRequest, action_id: int) -> Action:
    return access.action_for(request.user, action_id)  # type: ignore[arg-type]


@router.post("/{action_id}/transition", response=ActionOut)
def transition(request: HttpRequest, action_id: int, payload: TransitionIn) -> Action:
    """Move the action: to `in_progress`, `done` (note required: what was done, what the customer
    said), `cancelled` (note required: why) or back to `open`."""
    action = access.action_for(request.user, action_id)  # type: ignore[arg-type]
    services.action_transition(action=action, actor=request.user, to=payload.to, note=payload.note)  # type: ignore[arg-type]
    return access.action_for(request.user, action_id)  # type: ignore[arg-type]


@router.post("/{action_id}/dispatch", response=ActionOut)
def dispatch(request: HttpRequest, action_id: int, payload: DispatchIn) -> Action:
    action = access.action_for(request.user, action_id)  # type: ignore[arg-type]
    assignee = _ref(User, payload.assignee_id, "assignee_id")
    assert assignee is not None
    services.action_dispatch(action=action, actor=request.user, assignee=assignee)  # type: ignore[arg-type]
    return access.action_for(request.user, action_id)  # type: ignore[arg-type]


@router.get("/{action_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, action_id: int) -> list[ActionComment]:
    action = access.action_for(request.user, action_id)  # type: ignore[arg-type]
    return list(action.comments.order_by("created_at", "id")[:500])


@router.post("/{action_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, action_id: int, payload: CommentIn) -> tuple[int, ActionComment]:
    action = access.action_for(request.user, action_id)  # type: ignore[arg-type]
    comment = services.action_comment(action=action, author=request.user, body=payload.body)  # type: ignore[arg-type]
    return 201, get_object_or_404(ActionComment, pk=comment.pk)
