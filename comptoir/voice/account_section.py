"""The account page's "Survey answers" section: the account's latest answers and, for the people who
read the love score, the account's NPS over the last twelve months (B2B: several contacts answer
for one account). What the viewer sees comes through `access.account_responses_for`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from comptoir.core import clock
from comptoir.voice import access, selectors


def section(request: HttpRequest, account: Any) -> Any:
    # Imported here: the account-sections registry lives in the customers app.
    from comptoir.customers.account_sections import AccountSection

    responses = access.account_responses_for(request.user, account)
    latest = list(responses.select_related("step", "contact").order_by(*selectors.VERBATIM_ORDERING)[:5])
    score = None
    if access.can_read_love_score(request.user):
        today = clock.today()
        score = selectors.nps_between(today - dt.timedelta(days=365), today, responses=responses)
    if not latest and score is None:
        return None
    return AccountSection(
        key="voice",
        title=_("Survey answers"),
        template="voice/_account_section.html",
        context={"responses": latest, "score": score, "account": account},
        order=20,
    )
