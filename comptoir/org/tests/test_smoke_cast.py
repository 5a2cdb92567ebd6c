from comptoir.core.permissions import Cap, has_cap
from comptoir.org.selectors import managed_people_ids


def test_the_cast_has_a_reporting_line_from_rep_to_director(cast):
    assert cast.rep.manager == cast.manager
    assert cast.manager.manager == cast.director
    assert cast.rep.pk in managed_people_ids(cast.director)
    assert cast.rep_trade.pk not in managed_people_ids(cast.director)


def test_roles_grant_capabilities_as_data(cast):
    assert has_cap(cast.agent, Cap.RUN_SURVEYS)
    assert not has_cap(cast.rep, Cap.RUN_SURVEYS)
    cast.roles["rep"].capabilities = [*cast.roles["rep"].capabilities, Cap.RUN_SURVEYS.value]
    cast.roles["rep"].save()
    cast.rep.refresh_from_db()
    assert has_cap(cast.rep, Cap.RUN_SURVEYS)
