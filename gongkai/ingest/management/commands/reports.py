"""``gongkai reports parse|import|audit``: published annual reports read, stored and audited."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.selectors import agency_get
from gongkai.ingest.audit import audit_folder, write_csv, write_xlsx
from gongkai.ingest.selectors import ParsedFile, ParseError, report_parse_file
from gongkai.ingest.services import import_summary, report_import_parsed
from gongkai.reports.checks import ERROR
from gongkai.reports.services import ImportRefused

USAGE = 2
FAILED = 1
SEVERITY = {"error": "错误", "warning": "警告"}
KIND = {"unreadable": "无法识别", "inferred": "推得", "document": "报告"}


def _parse(path: str, year_hint: int | None = None) -> ParsedFile:
    """One file, or ``ParseError`` with one line; nothing else escapes (no traceback for any input)."""
    try:
        return report_parse_file(path, year_hint=year_hint)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the last guard of the command line: one line, never a traceback
        raise ParseError(f"无法读取（{type(exc).__name__}）") from None


class Command(BaseCommand):
    help = "已发布的政府信息公开工作年度报告：parse 读取，import 导入为某机关的报告，audit 核查一个文件夹。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{parse,import,audit}")
        parse = actions.add_parser("parse", help="读取报告（HTML、文本、Markdown、DOCX、XLSX、PDF），输出规范 JSON")
        parse.add_argument("files", nargs="+", metavar="FILE")
        parse.add_argument("--format", default="json", choices=("json", "text"), help="输出格式，默认 json")
        imp = actions.add_parser("import", help="读取报告并保存为机关该年度的已发布报告")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--agency", required=True, metavar="CODE", help="机关代码")
        imp.add_argument("--year", type=int, metavar="YYYY", help="报告年度（报告中读不出年度时）")
        imp.add_argument("--replace", action="store_true", help="替换该年度已有的数据（作为新版本）")
        audit = actions.add_parser("audit", help="核查文件夹中的每一份报告，输出汇总表")
        audit.add_argument("folder", metavar="DIR")
        audit.add_argument("-o", "--output", required=True, metavar="summary.xlsx|summary.csv")

    def handle(self, *args, action, **options):
        if action == "parse":
            return self._parse(options["files"], options["format"])
        if action == "import":
            return self._import(options["file"], options["agency"], options["year"], options["replace"])
        return self._audit(options["folder"], options["output"])

    def _fail(self, message: str, code: int = FAILED):
        raise CommandError(message, returncode=code)

    def _parse(self, files, output_format):
        docs, failed = [], 0
        for path in files:
            try:
                parsed = _parse(path)
            except ParseError as exc:
                failed += 1
                self.stderr.write(f"{path}：{exc}")
                continue
            if output_format == "json":
                docs.append(parsed.canonical())
            else:
                self.stdout.write(self._text(parsed))
        if output_format == "json" and docs:
            payload = docs[0] if len(files) == 1 else docs
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if failed:
            sys.exit(FAILED)

    def _text(self, parsed: ParsedFile) -> str:
        report = parsed.report
        lines = [f"{parsed.name}（{parsed.kind}）：{report.agency_name or '机关未识别'} "
                 f"{report.year or '年度未识别'}年 {report.format.name}",
                 f"  {import_summary(parsed)}"]
        for problem in report.problems:
            where = problem.cell or "报告"
            raw = f"（原文“{problem.raw}”）" if problem.raw and problem.raw not in problem.message else ""
            lines.append(f"  [{KIND[problem.kind]}] {where}：{problem.message}{raw}")
        for check in report.checks:
            lines.append(f"  [{SEVERITY[check.severity]}] {check.rule} {'、'.join(check.cells)}：{check.message}")
        return "\n".join(lines)

    def _import(self, path, agency_code, year, replace):
        agency = agency_get(code=agency_code)
        if agency is None:
            self._fail(f"未知的机关代码：{agency_code}", USAGE)
        try:
            parsed = _parse(path, year_hint=year)
        except ParseError as exc:
            self._fail(f"{path}：{exc}")
        try:
            version = report_import_parsed(agency=agency, parsed=parsed, replace=replace, year=year)
        except ImportRefused as exc:
            self._fail(str(exc))
        report = parsed.report
        self.stdout.write(f"已导入 {agency.name} {version.report.year}年度报告（第{version.number}版，来自 {parsed.name}）："
                          f"{import_summary(parsed)}")
        printed = report.agency_name
        if printed and not (printed.endswith(agency.name) or agency.name.endswith(printed)):
            self.stdout.write(f"  注意：报告标题中的机关为“{printed}”，与 {agency.name} 不同，请核对是否导入了正确的报告。")
        for check in report.checks:
            if check.severity == ERROR:
                self.stdout.write(f"  [错误] {check.rule}：{check.message}")

    def _audit(self, folder, output):
        target = Path(output)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            self._fail("输出文件须为 .xlsx 或 .csv", USAGE)
        try:
            rows = audit_folder(folder)
        except ParseError as exc:
            self._fail(str(exc), USAGE)
        try:
            if target.suffix.lower() == ".xlsx":
                write_xlsx(rows, target)
                written = str(target)
            else:
                written = f"{target}、{write_csv(rows, target)}"
        except OSError as exc:
            self._fail(f"无法写入 {target}：{exc.strerror or exc}")
        failed = sum(1 for r in rows if r.parsed is None)
        errors = sum(1 for r in rows if any(c.severity == ERROR for c in r.checks))
        self.stdout.write(f"核查 {len(rows)} 份文件：{len(rows) - failed} 份已读取，{failed} 份无法读取，"
                          f"{errors} 份有错误级别的问题；已写入 {written}")
