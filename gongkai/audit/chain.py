"""The hash chain of the audit trail: canonical content, appending, and verification.

Each entry's hash is the SHA-256 of a canonical JSON text of its content,
its chain, its place in the chain and the hash of the entry before it, so
changing any field of an entry changes its hash, and removing or inserting
an entry breaks the link of the one after it. The chain head (``AuditChain``)
holds the length and the last hash, so removing the last entries shows too.
Anyone can recompute the hashes from the table: nothing secret is involved
(docs/decisions/018).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timezone as dt_timezone
from typing import Iterator

from django.db import transaction

from .models import GENESIS, AuditChain, AuditEntry

GLOBAL_CHAIN = "global"
BATCH = 2000

# The fields whose values are hashed, in this order (with chain, seq and prev_hash).
CONTENT_FIELDS = ("at", "actor_id", "agency_id", "target_type", "target_id", "action", "from_state", "to_state",
                  "note", "data")


def chain_key(agency_id: int | None) -> str:
    return f"agency:{agency_id}" if agency_id is not None else GLOBAL_CHAIN


def _numbers(value):
    """Integral floats as ints: PostgreSQL's jsonb gives 1e20 back as 100000000000000000000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def canonical(values: dict) -> bytes:
    """The canonical text of an entry: sorted keys, no spaces, UTF-8, the time in UTC to the microsecond."""
    content = {name: values[name] for name in CONTENT_FIELDS}
    content["data"] = _numbers(content["data"])
    content["at"] = values["at"].astimezone(dt_timezone.utc).isoformat(timespec="microseconds")
    content.update(chain=values["chain"], seq=values["seq"], prev_hash=values["prev_hash"])
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(values: dict) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def chain_append(entry: AuditEntry) -> AuditEntry:
    """Give ``entry`` its place in its agency's chain and save it, under a lock on the chain head.

    The lock is held until the caller's transaction ends, so two transactions
    never take the same place or link to the same predecessor.
    """
    key = chain_key(entry.agency_id)
    with transaction.atomic():
        head, _ = AuditChain.objects.select_for_update().get_or_create(key=key)
        entry.chain, entry.seq, entry.prev_hash = key, head.length + 1, head.head
        entry.hash = entry_hash({name: getattr(entry, name) for name in
                                 (*CONTENT_FIELDS, "chain", "seq", "prev_hash")})
        entry.save(force_insert=True)
        head.length, head.head = entry.seq, entry.hash
        head.save(update_fields=["length", "head"])
    return entry


# --- verification -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int | None
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class Verification:
    chains: int
    entries: int
    problems: list[Problem]

    @property
    def intact(self) -> bool:
        return not self.problems


def _entries(key: str, batch: int) -> Iterator[dict]:
    """One chain's entries in order, read in batches by sequence number (bounded memory whatever its length)."""
    fields = ("id", "seq", "prev_hash", "hash", "chain", *CONTENT_FIELDS)
    after = 0
    while True:
        rows = list(AuditEntry.objects.filter(chain=key, seq__gt=after).order_by("seq").values(*fields)[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]["seq"]


def chain_label(key: str) -> str:
    if key == GLOBAL_CHAIN:
        return "公共链"
    from gongkai.agencies.models import Agency

    prefix, _, raw = key.partition(":")
    if prefix != "agency" or not raw.isdigit():
        return f"链「{key}」"
    agency_id = int(raw)
    name = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first()
    return f"机关链「{name or key}」"


def verify_chain(key: str, head: AuditChain | None, *, batch: int = BATCH) -> tuple[int, Problem | None]:
    """Walk one chain; return its number of entries and the first problem found, if any."""
    expected_seq, previous = 1, GENESIS
    count = 0
    label = chain_label(key)
    if head is None:
        count = AuditEntry.objects.filter(chain=key).count()
        return count, Problem(key, None, None, f"{label}没有链头记录：其中的 {count} 条记录不是由本系统写入的。")
    for row in _entries(key, batch):
        count += 1
        seq, pk = row["seq"], row["id"]
        if seq != expected_seq:
            missing = (f"第 {expected_seq} 条" if seq == expected_seq + 1
                       else f"第 {expected_seq}–{seq - 1} 条")
            return count, Problem(key, expected_seq, None, f"{label}{missing}记录缺失（已被删除）。")
        if row["prev_hash"] != previous:
            return count, Problem(key, seq, pk, f"{label}第 {seq} 条记录（编号 {pk}）与前一条记录衔接不上："
                                                 f"前一条被修改，或本条是后来插入的。")
        if entry_hash(row) != row["hash"]:
            return count, Problem(key, seq, pk, f"{label}第 {seq} 条记录（编号 {pk}）的内容被修改过。")
        expected_seq, previous = seq + 1, row["hash"]
    last = expected_seq - 1
    if head.length > last:
        missing = f"第 {last + 1} 条" if head.length == last + 1 else f"第 {last + 1}–{head.length} 条"
        return count, Problem(key, last + 1, None, f"{label}末尾的{missing}记录缺失（已被删除）。")
    if head.length < last or head.head != previous:
        return count, Problem(key, head.length + 1, None,
                              f"{label}的链头（{head.length} 条）与记录不符：链头或末条记录被改动过。")
    return count, None


def audit_verify(*, chain: str | None = None, batch: int = BATCH) -> Verification:
    """Verify every chain (or one); entries outside any chain count as inserted."""
    heads = {h.key: h for h in AuditChain.objects.all()}
    keys = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    if chain is not None:
        keys &= {chain}
    problems, total = [], 0
    for key in sorted(keys):
        count, problem = verify_chain(key, heads.get(key), batch=batch)
        total += count
        if problem:
            problems.append(problem)
    return Verification(chains=len(keys), entries=total, problems=problems)
