"""``gongkai archive export|verify``: the yearly transfer to the archive and library (第二十五条).

``export`` writes one ZIP of an agency's items published in a year;
``verify`` re-checks a ZIP against its manifest and prints each problem.
Exit codes: 0 done or verified, 1 a problem with the files (export failed,
ZIP damaged or not a transfer ZIP), 2 a usage error (unknown agency, bad
year, missing argument), each error as one Chinese line.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.agencies.selectors import agency_get
from gongkai.catalogue.archive import ArchiveError, archive_export, archive_inspect

# Usage errors exit with 2, like argparse's own (see ``gongkai report``).
USAGE = 2
FAILED = 1
FIRST_YEAR = 1949

MISSING_EXPORT = "请指定 --agency、--year 和 -o，例如 --agency xianyou-gxj --year 2025 -o 2025.zip"
MISSING_VERIFY = "请指定要校验的档案包，例如 gongkai archive verify 2025.zip"
UNKNOWN_AGENCY = "未知的机关代码：{code}"
BAD_YEAR = "未知的年度：{raw}（可选 {first}–{latest}）"
NO_FILE = "找不到文件：{path}"
CANNOT_WRITE = "无法写入 {path}：{reason}"


class Command(BaseCommand):
    help = "向档案馆、图书馆移交政府信息：export 导出年度档案包，verify 校验档案包。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,verify}")
        export = actions.add_parser("export", help="导出一个机关某年度发布的全部主动公开信息（ZIP）")
        # Validated in handle(), not by argparse, so every usage error is one Chinese line.
        export.add_argument("--agency", metavar="CODE", help="机关代码，如 xianyou-gxj")
        export.add_argument("--year", metavar="YYYY", help="发布年度")
        export.add_argument("-o", "--output", metavar="FILE.zip", help="输出的 ZIP 文件")
        verify = actions.add_parser("verify", help="按 manifest.json 校验档案包；发现问题时退出码为 1")
        verify.add_argument("file", nargs="?", metavar="FILE.zip", help="要校验的 ZIP 文件")

    def handle(self, *args, action, **options):
        if action == "export":
            return self._export(options["agency"], options["year"], options["output"])
        return self._verify(options["file"])

    def _export(self, code, raw_year, output):
        if not (code and raw_year and output):
            raise CommandError(MISSING_EXPORT, returncode=USAGE)
        agency = agency_get(code=code)
        if agency is None:
            raise CommandError(UNKNOWN_AGENCY.format(code=code), returncode=USAGE)
        latest = timezone.localdate().year
        if not (raw_year.isascii() and raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= latest):
            raise CommandError(BAD_YEAR.format(raw=raw_year, first=FIRST_YEAR, latest=latest), returncode=USAGE)
        target = Path(output)
        try:
            summary = archive_export(agency=agency, year=int(raw_year), target=target)
        except ArchiveError as e:
            raise CommandError(str(e), returncode=FAILED) from e
        except OSError as e:
            raise CommandError(CANNOT_WRITE.format(path=output, reason=e.strerror or e), returncode=FAILED) from e
        line = (f"已导出 {agency.name} {summary.year} 年度主动公开信息 {summary.items} 条"
                f"（正文 {summary.items} 份，附件 {summary.attachments} 个，共 {summary.files} 个文件）：{target}")
        self.stdout.write(line)
        if summary.withdrawn:
            self.stdout.write(f"已撤回的信息 {summary.withdrawn} 条未收入档案包。")
        if summary.refused_resources:
            self.stdout.write(f"正文中引用的外部图片等资源 {summary.refused_resources} 处未收入 PDF（只显示替代文字）。")

    def _verify(self, file):
        if not file:
            raise CommandError(MISSING_VERIFY, returncode=USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(NO_FILE.format(path=file), returncode=USAGE)
        result = archive_inspect(path)
        if not result.problems:
            self.stdout.write(f"校验通过：共 {result.files} 个文件")
            return
        if result.fatal:
            # Not a transfer ZIP at all: one line.
            raise CommandError(result.problems[0], returncode=FAILED)
        for problem in result.problems:
            self.stdout.write(problem)
        self.stderr.write(f"校验未通过：{len(result.problems)} 个问题")
        sys.exit(FAILED)
