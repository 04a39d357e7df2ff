"""Readers: each turns one kind of input into the parser's ``Line``s.

The kind is judged by the bytes, not the file name: PDF (``%PDF``), DOCX and
XLSX (ZIP with ``word/`` or ``xl/``), HTML (a ``<table>`` or ``<html>``
tag), else text in UTF-8 or GB18030 (Markdown tables become grid rows).
Anything else is a ``ReadError`` with a one-line Chinese message.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .parser import Line


class ReadError(ValueError):
    pass


@dataclass
class Document:
    kind: str
    lines: list[Line]


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_SPACES = re.compile(r"\s+")
_FIGURE_LIKE = re.compile(r"[\d\s.,+\-—/／无]*")


def _candidates(data: bytes):
    """UTF-8, UTF-8 with a few damaged bytes (a download cut mid-character), then GB18030."""
    try:
        yield data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    if damaged.count("\ufffd") <= max(3, len(data) // 1000):
        yield damaged
    try:
        yield data.decode("gb18030")
    except UnicodeDecodeError:
        pass


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for text in _candidates(data):
        if "\x00" in text:
            break
        controls = len(_CONTROLS.findall(text, 0, 20000))
        if controls > max(8, len(text[:20000]) // 200):
            break
        return text
    raise ReadError("无法识别的文件：既不是文本、HTML、PDF，也不是 Word 或 Excel 文件")


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _tab_fields(raw: str) -> list[str]:
    """Tab-separated fields; when every gap between filled fields holds an empty one, the tabs were
    doubled by the copy and the empties are not cells."""
    fields = raw.split("\t")
    filled = [i for i, f in enumerate(fields) if f.strip()]
    gaps = [b - a - 1 for a, b in zip(filled, filled[1:])]
    if len(gaps) >= 2 and all(g >= 1 for g in gaps):
        return [fields[i] for i in filled]
    return fields


def text_lines(text: str) -> list[Line]:
    """Plain text, text copied from a page, Markdown or OCR output."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if _MD_RULE.match(stripped):
            continue
        stripped = stripped.replace("｜", "|")
        if stripped.count("|") >= 2 or (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            lines.append(Line(cells, grid=True))
        elif "\t" in raw:
            lines.append(Line(_tab_fields(raw)))
        else:
            lines.append(Line([raw]))
    return lines


# --- grids ---------------------------------------------------------------------

def _grid_lines(rows: list[list[tuple[str, bool]]]) -> list[Line]:
    """Rows of (text, is_span_copy): a copy of a merged cell is kept only while it is a label
    (a row-spanning group header), never as a figure."""
    out = []
    for row in rows:
        cells = []
        last = None
        for text, copy in row:
            text = _SPACES.sub(" ", text or "").strip()
            if copy:
                if text and not _FIGURE_LIKE.fullmatch(text) and text != last:
                    cells.append(text)
                continue
            cells.append(text)
            last = text
        if any(cells):
            out.append(Line(cells, grid=True))
    return out


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[tuple[str, bool]]]:
    """Cells with (text, rowspan, colspan) → a full grid; span copies are marked."""
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid[(r + dr, c + dc)] = (text, bool(dr or dc))
            c += max(colspan, 1)
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), ("", True)) for c in range(width)] for r in range(height)]


def _span(value, default: int = 1) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return default


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "title", "section",
                     "article", "br", "tr", "caption", "blockquote", "pre", "header", "footer", "main", "dd", "dt"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})


def _table_lines(table) -> list[Line]:
    rows = []
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue  # a row of a table nested inside this one
        rows.append([(cell.text_content(), _span(cell.get("rowspan")), _span(cell.get("colspan")))
                     for cell in tr if isinstance(cell.tag, str) and cell.tag in ("td", "th")])
    return _grid_lines(expand_spans(rows))


def html_lines(data: bytes | str) -> list[Line]:
    """Text outside tables as lines (a block element ends a line); each table as grid rows."""
    import lxml.html
    from lxml import etree

    if isinstance(data, str):
        data = _XML_DECLARATION.sub("", data, count=1)  # lxml refuses a str that declares its encoding
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"HTML 无法解析：{exc}") from None
    lines: list[Line] = []
    buffer: list[str] = []

    def flush():
        text = "".join(buffer)
        buffer.clear()
        lines.extend(Line([t]) for t in text.splitlines() if t.strip())

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped = set()
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED or tag == "table":
                if tag == "table":
                    flush()
                    lines.extend(_table_lines(element))
                skipped.add(element)
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                flush()
            if tag and element.text:
                buffer.append(element.text)
        else:
            if element in skipped:
                skipped.discard(element)
            elif tag in _BLOCKS:
                flush()
            if element.tail:
                buffer.append(element.tail)
    flush()
    return lines


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_lines(data: bytes) -> list[Line]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ReadError(f"Word 文件无法打开：{type(exc).__name__}") from None
    lines: list[Line] = []

    def blocks(parent):
        # Content controls (w:sdt, common in WPS and template-made files) wrap paragraphs and tables.
        for child in parent.iterchildren():
            if child.tag == f"{W}sdt":
                for content in child.iterchildren(f"{W}sdtContent"):
                    yield from blocks(content)
            else:
                yield child

    for block in blocks(document.element.body):
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, document).text
            if text.strip():
                lines.append(Line([text]))
        elif tag == "tbl":
            table = Table(block, document)
            rows = []
            for tr in table._tbl.tr_lst:
                row = []
                for tc in tr.tc_lst:
                    text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                    vmerge = tc.vMerge
                    row.append((text, "continue" if vmerge == "continue" else "", tc.grid_span))
                rows.append(row)
            lines.extend(_grid_lines(_docx_grid(rows)))
    return lines


def _docx_grid(rows):
    """Word merges vertically by 'continue' cells; the text sits in the first."""
    out = []
    above: dict[int, str] = {}
    for row in rows:
        cells = []
        c = 0
        for text, vmerge, colspan in row:
            if vmerge == "continue":
                text = above.get(c, "")
                copy = True
            else:
                copy = False
            for dc in range(max(colspan, 1)):
                cells.append((text, copy or dc > 0))
                above[c + dc] = text
            c += max(colspan, 1)
        out.append(cells)
    return out


def xlsx_lines(data: bytes) -> list[Line]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ReadError(f"Excel 文件无法打开：{type(exc).__name__}") from None
    lines: list[Line] = []
    for sheet in book.worksheets:
        merged = {}
        for rng in sheet.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r, c)] = (rng.min_row, rng.min_col)
        rows = []
        for r, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row, start=1):
                if (r, c) in merged:
                    top = sheet.cell(*merged[(r, c)]).value
                    cells.append((_xlsx_text(top), True))
                else:
                    cells.append((_xlsx_text(cell.value), False))
            rows.append(cells)
        for line in _grid_lines(rows):
            if len([f for f in line.fields if f]) == 1:
                lines.append(Line([next(f for f in line.fields if f)]))
            else:
                lines.append(line)
    return lines


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def pdf_lines(data: bytes) -> list[Line]:
    import logging

    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("PDF 已加密，无法读取文字")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except PdfReadError as exc:
        raise ReadError(f"PDF 无法读取（文件不完整或已损坏）：{type(exc).__name__}") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a malformed file; all mean "unreadable"
        raise ReadError(f"PDF 无法读取：{type(exc).__name__}") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError("PDF 没有文字层（扫描件），请先做文字识别（OCR）")
    return text_lines(text)


def read_document(data: bytes, *, name: str = "") -> Document:
    if not data or not data.strip():
        raise ReadError("文件为空")
    if data.startswith(b"%PDF"):
        return Document("pdf", pdf_lines(data))
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            raise ReadError("ZIP 文件已损坏（Word/Excel 文件不完整）") from None
        if any(n.startswith("word/") for n in names):
            return Document("docx", docx_lines(data))
        if any(n.startswith("xl/") for n in names):
            return Document("xlsx", xlsx_lines(data))
        if any(n.upper().endswith("OFD.XML") for n in names):
            raise ReadError("OFD 文件暂不能直接读取，请另存为 PDF 或 Word 后再读取")
        raise ReadError("ZIP 文件既不是 Word（.docx）也不是 Excel（.xlsx）文件")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError("旧版 Word/Excel（.doc/.xls）文件不能直接读取，请另存为 .docx 或 .xlsx")
    text = _decode(data)
    head = text[:4096].lower()
    if re.search(r"<(html|table|body|!doctype html)\b", head) or "<table" in text.lower():
        return Document("html", html_lines(text))
    kind = "markdown" if name.lower().endswith(".md") or re.search(r"^\s*\|.*\|\s*$", text, re.M) else "text"
    return Document(kind, text_lines(text))
