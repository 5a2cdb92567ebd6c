"""Who may see and do what: the permission vocabulary of the whole product.

Roles are data (the `org.Role` table): each role carries a list of capabilities from `Cap`.
Every app asks `has_cap(user, Cap.X)` instead of testing role names, so an admin can change what
a role may do without a code change, and one place in the code says what each capability means.
Object-level rules (which post, which account) live in each app's `access.py` as one
permission-scoped fetcher per object type, built on these capabilities and on the org scopes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Cap(StrEnum):
    # The field network
    POST_TO_FEED = "post_to_feed"
    SEE_ALL_POSTS = "see_all_posts"  # HQ's window on the field, restricted posts included
    ANSWER_RECOMMENDATIONS = "answer_recommendations"
    MODERATE = "moderate"
    VIEW_TEAM_ACTIVITY = "view_team_activity"
    VIEW_ENGAGEMENT = "view_engagement"
    BUILD_QUIZZES = "build_quizzes"
    RUN_CHALLENGES = "run_challenges"
    RUN_NATIONAL_PROGRAMMES = "run_national_programmes"
    # Customers
    SEE_ALL_ACCOUNTS = "see_all_accounts"
    OWN_AGREEMENTS = "own_agreements"
    # The customer's voice and the closed loop
    RUN_SURVEYS = "run_surveys"
    READ_LOVE_SCORE = "read_love_score"
    SEE_ALL_ACTIONS = "see_all_actions"
    POST_ACTIONS = "post_actions"
    # Administration
    MANAGE_ORGANISATION = "manage_organisation"
    IMPORT_DATA = "import_data"


CAP_LABELS: dict[Cap, Any] = {
    Cap.POST_TO_FEED: _("Post practices and successes to the feed"),
    Cap.SEE_ALL_POSTS: _("Read the whole feed, restricted posts included"),
    Cap.ANSWER_RECOMMENDATIONS: _("Answer recommendations raised to HQ"),
    Cap.MODERATE: _("Moderate posts and comments"),
    Cap.VIEW_TEAM_ACTIVITY: _("See the activity of one's teams"),
    Cap.VIEW_ENGAGEMENT: _("Read engagement analytics"),
    Cap.BUILD_QUIZZES: _("Build quizzes"),
    Cap.RUN_CHALLENGES: _("Run sales challenges"),
    Cap.RUN_NATIONAL_PROGRAMMES: _("Run national quizzes and challenges"),
    Cap.SEE_ALL_ACCOUNTS: _("See every customer account"),
    Cap.OWN_AGREEMENTS: _("Own framework agreements"),
    Cap.RUN_SURVEYS: _("Run customer surveys"),
    Cap.READ_LOVE_SCORE: _("Read the love score analytics"),
    Cap.SEE_ALL_ACTIONS: _("See every action"),
    Cap.POST_ACTIONS: _("Post actions to colleagues"),
    Cap.MANAGE_ORGANISATION: _("Maintain the organisation"),
    Cap.IMPORT_DATA: _("Import people, accounts and data"),
}

_EVERYONE = [Cap.POST_TO_FEED, Cap.POST_ACTIONS]
_MANAGER = [*_EVERYONE, Cap.VIEW_TEAM_ACTIVITY, Cap.VIEW_ENGAGEMENT, Cap.BUILD_QUIZZES, Cap.RUN_CHALLENGES]

# The roles shipped with the product and what each may do. Stored as data by a migration; this
# mapping is the starting point, not the source of truth at run time.
DEFAULT_ROLE_CAPABILITIES: dict[str, list[Cap]] = {
    "rep": list(_EVERYONE),
    "manager": list(_MANAGER),
    "director": [*_MANAGER, Cap.READ_LOVE_SCORE],
    "kam": [*_EVERYONE, Cap.OWN_AGREEMENTS],
    "hq": [
        *_EVERYONE,
        Cap.SEE_ALL_POSTS,
        Cap.ANSWER_RECOMMENDATIONS,
        Cap.VIEW_ENGAGEMENT,
        Cap.BUILD_QUIZZES,
        Cap.RUN_CHALLENGES,
        Cap.RUN_NATIONAL_PROGRAMMES,
        Cap.SEE_ALL_ACCOUNTS,
        Cap.READ_LOVE_SCORE,
    ],
    "cr_agent": [*_EVERYONE, Cap.RUN_SURVEYS, Cap.READ_LOVE_SCORE, Cap.SEE_ALL_ACCOUNTS, Cap.SEE_ALL_ACTIONS],
    "admin": list(Cap),
}


def has_cap(user: Any, cap: Cap) -> bool:
    """Whether `user` holds capability `cap` through their role (superusers hold them all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return cap.value in user.capabilities


class PermissionDenied403(Exception):
    """Raised by services when the actor may not perform the action; views turn it into a 403."""
