"""Template helpers of the public portal."""

import nh3
from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

FILE_KINDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/ofd": "OFD",
    "image/png": "PNG 图片",
    "image/jpeg": "JPEG 图片",
}


@register.filter
def snippet(html: str) -> str:
    """A search hit's snippet: the search module escapes the text and marks the matches with <mark>;
    here anything but <mark> is dropped again, so a snippet can never carry markup of its own."""
    return mark_safe(nh3.clean(html or "", tags={"mark"}, attributes={}, strip_comments=True))  # noqa: S308


@register.filter
def file_kind(content_type: str) -> str:
    """A reader's name for a file type: PDF, Word, Excel …"""
    return FILE_KINDS.get((content_type or "").split(";")[0].strip(), "文件")


@register.filter
def paragraphs(text: str) -> str:
    """Plain text as paragraphs, one per non-empty line (narratives and guides are typed a paragraph a line)."""
    return format_html_join("", "<p>{}</p>", ((line.strip(),) for line in (text or "").splitlines() if line.strip()))
