"""The audit trail is append-only and hash-chained; ``gongkai audit verify`` finds what was changed behind its back."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from gongkai.audit.chain import GLOBAL_CHAIN, audit_verify, chain_key, entry_hash
from gongkai.audit.models import GENESIS, AuditChain, AuditEntry, AuditImmutable
from gongkai.audit.services import audit_chains_reset, audit_record
from gongkai.testing import run_console

TABLE = AuditEntry._meta.db_table


def _record(agency, user=None, n=1, **extra):
    target = user or agency
    return [audit_record(actor=user, agency=agency, target=target, action="test.step", from_state="a",
                         to_state="b", note=f"第{i}步：说明", data={"i": i, "文字": "中文", "list": [1, 2]}, **extra)
            for i in range(n)]


def _cli(argv, capsys):
    """``gongkai audit …`` in-process, several times per test (the console script closes the connection)."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    out, err = StringIO(), StringIO()
    try:
        call_command(*argv, stdout=out, stderr=err)
        code = 0
    except CommandError as e:
        err.write(str(e))
        code = e.returncode
    return code, out.getvalue(), err.getvalue()


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=TABLE), params)


@pytest.mark.django_db
class TestChainAppend:
    def test_entries_are_numbered_and_linked_per_agency(self, agency, other_agency):
        first, second = _record(agency, n=2)
        [elsewhere] = _record(other_agency)
        [unattached] = _record(None, user=User.objects.create_user("u"))
        assert (first.chain, first.seq, first.prev_hash) == (chain_key(agency.pk), 1, GENESIS)
        assert (second.seq, second.prev_hash) == (2, first.hash)
        assert (elsewhere.seq, elsewhere.prev_hash) == (1, GENESIS)
        assert unattached.chain == GLOBAL_CHAIN
        head = AuditChain.objects.get(key=chain_key(agency.pk))
        assert (head.length, head.head) == (2, second.hash)

    def test_the_stored_hash_is_the_hash_of_what_was_read_back(self, agency):
        [entry] = _record(agency)
        row = AuditEntry.objects.filter(pk=entry.pk).values().get()
        assert entry_hash(row) == entry.hash == row["hash"]

    def test_any_json_survives_the_database_round_trip(self, agency):
        data = {"float": 1.5, "big": 1e20, "whole": 2.0, "tiny": 1.5e-07, "int": 2**62, "nested": [{"a": None}],
                "text": "引号\"和\\反斜杠 \u2028 😀", "bool": True}
        audit_record(actor=None, agency=agency, target=agency, action="test.json", data=data)
        assert audit_verify().intact

    def test_an_intact_trail_verifies(self, agency, other_agency, capsys):
        _record(agency, n=5)
        _record(other_agency, n=2)
        result = audit_verify(batch=2)  # several batches per chain
        assert result.intact and (result.chains, result.entries) == (2, 7)
        code, out, err = run_console(["audit", "verify"], capsys)
        assert code == 0, err
        assert "校验通过：2 条链，共 7 条记录" in out

    def test_an_empty_trail_verifies(self, db, capsys):
        assert run_console(["audit", "verify"], capsys)[0] == 0

    def test_quiet_for_cron_unless_something_is_wrong(self, agency, capsys):
        entries = _record(agency, n=2)
        assert _cli(["audit", "verify", "-q"], capsys)[:2] == (0, "")
        _sql("DELETE FROM {table} WHERE id = %s", entries[0].pk)
        code, out, err = _cli(["audit", "verify", "-q"], capsys)
        assert code == 1 and "第 1 条记录缺失" in err

    def test_an_entry_is_rolled_back_with_its_change(self, agency):
        with pytest.raises(RuntimeError), transaction.atomic():
            _record(agency)
            raise RuntimeError
        _record(agency)
        assert AuditEntry.objects.get().seq == 1 and audit_verify().intact


@pytest.mark.django_db
class TestTampering:
    """Changes made with SQL, past the application, are found and named."""

    @pytest.mark.parametrize("column, value", [("note", "改过的说明"), ("action", "test.other"),
                                               ("to_state", "c"), ("target_id", "999")])
    def test_an_altered_entry(self, agency, capsys, column, value):
        entries = _record(agency, n=4)
        _sql(f"UPDATE {{table}} SET {column} = %s WHERE id = %s", value, entries[1].pk)
        code, out, err = run_console(["audit", "verify"], capsys)
        assert code == 1
        assert f"第 2 条记录（编号 {entries[1].pk}）的内容被修改过" in err
        assert "测试县工业和信息化局" in err

    def test_an_altered_time_or_actor(self, agency):
        user = User.objects.create_user("clerk")
        other = User.objects.create_user("other")
        entries = _record(agency, user=user, n=3)
        _sql("UPDATE {table} SET actor_id = %s WHERE id = %s", other.pk, entries[0].pk)
        [problem] = audit_verify().problems
        assert problem.seq == 1 and problem.entry_id == entries[0].pk

    def test_an_altered_entry_with_its_hash_recomputed_breaks_the_next_link(self, agency):
        entries = _record(agency, n=3)
        row = AuditEntry.objects.filter(pk=entries[1].pk).values().get()
        row["note"] = "改过的说明"
        _sql("UPDATE {table} SET note = %s, hash = %s WHERE id = %s", row["note"], entry_hash(row), entries[1].pk)
        [problem] = audit_verify().problems
        assert problem.seq == 3 and "衔接不上" in problem.message

    def test_a_removed_entry(self, agency, capsys):
        entries = _record(agency, n=4)
        _sql("DELETE FROM {table} WHERE id = %s", entries[1].pk)
        code, out, err = run_console(["audit", "verify"], capsys)
        assert code == 1 and "第 2 条记录缺失（已被删除）" in err

    def test_the_last_entries_removed(self, agency):
        entries = _record(agency, n=4)
        _sql("DELETE FROM {table} WHERE id IN (%s, %s)", entries[2].pk, entries[3].pk)
        [problem] = audit_verify().problems
        assert "末尾的第 3–4 条记录缺失" in problem.message

    def test_the_first_entry_removed(self, agency):
        entries = _record(agency, n=2)
        _sql("DELETE FROM {table} WHERE id = %s", entries[0].pk)
        assert "第 1 条记录缺失" in audit_verify().problems[0].message

    def test_a_whole_chain_removed(self, agency):
        _record(agency, n=2)
        _sql("DELETE FROM {table}")
        assert "末尾的第 1–2 条记录缺失" in audit_verify().problems[0].message

    def test_an_inserted_entry(self, agency):
        entries = _record(agency, n=2)
        # Slipped in as a second "seq 2" is impossible (unique), so renumber: the forger shifts the later entry.
        _sql("UPDATE {table} SET seq = 3 WHERE id = %s", entries[1].pk)
        _sql("INSERT INTO {table} (at, target_type, target_id, action, from_state, to_state, note, data, chain, seq,"
             " prev_hash, hash) SELECT at, target_type, target_id, action, from_state, to_state, '补记', data, chain,"
             " 2, hash, hash FROM {table} WHERE id = %s", entries[0].pk)
        problems = audit_verify().problems
        assert problems and problems[0].seq == 2

    def test_an_entry_outside_any_chain(self, agency):
        _record(agency)
        _sql("INSERT INTO {table} (at, target_type, target_id, action, from_state, to_state, note, data, chain, seq,"
             " prev_hash, hash) SELECT at, target_type, target_id, action, from_state, to_state, note, data, 'forged',"
             " 1, prev_hash, hash FROM {table}")
        [problem] = audit_verify().problems
        assert problem.chain == "forged" and "不是由本系统写入的" in problem.message

    def test_only_the_named_agency(self, agency, other_agency, capsys):
        _record(agency, n=2)
        entries = _record(other_agency, n=2)
        _sql("DELETE FROM {table} WHERE id = %s", entries[0].pk)
        assert _cli(["audit", "verify", "--agency", agency.code], capsys)[0] == 0
        assert _cli(["audit", "verify", "--agency", other_agency.code], capsys)[0] == 1
        code, out, err = _cli(["audit", "verify", "--agency", "nowhere"], capsys)
        assert code == 2 and "未知的机关代码：nowhere" in err

    def test_heads_are_listed(self, agency, capsys):
        entries = _record(agency, n=2)
        code, out, err = run_console(["audit", "heads"], capsys)
        assert code == 0 and f"agency:{agency.pk}\t2\t{entries[1].hash}" in out


@pytest.mark.django_db
class TestAppendOnly:
    def test_the_model_refuses_changes(self, agency):
        [entry] = _record(agency)
        entry.note = "改"
        with pytest.raises(AuditImmutable):
            entry.save()
        with pytest.raises(AuditImmutable):
            entry.delete()
        for attempt in (lambda: AuditEntry.objects.update(note="改"), lambda: AuditEntry.objects.all().delete(),
                        lambda: AuditEntry.objects.bulk_create([AuditEntry(action="x")]),
                        lambda: AuditEntry.objects.bulk_update([entry], ["note"])):
            with pytest.raises(AuditImmutable):
                attempt()
        assert AuditEntry.objects.get().note == "第0步：说明" and audit_verify().intact

    def test_the_admin_offers_no_add_change_or_delete(self, agency, client):
        [entry] = _record(agency)
        root = User.objects.create_superuser("root")
        client.force_login(root)
        page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
        assert page.status_code == 200 and "保存" not in page.content.decode()
        assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.get("/admin/audit/auditentry/add/").status_code == 403
        assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "改"}).status_code == 403
        assert AuditEntry.objects.get().note == "第0步：说明"

    def test_the_demo_reset_removes_whole_chains(self, agency, other_agency):
        _record(agency, n=3)
        _record(other_agency, n=2)
        assert audit_chains_reset(agencies=[agency]) == 3
        assert not AuditChain.objects.filter(key=chain_key(agency.pk)).exists()
        assert audit_verify().intact and AuditEntry.objects.count() == 2
        [entry] = _record(agency)
        assert entry.seq == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_existing_entries(agency):
    """Entries written before the chain existed are chained in the order they were written."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    executor.loader.build_graph()
    old = executor.loader.project_state([("audit", "0001_initial")]).apps.get_model("audit", "AuditEntry")
    for i in range(5):
        old.objects.create(agency_id=agency.pk if i % 2 else None, target_type="x.y", target_id=str(i),
                           action="old.step", note=f"旧记录{i}", data={"i": i})
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("audit"))
    result = audit_verify(batch=1)
    assert result.intact and (result.chains, result.entries) == (2, 5)
    assert list(AuditEntry.objects.filter(agency=agency).order_by("seq").values_list("target_id", flat=True)) \
        == ["1", "3"]
    # New entries continue the migrated chain.
    _record(agency)
    assert AuditEntry.objects.filter(agency=agency).order_by("seq").last().seq == 3 and audit_verify().intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers itself")
def test_concurrent_writers_keep_the_chain_consistent(agency, other_agency):
    """Threads writing at once (each its own connection and transactions) leave a chain that verifies."""
    threads, per_thread, errors = 8, 15, []
    barrier = threading.Barrier(threads)

    def write(target_agency):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=None, agency=target_agency, target=target_agency, action="test.concurrent",
                                 note=f"{threading.get_ident()}-{i}")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(agency if n % 4 else other_agency,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    result = audit_verify()
    assert result.intact and result.entries == threads * per_thread
    assert AuditChain.objects.get(key=chain_key(agency.pk)).length == 6 * per_thread
