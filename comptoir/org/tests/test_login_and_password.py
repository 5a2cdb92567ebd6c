"""Logging in and out, resetting a forgotten password by e-mail, and slowing down password guessing."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import body_of

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def post_login(client, email, password, address="10.0.0.1"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_pages_need_a_login(cast):
    response = Client().get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/people/")


def test_a_person_logs_in_with_their_e_mail_in_any_case_and_logs_out(cast):
    client = Client()
    response = post_login(client, "REP@test.comptoir", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/people/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/people/").status_code == 302


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(cast):
    client = Client()
    response = post_login(client, cast.rep.email, "wrong-password")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_someone_who_left_cannot_log_in(cast):
    cast.rep.is_active = False
    cast.rep.save()
    response = post_login(Client(), cast.rep.email, PASSWORD)
    assert response.status_code == 200


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(cast, settings):
    client = Client()
    for attempt in range(settings.LOGIN_MAX_FAILURES_PER_ACCOUNT):
        # Each guess comes from another address: the account counter alone must stop them.
        post_login(client, cast.rep.email, f"guess-{attempt}", address=f"10.0.1.{attempt}")
    response = post_login(client, cast.rep.email, PASSWORD, address="10.0.2.1")
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode() or "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert post_login(Client(), cast.teammate.email, PASSWORD, address="10.0.2.1").status_code == 302


def test_an_address_is_blocked_after_too_many_failures_across_accounts(cast, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        post_login(Client(), f"nobody{n}@test.comptoir", "guess", address="192.0.2.7")
    blocked = post_login(Client(), cast.rep.email, PASSWORD, address="192.0.2.7")
    assert blocked.status_code == 200
    assert post_login(Client(), cast.rep.email, PASSWORD, address="192.0.2.8").status_code == 302


def test_a_successful_login_clears_the_account_counter(cast, settings):
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ACCOUNT - 1):
        post_login(Client(), cast.rep.email, "guess", address=f"10.0.3.{n}")
    assert post_login(Client(), cast.rep.email, PASSWORD).status_code == 302
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ACCOUNT - 1):
        post_login(Client(), cast.rep.email, "guess", address=f"10.0.4.{n}")
    assert post_login(Client(), cast.rep.email, PASSWORD).status_code == 302


def test_password_reset_sends_a_real_e_mail_with_a_working_link(cast, smtp_server, django_capture_on_commit_callbacks):
    cast.rep.language = "fr"
    cast.rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password-reset/", {"email": cast.rep.email})
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == cast.rep.email
    text = body_of(message)
    assert "Léa" in text
    link = re.search(r"http://[^\s]+/password-reset/[^\s]+/", text)
    assert link, text
    path = urlsplit(link.group(0)).path
    client = Client()
    confirm = client.get(path, follow=True)
    assert confirm.status_code == 200
    new = "un-nouveau-mot-de-passe-2026"
    done = client.post(confirm.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    cast.rep.refresh_from_db()
    assert cast.rep.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(cast, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password-reset/", {"email": "nobody@test.comptoir"})
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert smtp_server.messages == []


def test_a_weak_new_password_is_refused(cast):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(cast.rep.pk))
    token = default_token_generator.make_token(cast.rep)
    client = Client()
    page = client.get(f"/password-reset/{uid}/{token}/", follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "123456", "new_password2": "123456"})
    assert response.status_code == 200
    cast.rep.refresh_from_db()
    assert cast.rep.check_password(PASSWORD)


def ask_reset(email, address="10.0.5.1"):
    return Client().post("/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_account(cast, settings, smtp_server, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_MAX_PER_ACCOUNT = 3
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            # From three addresses: the account's own counter must stop the fourth.
            assert ask_reset(cast.rep.email, address=f"10.0.6.{n}").status_code == 302
        refused = ask_reset(cast.rep.email.upper(), address="10.0.6.99")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode() or "Trop de demandes" in refused.content.decode()
    assert len(smtp_server.wait_for(3)) == 3  # the fourth request sent nothing
    # Someone else, from the same address, still gets their e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_reset(cast.teammate.email, address="10.0.6.99").status_code == 302
    assert len(smtp_server.wait_for(4)) == 4


def test_password_reset_requests_are_limited_per_address(cast, settings, smtp_server, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 4
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            # Unknown addresses count too: the limit must not tell who has an account.
            assert ask_reset(f"nobody{n}@test.comptoir", address="198.51.100.9").status_code == 302
        assert ask_reset(cast.rep.email, address="198.51.100.9").status_code == 429
        assert ask_reset(cast.rep.email, address="198.51.100.10").status_code == 302
    assert len(smtp_server.wait_for(1)) == 1


def test_the_reset_limit_wears_off_after_its_window(cast, settings):
    import time

    settings.PASSWORD_RESET_MAX_PER_ACCOUNT = 1
    settings.PASSWORD_RESET_WINDOW_SECONDS = 1
    assert ask_reset(cast.rep.email).status_code == 302
    assert ask_reset(cast.rep.email).status_code == 429
    time.sleep(1.2)
    assert ask_reset(cast.rep.email).status_code == 302


def test_a_reset_request_and_the_login_have_separate_counters(cast, settings):
    settings.PASSWORD_RESET_MAX_PER_ACCOUNT = 1
    ask_reset(cast.rep.email)
    assert ask_reset(cast.rep.email).status_code == 429
    # Asking for a reset never locks a person out of logging in with the password they remember.
    assert post_login(Client(), cast.rep.email, PASSWORD).status_code == 302
