"""Benchmark of the field feed at scale (the issue's figure: 10,000 people, 200,000 posts, 500,000
comments, 2,000,000 likes).

Run it on an empty database, e.g.:
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/bench-feed.sqlite3 python manage.py migrate
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/bench-feed.sqlite3 python manage.py bench_feed --people 10000
and measure it again later without rebuilding it:
    ... python manage.py bench_feed --reuse --gunicorn 2000 --concurrency 8
    ... python manage.py bench_feed --reuse --search-only    (the search page and selector alone)

It builds the organisation and the feed with `demo --scale` (customers too unless --no-customers),
then times each page through the whole Django stack with `comptoir.core.bench` (queries, SQL time,
median, p95 and CPU time) as the person who uses it; then the search selector alone; then, with
--gunicorn N, it serves the application with gunicorn (2 sync workers, loopback only), sends N
requests of the rep's "For me" page from C client threads and reports requests per second and
errors (any answer but a 200 that holds the feed, any connection failure).
"""

from __future__ import annotations

import http.client
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client

from comptoir.core.bench import (
    HEADER,
    PageTiming,
    percentile,
    served_as_in_production,
    time_callable,
    time_page,
)

MAX_QUERIES = 10


class Command(BaseCommand):
    help = "Build the feed at scale, then time the feed pages, a post page and search (and gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=None, help="posts (default 20 per person)")
        parser.add_argument("--comments", type=int, default=None, help="comments (default 2.5 per post)")
        parser.add_argument("--likes", type=int, default=None, help="likes (default 10 per post)")
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")
        parser.add_argument(
            "--no-customers", action="store_true", help="skip the customer accounts part of the demo"
        )
        parser.add_argument(
            "--search-only", action="store_true", help="time the search pages and the search selector only"
        )
        parser.add_argument("--gunicorn", type=int, default=0, help="requests to send to gunicorn (0: skip)")
        parser.add_argument("--concurrency", type=int, default=8, help="client threads for --gunicorn")

    search_only = False

    def measure(self, client: Client, label: str, url: str, runs: int) -> PageTiming | None:
        if self.search_only and not url.startswith("/feed/search/"):
            return None
        timing = time_page(client, url, label=label, runs=runs)
        flag = "" if timing.queries <= MAX_QUERIES else f"  (over {MAX_QUERIES} queries!)"
        self.stdout.write(timing.row() + flag)
        return timing

    def handle(self, *args: Any, **options: Any) -> None:
        from comptoir.core.pagination import encode_cursor
        from comptoir.feed import selectors
        from comptoir.feed.models import Comment, Post, Reaction
        from comptoir.org.models import User

        people, runs = options["people"], options["runs"]
        self.search_only = options["search_only"]
        self.stdout.write(f"Database: {connection.vendor}")
        if options["reuse"]:
            if not Post.objects.exists():
                raise CommandError("--reuse: this database holds no posts.")
        elif User.objects.exists():
            raise CommandError(
                "Run the benchmark on an empty database (set COMPTOIR_SQLITE_PATH or DATABASE_URL)."
            )
        else:
            for name in ("posts", "comments", "likes"):
                if options[name] is not None:
                    os.environ[f"COMPTOIR_FEED_{name.upper()}"] = str(options[name])
            apps = ["core", "org", *([] if options["no_customers"] else ["customers"]), "feed"]
            started = time.perf_counter()
            out = io.StringIO()
            call_command("demo", "--only", *apps, "--scale", str(people), stdout=out)
            parts = [ln.strip() for ln in out.getvalue().splitlines() if ln.strip().split(":")[0] in apps]
            self.stdout.write(
                f"demo --scale {people}: {time.perf_counter() - started:.1f} s in all ({', '.join(parts)})"
            )
        self.stdout.write(
            f"Data: {User.objects.count()} people, {Post.objects.count()} posts, "
            f"{Comment.objects.count()} comments, {Reaction.objects.count()} likes"
        )
        rep = User.objects.filter(role__code="rep", team__isnull=False).order_by("id").first()
        hq = User.objects.filter(role__code="hq").order_by("id").first()
        if rep is None or hq is None:
            raise CommandError("The demo did not build the people the benchmark needs.")
        deep = (
            selectors.feed_queryset(rep, feed="for_me")
            .order_by(*selectors.FEED_ORDERING)
            .values_list("created_at", "id")[499 * selectors.PAGE_SIZE - 1 : 499 * selectors.PAGE_SIZE]
        )
        deep_row = list(deep)
        cursor_500 = encode_cursor(list(deep_row[0])) if deep_row else ""
        popular = (
            Post.objects.filter(is_deleted=False, visibility="company").order_by("-comment_count").first()
        )
        assert popular is not None
        topic = popular.topic_ids[0] if popular.topic_ids else ""
        clients = {}
        for person in (rep, hq):
            client = Client(SERVER_NAME="localhost")
            client.force_login(person)
            clients[person.pk] = client
        self.stdout.write(
            f"Pages ({runs} requests each, after 3 warm-up requests; CPU ms is the figure to compare):"
        )
        self.stdout.write(HEADER)
        with served_as_in_production():
            self.measure(clients[rep.pk], "rep: For me, page 1", "/feed/", runs)
            if cursor_500:
                self.measure(
                    clients[rep.pk], "rep: For me, page 500 (keyset)", f"/feed/?after={cursor_500}", runs
                )
            self.measure(clients[rep.pk], "rep: All, page 1", "/feed/all/", runs)
            self.measure(
                clients[hq.pk], "HQ: window on the field, topic filter", f"/feed/window/?topic={topic}", runs
            )
            self.measure(
                clients[hq.pk],
                "HQ: All, region + kind filter",
                f"/feed/all/?region={rep.region_id}&kind=success",
                runs,
            )
            self.measure(
                clients[rep.pk],
                f"rep: post page ({popular.comment_count} comments)",
                f"/feed/{popular.pk}/",
                runs,
            )
            self.measure(
                clients[rep.pk], "API: /api/feed/posts?feed=for_me", "/api/feed/posts?feed=for_me", runs
            )
            self.measure(
                clients[rep.pk],
                "rep: search page 'démonstration cafés'",
                "/feed/search/?q=d%C3%A9monstration+caf%C3%A9s",
                runs,
            )
            self.measure(clients[rep.pk], "rep: search page 'café'", "/feed/search/?q=caf%C3%A9", runs)
        self.stdout.write(
            f"Search selector alone (the newest {selectors.SEARCH_CANDIDATES} matches ranked, "
            "the rep's permissions):"
        )
        self.stdout.write(HEADER)
        searches: list[tuple[str, selectors.FeedFilters | None]] = [
            ("café", None),
            ("démonstration présentoir", None),
            ("stickers mousseur", None),
            ("démonst", None),
        ]
        searches += [
            ("dégustations", None),
            ("café", selectors.FeedFilters(region=rep.region_id, kind="news")),
        ]
        for query, filters in searches:
            found: list[int] = []

            def search(
                query: str = query, filters: selectors.FeedFilters | None = filters, found: list[int] = found
            ) -> None:
                posts, _more = selectors.search_posts(rep, query=query, filters=filters)
                found[:] = [p.pk for p in posts]

            label = f"  {query!r}" + (" region + kind filter" if filters else "")
            timing = time_callable(label, search, runs=max(5, runs // 2))
            self.stdout.write(f"{timing.row()}  ({len(found)} shown)")
        if options["gunicorn"]:
            self.gunicorn(rep, options["gunicorn"], options["concurrency"])

    # --- gunicorn on loopback --------------------------------------------------------------------

    def gunicorn(self, person: Any, requests: int, concurrency: int) -> None:
        binary = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(binary):
            raise CommandError("gunicorn is not installed.")
        client = Client(SERVER_NAME="localhost")
        client.force_login(person)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "comptoir.settings",
            "COMPTOIR_SECURE_COOKIES": "0",
            "DJANGO_DEBUG": "0",  # served as in production whatever the shell says
        }
        env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
        server = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments, loopback only
            [
                binary,
                "comptoir.wsgi:application",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Host": "localhost"}

        def fetch(conn: http.client.HTTPConnection) -> str:
            """One request of the feed page: "" when it is the feed, else what went wrong."""
            conn.request("GET", "/feed/", headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                return str(response.status)
            return "" if b'class="post-card' in body else "200 without the feed"

        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise CommandError("gunicorn did not start.") from None
                    time.sleep(0.2)
            # Warm-up: both workers answer the page at least once (templates, connections, caches).
            for _warm in range(10):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                problem = fetch(conn)
                conn.close()
                if problem:
                    raise CommandError(f"gunicorn answered the feed page with {problem}: nothing to time.")
            errors: list[str] = []
            latencies: list[float] = []
            lock = threading.Lock()
            remaining = [requests]
            stop_at = time.monotonic() + 300  # bounded in time as well as in count

            def worker() -> None:
                # Sync workers close the connection after each answer; http.client reopens it.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                while time.monotonic() < stop_at:
                    with lock:
                        if remaining[0] <= 0:
                            break
                        remaining[0] -= 1
                    started = time.perf_counter()
                    try:
                        problem = fetch(conn)
                    except (OSError, http.client.HTTPException) as exc:
                        problem = type(exc).__name__
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    with lock:
                        latencies.append((time.perf_counter() - started) * 1000)
                        if problem:
                            errors.append(problem)
                conn.close()

            cpu_before = _server_cpu_seconds(server.pid)
            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _t in range(concurrency)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            server_cpu = _server_cpu_seconds(server.pid) - cpu_before
            latencies.sort()
            done = len(latencies)
            self.stdout.write(
                f"gunicorn, 2 sync workers, {concurrency} client threads on loopback: {done} requests of the "
                f"rep's For me page in {elapsed:.1f} s = {done / elapsed:.0f} req/s, median "
                f"{statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
                f"{len(errors)} errors{(' ' + str(sorted(set(errors)))) if errors else ''}; "
                f"server CPU {1000 * server_cpu / max(done, 1):.1f} ms per request "
                f"(about {2 * done / max(server_cpu, 1e-9):.0f} req/s on two free cores)"
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)  # a busy machine may take a while to stop the workers
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) of gunicorn's master and workers, from /proc (0 where unreadable).

    On a machine whose cores are shared, requests per second measure the share of the cores the
    server got; the CPU each request cost is the figure that does not depend on the neighbours."""
    pids = [master]
    try:
        with open(f"/proc/{master}/task/{master}/children") as children:
            pids += [int(pid) for pid in children.read().split()]
    except OSError:
        return 0.0
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")
