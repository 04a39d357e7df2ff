"""``gongkai backup`` / ``gongkai restore``: a round trip gives back every record and every uploaded file (ADR 020).

Runs on whichever database ``DATABASE_URL`` selects (SQLite through the
online backup API, PostgreSQL through pg_dump/pg_restore), on committed data
(``transactional_db``) as a running server would have it.
"""

import gzip
import io
import json
import tarfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from gongkai.applications.models import Application, Document, DocumentKind
from gongkai.applications.public import application_submit_online
from gongkai.applications.services import Upload
from gongkai.audit.models import AuditEntry
from gongkai.ops import backup as ops_backup
from gongkai.testing import run_console

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
DATA = {
    "applicant_type": "natural_person", "applicant_name": "张三丰", "identity_type": "resident_id",
    "identity_number": "350322199001011234", "phone": "13812345678", "email": "",
    "description": "2024年工业企业技术改造补贴的企业名单及补贴金额", "document_hint": "仙工信〔2024〕12号",
    "delivery_form": "email", "delivery_method": "email",
}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def submit(agency, description=DATA["description"]):
    return application_submit_online(agency=agency, data={**DATA, "description": description},
                                     uploads=[Upload(DocumentKind.IDENTITY_PROOF, "身份证.png", PNG)],
                                     submission_key=uuid.uuid4(), today=date(2026, 12, 1))


def state():
    """Everything the round trip must give back: applications, documents with their bytes, the audit trail."""
    return {
        "applications": sorted(Application.objects.values_list("id", "description", "tracking_code")),
        "documents": sorted((d.pk, d.application_id, d.sha256, d.file.name, d.file.read()) for d in Document.objects.all()),
        "audit": sorted(AuditEntry.objects.values_list("id", "action", "target_id")),
    }


def test_round_trip_gives_back_every_record_and_file(agency, tmp_path, media_root, capsys):
    """Backup, then change and delete things, then restore: the database and the files are as they were."""
    first, second = submit(agency), submit(agency, "2025年本机关行政处罚决定书的全文及处罚依据")
    before = state()
    target = tmp_path / "gongkai.tar.gz"

    code, out, err = run_console(["backup", "-o", str(target)], capsys)
    assert code == 0, err
    assert "已备份" in out and "上传文件 2 个" in out

    second_file = Path(second.documents.get().file.path)
    second.documents.all().delete()
    second_file.unlink()
    Application.objects.filter(pk=second.pk).delete()
    submit(agency, "这一份申请是备份之后才提交的，恢复后不应存在")
    assert state() != before

    code, out, err = run_console(["restore", str(target), "--yes"], capsys)
    assert code == 0, err
    assert "已恢复" in out
    assert state() == before
    assert second_file.read_bytes() == PNG
    # The files replaced were moved aside, not deleted.
    kept = list(media_root.parent.glob("media.before-restore-*"))
    assert len(kept) == 1 and any(p.is_file() for p in kept[0].rglob("*"))
    assert Application.objects.get(pk=first.pk).documents.count() == 1


def test_manifest_lists_every_file_with_its_checksum(agency, tmp_path):
    submit(agency)
    target = tmp_path / "b.tar.gz"
    ops_backup.backup_create(target=target)
    inspection = ops_backup.backup_verify(target)
    assert inspection.problems == []
    manifest = inspection.manifest
    assert manifest["schema"] == "gongkai.backup/1"
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["database"]["migrations"]["applications"]
    paths = [f["path"] for f in manifest["files"]]
    assert paths[0].startswith("database/") and sum(p.startswith("media/") for p in paths) == 1
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert not target.with_name(target.name + ".part").exists()


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a backup archive member by member, letting ``change(name, data)`` alter (or drop: None) each."""
    with tarfile.open(source, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("change, problem", [
    (lambda name, data: data + b"x" if name.startswith("media/") else data, "文件大小不一致"),
    (lambda name, data: bytes([data[0] ^ 1]) + data[1:] if name.startswith("database/") else data, "文件内容不一致"),
    (lambda name, data: None if name.startswith("media/") else data, "缺少文件"),
])
def test_restore_refuses_a_backup_that_fails_its_checksums(agency, tmp_path, capsys, change, problem):
    """A damaged archive is refused before anything is touched."""
    submit(agency)
    good, bad = tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz"
    ops_backup.backup_create(target=good)
    _rewrite(good, bad, change)
    Application.objects.all().delete()
    code, out, err = run_console(["restore", str(bad), "--yes"], capsys)
    assert code == 1
    assert "备份文件校验未通过" in err and problem in err
    assert Application.objects.count() == 0


def test_restore_refuses_what_is_not_a_backup(db, tmp_path, capsys):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(gzip.compress(b"not a tar file at all" * 100))
    code, out, err = run_console(["restore", str(junk), "--yes"], capsys)
    assert code == 1 and "不是 gongkai 备份文件" in err
    code, out, err = run_console(["restore", str(tmp_path / "missing.tar.gz")], capsys)
    assert code == 2 and "找不到文件" in err
    code, out, err = run_console(["backup"], capsys)
    assert code == 2 and "-o" in err


def test_restore_asks_before_overwriting_data(agency, tmp_path, capsys):
    """Without --yes a database holding data is left alone, and the message says how to go on."""
    submit(agency)
    target = tmp_path / "b.tar.gz"
    ops_backup.backup_create(target=target)
    submit(agency, "备份之后提交的申请，未确认覆盖时必须保留")
    code, out, err = run_console(["restore", str(target)], capsys)
    assert code == 1
    assert "已有数据" in err and "--yes" in err
    assert Application.objects.count() == 2


def test_restore_into_an_empty_database_needs_no_confirmation(agency, tmp_path, media_root, capsys):
    submit(agency)
    before = state()
    target = tmp_path / "b.tar.gz"
    ops_backup.backup_create(target=target)
    # An empty installation: migrated, no records, no files.
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    import shutil

    shutil.rmtree(media_root)
    assert ops_backup.database_contents() == []
    code, out, err = run_console(["restore", str(target)], capsys)
    assert code == 0, err
    assert state() == before


def test_restore_refuses_a_backup_of_the_other_engine(agency, tmp_path, capsys):
    submit(agency)
    good, other = tmp_path / "good.tar.gz", tmp_path / "other.tar.gz"
    ops_backup.backup_create(target=good)
    swap = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
    member = {"sqlite": ops_backup.SQLITE_MEMBER, "postgresql": ops_backup.PGDUMP_MEMBER}

    def change(name, data):
        if name == ops_backup.MANIFEST:
            manifest = json.loads(data)
            manifest["database"]["engine"] = swap
            for entry in manifest["files"]:
                if entry["path"].startswith("database/"):
                    entry["path"] = member[swap]
            return json.dumps(manifest).encode()
        return data

    with tarfile.open(good, "r:gz") as src, tarfile.open(other, "w:gz") as dst:
        for m in src:
            data = change(m.name, src.extractfile(m).read())
            info = tarfile.TarInfo(member[swap] if m.name.startswith("database/") else m.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    code, out, err = run_console(["restore", str(other), "--yes"], capsys)
    assert code == 1 and "只能恢复到同一种数据库" in err


def test_a_pg_tool_of_another_major_version_is_refused(monkeypatch, tmp_path):
    """pg_dump must be the server's major version; the message names the package to install."""
    script = tmp_path / "pg_dump"
    script.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'\n")
    script.chmod(0o755)
    monkeypatch.setattr(ops_backup.shutil, "which", lambda name: str(script))
    with pytest.raises(ops_backup.BackupError, match="版本为 15，而数据库服务器为 PostgreSQL 99.*postgresql-client-99"):
        ops_backup._pg_tool("pg_dump", 99)
    assert ops_backup._pg_tool("pg_dump", 15) == str(script)


def test_a_missing_pg_tool_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(ops_backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(ops_backup.os, "access", lambda path, mode: False)
    with pytest.raises(ops_backup.BackupError, match="找不到 pg_restore.*postgresql-client-99"):
        ops_backup._pg_tool("pg_restore", 99)
