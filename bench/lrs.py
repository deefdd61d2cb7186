"""LRS benchmark (not a test): ingest throughput, concurrency, query latency and worker memory.

Run against a server started with gunicorn and PostgreSQL (see docs/benchmarks.md):

    python bench/lrs.py --url http://127.0.0.1:8001/xapi --total 1000000

It creates LRS credentials through the ORM (DATABASE_URL must point at the server's database),
posts realistic cmi5-like statements in batches of 100 and of 1 from concurrent clients, counts
what was stored, times each filtered GET, and samples the RSS of the gunicorn workers. Figures
are printed; nothing is asserted.
"""

import argparse
import base64
import http.client
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

VERBS = [
    "http://adlnet.gov/expapi/verbs/launched",
    "http://adlnet.gov/expapi/verbs/initialized",
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/terminated",
]
HOME = "https://learn.example.org"


def make_statement(rng: random.Random, learners: int, activities: int) -> dict:
    learner = rng.randrange(learners)
    course = rng.randrange(activities // 10 or 1)
    activity = rng.randrange(activities)
    verb = rng.choice(VERBS)
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {learner}",
            "account": {"homePage": HOME, "name": f"learner-{learner}"},
        },
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": {
            "objectType": "Activity",
            "id": f"{HOME}/courses/{course}/units/{activity}",
            "definition": {
                "name": {"en-US": f"Unit {activity}", "ro": f"Unitatea {activity}"},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "context": {
            "registration": str(uuid.UUID(int=learner * 1000 + course)),
            "contextActivities": {
                "grouping": [{"id": f"{HOME}/courses/{course}"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            },
            "extensions": {
                "https://w3id.org/xapi/cmi5/context/extensions/sessionid": str(uuid.uuid4())
            },
        },
        "timestamp": "2026-11-21T10:00:00.000Z",
    }
    if verb in (VERBS[3], VERBS[4]):
        statement["result"] = {
            "score": {"scaled": round(rng.random(), 2)},
            "success": True,
            "completion": True,
            "duration": "PT12M30S",
        }
    return statement  # fmt: skip


class Client:
    def __init__(self, url: str, key: str, secret: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port, self.path = parts.port or 80, parts.path.rstrip("/")
        self.headers = {
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        for attempt in range(3):
            try:
                self.conn.request(method, self.path + path, body=body, headers=self.headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def ingest(
    url: str,
    creds: tuple[str, str],
    *,
    total: int,
    batch: int,
    clients: int,
    learners: int,
    activities: int,
) -> dict:
    """Post ``total`` statements in batches from ``clients`` threads; return the figures."""
    per_client = total // clients
    errors: list[str] = []
    sent = [0] * clients

    def work(index: int) -> None:
        rng = random.Random(index)
        client = Client(url, *creds)
        remaining = per_client
        while remaining > 0:
            size = min(batch, remaining)
            body = orjson.dumps([make_statement(rng, learners, activities) for _ in range(size)])
            status, content = client.request("POST", "/statements", body)
            if status != 200:
                errors.append(f"{status} {content[:200]!r}")
                return
            sent[index] += size
            remaining -= size

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"sent": sum(sent), "seconds": elapsed, "rate": sum(sent) / elapsed, "errors": errors,
            "requests_per_s": sum(sent) / batch / elapsed}  # fmt: skip


def time_queries(url: str, creds: tuple[str, str], repeat: int) -> dict[str, float]:
    client = Client(url, *creds)
    agent = quote(orjson.dumps({"account": {"homePage": HOME, "name": "learner-42"}}).decode())
    queries = {
        "no filter": "",
        "agent": f"agent={agent}",
        "agent, related": f"agent={agent}&related_agents=true",
        "verb": f"verb={VERBS[4]}",
        "activity": f"activity={quote(HOME + '/courses/3/units/37')}",
        "activity, related": f"activity={quote(HOME + '/courses/3')}&related_activities=true",
        "registration": f"registration={uuid.UUID(int=42 * 1000 + 3)}",
        "agent + verb": f"agent={agent}&verb={VERBS[3]}",
        "since": "since=2026-01-01T00:00:00Z&limit=10",
        "limit=10, ascending": "limit=10&ascending=true",
    }
    timings = {}
    for name, query in queries.items():
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            path = f"/statements?{query}" if "limit=" in query else f"/statements?{query}&limit=25"
            status, _body = client.request("GET", path)
            samples.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status}")
        timings[name] = statistics.median(samples)
    return timings


def worker_rss_mb(master_pid: int | None) -> list[float]:
    if not master_pid:
        return []
    sizes = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    print(
        f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}",
        end="",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8001/xapi")
    parser.add_argument(
        "--total", type=int, default=1_000_000, help="statements stored before queries are timed"
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--gunicorn-pid", type=int, default=None, help="master pid, to sample worker memory"
    )
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--queries-only", action="store_true", help="only time the GETs")
    args = parser.parse_args()

    import django

    django.setup()
    from progress.clients import create_lrs_client
    from progress.models import Statement

    new = create_lrs_client(name=f"bench {uuid.uuid4().hex[:6]}", scopes=["all"])
    creds = (new.client.key, new.secret)
    before = Statement.objects.count()
    print(f"statements stored before: {before:,}")
    if args.queries_only:
        for name, median in time_queries(args.url, creds, args.repeat).items():
            print(f"GET {name:<22} median {median:6.2f} ms")
        return

    batch100 = ingest(url=args.url, creds=creds, total=20_000, batch=100, clients=args.clients,
                      learners=args.learners, activities=args.activities)  # fmt: skip
    print(f"batches of 100, {args.clients} clients: {batch100['rate']:,.0f} statements/s "
          f"({batch100['sent']:,} in {batch100['seconds']:.1f} s), errors: {len(batch100['errors'])}")  # fmt: skip
    single = ingest(url=args.url, creds=creds, total=4_000, batch=1, clients=args.clients,
                    learners=args.learners, activities=args.activities)  # fmt: skip
    print(f"one statement per request, {args.clients} clients: {single['requests_per_s']:,.0f} requests/s, "
          f"errors: {len(single['errors'])}")  # fmt: skip
    concurrent = ingest(url=args.url, creds=creds, total=16 * 500, batch=10, clients=16,
                        learners=args.learners, activities=args.activities)  # fmt: skip
    expected = before + batch100["sent"] + single["sent"] + concurrent["sent"]
    counted = Statement.objects.count()
    print(f"16 concurrent clients: {concurrent['rate']:,.0f} statements/s, errors: {len(concurrent['errors'])}, "
          f"stored {counted:,} of {expected:,} expected: {'none lost' if counted == expected else 'LOST'}")  # fmt: skip

    rss_start = worker_rss_mb(args.gunicorn_pid)
    remaining = max(0, args.total - counted)
    chunk = 50_000
    loaded = 0
    samples: list[tuple[int, float]] = []
    load_start = time.perf_counter()
    while loaded < remaining:
        step = min(chunk, remaining - loaded)
        ingest(url=args.url, creds=creds, total=step, batch=100, clients=args.clients,
               learners=args.learners, activities=args.activities)  # fmt: skip
        loaded += step
        progress("loading to the target size", loaded, remaining)
        if rss := worker_rss_mb(args.gunicorn_pid):
            samples.append((loaded, sum(rss) / len(rss)))
    if remaining:
        print(f"\nloaded {loaded:,} in {time.perf_counter() - load_start:.0f} s "
              f"({loaded / (time.perf_counter() - load_start):,.0f} statements/s)")  # fmt: skip
        for done, mean in samples[:: max(1, len(samples) // 5)] + samples[-1:]:
            print(f"  after {done:>9,} statements: mean worker RSS {mean:.0f} MB")
    rss_end = worker_rss_mb(args.gunicorn_pid)
    if rss_start:
        print(
            f"worker RSS (MB) before load: {[round(x) for x in rss_start]}, after: {[round(x) for x in rss_end]}"
        )
    print(f"statements stored: {Statement.objects.count():,}")
    for name, median in time_queries(args.url, creds, args.repeat).items():
        print(f"GET {name:<22} median {median:6.2f} ms")


if __name__ == "__main__":
    main()
