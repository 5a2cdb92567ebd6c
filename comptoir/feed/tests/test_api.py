"""The feed in the API: the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.feed.models import Post
from comptoir.feed.tests.factories import jpeg_bytes, post
from comptoir.org.models import Team
from comptoir.org.testing import Cast


def _json(client: Any, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(
        url, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_feeds_posts_likes_comments_congratulations(cast: Cast, login: Any) -> None:
    rep, director = login(cast.rep), login(cast.director)
    created = _json(rep, "post", "/api/feed/posts", {"kind": "success", "body": "Contrat signé <b>!</b>"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert "<b>" not in created.json()["body_html"]
    listed = director.get("/api/feed/posts?feed=for_me").json()
    assert [p["id"] for p in listed["items"]] == [pk]
    assert director.post(f"/api/feed/posts/{pk}/like").json() == {"liked": True, "like_count": 1}
    assert director.post(f"/api/feed/posts/{pk}/like").json() == {"liked": True, "like_count": 1}
    comment = _json(director, "post", f"/api/feed/posts/{pk}/comments", {"body": "Bravo"}).json()
    assert (
        _json(
            rep, "post", f"/api/feed/posts/{pk}/comments", {"body": "Merci", "parent_id": comment["id"]}
        ).status_code
        == 201
    )
    congrats = _json(director, "post", f"/api/feed/posts/{pk}/congratulations", {"message": "Superbe"}).json()
    assert congrats["from_hierarchy"] is True and congrats["from_role"] == "director"
    assert _json(rep, "patch", f"/api/feed/posts/{pk}", {"body": "Contrat signé !"}).json()["edited_at"]
    assert _json(director, "patch", f"/api/feed/posts/{pk}", {"body": "Pirate"}).status_code == 403


def test_restricted_posts_are_invisible_in_the_api(cast: Cast, login: Any) -> None:
    secret = post(cast.rep, body="Tarif réservé à l'équipe", visibility="team")
    outsider = login(cast.outsider)
    assert outsider.get(f"/api/feed/posts/{secret.pk}").status_code == 404
    assert outsider.get("/api/feed/posts").json()["items"] == []
    assert outsider.get("/api/feed/search?q=tarif").json() == []
    assert outsider.post(f"/api/feed/posts/{secret.pk}/like").status_code == 404
    assert login(cast.teammate).get("/api/feed/search?q=tarif").json()[0]["id"] == secret.pk


def test_photos_by_multipart_and_bad_ones_refused(cast: Cast, login: Any) -> None:
    client = login(cast.rep)
    ok = client.post(
        "/api/feed/posts/with-photos",
        {
            "body": "Avec photo",
            "kind": "practice",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["photos"]) == 1
    bad = client.post(
        "/api/feed/posts/with-photos",
        {
            "body": "Mauvaise",
            "kind": "practice",
            "photos": [SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n broken", "image/png")],
        },
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    assert Post.objects.count() == 1


def test_recommendations_in_the_api(cast: Cast, login: Any) -> None:
    team = Team.objects.create(name="Offre", unit=cast.units["hq"], manager=cast.hq)
    created = post(cast.rep)
    reco = _json(
        login(cast.rep),
        "post",
        "/api/feed/recommendations",
        {"post_id": created.pk, "title": "Idée", "hq_team_id": team.pk},
    )
    assert reco.status_code == 201
    rid = reco.json()["id"]
    moved = _json(
        login(cast.hq),
        "post",
        f"/api/feed/recommendations/{rid}/transition",
        {"status": "adopted", "answer": "Oui"},
    )
    assert moved.json()["status"] == "adopted" and len(moved.json()["events"]) == 2
    refused = _json(
        login(cast.rep),
        "post",
        f"/api/feed/recommendations/{rid}/transition",
        {"status": "declined", "answer": "x"},
    )
    assert refused.status_code == 403
    assert [r["id"] for r in login(cast.hq).get("/api/feed/recommendations").json()["items"]] == [rid]
