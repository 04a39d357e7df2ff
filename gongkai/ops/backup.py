"""Backups of a whole installation: the database and the uploaded files in one checked archive (ADR 020).

A backup is one ``.tar.gz`` file::

    database/gongkai.sqlite3     SQLite: a consistent copy taken with the online backup API
    database/gongkai.pgdump      PostgreSQL: ``pg_dump -Fc`` (custom format)
    media/…                      every file under MEDIA_ROOT but the public stash (scans, attachments, letters)
    keys/data_keys               only with ``include_keys``: the data keys, one a line (mode 0600)
    manifest.json                schema, date, database engine and version, migrations, the data keys'
                                 fingerprints (never the keys), and the path, size and SHA-256 of every
                                 other member

It is taken while the server runs: SQLite's backup API copies a snapshot
(WAL readers never block the writer), ``pg_dump`` reads in one snapshot
transaction. ``backup_restore`` refuses an archive that fails its
checksums, a backup of the other database engine, and — unless told
``force`` — a database or media directory that already holds data; the
media directory replaced is kept beside the new one, never deleted.

Identity numbers are Fernet tokens under the data keys (GONGKAI_DATA_KEYS or
var/data_key, ADR 019), which by default stay out of the archive: a stolen
backup must not carry the key to the data it protects. The manifest records
a fingerprint of each key and, read from the dump itself, how many numbers
each key encrypts; ``backup_restore`` refuses, before anything changes, a
backup whose numbers the current keys cannot decrypt (ADR 020).
"""

from __future__ import annotations

import base64
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
KEYS_MEMBER = "keys/data_keys"
# The encrypted column (gongkai.applications.crypto.EncryptedTextField) read back from a dump.
IDENTITY_TABLE, IDENTITY_COLUMN = "applications_application", "identity_number"
FINGERPRINT_PREFIX = b"gongkai data key fingerprint v1\0"
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
KEYS_MISSING = ("当前的数据密钥无法解密该备份中的 {count} 个证件号码（需要指纹为 {fingerprints} 的密钥），未做任何恢复："
                "请把备份时使用的密钥加入 GONGKAI_DATA_KEYS 或写入 var/data_key 后再恢复{hint}。")
KEYS_MISSING_LEGACY = ("当前的数据密钥无法解密该备份中的 {count} 个证件号码（该备份由旧版本生成，未记录密钥指纹），"
                       "未做任何恢复：请把备份时使用的密钥加入 GONGKAI_DATA_KEYS 或写入 var/data_key 后再恢复。")
KEYS_HINT_INCLUDED = "，或加 --restore-keys 使用备份中附带的密钥"
KEYS_NOT_IN_BACKUP = "该备份没有附带数据密钥（备份时未加 --include-keys）"
KEYS_ENV_SET = ("已设置环境变量 GONGKAI_DATA_KEYS，它优先于 var/data_key，--restore-keys 无从生效，未做任何恢复："
                "请把备份中 keys/data_keys 的密钥（指纹 {fingerprints}）加入 GONGKAI_DATA_KEYS 后再恢复。")
KEYS_TOO_MANY = ("该备份的证件号码由 {count} 个密钥加密，var/data_key 只能保存一个，未做任何恢复：请把备份中 keys/data_keys"
                 " 的密钥以逗号分隔写入 GONGKAI_DATA_KEYS 后再恢复。")
KEY_EXISTS = ("{path} 中已有另一个数据密钥（指纹 {fingerprint}），当前数据库中有 {count} 个证件号码由它加密，未做任何恢复："
              "确认用备份中的密钥替换它请加 --force（原密钥会移至 {path}.before-restore-…，不会删除）。")
KEYS_LEGACY = ("该备份没有记录数据密钥指纹（由旧版本生成），已从备份的数据库中逐个试解密证件号码。")


class BackupError(Exception):
    """The backup or restore cannot be done; the message is one Chinese line for the operator."""


@dataclass
class KeyUsage:
    """How many identity numbers each data key decrypts (by fingerprint), and how many none of them does."""

    total: int = 0
    used: dict[str, int] = field(default_factory=dict)
    unreadable: int = 0


@dataclass
class Summary:
    path: Path
    engine: str
    database_bytes: int = 0
    media_files: int = 0
    media_bytes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    key_usage: KeyUsage | None = None
    keys_included: bool = False
    key_written: Path | None = None


# --- data keys ------------------------------------------------------------------------------------


def key_fingerprint(key: str) -> str:
    """A public name for a data key: SHA-256 of a fixed prefix and the key's bytes, cut to 16 hex digits.

    One-way (the key is 256 random bits) and unrelated to the digest key derived from it
    (HMAC, ADR 019), so a manifest can name the key without giving away anything of it.
    """
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raw = key.strip().encode("utf-8")
    return hashlib.sha256(FINGERPRINT_PREFIX + raw).hexdigest()[:16]


def key_usage(tokens, keys: list[str]) -> KeyUsage:
    """Try every token against the keys (first key first, as MultiFernet does); count which key opens each."""
    from cryptography.fernet import Fernet, InvalidToken

    fernets = []
    for key in keys:
        try:
            fernets.append((key_fingerprint(key), Fernet(key)))
        except (ValueError, TypeError):
            continue  # a malformed key decrypts nothing; crypto.py reports it where it is used
    usage = KeyUsage()
    for token in tokens:
        usage.total += 1
        data = token.encode("ascii", "replace")
        for fingerprint, fernet in fernets:
            try:
                fernet.decrypt(data)
            except InvalidToken:
                continue
            usage.used[fingerprint] = usage.used.get(fingerprint, 0) + 1
            break
        else:
            usage.unreadable += 1
    return usage


def _dump_identity_tokens(engine: str, dump: Path):
    """The encrypted identity numbers in a database dump (not the live database: the backup's own snapshot)."""
    if engine == "sqlite":
        db = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if IDENTITY_TABLE not in tables:
                return
            yield from (r[0] for r in db.execute(
                f'SELECT "{IDENTITY_COLUMN}" FROM "{IDENTITY_TABLE}" WHERE "{IDENTITY_COLUMN}" <> \'\''))
        finally:
            db.close()
        return
    # PostgreSQL: the table's COPY data as pg_restore writes it out (text, tab-separated, \N for NULL).
    server_major, _ = _server_version()
    tool = _pg_tool("pg_restore", server_major)
    proc = subprocess.Popen([tool, "--data-only", f"--table={IDENTITY_TABLE}", "-f", "-", str(dump)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    index = None
    try:
        for line in proc.stdout:
            if index is None:
                m = re.match(rf"COPY \S*{IDENTITY_TABLE} \((.*)\) FROM stdin;$", line.rstrip("\n"))
                if m:
                    columns = [c.strip().strip('"') for c in m.group(1).split(",")]
                    index = columns.index(IDENTITY_COLUMN)
                continue
            if line == "\\.\n":
                index = None
                continue
            value = line.rstrip("\n").split("\t")[index]
            if value and value != "\\N":
                yield value
    finally:
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
        if proc.wait() != 0:
            message = " ".join((stderr or f"exit {proc.returncode}").split())[:500]
            raise BackupError(TOOL_FAILED.format(tool="pg_restore", message=message))


# --- taking a backup ------------------------------------------------------------------------------


def backup_create(*, target: Path, media_root: Path | None = None, include_keys: bool = False) -> Summary:
    """Write a backup of the default database and of MEDIA_ROOT to ``target`` (built as ``.part``, then renamed).

    The data keys go into the archive only with ``include_keys`` (the file is then made mode 0600);
    the manifest always records their fingerprints and which of them the backup's identity numbers need.
    """
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
        keys = list(settings.GONGKAI_DATA_KEYS)
        # Read from the dump itself, so the record describes exactly the numbers in this backup.
        usage = key_usage(_dump_identity_tokens(engine, dump), keys)
        summary.key_usage = usage
        summary.keys_included = include_keys
        key_record = {"fingerprints": [key_fingerprint(k) for k in keys], "identity_numbers": usage.total,
                      "used": usage.used, "unreadable": usage.unreadable, "included": include_keys}
        try:
            if include_keys:
                # Created private from the start: no moment in which another user could read the keys.
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.fchmod(fd, 0o600)
                fileobj = os.fdopen(fd, "wb")
            else:
                fileobj = open(partial, "wb")
            with fileobj, tarfile.open(fileobj=fileobj, mode="w:gz", compresslevel=6) as tar:
                files.append(_add_file(tar, dump, SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER))
                if include_keys:
                    files.append(_add_bytes(tar, KEYS_MEMBER, "".join(f"{k}\n" for k in keys).encode(), 0o600))
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
                    "data_keys": key_record,
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


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), mode
    tar.addfile(info, io.BytesIO(data))
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


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


def backup_restore(*, source: Path, force: bool = False, media_root: Path | None = None,
                   restore_keys: bool = False, replace_key: bool = False) -> Summary:
    """Replace the database and MEDIA_ROOT with the backup's, after checking every file of it.

    Before anything changes, the data keys are checked against the backup's identity numbers: refused
    unless the current keys decrypt them all, or ``restore_keys`` and the backup carries the key, which is
    then written to var/data_key (an existing different key there only with ``replace_key`` when the
    current database holds numbers under it; it is moved aside, never deleted).
    """
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
    record = manifest.get("data_keys")
    key_to_write, keys_note = None, None
    if record is not None:
        included = _included_keys(source) if record.get("included") else []
        key_to_write = _key_plan(record["used"], included, restore_keys=restore_keys, replace_key=replace_key)
        if restore_keys and not key_to_write:
            keys_note = "当前的数据密钥已能解密该备份中的全部证件号码，未改动 var/data_key。"
    elif restore_keys:
        raise BackupError(KEYS_NOT_IN_BACKUP + "，--restore-keys 无从使用，未做任何恢复。")
    if not force:
        full = database_contents()
        has_media = any(True for _ in _media_files(media_root))
        if full or has_media:
            what = "、".join([*(f"数据表 {t}" for t in full[:3]), *(["上传文件"] if has_media else [])])
            if len(full) > 3:
                what += f" 等 {len(full)} 张表"
            raise BackupError(NOT_EMPTY.format(what=what))
    summary = Summary(path=source, engine=engine)
    if keys_note:
        summary.notes.append(keys_note)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".gongkai-restore-", dir=media_root.parent) as tmp:
        staged = Path(tmp)
        with tarfile.open(source, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links and devices.
            tar.extractall(staged, filter="data")
        database_file = staged / (SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER)
        summary.database_bytes = database_file.stat().st_size
        if record is None:
            # A backup from before fingerprints were recorded: try every number in its dump with the current keys.
            usage = key_usage(_dump_identity_tokens(engine, database_file), list(settings.GONGKAI_DATA_KEYS))
            if usage.unreadable:
                raise BackupError(KEYS_MISSING_LEGACY.format(count=usage.unreadable))
            record = {"used": usage.used, "unreadable": 0}
            summary.notes.append(KEYS_LEGACY)
        _restore_database(database_file)
        if key_to_write:
            summary.key_written, kept_key = _install_key(key_to_write)
            summary.notes.append(
                f"已将备份中的数据密钥（指纹 {key_fingerprint(key_to_write)}）写入 {summary.key_written}（权限 0600）"
                + (f"，原密钥已移至 {kept_key}" if kept_key else "")
                + "；请重启正在运行的 gongkai 服务，使其使用该密钥。")
        new_media = staged / "media"
        new_media.mkdir(exist_ok=True)
        summary.media_files = manifest["media"]["files"]
        summary.media_bytes = manifest["media"]["bytes"]
        if media_root.exists():
            if any(media_root.iterdir()):
                # Never delete files on a restore: what was there moves aside.
                kept = _aside(media_root)
                media_root.rename(kept)
                summary.notes.append(f"原有上传文件已移至 {kept}")
            else:
                media_root.rmdir()
        new_media.rename(media_root)
    current_first = key_fingerprint(settings.GONGKAI_DATA_KEYS[0]) if settings.GONGKAI_DATA_KEYS else ""
    if any(fp != current_first for fp in record["used"]):
        summary.notes.append("部分证件号码由 GONGKAI_DATA_KEYS 中较旧的密钥加密：请运行 gongkai rekey，"
                             "之后才能去掉旧密钥，收费时也才能按同一申请人合并计数。")
    if record.get("unreadable"):
        summary.notes.append(f"该备份中有 {record['unreadable']} 个证件号码在备份时已无法用当时的密钥解密。")
    if manifest["database"]["migrations"] != _code_migrations():
        summary.notes.append("备份的数据库结构与当前程序版本不同：请运行 gongkai migrate。")
    summary.seconds = time.monotonic() - started
    return summary


def _aside(path: Path) -> Path:
    """A free name beside ``path`` for what a restore replaces (two restores in one second get two names)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept, n = path.with_name(f"{path.name}.before-restore-{stamp}"), 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.before-restore-{stamp}-{n}")
    return kept


def _included_keys(source: Path) -> list[str]:
    with tarfile.open(source, "r:gz") as tar:
        try:
            data = tar.extractfile(KEYS_MEMBER).read().decode("ascii")
        except KeyError:
            return []
    return [line.strip() for line in data.splitlines() if line.strip()]


def _key_plan(needed: dict[str, int], included: list[str], *, restore_keys: bool, replace_key: bool) -> str | None:
    """Refuse (BackupError) unless the backup's numbers will be readable; return the key to write, if any."""
    current = {key_fingerprint(k) for k in settings.GONGKAI_DATA_KEYS}
    missing = {fp: n for fp, n in needed.items() if fp not in current}
    if not missing:
        return None
    by_fingerprint = {key_fingerprint(k): k for k in included}
    names = "、".join(sorted(missing))
    if restore_keys and not included:
        raise BackupError(KEYS_MISSING.format(count=sum(missing.values()), fingerprints=names,
                                              hint=f"（{KEYS_NOT_IN_BACKUP}，--restore-keys 无从使用）"))
    if not restore_keys or not set(missing) <= set(by_fingerprint):
        hint = KEYS_HINT_INCLUDED if restore_keys is False and set(missing) <= set(by_fingerprint) else ""
        raise BackupError(KEYS_MISSING.format(count=sum(missing.values()), fingerprints=names, hint=hint))
    if os.environ.get("GONGKAI_DATA_KEYS"):
        raise BackupError(KEYS_ENV_SET.format(fingerprints=names))
    # var/data_key holds one key, and it replaces the current one: that key must open every number of the backup.
    if len(needed) > 1:
        raise BackupError(KEYS_TOO_MANY.format(count=len(needed)))
    key = by_fingerprint[next(iter(needed))]
    path = Path(settings.VAR_DIR) / "data_key"
    if path.exists() and path.read_text().strip() != key and not replace_key:
        count = _identity_numbers_in_database()
        if count:
            existing = key_fingerprint(path.read_text())
            raise BackupError(KEY_EXISTS.format(path=path, fingerprint=existing, count=count))
    return key


def _identity_numbers_in_database() -> int:
    if IDENTITY_TABLE not in connection.introspection.table_names():
        return 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(IDENTITY_TABLE)} WHERE {quote(IDENTITY_COLUMN)} <> ''")
        return cursor.fetchone()[0]


def _install_key(key: str) -> tuple[Path, Path | None]:
    """Write ``key`` to var/data_key (mode 0600); a different key already there is moved aside, never deleted."""
    path = Path(settings.VAR_DIR) / "data_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if path.exists():
        if path.read_text().strip() == key:
            settings.GONGKAI_DATA_KEYS = [key]
            return path, None
        kept = _aside(path)
        os.rename(path, kept)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)
    # This process goes on with the key it wrote (the server must be restarted to read it).
    settings.GONGKAI_DATA_KEYS = [key]
    return path, kept


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
