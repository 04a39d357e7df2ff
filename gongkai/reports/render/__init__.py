"""The exports of an annual report: ``render(report, "json" | "md" | "html" | "xlsx") -> bytes``.

JSON is the canonical document (DOMAIN.md §2) that import and the API also
speak; the others lay out the same cells for people. Views and commands look
up ``CONTENT_TYPES`` and ``EXTENSIONS`` here rather than naming formats.
"""

from __future__ import annotations

import json
from typing import Callable

from .document import render_docx, render_pdf
from .html import render_html, table_layout
from .markdown import render_markdown
from .xlsx import render_xlsx


class UnknownFormat(ValueError):
    pass


def render_json(report) -> bytes:
    return (json.dumps(report.canonical(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


RENDERERS: dict[str, Callable[[object], bytes]] = {
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
    "xlsx": render_xlsx,
    "docx": render_docx,
    "pdf": render_pdf,
}

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

# File name extensions, without the dot.
EXTENSIONS = {"json": "json", "md": "md", "html": "html", "xlsx": "xlsx", "docx": "docx", "pdf": "pdf"}

FORMAT_LABELS = {"json": "JSON（规范数据）", "md": "Markdown", "html": "网页（HTML）", "xlsx": "Excel（XLSX）",
                 "docx": "Word（DOCX）", "pdf": "PDF"}


def render(report, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UnknownFormat(f"不支持的导出格式：{fmt}（可选：{'、'.join(RENDERERS)}）") from None
    return renderer(report)


def download_name(report, fmt: str) -> str:
    """An ASCII file name (safe in Content-Disposition): owner code and year, e.g. ``xianyou-gxj-2020.xlsx``."""
    owner = report.agency or report.region
    return f"{owner.code}-{report.year}.{EXTENSIONS[fmt]}"


__all__ = [
    "CONTENT_TYPES", "EXTENSIONS", "FORMAT_LABELS", "RENDERERS", "UnknownFormat", "download_name", "render",
    "render_docx", "render_html", "render_json", "render_pdf", "render_markdown", "render_xlsx", "table_layout",
]
