from django.db import migrations

BATCH = 2000


def link(apps, schema_editor):
    """Chain the entries written before hashing, per agency, in the order they were written (time, then id)."""
    from gongkai.audit.chain import CONTENT_FIELDS, GENESIS, chain_key, entry_hash

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChain = apps.get_model("audit", "AuditChain")
    agency_ids = AuditEntry.objects.order_by().values_list("agency_id", flat=True).distinct()
    for agency_id in list(agency_ids):
        key = chain_key(agency_id)
        seq, previous = 0, GENESIS
        entries = AuditEntry.objects.filter(agency_id=agency_id).order_by("at", "id")
        last = None
        while True:
            page = entries if last is None else entries.filter(
                at__gte=last[0]).exclude(at=last[0], id__lte=last[1])
            rows = list(page.values("id", *CONTENT_FIELDS)[:BATCH])
            if not rows:
                break
            updates = []
            for row in rows:
                seq += 1
                row.update(chain=key, seq=seq, prev_hash=previous)
                previous = entry_hash(row)
                updates.append(AuditEntry(id=row["id"], chain=key, seq=seq, prev_hash=row["prev_hash"],
                                          hash=previous))
            AuditEntry.objects.bulk_update(updates, ["chain", "seq", "prev_hash", "hash"])
            last = (rows[-1]["at"], rows[-1]["id"])
        AuditChain.objects.create(key=key, length=seq, head=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_hash_chain"),
    ]

    operations = [
        migrations.RunPython(link, migrations.RunPython.noop, elidable=False),
    ]
