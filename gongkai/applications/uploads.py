"""Uploaded scans and attachments are judged by their bytes, not by their names."""

from __future__ import annotations

import io
import zipfile

import filetype
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# What we accept, by detected type: (content type, the file-name extensions that may carry it).
ACCEPTED = {
    "pdf": ("application/pdf", {"pdf"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
    "tif": ("image/tiff", {"tif", "tiff"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "ofd": ("application/ofd", {"ofd"}),
}
ACCEPTED_LABEL = "PDF、JPG、PNG、TIFF、DOCX、XLSX、OFD"


def _zip_kind(content: bytes) -> str | None:
    """DOCX, XLSX and OFD are all zip containers; tell them apart by what is inside."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return None
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def detect(content: bytes) -> str | None:
    kind = filetype.guess(content)
    if kind is None:
        return None
    if kind.extension in ("zip", "docx", "xlsx"):
        return _zip_kind(content)
    return kind.extension if kind.extension in ACCEPTED else None


def check_upload(*, name: str, content: bytes) -> str:
    """The content type of an acceptable upload; a ValidationError in Chinese otherwise."""
    if not content:
        raise ValidationError(f"文件“{name}”是空文件。")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件“{name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB的大小限制。")
    kind = detect(content)
    if kind is None:
        raise ValidationError(f"文件“{name}”的内容不是可接受的格式（{ACCEPTED_LABEL}）。")
    content_type, extensions = ACCEPTED[kind]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in extensions:
        raise ValidationError(f"文件“{name}”的扩展名与其内容（{kind.upper()}）不符。")
    return content_type


def safe_file_name(name: str) -> str:
    """A storage-safe tail of an uploaded file's name (the original name is kept as the title)."""
    keep = "".join(c for c in name if c.isalnum() or c in "._-")
    return keep[-80:] or "file"
