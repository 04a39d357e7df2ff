"""Backups of a whole installation: the database and the uploaded files in one checked archive (ADR 020).

A backup is one ``.tar.gz`` file::

    database/gongkai.sqlite3     SQLite: a consistent copy taken with the online backup API
    database/gongkai.pgdump      PostgreSQL: ``pg_dump -Fc`` (custom format)
    media/…                      every file under MEDIA_ROOT but the public stash (scans, attachments, letters)
    manifest.json                schema, date, database engine and version, migrations, and the
                                 path, size and SHA-256 of every other member

It is taken while the server runs: SQLite's backup API copies a snapshot
(WAL readers never block the writer), ``pg_dump`` reads in one snapshot
transaction. ``backup_restore`` refuses an archive that fails its
checksums, a backup of the other database engine, and — unless told
``force`` — a database or media directory that already holds data; the
media directory replaced is kept beside the new one, never deleted.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection

SCHEMA = "gongkai.backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/gongkai.sqlite3"
PGDUMP_MEMBER = "database/gongkai.pgdump"
MEDIA_PREFIX = "media/"
# Files a half-filled public form left behind (swept after a day): not worth keeping.
MEDIA_SKIPPED = ("public-stash",)
# Tables every migrated database has rows in; data anywhere else makes a database "not empty".
# The FTS5 shadow tables (SQLite) are derived from catalogue_searchdocument and filled on migration.
DERIVED_PREFIXES = ("catalogue_search_fts",)
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session",
                    "django_admin_log", "sqlite_sequence"}
CHUNK = 1 << 20

TOOL_MISSING = ("找不到 {tool}：PostgreSQL 的备份和恢复需要与服务器主版本一致的客户端工具"
                "（Debian：apt-get install postgresql-client-{major}）。")
TOOL_VERSION = ("{tool} 的版本为 {tool_major}，而数据库服务器为 PostgreSQL {server_major}：请安装并使用"
                " postgresql-client-{server_major} 的 {tool}（如 /usr/lib/postgresql/{server_major}/bin/{tool}）。")
TOOL_FAILED = "{tool} 执行失败：{message}"
NOT_A_BACKUP = "{path} 不是 gongkai 备份文件：{reason}"
CHECKSUMS_FAILED = "备份文件校验未通过（{count} 个问题），未做任何恢复：{first}"
WRONG_ENGINE = "该备份来自 {backup} 数据库，当前配置的是 {current} 数据库：只能恢复到同一种数据库。"
NOT_EMPTY = "当前数据库或上传文件目录中已有数据（{what}）；恢复会覆盖它们。确认覆盖请加 --yes。"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """The backup or restore cannot be done; the message is one Chinese line for the operator."""


@dataclass
class Summary:
    path: Path
    engine: str
    database_bytes: int = 0
    media_files: int = 0
    media_bytes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# --- taking a backup ------------------------------------------------------------------------------


def backup_create(*, target: Path, media_root: Path | None = None) -> Summary:
    """Write a backup of the default database and of MEDIA_ROOT to ``target`` (built as ``.part``, then renamed)."""
    started = time.monotonic()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = connection.vendor
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    summary = Summary(path=target, engine=engine)
    files: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-", dir=target.parent) as tmp:
        dump = Path(tmp) / "database"
        server_version = _dump_database(dump)
        summary.database_bytes = dump.stat().st_size
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                files.append(_add_file(tar, dump, SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER))
                for path in _media_files(media_root):
                    entry = _add_file(tar, path, MEDIA_PREFIX + path.relative_to(media_root).as_posix())
                    files.append(entry)
                    summary.media_files += 1
                    summary.media_bytes += entry["size"]
                manifest = {
                    "schema": SCHEMA,
                    "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "database": {"engine": engine, "server_version": server_version,
                                 "migrations": applied_migrations()},
                    "media": {"files": summary.media_files, "bytes": summary.media_bytes},
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    summary.seconds = time.monotonic() - started
    return summary


def _dump_database(dump: Path) -> str:
    """Write the database to ``dump``; return the server's version."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The online backup API: a consistent snapshot while other processes go on reading and writing.
        with sqlite3.connect(dump) as copy:
            connection.connection.backup(copy)
        copy.close()
        return sqlite3.sqlite_version
    if connection.vendor == "postgresql":
        server_major, server_version = _server_version()
        tool = _pg_tool("pg_dump", server_major)
        _run([tool, "-Fc", "--no-owner", "--no-privileges", "-f", str(dump), *_pg_args()], "pg_dump")
        return server_version
    raise BackupError(f"不支持备份 {connection.vendor} 数据库。")


def _media_files(root: Path):
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d not in MEDIA_SKIPPED]
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


class _HashingReader:
    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.sha.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    """Add one file, hashed as it is written (so a file is read once); return its manifest entry."""
    with open(path, "rb") as f:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(f.fileno()).st_size
        info.mtime, info.mode = int(os.fstat(f.fileno()).st_mtime), 0o644
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.sha.hexdigest()}


def applied_migrations() -> dict[str, str]:
    """The last migration applied per app, as recorded in the database."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


# --- PostgreSQL tools -----------------------------------------------------------------------------


def _server_version() -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        num = int(cursor.fetchone()[0])
        cursor.execute("SHOW server_version")
        return num // 10000, cursor.fetchone()[0]


def _pg_tool(name: str, server_major: int) -> str:
    """The path of ``pg_dump``/``pg_restore`` of the server's major version, or a BackupError saying what to install."""
    candidates = [shutil.which(name), f"/usr/lib/postgresql/{server_major}/bin/{name}"]
    found = [c for c in candidates if c and os.access(c, os.X_OK)]
    if not found:
        raise BackupError(TOOL_MISSING.format(tool=name, major=server_major))
    majors = {}
    for path in found:
        out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"\)\s*(\d+)", out)
        majors[path] = int(m.group(1)) if m else 0
        # A dump must be read and written by the server's own major version: a newer pg_dump writes
        # settings an older server refuses on restore, an older one refuses to dump a newer server.
        if majors[path] == server_major:
            return path
    path = found[0]
    raise BackupError(TOOL_VERSION.format(tool=name, tool_major=majors[path], server_major=server_major))


def _pg_args() -> list[str]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return [*args, "-d", str(db["NAME"])]


def _run(argv: list[str], tool: str) -> None:
    env = {**os.environ}
    if password := connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout or f"exit {result.returncode}").split())[:500]
        raise BackupError(TOOL_FAILED.format(tool=tool, message=message))


# --- checking -------------------------------------------------------------------------------------


@dataclass
class Inspection:
    manifest: dict | None
    problems: list[str]


def backup_verify(path: Path) -> Inspection:
    """Read the whole archive: every file listed present once, with its size and SHA-256, and nothing else."""
    path = Path(path)
    seen: dict[str, tuple[int, str]] = {}
    problems: list[str] = []
    manifest = None
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    try:
                        manifest = json.loads(tar.extractfile(member).read())
                    except ValueError as e:
                        raise BackupError(NOT_A_BACKUP.format(path=path, reason=f"manifest.json 无法解析（{e}）"))
                    continue
                if not member.isfile():
                    problems.append(f"多余的条目：{member.name}")
                    continue
                if member.name in seen:
                    problems.append(f"重复的文件：{member.name}")
                sha, size = hashlib.sha256(), 0
                f = tar.extractfile(member)
                while chunk := f.read(CHUNK):
                    sha.update(chunk)
                    size += len(chunk)
                seen[member.name] = (size, sha.hexdigest())
    except BackupError:
        raise
    except Exception as e:  # tarfile, gzip, zlib and OS errors alike: the file is unusable
        raise BackupError(NOT_A_BACKUP.format(path=path, reason=f"文件已损坏或不是 tar.gz（{e}）")) from e
    if manifest is None or manifest.get("schema") != SCHEMA:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="没有 gongkai.backup/1 的 manifest.json"))
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    for name, entry in listed.items():
        if name not in seen:
            problems.append(f"缺少文件：{name}")
        elif seen[name][0] != entry["size"]:
            problems.append(f"文件大小不一致：{name}（应为 {entry['size']} 字节，实为 {seen[name][0]} 字节）")
        elif seen[name][1] != entry["sha256"]:
            problems.append(f"文件内容不一致：{name}（SHA-256 不符）")
    problems += [f"多余文件：{name}" for name in seen if name not in listed]
    engine = manifest.get("database", {}).get("engine")
    if (SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER) not in listed:
        problems.append("备份中没有数据库文件。")
    return Inspection(manifest=manifest, problems=problems)


def database_contents() -> list[str]:
    """Tables of the current database holding rows beyond what every migrated database has."""
    tables = [t for t in connection.introspection.table_names()
              if t not in FRAMEWORK_TABLES and not t.startswith(DERIVED_PREFIXES)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        full = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    return full


# --- restoring ------------------------------------------------------------------------------------


def backup_restore(*, source: Path, force: bool = False, media_root: Path | None = None) -> Summary:
    """Replace the database and MEDIA_ROOT with the backup's, after checking every file of it."""
    started = time.monotonic()
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    inspection = backup_verify(source)
    if inspection.problems:
        raise BackupError(CHECKSUMS_FAILED.format(count=len(inspection.problems), first=inspection.problems[0]))
    manifest = inspection.manifest
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(WRONG_ENGINE.format(backup=ENGINES.get(engine, engine),
                                              current=ENGINES.get(connection.vendor, connection.vendor)))
    if not force:
        full = database_contents()
        has_media = any(True for _ in _media_files(media_root))
        if full or has_media:
            what = "、".join([*(f"数据表 {t}" for t in full[:3]), *(["上传文件"] if has_media else [])])
            if len(full) > 3:
                what += f" 等 {len(full)} 张表"
            raise BackupError(NOT_EMPTY.format(what=what))
    summary = Summary(path=source, engine=engine)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".gongkai-restore-", dir=media_root.parent) as tmp:
        staged = Path(tmp)
        with tarfile.open(source, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links and devices.
            tar.extractall(staged, filter="data")
        database_file = staged / (SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER)
        summary.database_bytes = database_file.stat().st_size
        _restore_database(database_file)
        new_media = staged / "media"
        new_media.mkdir(exist_ok=True)
        summary.media_files = manifest["media"]["files"]
        summary.media_bytes = manifest["media"]["bytes"]
        if media_root.exists():
            if any(media_root.iterdir()):
                # Never delete files on a restore: what was there moves aside.
                kept = media_root.with_name(f"{media_root.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
                media_root.rename(kept)
                summary.notes.append(f"原有上传文件已移至 {kept}")
            else:
                media_root.rmdir()
        new_media.rename(media_root)
    if manifest["database"]["migrations"] != _code_migrations():
        summary.notes.append("备份的数据库结构与当前程序版本不同：请运行 gongkai migrate。")
    summary.seconds = time.monotonic() - started
    return summary


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The backup API again, in the other direction: pages are replaced under the database's own lock,
        # so a running server sees either the old or the new database, never a mix.
        with sqlite3.connect(dump) as src:
            src.backup(connection.connection)
        src.close()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result = cursor.fetchone()[0]
        if result != "ok":
            raise BackupError(f"恢复后的 SQLite 数据库完整性检查未通过：{result}")
        return
    server_major, _ = _server_version()
    tool = _pg_tool("pg_restore", server_major)
    connection.close()  # no session of ours holds a lock on the tables being replaced
    _run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *_pg_args(), str(dump)], "pg_restore")


def _code_migrations() -> dict[str, str]:
    """The last migration per app that the code would have applied (the graph's leaf nodes)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = {}
    for app, name in loader.graph.leaf_nodes():
        leaves[app] = name
    return leaves
