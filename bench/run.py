"""``make bench``: every benchmark of issue 8, one after the other, into bench/results.json.

Each section runs in its own process with DATABASE_URL set to its bench
database (built on first use and reused while its parameters stay the same;
``--rebuild`` forces it). A section that fails is recorded with its error and
the others still run. ``--only report_engine,search`` runs some sections and
keeps the others' last figures in the file.

    python -m bench.run                  # everything, full size
    python -m bench.run --only portal    # one section
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.common import PG_URL, ROOT, database_url, run_module

RESULTS = Path(__file__).with_name("results.json")
SECTIONS = ("report_engine", "search", "portal", "ingest", "load")
TARGETS = {
    "report_engine": {"ratio_to_floor": ("<=", 3), "seconds": ("<=", 10)},
    "search": {"sqlite.p95_ms": ("<=", 100), "speedup_vs_like": (">=", 100)},
    "portal": {"ratio_to_minimal_view": (">=", 0.5)},
    "ingest": {"reports_per_second": (">=", 100)},
}


def log(message: str) -> None:
    print(f"[bench {datetime.now(timezone.utc):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        mem = None
    try:
        import psycopg

        with psycopg.connect(PG_URL + "postgres") as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as e:  # noqa: BLE001 — recorded, not fatal
        pg = f"unavailable ({type(e).__name__})"
    import sqlite3

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gb": mem, "os": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": pg,
            "git_commit": commit.strip(), "load_average_at_start": os.getloadavg()[0],
            "note": "2 cores shared with other developers' work: figures are noisy"}


def report_engine(args) -> dict:
    out = {}
    for engine in ("postgresql", "sqlite"):
        url = database_url(engine, "reports")
        log(f"report_engine: build {engine}")
        build = run_module("bench.reports", url, "build", "--applications", str(args.applications),
                           "--agencies", "1000")
        log(f"report_engine: measure {engine}")
        out[engine] = {**run_module("bench.reports", url, "measure", "--runs", "3"), "build": build}
    main = out["postgresql"]
    return {"database": "postgresql (a region of 1,000 agencies is a province-level deployment)",
            "seconds": main["seconds"], "floor_seconds": main["floor_seconds"],
            "ratio_to_floor": main["ratio_to_floor"], "postgresql": out["postgresql"], "sqlite": out["sqlite"]}


def search(args) -> dict:
    out = {}
    for engine in ("sqlite", "postgresql"):
        url = database_url(engine, "search")
        log(f"search: build {engine}")
        # PostgreSQL gets the same items and words as SQLite (the tokenizer runs once, timed in the SQLite build).
        words = ["--words-from", database_url("sqlite", "search").removeprefix("sqlite:///")] \
            if engine == "postgresql" else []
        build = run_module("bench.search", url, "build", "--items", str(args.items), *words, timeout=4 * 3600)
        log(f"search: measure {engine}")
        # PostgreSQL ranks every match (about a second per query here): one timed round after the warm one.
        rounds = "3" if engine == "sqlite" else "1"
        measured = run_module("bench.search", url, "measure", "--rounds", rounds, *(["--like"] if engine == "sqlite" else []))
        out[engine] = {**measured, "build": build}
    like = out["sqlite"].pop("like")
    return {
        "items": args.items,
        "sqlite": out["sqlite"], "postgresql": out["postgresql"],
        "like_p95_ms": like["p95_ms"], "like_p50_ms": like["p50_ms"],
        "queries_found_by_index_not_like": like["queries_found_by_index_not_like"],
        "speedup_vs_like": round(like["p95_ms"] / out["sqlite"]["p95_ms"], 1),
    }


def portal(args) -> dict:
    url = database_url("sqlite", "search")
    log("portal: measure (sqlite search database)")
    return run_module("bench.portal", url, "--seconds", str(args.portal_seconds), "--ports", args.ports)


def ingest(args) -> dict:
    log("ingest: measure")
    return run_module("bench.ingest", database_url("sqlite", "ingest"))


def load(args) -> dict:
    out = {}
    for engine in ("sqlite", "postgresql"):
        log(f"load: {engine}")
        out[engine] = run_module("bench.load", database_url("sqlite", "unused"), "--engine", engine,
                                 "--applicants", str(args.applicants), "--ports", args.ports, timeout=1800)
    out["ok"] = all(out[e]["ok"] for e in ("sqlite", "postgresql"))
    return out


def _value(section: dict, dotted: str):
    value = section
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def judge(name: str, section: dict) -> dict:
    out = {}
    for key, (op, target) in TARGETS.get(name, {}).items():
        value = _value(section, key)
        met = None if value is None else (value <= target if op == "<=" else value >= target)
        out[key] = {"target": f"{op} {target}", "value": value, "met": met}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--portal-seconds", type=float, default=15)
    parser.add_argument("--ports", default=os.environ.get("GONGKAI_BENCH_PORTS", "8300-8399"))
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    wanted = [s for s in args.only.split(",") if s]
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    results.update({"schema": "gongkai.bench/1", "machine": machine()})
    results.setdefault("sections", {})
    started = datetime.now(timezone.utc)
    for name in wanted:
        t0 = time.perf_counter()
        try:
            section = globals()[name](args)
        except Exception as e:  # noqa: BLE001 — one failed section must not lose the others
            section = {"error": f"{type(e).__name__}: {e}"[:4000], "traceback": traceback.format_exc()[-2000:]}
        section["ran_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        section["section_seconds"] = round(time.perf_counter() - t0, 1)
        section["targets"] = judge(name, section)
        results["sections"][name] = section
        results["ran_at"] = started.isoformat(timespec="seconds")
        output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        log(f"{name}: done in {section['section_seconds']} s")
    results["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["summary"] = {name: results["sections"][name].get("targets", {}) for name in results["sections"]}
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(results["summary"], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
