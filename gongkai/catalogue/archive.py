"""Transfer of a year's published information to the archive and the library (第二十五条).

``archive_export`` writes one ZIP per agency and year: the catalogue as
``metadata.csv`` (UTF-8 with BOM, Chinese headers, for Excel and WPS) and
``metadata.xml``, each body as an A4 PDF under ``bodies/``, the attachments
as stored under ``attachments/<索引号>/``, and ``manifest.json`` with the
size and SHA-256 of every other file. ``archive_verify`` checks a received
ZIP against its manifest. Withdrawn items are not transferred: the manifest
says how many were left out.

Files are streamed into the ZIP one at a time (a body PDF is rendered, an
attachment copied in chunks), hashed on the way, and the ZIP is written
next to the target and moved into place only when complete.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from gongkai.agencies.models import Agency

from .models import Attachment, DisclosureMode, DocumentType, Genre, Item, ItemStatus, PublicationChannel, Validity
from .sanitize import clean_body

SCHEMA = "gongkai.archive-transfer/1"
MANIFEST = "manifest.json"
METADATA_CSV = "metadata.csv"
METADATA_XML = "metadata.xml"
CHUNK = 1024 * 1024
# Items are read from the database this many at a time, bodies included.
BATCH = 50
# For long-term keeping: PDF/A-2b as WeasyPrint writes it (fonts embedded, XMP metadata, sRGB output intent).
PDF_VARIANT = "pdf/a-2b"
# The longest file name kept inside the ZIP (Windows paths stay well under 260 characters).
NAME_MAX = 120

WITHDRAWN_NOTE = "已撤回的信息不在移交范围内：本年度发布后又撤回的信息共 {n} 条，未收入本档案包。"

NOT_A_ZIP = "不是有效的 ZIP 文件：{path}"
NO_MANIFEST = "档案包中没有 manifest.json：{path}"
BAD_MANIFEST = "manifest.json 无法解析：{reason}"
MISSING = "缺少文件：{path}"
EXTRA = "多余文件：{path}"
DUPLICATE = "重复文件：{path}（ZIP 中出现 {n} 次）"
SIZE_MISMATCH = "文件大小不一致：{path}（清单 {expected} 字节，实际 {actual} 字节）"
HASH_MISMATCH = "文件内容不一致：{path}（SHA-256 不符）"
UNREADABLE = "文件已损坏，无法读取：{path}"
COUNT_MISMATCH = "清单中的文件数 {counted} 与列出的文件 {listed} 个不符"
ATTACHMENT_MISSING = "附件文件缺失，无法导出：{index_number}「{title}」（{name}）"
ATTACHMENT_CHANGED = "附件内容与登记的 SHA-256 不符，无法导出：{index_number}「{title}」（{name}）"


class ArchiveError(Exception):
    """The export cannot be completed; the message is one line of Chinese for the user."""


@dataclass(frozen=True)
class MetadataColumn:
    field: str
    label: str  # the CSV header (Chinese)
    tag: str  # the XML element (or, for the 索引号, attribute)


# The columns of metadata.csv in order; the importer accepts the same headers.
METADATA_COLUMNS: tuple[MetadataColumn, ...] = (
    MetadataColumn("index_number", "索引号", "index-number"),
    MetadataColumn("title", "标题", "title"),
    MetadataColumn("agency", "发布机构", "publisher"),
    MetadataColumn("document_number", "文号", "document-number"),
    MetadataColumn("formed_on", "成文日期", "formed-on"),
    MetadataColumn("published_on", "发布日期", "published-on"),
    MetadataColumn("topic", "主题分类", "topic"),
    MetadataColumn("genre", "体裁", "genre"),
    MetadataColumn("document_type", "文件类型", "document-type"),
    MetadataColumn("validity", "有效性", "validity"),
    MetadataColumn("effective_on", "实施日期", "effective-on"),
    MetadataColumn("abolished_on", "废止日期", "abolished-on"),
    MetadataColumn("disclosure_mode", "公开方式", "disclosure-mode"),
    MetadataColumn("keywords", "关键词", "keywords"),
    MetadataColumn("abstract", "内容概述", "abstract"),
    MetadataColumn("channels", "发布渠道", "channels"),
    MetadataColumn("body_file", "正文文件", "body-file"),
    MetadataColumn("attachment_files", "附件文件", "attachments"),
)
# Fields stored as a code and shown by label; the XML carries both.
CHOICES = {"genre": Genre, "document_type": DocumentType, "validity": Validity, "disclosure_mode": DisclosureMode}
CHANNEL_SEPARATOR = "、"
FILE_SEPARATOR = "；"


@dataclass(frozen=True)
class ExportSummary:
    agency: str
    year: int
    path: Path
    items: int
    attachments: int
    files: int  # every file but manifest.json
    bytes: int  # their total size
    withdrawn: int  # published in the year, then withdrawn: left out
    refused_resources: int  # images and other URLs in bodies that were not fetched into the PDFs


@dataclass
class VerifyResult:
    problems: list[str]
    files: int  # files the manifest lists
    fatal: bool = False  # not a transfer ZIP at all (unreadable, no manifest, manifest unusable): one problem


# --- names ---------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


def safe_name(name: str, *, fallback: str = "file") -> str:
    """A file name Windows accepts: no / \\ : * ? " < > | or control characters, no trailing dot or
    space, not a reserved device name, at most ``NAME_MAX`` characters (the extension kept)."""
    name = _UNSAFE.sub("_", name.strip()).rstrip(". ")
    if not name or set(name) <= {"_", "."}:
        name = fallback
    if _RESERVED.match(name):
        name = "_" + name
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if dot and 0 < len(ext) <= 10 else ""
        name = (stem if ext else name)[: NAME_MAX - len(ext)].rstrip(". ") + ext
    return name


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name(2)``, ``name(3)`` … before the extension, whichever is free (case-insensitively,
    as on Windows)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}({n}){dot}{ext}"
    taken.add(candidate.lower())
    return candidate


# --- export --------------------------------------------------------------------------------------

REFUSED = "档案包不加载外部资源"
NO_BASE = "Relative URI reference without a base URI"  # WeasyPrint's message; it then fetches nothing


def refusing_fetcher():
    """A WeasyPrint url_fetcher that allows ``data:`` URLs only and counts in ``refused`` what it turns away.

    WeasyPrint 70 expects a ``URLFetcher`` (it reads ``_fail_on_errors`` from
    the fetcher when a fetch fails, so a bare function raises AttributeError
    there); refused images show their alt text.
    """
    from weasyprint.urls import URLFetcher  # imported late: WeasyPrint loads Pango

    class RefusingFetcher(URLFetcher):
        refused = 0

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            self.refused += 1
            raise ValueError(f"{REFUSED}：{url}")

    return RefusingFetcher(allowed_protocols={"data"})


class _Quiet(logging.Filter):
    """Drops WeasyPrint's messages about the resources refused on purpose (a site-relative URL is never
    even tried: there is no base URL), and counts the latter with the refused ones."""

    def __init__(self, fetcher):
        super().__init__()
        self.fetcher = fetcher

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(NO_BASE):
            self.fetcher.refused += 1
            return False
        return REFUSED not in message


PDF_CSS = """
@page {
  size: A4;
  margin: 25mm 22mm 25mm 22mm;
  @bottom-left { content: element(footer); vertical-align: top; padding-top: 4mm; }
  @bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; vertical-align: top;
                  padding-top: 4mm; font-size: 9pt; color: #555; }
}
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; line-height: 1.75;
       color: #000; }
body { margin: 0; }
.footer { position: running(footer); font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; color: #555; }
h1 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 18pt; line-height: 1.4; text-align: center;
     margin: 0 0 12pt; }
table.meta { width: 100%; border-collapse: collapse; margin: 0 0 16pt; font-family: "Noto Sans CJK SC", sans-serif;
             font-size: 10pt; line-height: 1.5; }
table.meta th, table.meta td { border: 0.75pt solid #999; padding: 3pt 6pt; vertical-align: top; }
table.meta th { background: #eef2f7; font-weight: bold; white-space: nowrap; width: 4.5em; text-align: left; }
table.meta td { width: 50%; word-break: break-all; }
.body p { margin: 0 0 4pt; text-indent: 2em; text-align: justify; }
.body p.signature { text-align: right; text-indent: 0; }
.body h1, .body h2, .body h3, .body h4 { font-family: "Noto Sans CJK SC", sans-serif; text-align: left;
                                         font-size: 13pt; margin: 10pt 0 4pt; }
.body table { border-collapse: collapse; margin: 6pt 0; font-size: 10.5pt; }
.body th, .body td { border: 0.75pt solid #666; padding: 2pt 4pt; }
.body img { max-width: 100%; }
.body a { color: #000; text-decoration: none; }
.empty { color: #555; }
.attachments { margin-top: 14pt; border-top: 0.75pt solid #999; padding-top: 6pt; font-size: 10.5pt; }
.attachments ol { margin: 0; padding-left: 2em; }
"""


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


def _channel_labels(codes) -> list[str]:
    return [_label(PublicationChannel, c) for c in codes or []]


def body_html(item: Item, *, agency: Agency, attachment_titles: list[str]) -> str:
    """The self-contained page a body PDF is made from: title, metadata box, sanitized body, attachments."""
    e = html.escape
    meta = (("索引号", item.index_number or ""), ("发布机构", agency.name),
            ("文号", item.document_number), ("成文日期", _iso(item.formed_on)),
            ("发布日期", _iso(item.published_on)), ("有效性", item.get_validity_display()))
    cells = [f"<th>{e(k)}</th><td>{e(v)}</td>" for k, v in meta]
    rows = "".join(f"<tr>{cells[i]}{cells[i + 1]}</tr>" for i in range(0, len(cells), 2))
    body = clean_body(item.body).strip() or '<p class="empty">（正文见附件）</p>'
    attachments = ""
    if attachment_titles:
        entries = "".join(f"<li>{e(t)}</li>" for t in attachment_titles)
        attachments = f'<div class="attachments">附件：<ol>{entries}</ol></div>'
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(item.title)}</title>
<meta name="author" content="{e(agency.name)}"><style>{PDF_CSS}</style></head>
<body>
<div class="footer">{e(agency.name)}　索引号：{e(item.index_number or "")}</div>
<h1>{e(item.title)}</h1>
<table class="meta">{rows}</table>
<div class="body">{body}</div>
{attachments}
</body></html>"""


def body_pdf(item: Item, *, agency: Agency, attachment_titles: list[str], fetcher=None) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    fetcher = fetcher or refusing_fetcher()
    logger, quiet = logging.getLogger("weasyprint"), _Quiet(fetcher)
    logger.addFilter(quiet)
    try:
        return HTML(string=body_html(item, agency=agency, attachment_titles=attachment_titles),
                    url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        logger.removeFilter(quiet)


class _Writer:
    """Writes members into the ZIP, each streamed and hashed; remembers path, size and SHA-256."""

    def __init__(self, archive: zipfile.ZipFile, when: datetime):
        self.archive = archive
        self.when = when.timetuple()[:6]
        self.files: list[dict] = []

    def _info(self, path: str, size: int | None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        if size is not None:
            info.file_size = size  # lets zipfile choose ZIP64 for very large files
        return info

    def write_stream(self, path: str, chunks, *, size: int | None = None) -> dict:
        digest, written = hashlib.sha256(), 0
        with self.archive.open(self._info(path, size), "w") as out:
            for chunk in chunks:
                digest.update(chunk)
                written += len(chunk)
                out.write(chunk)
        entry = {"path": path, "size": written, "sha256": digest.hexdigest()}
        self.files.append(entry)
        return entry

    def write_bytes(self, path: str, data: bytes) -> dict:
        return self.write_stream(path, [data], size=len(data))

    def write_text(self, path: str, produce) -> dict:
        """``produce(text_stream)`` writes UTF-8 text; it reaches the ZIP through a hashing byte stream."""

        class Sink(io.RawIOBase):
            def __init__(self, out):
                self.out, self.digest, self.size = out, hashlib.sha256(), 0

            def writable(self):
                return True

            def write(self, b):
                self.digest.update(b)
                self.size += len(b)
                self.out.write(b)
                return len(b)

        with self.archive.open(self._info(path, None), "w") as out:
            sink = Sink(out)
            text = io.TextIOWrapper(io.BufferedWriter(sink, CHUNK), encoding="utf-8", newline="")
            produce(text)
            text.flush()
            text.detach().flush()
        entry = {"path": path, "size": sink.size, "sha256": sink.digest.hexdigest()}
        self.files.append(entry)
        return entry


@dataclass
class _Planned:
    """Where an item's files go inside the ZIP."""

    pk: int
    index_number: str
    folder: str
    body_path: str
    attachments: list[tuple[int, str]] = field(default_factory=list)  # (attachment pk, path)


def _year_items(agency: Agency, year: int):
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Item.objects.filter(agency=agency, published_on__range=(start, end))


def _plan(agency: Agency, year: int) -> list[_Planned]:
    """Decide every path first, in 索引号 order (sorted here, not by the database's collation)."""
    rows = list(_year_items(agency, year).filter(status=ItemStatus.PUBLISHED).values_list("pk", "index_number"))
    rows.sort(key=lambda r: (r[1] or "", r[0]))
    attachments: dict[int, list[tuple[int, str, str]]] = {}
    for att in (Attachment.objects.filter(item_id__in=[pk for pk, _ in rows])
                .order_by("item_id", "id").values_list("item_id", "pk", "title", "file")):
        attachments.setdefault(att[0], []).append(att[1:])
    folders: set[str] = set()
    plans = []
    for pk, index_number in rows:
        folder = _unique(safe_name(index_number or "", fallback=f"item-{pk}"), folders)
        plan = _Planned(pk=pk, index_number=index_number or "", folder=folder, body_path=f"bodies/{folder}.pdf")
        names: set[str] = set()
        for att_pk, title, stored in attachments.get(pk, []):
            name = safe_name(title, fallback="附件")
            ext = Path(stored).suffix
            if ext and not name.lower().endswith(ext.lower()):
                name = safe_name(name + ext)
            plan.attachments.append((att_pk, f"attachments/{folder}/{_unique(name, names)}"))
        plans.append(plan)
    return plans


def _batches(plans: list[_Planned], *, bodies: bool) -> Iterator[tuple[_Planned, Item]]:
    for start in range(0, len(plans), BATCH):
        batch = plans[start:start + BATCH]
        items = Item.objects.prefetch_related("attachments")
        items = (items if bodies else items.defer("body")).in_bulk([p.pk for p in batch])
        for plan in batch:
            yield plan, items[plan.pk]


def _record(item: Item, plan: _Planned, agency: Agency) -> dict[str, str]:
    return {
        "index_number": item.index_number or "",
        "title": item.title,
        "agency": agency.name,
        "document_number": item.document_number,
        "formed_on": _iso(item.formed_on),
        "published_on": _iso(item.published_on),
        "topic": item.topic,
        "genre": _label(Genre, item.genre) if item.genre else "",
        "document_type": _label(DocumentType, item.document_type),
        "validity": _label(Validity, item.validity),
        "effective_on": _iso(item.effective_on),
        "abolished_on": _iso(item.abolished_on),
        "disclosure_mode": _label(DisclosureMode, item.disclosure_mode),
        "keywords": item.keywords,
        "abstract": item.abstract,
        "channels": CHANNEL_SEPARATOR.join(_channel_labels(item.channels)),
        "body_file": plan.body_path,
        "attachment_files": FILE_SEPARATOR.join(path for _, path in plan.attachments),
    }


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text XML 1.0 can hold (control characters dropped)."""
    return _XML_INVALID.sub("", text or "")


def _write_csv(stream, records: list[dict[str, str]]) -> None:
    stream.write("\ufeff")  # Excel and WPS read UTF-8 only with the BOM
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([c.label for c in METADATA_COLUMNS])
    for record in records:
        writer.writerow([record[c.field] for c in METADATA_COLUMNS])


def _write_xml(stream, records: list[tuple[Item, dict[str, str], _Planned]], agency: Agency, year: int,
               attachment_meta: dict[int, tuple[str, int, str]]) -> None:
    xml = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()

    def element(tag, text="", **attrs):
        xml.startElement(tag, {k.replace("_", "-"): _x(str(v)) for k, v in attrs.items()})
        if text:
            xml.characters(_x(text))
        xml.endElement(tag)

    xml.startElement("items", {"schema": SCHEMA, "agency": agency.code, "agency-name": _x(agency.name),
                               "year": str(year), "count": str(len(records))})
    for item, record, plan in records:
        xml.characters("\n  ")
        xml.startElement("item", {"index-number": _x(record["index_number"])})
        for column in METADATA_COLUMNS:
            if column.field == "index_number":
                continue
            xml.characters("\n    ")
            if column.field == "channels":
                xml.startElement(column.tag, {})
                for code in item.channels or []:
                    element("channel", _label(PublicationChannel, code), code=code)
                xml.endElement(column.tag)
            elif column.field == "attachment_files":
                xml.startElement(column.tag, {})
                for att_pk, path in plan.attachments:
                    title, size, sha256 = attachment_meta[att_pk]
                    element("attachment", path, title=title, size=size, sha256=sha256)
                xml.endElement(column.tag)
            elif column.field in CHOICES and getattr(item, column.field):
                element(column.tag, record[column.field], code=getattr(item, column.field))
            else:
                element(column.tag, record[column.field])
        xml.characters("\n  ")
        xml.endElement("item")
    xml.characters("\n")
    xml.endElement("items")
    xml.endDocument()
    stream.write("\n")


def _attachment_chunks(attachment, index_number: str) -> Iterator[bytes]:
    try:
        attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as e:
        raise ArchiveError(ATTACHMENT_MISSING.format(index_number=index_number, title=attachment.title,
                                                     name=attachment.file.name)) from e
    try:
        while chunk := attachment.file.read(CHUNK):
            yield chunk
    finally:
        attachment.file.close()


def archive_export(*, agency: Agency, year: int, target, now: datetime | None = None) -> ExportSummary:
    """Write the year's published items of ``agency`` into the ZIP ``target``; see the module docstring."""
    target = Path(target)
    now = timezone.localtime(now or timezone.now())
    plans = _plan(agency, year)
    withdrawn = _year_items(agency, year).filter(status=ItemStatus.WITHDRAWN).count()
    part = target.with_name(target.name + ".part")
    fetcher = refusing_fetcher()
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            writer = _Writer(archive, now)
            records, attachment_meta, attachment_count = [], {}, 0
            # Pass 1, metadata only: the two catalogues head the archive.
            for plan, item in _batches(plans, bodies=False):
                records.append((item, _record(item, plan, agency), plan))
                for att in item.attachments.all():
                    attachment_meta[att.pk] = (att.title, att.size, att.sha256)
            writer.write_text(METADATA_CSV, lambda s: _write_csv(s, [r for _, r, _ in records]))
            writer.write_text(METADATA_XML, lambda s: _write_xml(s, records, agency, year, attachment_meta))
            records.clear()
            # Pass 2: one body PDF and the attachments of one item at a time.
            for plan, item in _batches(plans, bodies=True):
                attachments = {a.pk: a for a in item.attachments.all()}
                titles = [attachments[pk].title for pk, _ in plan.attachments if pk in attachments]
                writer.write_bytes(plan.body_path, body_pdf(item, agency=agency, attachment_titles=titles,
                                                            fetcher=fetcher))
                for att_pk, path in plan.attachments:
                    att = attachments.get(att_pk)
                    if att is None:  # deleted between the passes
                        raise ArchiveError(ATTACHMENT_MISSING.format(index_number=plan.index_number,
                                                                     title=attachment_meta[att_pk][0], name=path))
                    entry = writer.write_stream(path, _attachment_chunks(att, plan.index_number), size=att.size)
                    if att.sha256 and entry["sha256"] != att.sha256:
                        raise ArchiveError(ATTACHMENT_CHANGED.format(index_number=plan.index_number,
                                                                     title=att.title, name=att.file.name))
                    attachment_count += 1
            files = sorted(writer.files, key=lambda f: f["path"])
            manifest = {
                "schema": SCHEMA,
                "agency": {"code": agency.code, "name": agency.name},
                "year": year,
                "generated_at": now.isoformat(timespec="seconds"),
                "counts": {"items": len(plans), "bodies": len(plans), "attachments": attachment_count,
                           "files": len(files), "bytes": sum(f["size"] for f in files),
                           "withdrawn_left_out": withdrawn},
                "note": WITHDRAWN_NOTE.format(n=withdrawn),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
            archive.writestr(writer._info(MANIFEST, len(data)), data)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return ExportSummary(agency=agency.code, year=year, path=target, items=len(plans),
                         attachments=attachment_count, files=len(files),
                         bytes=manifest["counts"]["bytes"], withdrawn=withdrawn,
                         refused_resources=fetcher.refused)


# --- verify --------------------------------------------------------------------------------------

def _manifest_files(manifest) -> list[dict] | None:
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        return None
    for entry in files:
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str)
                and isinstance(entry.get("size"), int) and isinstance(entry.get("sha256"), str)):
            return None
    return files


def archive_inspect(path) -> VerifyResult:
    """Check a transfer ZIP against its manifest; every problem is one line of Chinese."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return VerifyResult([NOT_A_ZIP.format(path=path)], 0, fatal=True)
    with archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
        if MANIFEST not in names:
            return VerifyResult([NO_MANIFEST.format(path=path)], 0, fatal=True)
        try:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            return VerifyResult([BAD_MANIFEST.format(reason=reason)], 0, fatal=True)
        files = _manifest_files(manifest)
        if files is None:
            return VerifyResult([BAD_MANIFEST.format(reason="缺少 files 列表，或其中条目缺少 path、size、sha256")], 0,
                                fatal=True)

        problems: list[str] = []
        counted = manifest.get("counts", {}).get("files") if isinstance(manifest.get("counts"), dict) else None
        if counted is not None and counted != len(files):
            problems.append(COUNT_MISMATCH.format(counted=counted, listed=len(files)))
        seen: dict[str, int] = {}
        for name in names:
            seen[name] = seen.get(name, 0) + 1
        for name, n in sorted(seen.items()):
            if n > 1:
                problems.append(DUPLICATE.format(path=name, n=n))
        listed = set()
        for entry in files:
            name = entry["path"]
            listed.add(name)
            if name not in seen:
                problems.append(MISSING.format(path=name))
                continue
            digest, size = hashlib.sha256(), 0
            try:
                with archive.open(name) as member:
                    while chunk := member.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
                problems.append(UNREADABLE.format(path=name))
                continue
            if size != entry["size"]:
                problems.append(SIZE_MISMATCH.format(path=name, expected=entry["size"], actual=size))
            elif digest.hexdigest() != entry["sha256"].lower():
                problems.append(HASH_MISMATCH.format(path=name))
        for name in sorted(seen):
            if name != MANIFEST and name not in listed:
                problems.append(EXTRA.format(path=name))
        return VerifyResult(problems, len(files))


def archive_verify(path) -> list[str]:
    """The problems found in a transfer ZIP; an empty list means it is complete and unchanged."""
    return archive_inspect(path).problems
