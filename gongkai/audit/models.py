from django.conf import settings
from django.db import models
from django.utils import timezone

# The hash a chain starts from: no entry before the first.
GENESIS = "0" * 64
IMMUTABLE = "操作记录只能追加，不能修改或删除。"


class AuditImmutable(Exception):
    """An attempt to change or delete an audit entry through the application."""


class AuditEntryQuerySet(models.QuerySet):
    """Refuses the bulk writes that would bypass the chain or rewrite history."""

    def update(self, **kwargs):
        raise AuditImmutable(IMMUTABLE)

    def delete(self):
        raise AuditImmutable(IMMUTABLE)

    def bulk_create(self, *args, **kwargs):
        raise AuditImmutable("操作记录只能通过 audit_record() 逐条写入。")

    def bulk_update(self, *args, **kwargs):
        raise AuditImmutable(IMMUTABLE)



class AuditChain(models.Model):
    """The head of one hash chain: its length and the hash of its last entry.

    One chain per agency (``agency:<id>``) and one for entries without an
    agency (``global``). A writer locks its chain's head row in the
    transaction of its change, so entries of one chain are numbered and
    linked one after the other even with many writers at once, while
    agencies do not wait for each other.
    """

    key = models.CharField("链", max_length=40, unique=True)
    length = models.PositiveBigIntegerField("记录数", default=0)
    head = models.CharField("末条哈希", max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "操作记录哈希链"
        verbose_name_plural = "操作记录哈希链"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"


class AuditEntry(models.Model):
    """One state change: who did what to which record, when, from which state to which, and why.

    Entries are only ever added, by ``services.audit_record()`` in the same
    transaction as the change. Each carries its place in its chain
    (``chain``, ``seq``), the hash of the entry before it and the SHA-256 of
    its own canonical content (``chain.canonical``), so ``gongkai audit
    verify`` finds an entry changed, removed or slipped in behind the
    application's back. The model refuses to change or delete them.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField("对象类型", max_length=50)
    target_id = models.CharField("对象编号", max_length=50)
    action = models.CharField("操作", max_length=60)
    from_state = models.CharField("原状态", max_length=40, blank=True)
    to_state = models.CharField("新状态", max_length=40, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    chain = models.CharField("链", max_length=40, editable=False)
    seq = models.PositiveBigIntegerField("链内序号", editable=False)
    prev_hash = models.CharField("前一条哈希", max_length=64, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_unique_seq")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable(IMMUTABLE)
