import json

from django.db import connection, models, transaction

from .chain import chain_append, chain_key
from .models import AuditChain, AuditEntry


def audit_record(*, actor, agency, target: models.Model, action: str, from_state: str = "", to_state: str = "",
                 note: str = "", data: dict | None = None) -> AuditEntry:
    """Write one audit entry, linked into its agency's hash chain; call inside the transaction of the change."""
    return chain_append(AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        # Stored as JSON and read back for verification: keep only what survives the round trip.
        data=json.loads(json.dumps(data or {}, ensure_ascii=False)),
    ))


def audit_chains_reset(*, agencies) -> int:
    """Remove the whole trail of the given agencies with their chain heads; return the number of entries.

    Only for the demo reload, which rebuilds its own agencies from the seed
    (decision 008): the chains go as a whole, so what remains still verifies.
    The application offers no other way to delete entries.
    """
    keys = [chain_key(a.pk) for a in agencies]
    with transaction.atomic():
        heads = list(AuditChain.objects.select_for_update().filter(key__in=keys))
        # A raw delete: the model and its queryset refuse deletion on purpose.
        table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(keys)) or "NULL"
            cursor.execute(f"DELETE FROM {table} WHERE chain IN ({placeholders})", keys)
            removed = cursor.rowcount
        AuditChain.objects.filter(pk__in=[h.pk for h in heads]).delete()
    return removed
