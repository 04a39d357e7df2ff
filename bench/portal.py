"""Requests per second of the portal under gunicorn (2 workers) on the 1,000,000-item SQLite database.

Three pages on the same server, one after the other: an item page
(``/<agency>/items/<pk>/``, over a fixed sample of items), a search page
(``/search/?q=…`` over the fixed queries) and the minimal view
(``/_bench/minimal/``, routed because the server runs with GONGKAI_BENCH=1).
The load generator is bounded: ``--clients`` threads on http.client, each
stopping after ``--seconds`` or ``--requests`` in all, whichever comes first,
after a short warm-up. Every answer must be 200.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import threading
import time
from pathlib import Path
from urllib.parse import quote

from bench.common import django_setup, emit, percentile
from bench.search import queries
from gongkai.ops.loadtest import LoadDatabase, Server, free_port


def load(port: int, paths: list[str], *, clients: int, seconds: float, max_requests: int) -> dict:
    done, failures, latencies = [0], [], []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(n: int):
        rng = random.Random(n)
        conn = None
        while time.monotonic() < end:
            with lock:
                if done[0] >= max_requests:
                    return
                done[0] += 1
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
                if conn is not None:
                    conn.close()
                conn = None
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(ms)
                if status != 200:
                    failures.append(f"{path}: {status}")
        if conn is not None:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "seconds": round(elapsed, 2), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "failures": len(failures), "first_failures": failures[:5]}


def measure(*, clients: int, seconds: float, max_requests: int, port_low: int, port_high: int) -> dict:
    django_setup()
    from gongkai.catalogue.models import Item

    rng = random.Random(1)
    top = Item.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = rng.sample(range(1, top + 1), min(500, top))
    items = [f"/{code}/items/{pk}/" for pk, code in
             Item.objects.filter(id__in=sample).values_list("id", "agency__code")]
    searches = [f"/search/?q={quote(q)}" for q in queries()]
    url = os.environ["DATABASE_URL"]
    workdir = Path(os.environ.get("GONGKAI_BENCH_DIR", "var/bench")).resolve() / "portal"
    workdir.mkdir(parents=True, exist_ok=True)
    database = LoadDatabase(url, workdir)
    database.url = url  # serve the bench database itself, not a copy
    database.pg_name = None
    port = free_port(port_low, port_high)
    # Persistent connections, as a deployment sets them (README "Configuration"): without them every request
    # opens the database file and runs its PRAGMAs, which costs more than serving a cached item page.
    server = Server(database, port=port, workers=2, threads=1,
                    extra_env={"GONGKAI_BENCH": "1", "GONGKAI_DB_CONN_MAX_AGE": "600"},
                    ready_path="/_bench/minimal/")
    server.start(timeout=120)
    try:
        results = {}
        for name, paths in (("minimal", ["/_bench/minimal/"]), ("item", items), ("search", searches)):
            # Warm-up, not counted: every worker opens its database connection and fills its caches — the
            # search page's filter choices (one pass over the items per worker, renewed every 10 minutes)
            # and the rendered item pages of the sample (each path about three times, so that both
            # workers, each with its own cache, have served most of them): the steady state of a site
            # whose pages are read many times.
            load(port, paths, clients=clients, seconds=120, max_requests=max(8 * clients, 3 * len(paths)))
            results[name] = load(port, paths, clients=clients, seconds=seconds, max_requests=max_requests)
    finally:
        server.stop()
    return {
        "server": "gunicorn, 2 sync workers, 127.0.0.1", "clients": clients, "database": "sqlite",
        "items_sampled": len(items), "item_rps": results["item"]["rps"], "search_rps": results["search"]["rps"],
        "minimal_rps": results["minimal"]["rps"],
        "ratio_to_minimal_view": round(results["item"]["rps"] / results["minimal"]["rps"], 3),
        "detail": results,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--requests", type=int, default=50000)
    parser.add_argument("--ports", default="8300-8399")
    args = parser.parse_args()
    low, high = (int(p) for p in args.ports.split("-"))
    emit(measure(clients=args.clients, seconds=args.seconds, max_requests=args.requests, port_low=low,
                 port_high=high))


if __name__ == "__main__":
    main()
