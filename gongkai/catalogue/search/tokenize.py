"""Chinese text as whitespace-separated words that SQLite FTS5 and PostgreSQL both index as they are.

Neither database segments Chinese: FTS5's ``unicode61`` and PostgreSQL's
``simple`` parser keep a run of ideographs as one word. So the text is
cut here, in Python, identically for every backend (docs/decisions/011):

- NFKC-normalise and lowercase (full-width １２ and Ａ become 12 and a);
- split into runs of CJK ideographs and runs of ASCII letters and digits;
  everything else (punctuation such as 〔〕《》、, spaces, other scripts) separates;
- to index, a CJK run gives every character (unigram) and every adjacent
  pair (bigram); an ASCII run is one word;
- to query, a CJK run of one character gives that unigram, a longer run its
  bigrams; an ASCII run is one word; every query word must match.

So 补贴 is the word 补贴 and never matches 补 … 贴 apart, while 补 alone
finds both; 仙工信〔2020〕12号 becomes 仙工 工信 2020 12 号.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

# CJK Unified Ideographs with Extension A, the compatibility block (mostly
# folded by NFKC), Extensions B–H, and 〇 (as in 二〇二〇年).
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
RUN = re.compile(f"[{_CJK}]+|[a-z0-9]+")
CJK_RUN = re.compile(f"[{_CJK}]+")

# Longer ASCII runs (hashes, base64 in extracted text) are cut to this length,
# on both sides, so no backend refuses them (PostgreSQL drops words > 2047 bytes).
MAX_WORD = 64
# A query is cut to this many characters: search boxes, not documents.
MAX_QUERY_CHARS = 200
# PostgreSQL keeps positions up to this one; later words all share it.
MAX_POSITION = 16383


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    """The normalised CJK and ASCII runs of ``text``, in order."""
    return [m.group() for m in RUN.finditer(normalize(text))]


def _is_cjk(run: str) -> bool:
    return CJK_RUN.fullmatch(run) is not None


def index_tokens(text: str) -> Iterator[str]:
    """Words to index: each ideograph and each adjacent pair, and ASCII runs as words."""
    for run in runs(text):
        if not _is_cjk(run):
            yield run[:MAX_WORD]
            continue
        for i, char in enumerate(run):
            yield char
            if i + 1 < len(run):
                yield run[i:i + 2]


def query_tokens(text: str) -> list[str]:
    """Words a query needs, each once, in order; empty for an empty or punctuation-only query."""
    tokens: list[str] = []
    for run in runs((text or "")[:MAX_QUERY_CHARS]):
        if not _is_cjk(run):
            tokens.append(run[:MAX_WORD])
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(tokens))


def query_runs(text: str) -> list[str]:
    """The query's runs, each once, for highlighting (longest first, so 补贴 wins over 补)."""
    return sorted(dict.fromkeys(runs((text or "")[:MAX_QUERY_CHARS])), key=len, reverse=True)


def join_tokens(tokens: Iterable[str], *, max_bytes: int | None = None) -> str:
    """Tokens as one space-separated string, cut before its index entry would outgrow ``max_bytes``.

    The estimate follows PostgreSQL's tsvector layout (the strictest: 1 MB at
    most): per distinct word a 4-byte entry, the word, a 2-byte position
    count, and 2 bytes per position (only the first 16 383 positions count).
    """
    if max_bytes is None:
        return " ".join(tokens)
    kept: list[str] = []
    seen: set[str] = set()
    size = 0
    for token in tokens:
        if token not in seen:
            seen.add(token)
            size += 4 + len(token.encode()) + 1 + 2 + 2
        elif len(kept) < MAX_POSITION:
            size += 2
        if size > max_bytes:
            break
        kept.append(token)
    return " ".join(kept)


# Tags after which text does not run on: 第一条</p><p>第二条 must not make 条第.
_BREAKS = {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "hr", "table", "caption", "ul", "ol"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of a (sanitized) body: tags dropped, entities decoded, blocks on their own lines."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return re.sub(r"[ \t\r\f\v]*\n\s*", "\n", "".join(parser.parts)).strip()
