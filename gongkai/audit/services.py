from django.db import models

from .models import AuditEntry


def audit_record(*, actor, agency, target: models.Model, action: str, from_state: str = "", to_state: str = "",
                 note: str = "", data: dict | None = None) -> AuditEntry:
    """Write one audit entry; call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
