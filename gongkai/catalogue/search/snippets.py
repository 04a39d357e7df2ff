"""Highlighted snippets: the query's runs and words marked in ±40 characters of context, HTML-escaped.

The snippet comes from the first field, in the order title, abstract, body,
文号, 索引号, keywords, attachments, that holds every query word, else from
the one that holds most of them. It is centred on the longest query run the
field contains (so 补贴政策 is preferred to a stray 政策), and every run or
word inside the window is marked, longest first (补贴 whole, not 补 and 贴).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tokenize import normalize, query_runs, query_tokens

CONTEXT = 40
ELLIPSIS = "…"
FALLBACK_CHARS = 2 * CONTEXT


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _normalized(text: str) -> tuple[str, list[int] | None]:
    """The text as matched (NFKC, lowercase) and, when lengths differ, where each of its characters came from."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded, None
    chars, origin = [], []
    for i, char in enumerate(text):
        for c in normalize(char):
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def _needle(word: str) -> str:
    """A query word as a pattern; an ASCII one only whole, as the index cuts it (12 is not in 112)."""
    return rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])" if word.isascii() else re.escape(word)


class Highlighter:
    def __init__(self, query: str):
        self.tokens = [re.compile(_needle(token)) for token in query_tokens(query)]
        self.runs = [re.compile(_needle(run)) for run in query_runs(query)]
        needles = sorted(set(query_runs(query)) | set(query_tokens(query)), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(_needle, needles))) if needles else None

    def coverage(self, text: str) -> int:
        """How many of the query's words ``text`` holds."""
        folded = normalize(text)
        return sum(token.search(folded) is not None for token in self.tokens)

    def complete(self, coverage: int) -> bool:
        return coverage == len(self.tokens)

    def best(self, texts: Iterable[str]) -> tuple[int, str | None]:
        """The first text holding every word, else the first holding most; (0, None) if none holds any."""
        found: tuple[int, str | None] = (0, None)
        for text in texts:
            if not text:
                continue
            coverage = self.coverage(text)
            if coverage > found[0]:
                found = (coverage, text)
                if self.complete(coverage):
                    break
        return found

    def highlight(self, text: str) -> SafeString | None:
        """``text`` around its best match, escaped, matches in <mark>; None if nothing matches."""
        if self.pattern is None:
            return None
        text = _squash(text)
        folded, origin = _normalized(text)
        anchor = next((m for run in self.runs if (m := run.search(folded))), None)
        anchor = anchor or self.pattern.search(folded)
        if anchor is None:
            return None

        def start_of(i: int) -> int:  # positions in ``folded`` as positions in ``text``
            return i if origin is None else origin[i]

        def end_of(i: int) -> int:
            return i if origin is None else origin[i - 1] + 1

        start = max(0, start_of(anchor.start()) - CONTEXT)
        end = min(len(text), end_of(anchor.end()) + CONTEXT)
        out = [ELLIPSIS] if start > 0 else []
        pos = start
        for match in self.pattern.finditer(folded):
            m_start, m_end = start_of(match.start()), end_of(match.end())
            if m_start < pos:  # before the window, or inside one expanded character
                continue
            if m_end > end:
                break
            out += [escape(text[pos:m_start]), "<mark>", escape(text[m_start:m_end]), "</mark>"]
            pos = m_end
        out.append(escape(text[pos:end]))
        if end < len(text):
            out.append(ELLIPSIS)
        return mark_safe("".join(out))


def plain_snippet(text: str) -> SafeString:
    """No field holds a match to show (say, the words were cut off the index budget): the beginning, escaped."""
    text = _squash(text)
    cut = text[:FALLBACK_CHARS]
    return mark_safe(escape(cut) + (ELLIPSIS if len(text) > len(cut) else ""))
