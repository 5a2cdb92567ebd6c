"""Benchmark of the field feed at scale (the issue's figure: 10,000 people, 200,000 posts, 500,000
comments, 2,000,000 likes).

Run it on an empty database, e.g.:
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/bench-feed.sqlite3 python manage.py migrate
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/bench-feed.sqlite3 python manage.py bench_feed --people 10000

It builds the organisation and the feed with `demo --scale` (customers too unless --no-customers),
then requests each page through the whole Django stack (middleware, session, templates) as the
person who uses it and prints the median and 95th percentile server time and the number of SQL
queries; then the search selector alone; then, with --gunicorn, it serves the feed with gunicorn
(2 workers, loopback only) and sends a bounded number of requests from a few client threads.
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
        parser.add_argument("--gunicorn", type=int, default=0, help="requests to send to gunicorn (0: skip)")
        parser.add_argument("--concurrency", type=int, default=8)

    # --- In-process measures ---------------------------------------------------------------------

    def measure(self, client: Client, label: str, url: str, runs: int) -> tuple[float, int]:
        for _warm in range(3):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        # A wrapper, not CaptureQueriesContext: the request closes and reopens the connection.
        with connection.execute_wrapper(count):
            client.get(url)
        times, cpu = [], []
        for _run in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        flag = "" if len(queries) <= MAX_QUERIES else f"  (over {MAX_QUERIES}!)"
        # CPU time of this process (Django and, on SQLite, the database engine): on a shared machine
        # whose cores are busy with other work, wall time mostly measures the wait for a core.
        self.stdout.write(
            f"{label:<48} median {median:7.1f} ms  p95 {p95:7.1f} ms  cpu {statistics.median(cpu):6.1f} ms"
            f"  {len(queries):3d} queries{flag}"
        )
        return median, len(queries)

    def handle(self, *args: Any, **options: Any) -> None:
        from comptoir.core.pagination import encode_cursor
        from comptoir.feed import selectors
        from comptoir.feed.models import Comment, Post, Reaction
        from comptoir.org.models import User

        people, runs = options["people"], options["runs"]
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
        self.stdout.write(f"Pages ({runs} requests each, after 3 warm-up requests):")
        results = {
            "for_me_1": self.measure(clients[rep.pk], "rep: For me, page 1", "/feed/", runs),
            "for_me_500": self.measure(
                clients[rep.pk], "rep: For me, page 500 (keyset)", f"/feed/?after={cursor_500}", runs
            )
            if cursor_500
            else (0.0, 0),
            "all": self.measure(clients[rep.pk], "rep: All, page 1", "/feed/all/", runs),
            "hq": self.measure(
                clients[hq.pk], "HQ: window on the field, topic filter", f"/feed/window/?topic={topic}", runs
            ),
            "hq_region": self.measure(
                clients[hq.pk],
                "HQ: All, region + kind filter",
                f"/feed/all/?region={rep.region_id}&kind=success",
                runs,
            ),
            "post": self.measure(
                clients[rep.pk],
                f"rep: post page ({popular.comment_count} comments)",
                f"/feed/{popular.pk}/",
                runs,
            ),
            "api": self.measure(
                clients[rep.pk], "API: /api/feed/posts?feed=for_me", "/api/feed/posts?feed=for_me", runs
            ),
            "search_page": self.measure(
                clients[rep.pk],
                "rep: search page 'démonstration cafés'",
                "/feed/search/?q=d%C3%A9monstration+caf%C3%A9s",
                runs,
            ),
        }
        self.stdout.write("Search selector alone (in-process, median of runs):")
        for query in ("café", "démonstration présentoir", "stickers mousseur", "dégustations"):
            times, cpu = [], []
            found = 0
            for _run in range(max(5, runs // 2)):
                started, started_cpu = time.perf_counter(), time.process_time()
                posts, _more = selectors.search_posts(rep, query=query)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                found = len(posts)
            self.stdout.write(
                f"  {query!r:<32} median {statistics.median(times):7.1f} ms  cpu {statistics.median(cpu):6.1f} ms"
                f" ({found} shown)"
            )
        if options["gunicorn"]:
            self.gunicorn(rep, options["gunicorn"], options["concurrency"])
        del results

    # --- gunicorn on loopback --------------------------------------------------------------------

    def gunicorn(self, person: Any, requests: int, concurrency: int) -> None:
        binary = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(binary):
            self.stdout.write("gunicorn is not installed: skipped.")
            return
        client = Client(SERVER_NAME="localhost")
        client.force_login(person)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "comptoir.settings", "COMPTOIR_SECURE_COOKIES": "0"}
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
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Host": "localhost"}
            for _warm in range(10):  # each worker loads the application on its first request
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", "/feed/", headers=headers)
                conn.getresponse().read()
                conn.close()
            errors: list[str] = []
            latencies: list[float] = []
            lock = threading.Lock()
            remaining = [requests]
            stop_at = time.monotonic() + 120  # bounded in time as well as in count

            def worker() -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                while time.monotonic() < stop_at:
                    with lock:
                        if remaining[0] <= 0:
                            break
                        remaining[0] -= 1
                    started = time.perf_counter()
                    try:
                        conn.request("GET", "/feed/", headers=headers)
                        response = conn.getresponse()
                        response.read()
                        if response.status != 200:
                            with lock:
                                errors.append(str(response.status))
                    except (OSError, http.client.HTTPException) as exc:
                        with lock:
                            errors.append(type(exc).__name__)
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    with lock:
                        latencies.append((time.perf_counter() - started) * 1000)
                conn.close()

            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _t in range(concurrency)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            latencies.sort()
            done = len(latencies)
            self.stdout.write(
                f"gunicorn, 2 workers, {concurrency} client threads on loopback: {done} requests of the rep's "
                f"For me page in {elapsed:.1f} s = {done / elapsed:.0f} req/s, median "
                f"{statistics.median(latencies):.1f} ms, p95 {latencies[int(done * 0.95) - 1]:.1f} ms, "
                f"{len(errors)} errors{(' ' + str(sorted(set(errors)))) if errors else ''}"
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
