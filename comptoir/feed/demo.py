"""The field feed in the demo: a year of French posts with photos, comments, likes, congratulations,
reads and recommendations to HQ at every stage.

Who posts follows a long tail (a few very active people, often the best performers; everyone a
little); managers and directors like, comment and congratulate their own people more than others.
Rows are written with executemany and explicit ids, in batches with a progress bar, so `--scale`
(10,000 people: 200,000 posts, 500,000 comments, 2,000,000 likes by default; COMPTOIR_FEED_POSTS,
COMPTOIR_FEED_COMMENTS and COMPTOIR_FEED_LIKES override) stays a matter of minutes.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from comptoir.core.demo import DemoContext
from comptoir.core.models import PracticeTopic
from comptoir.feed import bulk, markup
from comptoir.feed.models import (
    Comment,
    Congratulation,
    Post,
    PostPhoto,
    PostRead,
    Reaction,
    Recommendation,
    RecommendationEvent,
    SearchEntry,
    TopicFollow,
)
from comptoir.feed.stemmer import tokens
from comptoir.org.models import OrgUnit, Team, User

POSTS_PER_PERSON = 10
COMMENTS_PER_POST = 2.5
LIKES_PER_POST = 10
SCALE_POSTS_PER_PERSON = 20
DAYS = 365
# Distinct pictures drawn for the demo (about 20 ms each); posts share them.
PHOTO_VARIETY = 300
BATCH = 10_000

PLACES = [
    "un hôtel 4 étoiles à Lyon", "une brasserie du Vieux-Port", "un café de la place du marché", "une boulangerie de quartier",
    "le siège d'une mutuelle à Lille", "un cabinet d'avocats à Paris", "une épicerie fine à Bordeaux", "un restaurant étoilé",
    "un hôtel de gare à Strasbourg", "une torréfaction artisanale", "un espace de coworking à Nantes", "une cave à vins",
    "une cafétéria d'entreprise", "un bar de plage à Biarritz", "une chaîne de boulangeries", "un traiteur événementiel",
]  # fmt: skip
ACTIONS = {
    "practice": [
        "j'ai organisé une démonstration petit-déjeuner avec trois machines",
        "nous avons posé des stickers qui expliquent le mousseur de lait",
        "j'ai installé un présentoir en point de vente près de la caisse",
        "on a fait une dégustation de deux gammes de cafés à l'aveugle",
        "j'ai proposé un essai gratuit de la machine pendant deux semaines",
        "nous avons formé l'équipe du client au nettoyage de la machine",
        "j'ai apporté des tasses sérigraphiées pour la mise en avant",
        "j'ai préparé une fiche recette pour les boissons lactées",
    ],
    "success": [
        "nous avons signé trois machines supplémentaires après la démonstration",
        "le client a doublé ses commandes de cafés en grains en un mois",
        "le présentoir a fait progresser les ventes de capsules de 30 %",
        "la dégustation a convaincu le chef de passer à notre gamme bio",
        "le contrat cadre est déployé sur tous les sites du groupe",
        "nous avons récupéré un client parti chez un concurrent",
    ],
    "question": [
        "comment présentez-vous la nouvelle gamme de thés aux hôteliers ?",
        "qui a une astuce pour les machines en libre-service qui s'entartrent vite ?",
        "quel argument marche le mieux face à un client qui trouve le café trop cher ?",
        "avez-vous des photos de présentoirs qui fonctionnent en épicerie fine ?",
    ],
    "news": [
        "le client ouvre un deuxième établissement en septembre",
        "un concurrent propose des remises agressives dans le secteur",
        "les livraisons du mardi sont décalées au mercredi pendant les travaux",
        "la nouvelle machine professionnelle est très attendue par les hôtels",
    ],
}
CLOSINGS = [
    "Je partage la méthode, elle se reproduit facilement.",
    "**À refaire** dans d'autres établissements !",
    "Merci à l'équipe pour le coup de main.",
    "Le client était ravi, les cafés sont partis en une heure.",
    "Résultat : des clients fidèles et un panier moyen en hausse.",
    "- préparer le matériel la veille\n- prévenir le client\n- prendre des photos",
    "",
]
COMMENTS = [
    "Bravo, super initiative !", "Très bonne idée, je teste la semaine prochaine.", "Tu peux partager la fiche ?",
    "Même résultat chez un de mes clients, ça marche.", "Combien de temps a duré la démonstration ?",
    "Top, merci pour le partage.", "On devrait en parler à la réunion d'équipe.", "Belle réussite 👏",
    "Les stickers sont disponibles où ?", "J'adore le présentoir, bien vu.",
]  # fmt: skip
CONGRATULATIONS = [
    "Bravo pour ce beau succès !", "Exemplaire, merci de montrer la voie.", "Superbe travail, continue !",
    "Félicitations à toute l'équipe.", "Une démarche à généraliser, bravo.",
]  # fmt: skip
RECO_TITLES = [
    "Des stickers explicatifs pour toutes les machines", "Un kit démonstration petit-déjeuner par région",
    "Des présentoirs plus compacts pour les épiceries fines", "Une fiche recette pour chaque boisson lactée",
    "Un essai gratuit de deux semaines pour les bureaux", "Des tasses personnalisées pour les hôtels",
    "Livrer le mercredi dans les zones rurales", "Une gamme bio en format restaurant",
]  # fmt: skip
HQ_TEAMS = [
    ("Marketing et offre", "Marketing"),
    ("Opérations commerciales", "Opérations"),
    ("Logistique", "Logistique"),
]


@dataclass
class Person:
    pk: int
    manager_id: int | None
    unit_id: int | None
    region_id: int | None
    team_id: int | None
    role: str


def _photos(rng: random.Random, count: int) -> list[tuple[str, str, int, int]]:
    """Pictures drawn from code (see `demo_photos`), saved once and shared by the posts: name,
    thumbnail, size. Each has its own scene, palette and caption, so a feed page rarely shows the
    same one twice; their number is bounded, so `--scale` does not draw one per post."""
    from comptoir.feed.demo_photos import picture

    pool = []
    for index in range(count):
        drawn = picture(rng.randrange(1 << 30))
        name = default_storage.save(f"feed/demo/photo-{index}.jpg", ContentFile(drawn.full))
        thumb = default_storage.save(f"feed/demo/thumbs/photo-{index}.jpg", ContentFile(drawn.thumbnail))
        pool.append((name, thumb, drawn.width, drawn.height))
    return pool


def _body(rng: random.Random, kind: str, handles: Sequence[str]) -> str:
    action = rng.choice(ACTIONS[kind])
    place = rng.choice(PLACES)
    if kind == "question":
        text = f"Question à l'équipe : {action}"
    elif kind == "news":
        text = f"Info terrain depuis {place} : {action}."
    else:
        text = f"Chez {place}, {action}."
    closing = rng.choice(CLOSINGS)
    if closing:
        text += "\n\n" + closing
    if handles and rng.random() < 0.08:
        text += f" Merci @{rng.choice(handles)} !"
    return text


def _next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _hq_teams(rng: random.Random) -> list[Team]:
    hq_unit = OrgUnit.objects.filter(code="hq").first()
    if hq_unit is None:
        return []
    hq_people = list(User.objects.filter(unit=hq_unit, role__code="hq").order_by("id"))
    teams = []
    for index, (name, _short) in enumerate(HQ_TEAMS):
        manager = hq_people[index] if index < len(hq_people) else None
        team, _created = Team.objects.get_or_create(name=name, defaults={"unit": hq_unit, "manager": manager})
        teams.append(team)
    # Every HQ person joins one of the HQ teams (the first ones manage them).
    for index, person in enumerate(hq_people):
        person.team = teams[index % len(teams)]
    User.objects.bulk_update(hq_people, ["team"], batch_size=1000)
    return teams


def build(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 4)
    people = [
        Person(pk, manager_id, unit_id, region_id, team_id, role or "")
        for pk, manager_id, unit_id, region_id, team_id, role in User.objects.filter(is_active=True)
        .order_by("id")
        .values_list("id", "manager_id", "unit_id", "region_id", "team_id", "role__code")
    ]
    if not people:
        return
    field_people = [p for p in people if p.role in ("rep", "manager", "director", "kam")] or people
    handles = [
        e.split("@", 1)[0]
        for e in User.objects.filter(role__code="rep").values_list("email", flat=True)[:200]
    ]
    topics = list(PracticeTopic.objects.filter(active=True).values_list("id", flat=True))
    accounts = list(_sample_accounts())
    agreements = list(_agreement_ids())
    hq_teams = _hq_teams(rng)
    by_pk = {p.pk: p for p in people}
    hierarchy = [p.pk for p in people if p.role in ("manager", "director", "hq")]

    per_person = SCALE_POSTS_PER_PERSON if ctx.scale else POSTS_PER_PERSON
    total_posts = int(os.environ.get("COMPTOIR_FEED_POSTS", per_person * ctx.people))
    total_comments = int(os.environ.get("COMPTOIR_FEED_COMMENTS", total_posts * COMMENTS_PER_POST))
    total_likes = int(os.environ.get("COMPTOIR_FEED_LIKES", total_posts * LIKES_PER_POST))
    # A long tail of activity: weights drawn from a Pareto law, everyone keeps a floor.
    weights = [0.3 + rng.paretovariate(1.6) for _p in field_people]
    photo_pool = _photos(rng, PHOTO_VARIETY)

    now = timezone.now()
    adapt = bulk.stamper()
    post_id = _next_id(Post)
    comment_id = _next_id(Comment)
    first_post_id = post_id
    bar = ctx.progress("Feed: posts", total_posts)
    authors = rng.choices(field_people, weights=weights, k=total_posts)
    post_times: list[dt.datetime] = []
    post_authors: list[int] = []
    popularity: list[float] = []
    comment_plan: list[int] = []
    like_plan: list[int] = []
    mean_c = total_comments / max(total_posts, 1)
    mean_l = total_likes / max(total_posts, 1)
    post_cols = [
        "id", "author_id", "kind", "body", "body_html", "created_at", "updated_at", "region_id", "account_id",
        "agreement_id", "author_team_id", "visibility", "visible_unit_id", "visible_team_id", "is_hidden", "is_deleted",
        "like_count", "comment_count", "congratulation_count", "photo_count", "topic_ids", "unit_ids",
    ]  # fmt: skip
    through_topics = Post.topics.through
    through_units = Post.units.through
    kinds = ["practice", "success", "question", "news"]
    kind_weights = [45, 30, 12, 13]
    bodies: dict[str, tuple[str, str]] = {}
    done = 0
    with bulk.sqlite_search_index_suspended(first_post_id):
        while done < total_posts:
            rows: list[Any] = []
            topic_rows: list[Any] = []
            unit_rows: list[Any] = []
            photo_rows: list[Any] = []
            search_rows: list[Any] = []
            for index in range(done, min(done + BATCH, total_posts)):
                author = authors[index]
                seconds = DAYS * 86400 * (rng.random() ** 1.3)
                created = now - dt.timedelta(seconds=seconds)
                kind = rng.choices(kinds, weights=kind_weights)[0]
                body = _body(rng, kind, handles)
                post_topics = (
                    sorted(set(rng.sample(topics, k=min(len(topics), rng.choice([1, 1, 2, 2, 3])))))
                    if topics
                    else []
                )
                units = [author.unit_id] if author.unit_id else []
                visibility, v_unit, v_team = "company", None, None
                roll = rng.random()
                if roll < 0.05 and author.unit_id:
                    visibility, v_unit = "unit", author.unit_id
                elif roll < 0.12 and author.team_id:
                    visibility, v_team = "team", author.team_id
                account = rng.choice(accounts) if accounts and rng.random() < 0.2 else None
                agreement = None
                if agreements and rng.random() < 0.05:
                    account, agreement = rng.choice(agreements)
                pop = rng.lognormvariate(0, 0.8) * (1.5 if kind == "success" else 1.0)
                n_comments = min(60, int(rng.expovariate(1 / mean_c) * pop / 1.3)) if mean_c else 0
                n_likes = min(len(people) - 1, int(rng.expovariate(1 / mean_l) * pop / 1.3)) if mean_l else 0
                n_photos = rng.choice([0, 0, 0, 1, 1, 2, 3]) if photo_pool else 0
                stamp = adapt(created)
                # Bodies are drawn from a few thousand combinations: render and stem each one once.
                prepared = bodies.get(body)
                if prepared is None:
                    prepared = bodies[body] = (markup.render(body), " ".join(tokens(body)))
                html, words = prepared
                rows.append(
                    [
                        post_id,
                        author.pk,
                        kind,
                        body,
                        html,
                        stamp,
                        stamp,
                        author.region_id,
                        account,
                        agreement,
                        author.team_id,
                        visibility,
                        v_unit,
                        v_team,
                        False,
                        False,
                        n_likes,
                        n_comments,
                        0,
                        n_photos,
                        _json(post_topics),
                        _json(units),
                    ]
                )
                topic_rows.extend((post_id, t) for t in post_topics)
                unit_rows.extend((post_id, u) for u in units)
                for position in range(n_photos):
                    name, thumb, width, height = photo_pool[rng.randrange(len(photo_pool))]
                    photo_rows.append((post_id, name, thumb, width, height, position, ""))
                search_rows.append((post_id, words))
                post_times.append(created)
                post_authors.append(author.pk)
                popularity.append(pop)
                comment_plan.append(n_comments)
                like_plan.append(n_likes)
                post_id += 1
            with transaction.atomic():
                bulk.insert(Post, post_cols, rows)
                bulk.insert(through_topics, ["post_id", "practicetopic_id"], topic_rows)
                bulk.insert(through_units, ["post_id", "orgunit_id"], unit_rows)
                bulk.insert(
                    PostPhoto,
                    ["post_id", "image", "thumbnail", "width", "height", "position", "alt"],
                    photo_rows,
                )
                bulk.insert(SearchEntry, ["post_id", "tokens"], search_rows)
            done += len(rows)
            bar.update(done)
    bar.finish()

    # Comments: mostly the author's colleagues and hierarchy; a third are replies.
    people_ids = [p.pk for p in people]
    bar = ctx.progress("Feed: comments", sum(comment_plan))
    rows = []
    written = 0
    comment_search: dict[int, list[str]] = {}
    rendered: dict[str, str] = {}
    for offset, count in enumerate(comment_plan):
        pid = first_post_id + offset
        top_level: list[int] = []
        base = post_times[offset]
        for _n in range(count):
            author_pk = _reactor(rng, by_pk[post_authors[offset]], people_ids, hierarchy)
            parent = rng.choice(top_level) if top_level and rng.random() < 0.33 else None
            body = rng.choice(COMMENTS)
            if body not in rendered:
                rendered[body] = markup.render(body)
            created = min(now, base + dt.timedelta(minutes=rng.randrange(5, 60 * 72)))
            rows.append(
                (comment_id, pid, author_pk, parent, body, rendered[body], adapt(created), False, False)
            )
            if parent is None:
                top_level.append(comment_id)
            if not ctx.scale:
                comment_search.setdefault(pid, []).append(body)
            comment_id += 1
        if len(rows) >= BATCH:
            bulk.insert(
                Comment,
                [
                    "id",
                    "post_id",
                    "author_id",
                    "parent_id",
                    "body",
                    "body_html",
                    "created_at",
                    "is_hidden",
                    "is_deleted",
                ],
                rows,
            )
            written += len(rows)
            bar.update(written)
            rows = []
    bulk.insert(
        Comment,
        [
            "id",
            "post_id",
            "author_id",
            "parent_id",
            "body",
            "body_html",
            "created_at",
            "is_hidden",
            "is_deleted",
        ],
        rows,
    )
    bar.update(written + len(rows))
    bar.finish()
    if comment_search:
        # At the demo's size the comments join the search entries too (the services do it live).
        entries = SearchEntry.objects.in_bulk(list(comment_search))
        for pid, said in comment_search.items():
            entry = entries.get(pid)
            if entry is not None:
                entry.tokens = entry.tokens + " " + " ".join(tokens(" ".join(said)))
        SearchEntry.objects.bulk_update(list(entries.values()), ["tokens"], batch_size=2000)

    # Likes: distinct people per post; the hierarchy likes more often.
    bar = ctx.progress("Feed: likes", sum(like_plan))
    random_, n_people, minute = rng.random, len(people_ids), dt.timedelta(minutes=1)
    rows = []
    written = 0
    for offset, count in enumerate(like_plan):
        if not count:
            continue
        pid = first_post_id + offset
        author = by_pk[post_authors[offset]]
        chosen: set[int] = set()
        chain = [
            m
            for m in (
                author.manager_id,
                by_pk[author.manager_id].manager_id if author.manager_id in by_pk else None,
            )
            if m
        ]
        for m in chain:
            if len(chosen) < count and rng.random() < 0.6:
                chosen.add(m)
        # rng.random() rather than randrange: two million draws, and it is several times cheaper.
        while len(chosen) < count:
            candidate = people_ids[int(random_() * n_people)]
            if candidate != author.pk:
                chosen.add(candidate)
        base = post_times[offset]
        for person in sorted(chosen):
            rows.append((pid, person, adapt(min(now, base + minute * (1 + int(random_() * 2879))))))
        if len(rows) >= BATCH * 2:
            bulk.insert(Reaction, ["post_id", "person_id", "created_at"], rows)
            written += len(rows)
            bar.update(written)
            rows = []
    bulk.insert(Reaction, ["post_id", "person_id", "created_at"], rows)
    bar.update(written + len(rows))
    bar.finish()

    _congratulations(ctx, rng, first_post_id, post_authors, post_times, popularity, by_pk, now)
    _reads(ctx, rng, first_post_id, post_authors, post_times, by_pk, now)
    _recommendations(rng, first_post_id, post_authors, post_times, hq_teams, now)
    _follows(rng, field_people, topics)
    _reset_sequences(
        [Post, Comment, Reaction, PostPhoto, Congratulation, PostRead, Recommendation, RecommendationEvent]
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            for model in (Post, Comment, Reaction, PostRead, SearchEntry):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    ctx.shared["feed_posts"] = total_posts


def _json(values: list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _reactor(rng: random.Random, author: Person, people_ids: list[int], hierarchy: list[int]) -> int:
    roll = rng.random()
    if roll < 0.25 and author.manager_id:
        return author.manager_id
    if roll < 0.35 and hierarchy:
        return rng.choice(hierarchy)
    return people_ids[rng.randrange(len(people_ids))]


def _sample_accounts() -> Iterable[int]:
    from comptoir.customers.models import Account

    return Account.objects.order_by("id").values_list("id", flat=True)[:5000]


def _agreement_ids() -> Iterable[tuple[int, int]]:
    from comptoir.customers.models import FrameworkAgreement

    return FrameworkAgreement.objects.values_list("group_id", "id")


def _congratulations(
    ctx: DemoContext,
    rng: random.Random,
    first: int,
    authors: list[int],
    times: list[dt.datetime],
    popularity: list[float],
    by_pk: dict[int, Person],
    now: dt.datetime,
) -> None:
    adapt = bulk.stamper()
    hq = [p.pk for p in by_pk.values() if p.role == "hq"]
    rows: list[Any] = []
    counts: dict[int, int] = {}
    for offset, pop in enumerate(popularity):
        if rng.random() > min(0.6, 0.12 * pop):
            continue
        author = by_pk[authors[offset]]
        manager = by_pk.get(author.manager_id) if author.manager_id else None
        director = by_pk.get(manager.manager_id) if manager is not None and manager.manager_id else None
        roll = rng.random()
        if roll < 0.4 and manager is not None:
            by, role = manager.pk, ("director" if manager.role == "director" else "manager")
        elif roll < 0.6 and director is not None:
            by, role = director.pk, "director"
        elif roll < 0.7 and hq:
            by, role = rng.choice(hq), "hq"
        else:
            by, role = rng.choice(list(by_pk)), ""
            if by == author.pk:
                continue
        created = min(now, times[offset] + dt.timedelta(hours=rng.randrange(1, 96)))
        rows.append(
            (first + offset, by, author.pk, rng.choice(CONGRATULATIONS), adapt(created), bool(role), role)
        )
        counts[first + offset] = counts.get(first + offset, 0) + 1
    bar = ctx.progress("Feed: congratulations", len(rows))
    for start in range(0, len(rows), BATCH):
        bulk.insert(
            Congratulation,
            ["post_id", "by_id", "to_id", "message", "created_at", "from_hierarchy", "from_role"],
            rows[start : start + BATCH],
        )
        bar.update(min(len(rows), start + BATCH))
    bar.finish()
    Post.objects.filter(pk__in=list(counts)).update(congratulation_count=1)


def _reads(
    ctx: DemoContext,
    rng: random.Random,
    first: int,
    authors: list[int],
    times: list[dt.datetime],
    by_pk: dict[int, Person],
    now: dt.datetime,
) -> None:
    """Managers read most of their people's posts, directors some (the "who read it" on a post)."""
    adapt = bulk.stamper()
    rows: list[Any] = []
    seen: set[tuple[int, int]] = set()
    for offset, author_pk in enumerate(authors):
        author = by_pk[author_pk]
        manager = by_pk.get(author.manager_id) if author.manager_id else None
        readers = []
        if manager is not None and rng.random() < 0.7:
            readers.append(manager.pk)
            if manager.manager_id and rng.random() < 0.3:
                readers.append(manager.manager_id)
        for reader in readers:
            key = (first + offset, reader)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                (
                    first + offset,
                    reader,
                    adapt(min(now, times[offset] + dt.timedelta(hours=rng.randrange(1, 72)))),
                )
            )
    bar = ctx.progress("Feed: reads", len(rows))
    for start in range(0, len(rows), BATCH * 2):
        bulk.insert(PostRead, ["post_id", "person_id", "first_read_at"], rows[start : start + BATCH * 2])
        bar.update(min(len(rows), start + BATCH * 2))
    bar.finish()


def _recommendations(
    rng: random.Random,
    first: int,
    authors: list[int],
    times: list[dt.datetime],
    teams: list[Team],
    now: dt.datetime,
) -> None:
    """About forty recommendations, at every stage, with answers and their history."""
    if not teams or not authors:
        return
    answers = {
        "under_review": "Merci, nous étudions la proposition avec le marketing.",
        "planned": "Retenu : c'est prévu pour le prochain trimestre.",
        "adopted": "Adopté : le déploiement commence ce mois-ci dans toutes les régions.",
        "declined": "Merci pour l'idée ; le coût est trop élevé pour cette année, nous la gardons en tête.",
    }
    paths = [
        [],
        ["under_review"],
        ["under_review", "planned"],
        ["under_review", "adopted"],
        ["declined"],
        ["planned"],
    ]
    offsets = rng.sample(range(len(authors)), k=min(40, len(authors)))
    for number, offset in enumerate(offsets):
        team = teams[number % len(teams)]
        created = times[offset] + dt.timedelta(hours=2)
        path = paths[number % len(paths)]
        reco = Recommendation.objects.create(
            post_id=first + offset,
            title=RECO_TITLES[number % len(RECO_TITLES)],
            hq_team=team,
            raised_by_id=authors[offset],
            created_at=created,
            status_changed_at=created,
        )
        reco.followers.add(authors[offset])
        events = [
            RecommendationEvent(
                recommendation=reco, actor_id=authors[offset], to_status="received", at=created
            )
        ]
        at, status = created, "received"
        for step in path:
            at = min(now, at + dt.timedelta(days=rng.randrange(2, 20)))
            events.append(
                RecommendationEvent(
                    recommendation=reco,
                    actor=team.manager,
                    from_status=status,
                    to_status=step,
                    note=answers[step],
                    at=at,
                )
            )
            status = step
        RecommendationEvent.objects.bulk_create(events)
        if path:
            Recommendation.objects.filter(pk=reco.pk).update(
                status=status,
                status_changed_at=at,
                answered_at=events[1].at,
                answer=answers[status],
                answered_by=team.manager,
            )


def _follows(rng: random.Random, people: list[Person], topics: list[int]) -> None:
    if not topics:
        return
    rows = [
        TopicFollow(follower_id=p.pk, topic_id=t)
        for p in rng.sample(people, k=min(len(people), 2000))
        for t in rng.sample(topics, k=min(2, len(topics)))
    ]
    TopicFollow.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
