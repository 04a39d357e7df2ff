"""Backups and the data keys of identity numbers (ADR 019, 020): no key in a backup by default, no restore
that leaves numbers unreadable, ``--include-keys`` / ``--restore-keys`` onto a new machine, and rotation.

Runs on whichever database ``DATABASE_URL`` selects; the key usage is read from the dump itself (SQLite
file, or ``pg_restore`` of the PostgreSQL custom dump).
"""

import base64
import hashlib
import hmac
import io
import json
import shutil
import stat
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from gongkai.applications.crypto import identity_digest
from gongkai.applications.models import Application
from gongkai.ops import backup as ops_backup
from gongkai.ops.tests.test_backup import DATA, submit
from gongkai.testing import run_console

pytestmark = pytest.mark.django_db(transaction=True)
NUMBER = DATA["identity_number"]
K1, K2, K3 = (Fernet.generate_key().decode() for _ in range(3))
fp = ops_backup.key_fingerprint


@pytest.fixture(autouse=True)
def keyed(settings, tmp_path, monkeypatch):
    """An installation with var/data_key = K1 and media of its own."""
    monkeypatch.delenv("GONGKAI_DATA_KEYS", raising=False)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    (settings.VAR_DIR / "data_key").write_text(K1)
    settings.GONGKAI_DATA_KEYS = [K1]
    return settings


@pytest.fixture
def media_root(keyed):
    return Path(keyed.MEDIA_ROOT)


def raw_rows():
    """The stored rows as they are, without decrypting (so a check does not depend on the current key)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, description, identity_number FROM applications_application ORDER BY id")
        return cursor.fetchall()


def numbers():
    return list(Application.objects.order_by("pk").values_list("identity_number", "identity_digest"))


def manifest_of(path):
    with tarfile.open(path, "r:gz") as tar:
        return json.loads(tar.extractfile(ops_backup.MANIFEST).read())


def test_round_trip_with_the_same_key_reads_the_numbers_back(agency, tmp_path, capsys):
    submit(agency), submit(agency, "2025年本机关行政处罚决定书的全文及处罚依据")
    target = tmp_path / "b.tar.gz"
    code, out, err = run_console(["backup", "-o", str(target)], capsys)
    assert code == 0, err
    # The reminder: the key is not in the backup and must be kept elsewhere, named by its fingerprint.
    assert "提醒：备份中不含数据密钥" in err and "GONGKAI_DATA_KEYS" in err and fp(K1) in err
    manifest = manifest_of(target)
    assert manifest["data_keys"] == {"fingerprints": [fp(K1)], "identity_numbers": 2, "used": {fp(K1): 2},
                                     "unreadable": 0, "included": False}
    with tarfile.open(target, "r:gz") as tar:
        assert ops_backup.KEYS_MEMBER not in tar.getnames()

    Application.objects.all().delete()
    code, out, err = run_console(["restore", str(target), "--yes"], capsys)
    assert code == 0, err
    assert numbers() == [(NUMBER, identity_digest(NUMBER))] * 2
    assert "rekey" not in out


def test_restore_with_a_different_key_is_refused_before_anything_changes(agency, keyed, tmp_path, media_root, capsys):
    submit(agency)
    target = tmp_path / "b.tar.gz"
    ops_backup.backup_create(target=target)
    # Another installation: another key, other data.
    Application.objects.all().delete()
    keyed.GONGKAI_DATA_KEYS = [K2]
    (keyed.VAR_DIR / "data_key").write_text(K2)
    submit(agency, "另一台机器上的申请，恢复被拒绝时必须原样保留")
    rows, files = raw_rows(), sorted(p.read_bytes() for p in media_root.rglob("*") if p.is_file())

    code, out, err = run_console(["restore", str(target), "--yes"], capsys)
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert "无法解密该备份中的 1 个证件号码" in line and fp(K1) in line
    assert "GONGKAI_DATA_KEYS" in line and "var/data_key" in line and "未做任何恢复" in line
    assert raw_rows() == rows
    assert sorted(p.read_bytes() for p in media_root.rglob("*") if p.is_file()) == files
    assert not list(media_root.parent.glob("media.before-restore-*"))
    assert (keyed.VAR_DIR / "data_key").read_text() == K2
    # --restore-keys cannot help: this backup carries no key.
    code, out, err = run_console(["restore", str(target), "--yes", "--restore-keys"], capsys)
    assert code == 1 and "没有附带数据密钥" in err and raw_rows() == rows


@pytest.mark.parametrize("fresh_key", [True, False], ids=["generated-key", "no-key-file"])
def test_include_keys_round_trip_onto_an_empty_var_dir(agency, keyed, tmp_path, media_root, capsys, fresh_key):
    submit(agency)
    before = numbers()
    target = tmp_path / "with-keys.tar.gz"
    code, out, err = run_console(["backup", "-o", str(target), "--include-keys"], capsys)
    assert code == 0, err
    assert "警告：该备份文件包含数据密钥" in err and "0600" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with tarfile.open(target, "r:gz") as tar:
        member = tar.getmember(ops_backup.KEYS_MEMBER)
        assert stat.S_IMODE(member.mode) == 0o600
        assert tar.extractfile(member).read().decode() == f"{K1}\n"
    assert manifest_of(target)["data_keys"]["included"] is True
    assert ops_backup.backup_verify(target).problems == []

    # A new machine: migrated, empty, a var directory of its own (settings generate a key on first start).
    call_command("flush", "--noinput", verbosity=0)
    shutil.rmtree(media_root)
    keyed.VAR_DIR = tmp_path / "new-var"
    keyed.VAR_DIR.mkdir()
    keyed.GONGKAI_DATA_KEYS = [K3]
    if fresh_key:
        (keyed.VAR_DIR / "data_key").write_text(K3)

    code, out, err = run_console(["restore", str(target)], capsys)
    assert code == 1 and "--restore-keys" in err
    assert Application.objects.count() == 0

    code, out, err = run_console(["restore", str(target), "--restore-keys"], capsys)
    assert code == 0, err
    key_file = keyed.VAR_DIR / "data_key"
    assert key_file.read_text() == K1 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "写入" in out and "重启" in out
    kept = list(keyed.VAR_DIR.glob("data_key.before-restore-*"))
    assert [p.read_text() for p in kept] == ([K3] if fresh_key else [])
    assert numbers() == before


def test_a_different_key_in_use_is_replaced_only_with_force(agency, keyed, tmp_path, capsys):
    submit(agency)
    target = tmp_path / "with-keys.tar.gz"
    ops_backup.backup_create(target=target, include_keys=True)
    keyed.GONGKAI_DATA_KEYS = [K2]
    (keyed.VAR_DIR / "data_key").write_text(K2)
    submit(agency, "用 K2 加密的申请：它的密钥不能被悄悄替换")
    rows = raw_rows()

    code, out, err = run_console(["restore", str(target), "--yes", "--restore-keys"], capsys)
    assert code == 1
    assert "已有另一个数据密钥" in err and fp(K2) in err and "--force" in err
    assert raw_rows() == rows and (keyed.VAR_DIR / "data_key").read_text() == K2

    code, out, err = run_console(["restore", str(target), "--force", "--restore-keys"], capsys)
    assert code == 0, err
    assert (keyed.VAR_DIR / "data_key").read_text() == K1
    assert [p.read_text() for p in keyed.VAR_DIR.glob("data_key.before-restore-*")] == [K2]
    assert numbers() == [(NUMBER, identity_digest(NUMBER))]


def test_restore_keys_leaves_a_key_that_already_fits_alone(agency, keyed, tmp_path, capsys):
    submit(agency)
    target = tmp_path / "with-keys.tar.gz"
    ops_backup.backup_create(target=target, include_keys=True)
    code, out, err = run_console(["restore", str(target), "--yes", "--restore-keys"], capsys)
    assert code == 0, err
    assert "未改动 var/data_key" in out
    assert (keyed.VAR_DIR / "data_key").read_text() == K1
    assert not list(keyed.VAR_DIR.glob("data_key.before-restore-*"))


def test_restore_keys_is_refused_when_the_environment_sets_the_keys(agency, keyed, tmp_path, monkeypatch, capsys):
    submit(agency)
    target = tmp_path / "with-keys.tar.gz"
    ops_backup.backup_create(target=target, include_keys=True)
    Application.objects.all().delete()
    monkeypatch.setenv("GONGKAI_DATA_KEYS", K2)
    keyed.GONGKAI_DATA_KEYS = [K2]
    code, out, err = run_console(["restore", str(target), "--yes", "--restore-keys"], capsys)
    assert code == 1 and "已设置环境变量 GONGKAI_DATA_KEYS" in err and fp(K1) in err
    assert Application.objects.count() == 0


def test_fingerprints_contain_no_key_material(agency, tmp_path):
    """Neither the manifest nor any member of a default backup holds a key, its bytes or the digest key."""
    submit(agency)
    target = tmp_path / "b.tar.gz"
    ops_backup.backup_create(target=target)
    raw = base64.urlsafe_b64decode(K1)
    digest_key = hmac.new(raw, b"gongkai identity digest v1", hashlib.sha256).digest()
    secrets = [K1.encode(), raw, raw[:16], raw[16:], raw.hex().encode(), raw[:16].hex().encode(),
               raw[16:].hex().encode(), digest_key, digest_key.hex().encode(), base64.b64encode(raw),
               base64.urlsafe_b64encode(raw[:16]).rstrip(b"="), base64.urlsafe_b64encode(raw[16:]).rstrip(b"=")]
    with tarfile.open(target, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    for name, data in members.items():
        for secret in secrets:
            assert secret not in data, name
    fingerprint = fp(K1)
    assert len(fingerprint) == 16 and fingerprint != hashlib.sha256(raw).hexdigest()[:16]
    assert fp(K1) == fp(f" {K1}\n") and fp(K1) != fp(K2)  # stable, and distinct keys differ


def test_a_backup_from_before_a_rotation_restores_while_the_old_key_is_listed(agency, keyed, tmp_path, capsys):
    submit(agency)
    before_rotation = tmp_path / "before.tar.gz"
    ops_backup.backup_create(target=before_rotation)
    # Rotation (ADR 019): the new key first, the old one after it, then rekey.
    keyed.GONGKAI_DATA_KEYS = [K2, K1]
    code, out, err = run_console(["rekey"], capsys)
    assert code == 0 and "1 个" in out
    after_rekey = tmp_path / "after.tar.gz"
    ops_backup.backup_create(target=after_rekey)
    assert manifest_of(after_rekey)["data_keys"]["used"] == {fp(K2): 1}

    code, out, err = run_console(["restore", str(before_rotation), "--yes"], capsys)
    assert code == 0, err
    assert "gongkai rekey" in out  # its numbers are under the old key and their digests too
    assert numbers()[0][0] == NUMBER
    code, out, err = run_console(["rekey"], capsys)
    assert code == 0
    assert numbers() == [(NUMBER, identity_digest(NUMBER))]

    # Once the old key is dropped, the old backup is refused, the one taken after rekey is not.
    keyed.GONGKAI_DATA_KEYS = [K2]
    code, out, err = run_console(["restore", str(before_rotation), "--yes"], capsys)
    assert code == 1 and fp(K1) in err
    code, out, err = run_console(["restore", str(after_rekey), "--yes"], capsys)
    assert code == 0, err
    assert numbers() == [(NUMBER, identity_digest(NUMBER))] and "rekey" not in out


def _without_key_record(source: Path, target: Path) -> None:
    with tarfile.open(source, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == ops_backup.MANIFEST:
                manifest = json.loads(data)
                del manifest["data_keys"]
                data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_a_backup_without_fingerprints_is_checked_by_decrypting_its_dump(agency, keyed, tmp_path, capsys):
    """Backups written before fingerprints were recorded: every number in the dump is tried with the current keys."""
    submit(agency)
    good, legacy = tmp_path / "good.tar.gz", tmp_path / "legacy.tar.gz"
    ops_backup.backup_create(target=good)
    _without_key_record(good, legacy)
    Application.objects.all().delete()

    keyed.GONGKAI_DATA_KEYS = [K2]
    code, out, err = run_console(["restore", str(legacy), "--yes"], capsys)
    assert code == 1 and "无法解密该备份中的 1 个证件号码" in err
    assert Application.objects.count() == 0

    keyed.GONGKAI_DATA_KEYS = [K1]
    code, out, err = run_console(["restore", str(legacy), "--yes"], capsys)
    assert code == 0, err
    assert "旧版本" in out and numbers() == [(NUMBER, identity_digest(NUMBER))]


def test_restore_keys_refuses_a_backup_that_needs_two_keys(agency, keyed, tmp_path, capsys):
    """Mid-rotation (rekey not run) the numbers need both keys; var/data_key holds one, so nothing is done."""
    submit(agency)
    keyed.GONGKAI_DATA_KEYS = [K2, K1]
    submit(agency, "轮换密钥之后、运行 rekey 之前提交的申请")
    target = tmp_path / "mid-rotation.tar.gz"
    ops_backup.backup_create(target=target, include_keys=True)
    assert manifest_of(target)["data_keys"]["used"] == {fp(K1): 1, fp(K2): 1}
    Application.objects.all().delete()
    keyed.GONGKAI_DATA_KEYS = [K3]
    (keyed.VAR_DIR / "data_key").write_text(K3)
    code, out, err = run_console(["restore", str(target), "--yes", "--restore-keys"], capsys)
    assert code == 1 and "由 2 个密钥加密" in err and "GONGKAI_DATA_KEYS" in err
    assert Application.objects.count() == 0 and (keyed.VAR_DIR / "data_key").read_text() == K3
    # Both keys listed in the environment: the backup restores and reads back.
    keyed.GONGKAI_DATA_KEYS = [K2, K1]
    code, out, err = run_console(["restore", str(target), "--yes"], capsys)
    assert code == 0, err
    assert [n for n, _ in numbers()] == [NUMBER, NUMBER] and "gongkai rekey" in out
