"""What every benchmark shares: where its databases are, bulk loading, and running code under a DATABASE_URL.

The bench databases are made for the benchmarks only and kept between runs
(a ``bench_meta`` table records the parameters they were built with and how
long that took), so a second ``make bench`` measures without rebuilding:

- SQLite files under ``GONGKAI_BENCH_DIR`` (default ``var/bench/``);
- PostgreSQL databases ``<GONGKAI_BENCH_DB_PREFIX>_<name>`` (default prefix
  ``gongkai_bench``) on ``GONGKAI_BENCH_PG_URL`` (default
  ``postgres://postgres@127.0.0.1:5432/``).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DIR = Path(os.environ.get("GONGKAI_BENCH_DIR", ROOT / "var" / "bench")).resolve()
PG_URL = os.environ.get("GONGKAI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"
PREFIX = os.environ.get("GONGKAI_BENCH_DB_PREFIX", "gongkai_bench")


def database_url(engine: str, name: str) -> str:
    if engine == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{BENCH_DIR / (name + '.sqlite3')}"
    return PG_URL + f"{PREFIX}_{name}"


def env_for(url: str, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gongkai.settings", **extra}


def run_module(module: str, url: str, *args: str, timeout: float = 3600, **extra_env) -> dict:
    """Run ``python -m module args`` with DATABASE_URL=url; it prints one JSON object last on stdout."""
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env_for(url, **extra_env),
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({result.returncode}): {result.stderr[-3000:]}")
    sys.stderr.write(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def emit(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False))


# --- inside a section's process (Django set up on the bench database) ---------------------------------


def django_setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.db import connection

    return connection


def create_database(url: str, *, fresh: bool) -> None:
    """Make the database exist (empty when ``fresh``) and migrate it."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([str(BIN / "gongkai"), "migrate", "--noinput", "-v0"], cwd=ROOT, env=env_for(url), check=True)


def meta_get(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key varchar(100) PRIMARY KEY, value text NOT NULL)")
        cursor.execute("SELECT key, value FROM bench_meta")
        return {k: json.loads(v) for k, v in cursor.fetchall()}


def database_reuse_or_reset(connection, url: str, params: dict, *, force: bool) -> dict | None:
    """The build figures of a bench database built with ``params`` — brought up to the code's schema
    (migrations merged since it was built), data kept — or None after emptying it for a new build."""
    if not force:
        try:
            meta = meta_get(connection)
        except Exception:
            meta = {}
        if meta.get("params") == params:
            connection.close()
            create_database(url, fresh=False)
            return {**meta["build"], "reused": True}
    connection.close()
    create_database(url, fresh=True)
    connection.ensure_connection()
    return None


def meta_set(connection, **values) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key varchar(100) PRIMARY KEY, value text NOT NULL)")
        for k, v in values.items():
            cursor.execute("DELETE FROM bench_meta WHERE key = %s", [k])
            cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [k, json.dumps(v)])


def columns_of(connection, table: str) -> list[tuple[str, str, bool]]:
    """(name, type, nullable) of each column of ``table``, from the database itself."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return [(c.name, c.type_code, c.null_ok) for c in description]


def _default_for(type_code, connection):
    t = str(type_code).lower()
    if connection.vendor == "postgresql":
        # psycopg type OIDs: bool 16; int2/4/8 21/23/20; numeric 1700; json/jsonb 114/3802.
        return {"16": False, "21": 0, "23": 0, "20": 0, "1700": 0, "114": "[]", "3802": "[]"}.get(t, "")
    if "bool" in t:
        return False
    if "int" in t or "decimal" in t or "real" in t:
        return 0
    return ""


class BulkWriter:
    """Rows into one table as fast as the database takes them: executemany on SQLite, COPY on PostgreSQL.

    Columns not given get the column's empty value ("" / 0 / false) when NOT NULL, else NULL — so the
    benchmark keeps working when a model gains a field.
    """

    def __init__(self, connection, table: str, columns: list[str], *, skip: tuple[str, ...] = ("id",)):
        self.connection, self.table, self.columns = connection, table, list(columns)
        described = columns_of(connection, table)
        names = {name for name, _, _ in described}
        unknown = set(columns) - names
        if unknown:
            raise ValueError(f"{table} has no columns {sorted(unknown)}")
        generated = {"search_vector"}
        self.fill = [(name, _default_for(t, connection)) for name, t, null in described
                     if name not in columns and name not in skip and name not in generated and not null]
        self.all_columns = self.columns + [name for name, _ in self.fill]
        self.defaults = tuple(value for _, value in self.fill)

    def write(self, rows: list[tuple]) -> None:
        rows = [tuple(r) + self.defaults for r in rows]
        quoted = ", ".join(f'"{c}"' for c in self.all_columns)
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.all_columns)
            raw.executemany(f'INSERT INTO "{self.table}" ({quoted}) VALUES ({marks})', rows)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]
