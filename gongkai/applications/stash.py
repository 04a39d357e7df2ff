"""Files accepted in a registration attempt that failed on other fields, kept for the next attempt.

A browser cannot refill a file input, so when the register form comes back
with errors the files that passed ``check_upload`` are kept on disk under
``MEDIA_ROOT/stash/<user id>/<submission key>/`` and listed on the form; the
successful submission takes them and the folder is removed. The submission
key is the form's idempotency key (a uuid4 generated with the form), and the
user id keeps one registrar's files from another's. Folders older than a day
are swept whenever a stash is written.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings

from .services import Upload
from .uploads import check_upload

MAX_AGE_SECONDS = 24 * 3600
MANIFEST = "manifest.json"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "stash"


def _folder(user, key: uuid.UUID) -> Path:
    return _root() / str(int(user.pk)) / str(uuid.UUID(str(key)))


def stash_add(user, key: uuid.UUID, uploads: list[Upload]) -> None:
    if not uploads:
        return
    _sweep()
    folder = _folder(user, key)
    folder.mkdir(parents=True, exist_ok=True)
    entries = _manifest(folder)
    for upload in uploads:
        file_id = uuid.uuid4().hex
        (folder / file_id).write_bytes(upload.content)
        entries.append({"id": file_id, "kind": upload.kind, "name": upload.name, "size": len(upload.content)})
    (folder / MANIFEST).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def stash_list(user, key: uuid.UUID | None) -> list[dict]:
    """The kept files' entries: id, kind, name, size."""
    if key is None:
        return []
    return _manifest(_folder(user, key))


def stash_take(user, key: uuid.UUID | None, keep_ids: set[str]) -> list[Upload]:
    """The kept files the registrar left ticked, checked again by their content."""
    if key is None:
        return []
    folder = _folder(user, key)
    out = []
    for entry in _manifest(folder):
        if entry["id"] in keep_ids:
            content = (folder / entry["id"]).read_bytes()
            check_upload(name=entry["name"], content=content)
            out.append(Upload(entry["kind"], entry["name"], content))
    return out


def stash_drop(user, key: uuid.UUID | None, ids: set[str] | None = None) -> None:
    """Forget the kept files (``ids`` only, or all of them)."""
    if key is None:
        return
    folder = _folder(user, key)
    if ids is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    entries = [e for e in _manifest(folder) if e["id"] not in ids]
    for file_id in ids:
        (folder / file_id).unlink(missing_ok=True)
    if folder.exists():
        (folder / MANIFEST).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def _manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []


def _sweep() -> None:
    root = _root()
    if not root.exists():
        return
    limit = time.time() - MAX_AGE_SECONDS
    for folder in root.glob("*/*"):
        try:
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue
