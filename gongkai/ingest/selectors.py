"""Reads: a published report (bytes or a file) parsed into its canonical JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .parser import NotAReport, ParsedReport, parse_lines
from .readers import ReadError, read_document

# Reports larger than this are not annual reports (a real one is a few MB at most, with images).
MAX_BYTES = 50 * 1024 * 1024


class ParseError(ValueError):
    """The input cannot be read as an annual report; the message is one Chinese line."""


@dataclass
class ParsedFile:
    name: str
    kind: str
    report: ParsedReport

    def canonical(self, *, agency_code: str | None = None, agency_name: str | None = None) -> dict:
        return self.report.canonical(agency_code=agency_code, agency_name=agency_name,
                                     source={"file": self.name, "kind": self.kind})


def report_parse(data: bytes, *, name: str = "", year_hint: int | None = None) -> ParsedFile:
    """Parse one published report; ``ParseError`` when it is not one."""
    try:
        document = read_document(data, name=name)
        return ParsedFile(name, document.kind, parse_lines(document.lines, year_hint=year_hint))
    except (ReadError, NotAReport) as exc:
        raise ParseError(str(exc)) from None
    except RecursionError:
        raise ParseError("文件结构嵌套过深，无法读取") from None


def report_parse_file(path: str | Path, *, year_hint: int | None = None) -> ParsedFile:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParseError(f"文件过大（{size // (1024 * 1024)} MB），不是年度报告")
        data = path.read_bytes()
    except IsADirectoryError:
        raise ParseError("这是一个文件夹，不是文件") from None
    except FileNotFoundError:
        raise ParseError("文件不存在") from None
    except PermissionError:
        raise ParseError("没有读取该文件的权限") from None
    except OSError as exc:
        raise ParseError(f"文件无法读取：{exc.strerror or exc}") from None
    return report_parse(data, name=path.name, year_hint=year_hint)
