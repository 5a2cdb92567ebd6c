"""What must never go wrong: scripts in text, bad pictures, racing likes, moderation without a trace."""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.urls import reverse
from PIL import Image

from comptoir.core.permissions import PermissionDenied403
from comptoir.feed import moderation, services
from comptoir.feed.models import ModerationLog, Post, Reaction, Report
from comptoir.feed.tests.factories import jpeg_bytes, post
from comptoir.org.models import User
from comptoir.org.testing import Cast, make_person

XSS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '[clic](https://ok.example/" onmouseover="alert(1))',
    "**<svg/onload=alert(1)>**",
    "`<b>code</b>`",
]


@pytest.mark.parametrize("payload", XSS)
def test_scripts_in_posts_and_comments_are_shown_as_text(cast: Cast, login: Any, payload: str) -> None:
    created = post(cast.rep, body=f"Texte {payload}")
    services.comment_create(post=created, author=cast.teammate, body=f"Réponse {payload}")
    for url in (created.get_absolute_url(), reverse("feed:all")):
        html = login(cast.manager).get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror=" not in html.replace("onerror=&quot;", "")
        assert 'href="javascript:' not in html
        assert "<svg/onload" not in html
        assert 'onmouseover="' not in html


def test_names_are_escaped_everywhere(cast: Cast, login: Any) -> None:
    villain = make_person(
        role=cast.roles["rep"],
        unit=cast.units["horeca"],
        first_name="<b>Evil</b>",
        last_name='"><script>x()</script>',
    )
    created = post(villain, body="Bonjour")
    services.congratulate(post=created, by=cast.director, message="<i>bravo</i>")
    services.congratulate(post=post(cast.rep), by=villain, message="Salut")
    for url in (reverse("feed:all"), created.get_absolute_url(), reverse("feed:person", args=[villain.pk])):
        html = login(cast.manager).get(url).content.decode()
        assert "<script>x()" not in html and "<b>Evil</b>" not in html and "<i>bravo</i>" not in html


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.4 not a picture at all", "wrong type behind a .jpg name"),
        (b"MZ\x90\x00 an executable", "an executable"),
        (jpeg_bytes(400, 300)[:600], "a truncated picture"),
        (_png(9000, 9000), "a picture with too many pixels"),
        (b"", "an empty file"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_written(cast: Cast, data: bytes, why: str) -> None:
    with pytest.raises(ValidationError):
        post(cast.rep, photos=[jpeg_bytes(), data])
    assert Post.objects.count() == 0, why


def test_too_many_photos_and_the_form_says_so(cast: Cast, login: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(cast.rep).post(
        reverse("feed:new_post"),
        {
            "kind": "practice",
            "body": "Sept photos",
            "visibility": "company",
            "photos": [SimpleUploadedFile(f"{n}.jpg", jpeg_bytes(), "image/jpeg") for n in range(7)],
        },
    )
    assert response.status_code == 400
    assert "6" in response.content.decode()
    assert Post.objects.count() == 0


def test_gps_and_camera_data_are_removed_from_photos(cast: Cast) -> None:
    created = post(cast.rep, photos=[jpeg_bytes(exif=True)])
    photo = created.photos.get()
    with photo.image.open("rb") as stored:
        image = Image.open(stored)
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_never_double_count() -> None:
    from comptoir.org.testing import build_cast

    cast = build_cast()
    created = post(cast.rep)
    people = [
        cast.manager,
        cast.director,
        cast.teammate,
        cast.hq,
        cast.manager,
        cast.director,
        cast.teammate,
        cast.hq,
    ]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def like(person: User) -> None:
        try:
            barrier.wait(timeout=60)
            # The in-memory SQLite of the tests locks whole tables and ignores the busy timeout: a
            # request that meets the lock tries again, as a person would. PostgreSQL runs it as is.
            for _attempt in range(200):
                try:
                    services.react(post=Post.objects.get(pk=created.pk), person=person)
                    break
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=like, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    created.refresh_from_db()
    assert Reaction.objects.filter(post=created).count() == 4
    assert created.like_count == 4


def test_report_hide_restore_dismiss_are_all_in_the_log(cast: Cast, login: Any) -> None:
    created = post(cast.rep, body="Propos déplacés")
    comment = services.comment_create(post=created, author=cast.teammate, body="Hors sujet")
    login(cast.outsider).post(reverse("feed:report", args=[created.pk]), {"reason": "Insultant"})
    report = Report.objects.get()
    with pytest.raises(PermissionDenied403):
        moderation.hide(by=cast.rep, post=created)
    admin = login(cast.admin)
    assert "Insultant" in admin.get(reverse("feed:moderation")).content.decode()
    admin.post(
        reverse("feed:moderate", args=[created.pk]),
        {"action": "hide", "report": report.pk, "note": "Règle 2"},
    )
    created.refresh_from_db()
    assert created.is_hidden
    assert "Propos déplacés" not in login(cast.outsider).get(reverse("feed:all")).content.decode()
    assert login(cast.outsider).get(created.get_absolute_url()).status_code == 404
    assert login(cast.rep).get(created.get_absolute_url()).status_code == 200  # the author still sees it
    admin.post(reverse("feed:moderate", args=[created.pk]), {"action": "restore"})
    created.refresh_from_db()
    moderation.report_create(post=created, reporter=cast.outsider, reason="Spam", comment=comment)
    second = Report.objects.get(status="open")
    admin.post(reverse("feed:moderate", args=[created.pk]), {"action": "dismiss", "report": second.pk})
    assert list(ModerationLog.objects.order_by("at", "id").values_list("action", flat=True)) == [
        "reported", "hidden", "restored", "reported", "dismissed",
    ]  # fmt: skip
    assert login(cast.rep).get(reverse("feed:moderation")).status_code == 403


def test_restricted_posts_stay_hidden_from_outsiders_on_every_page(cast: Cast, login: Any) -> None:
    unit_post = post(cast.rep, body="Réservé HoReCa", visibility="unit")
    team_post = post(cast.rep, body="Réservé équipe", visibility="team")
    outsider = login(cast.outsider)
    for url in (
        reverse("feed:home"),
        reverse("feed:all"),
        reverse("feed:person", args=[cast.rep.pk]),
        reverse("feed:search") + "?q=reserve",
    ):
        html = outsider.get(url).content.decode()
        assert "Réservé" not in html, url
    for target in (unit_post, team_post):
        assert outsider.get(target.get_absolute_url()).status_code == 404
        assert outsider.post(reverse("feed:like", args=[target.pk])).status_code == 404
        assert outsider.post(reverse("feed:comment", args=[target.pk]), {"body": "x"}).status_code == 404
    assert login(cast.rep_trade).get(unit_post.get_absolute_url()).status_code == 404
    assert login(cast.director).get(unit_post.get_absolute_url()).status_code == 200
    assert login(cast.director).get(team_post.get_absolute_url()).status_code == 404
