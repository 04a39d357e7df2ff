"""Plain text out of attachments, for search (issue 5) — PDF, DOCX, XLSX and OFD; images carry none.

Extraction never fails an upload: a file whose text cannot be read is kept
with empty text. Output is capped so one huge file cannot bloat the index.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

MAX_CHARS = 200_000
log = logging.getLogger(__name__)


def _pdf(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:500])


def _docx(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None]
            if cells:
                lines.append(" ".join(cells))
    return "\n".join(lines)


def _ofd(content: bytes) -> str:
    """OFD (GB/T 33190) pages are XML; the text sits in TextCode elements."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in sorted(n for n in z.namelist() if re.search(r"Pages/Page_\d+/Content\.xml$", n)):
            root = ElementTree.fromstring(z.read(name))
            texts.extend(el.text or "" for el in root.iter() if el.tag.endswith("TextCode"))
    return "".join(texts)


EXTRACTORS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx,
    "application/ofd": _ofd,
}


def extract_text(content: bytes, content_type: str) -> str:
    extractor = EXTRACTORS.get(content_type)
    if extractor is None:
        return ""
    try:
        text = extractor(content)
    except Exception:  # a damaged file still gets published; it is just not searchable
        log.warning("could not extract text from a %s attachment", content_type, exc_info=True)
        return ""
    return re.sub(r"[ \t]+", " ", text).strip()[:MAX_CHARS]
