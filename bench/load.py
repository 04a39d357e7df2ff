"""The load and fault scenarios of gongkai/ops/tests/test_load.py, larger, on SQLite (WAL) and PostgreSQL.

``python -m bench.load --engine sqlite|postgresql`` makes a database for the
run (a file under the bench directory, or ``<prefix>_load_<pid>``), starts
gunicorn (2 workers × 4 threads) on loopback and reports: applications sent
and acknowledged, duplicates stored, 5xx answers, staff races won exactly
once, lost updates, and — for the fault run — what the SIGKILL interrupted
and what the restart kept. Every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import threading
import time

from bench.common import BENCH_DIR, PG_URL, PREFIX, emit
from gongkai.ops import loadtest


def acknowledged(submissions):
    return {s.key: s.acknowledged for s in submissions if s.acknowledged}


def run(engine: str, *, applicants: int, concurrency: int, races: int, port_range: tuple[int, int]) -> dict:
    base = "sqlite:///x" if engine == "sqlite" else PG_URL + PREFIX
    workdir = BENCH_DIR / f"load-{engine}"
    if workdir.exists():
        import shutil

        shutil.rmtree(workdir)
    database = loadtest.LoadDatabase(base, workdir).create()
    try:
        port = loadtest.free_port(*port_range)
        with loadtest.Server(database, port=port, workers=2, threads=4) as server:
            t0 = time.perf_counter()
            submissions = loadtest.apply_burst(server.port, count=applicants, concurrency=concurrency,
                                               double_every=3, deadline=300)
            burst_seconds = time.perf_counter() - t0
            seen = loadtest.submission_problems(submissions)
            acks = acknowledged(submissions)
            ids = database.command("pending", {"tracking_codes": list(acks.values())})["ids"]
            t0 = time.perf_counter()
            race_list = loadtest.staff_race(server.port, ids[:races], concurrency=4)
            race_seconds = time.perf_counter() - t0
        check = database.command("check", {"acknowledged": acks, "outcomes": loadtest.expected_outcomes(race_list)})
        concurrent = {
            "applicants": applicants, "concurrency": concurrency, "posts": sum(len(s.statuses) for s in submissions),
            "acknowledged": len(acks), "stored": check["applications"], "five_xx": seen["five_xx"],
            "unexpected_answers": seen["unexpected_count"], "burst_seconds": round(burst_seconds, 1),
            "applications_per_second": round(len(acks) / burst_seconds, 1),
            "staff_races": len(race_list), "races_with_problems": len(loadtest.race_problems(race_list)),
            "race_problems": loadtest.race_problems(race_list)[:5],
            "race_seconds": round(race_seconds, 1), "problems": check["problems"][:10],
            "problem_count": check["problem_count"],
        }
        before = check["applications"]
        server = loadtest.Server(database, port=port, workers=2, threads=4).start()
        subs: list = []
        stop = threading.Event()
        burst = threading.Thread(target=loadtest.apply_burst, args=(port,), kwargs={
            "count": applicants, "concurrency": concurrency, "double_every": 4, "deadline": 120, "stop": stop,
            "submissions": subs})
        burst.start()
        deadline = time.monotonic() + 120
        while not loadtest.mid_burst(subs, acknowledged_at_least=applicants // 3) and time.monotonic() < deadline:
            time.sleep(0.005)
        server.kill()
        before_kill = acknowledged(subs)
        stop.set()
        burst.join(timeout=120)
        after_kill = database.command("check", {"acknowledged": before_kill})
        with loadtest.Server(database, port=port, workers=2, threads=4) as server:
            loadtest.resend_unacknowledged(server.port, subs)
        everything = acknowledged(subs)
        final = database.command("check", {"acknowledged": everything})
        fault = {
            "acknowledged_before_kill": len(before_kill), "in_flight_or_unanswered": len(subs) - len(before_kill),
            "missing_after_restart": sum(1 for p in after_kill["problems"] if "is not stored" in p),
            "problems_after_restart": after_kill["problems"][:10], "sqlite_integrity": after_kill["integrity"],
            "orphan_files": after_kill["orphan_files"], "resubmitted_and_acknowledged": len(everything) - len(before_kill),
            "stored_after_resubmission": final["applications"] - before, "forms": len(subs),
            "problems_after_resubmission": final["problems"][:10],
        }
        ok = (concurrent["problem_count"] == 0 and concurrent["five_xx"] == 0 and concurrent["unexpected_answers"] == 0
              and concurrent["races_with_problems"] == 0 and concurrent["acknowledged"] == applicants
              and after_kill["problem_count"] == 0 and final["problem_count"] == 0
              and fault["stored_after_resubmission"] == len(subs))
        return {"engine": engine, "ok": ok, "concurrent": concurrent, "fault": fault}
    finally:
        database.drop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--races", type=int, default=100)
    parser.add_argument("--ports", default="8300-8399")
    args = parser.parse_args()
    low, high = (int(p) for p in args.ports.split("-"))
    emit(run(args.engine, applicants=args.applicants, concurrency=args.concurrency, races=args.races,
             port_range=(low, high)))


if __name__ == "__main__":
    main()
