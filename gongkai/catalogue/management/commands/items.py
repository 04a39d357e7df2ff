"""``gongkai items import --agency CODE FILE.csv|FILE.xlsx [--skip-bad] [--dry-run]``.

Imports items an agency published before it used gongkai. Every row is
checked first; each problem is printed as one line naming the row and the
column. Exit codes: 0 imported (with ``--skip-bad``: at least one row
imported, the bad ones reported); 1 nothing imported because of bad rows
or an unusable file; 2 a usage error (unknown agency, no such file, not CSV
or XLSX). ``--dry-run`` checks and reports with the same exit codes but
writes nothing.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from gongkai.agencies.selectors import agency_get
from gongkai.catalogue.importer import ImportFileError, items_import, read_rows

# Usage errors exit with 2, like argparse's own (see ``gongkai report``).
USAGE = 2
FAILED = 1

MISSING = "请指定 --agency 和要导入的文件，例如 gongkai items import --agency xianyou-gxj 信息.xlsx"
UNKNOWN_AGENCY = "未知的机关代码：{code}"
NO_FILE = "找不到文件：{path}"
NOT_CSV_OR_XLSX = "只能导入 CSV 或 XLSX 文件：{path}"
DATABASE_FAILED = "导入失败，未导入任何信息：{reason}"


class Command(BaseCommand):
    help = "主动公开信息：import 从 CSV 或 XLSX 批量导入已发布的信息。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        importing = actions.add_parser("import", help="批量导入已发布的信息；任一行有错误时不导入（除非 --skip-bad）")
        # Validated in handle(), not by argparse, so every usage error is one Chinese line.
        importing.add_argument("--agency", metavar="CODE", help="机关代码，如 xianyou-gxj")
        importing.add_argument("file", nargs="?", metavar="FILE", help="CSV（UTF-8）或 XLSX 文件，列名同档案包 metadata.csv")
        importing.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，导入其余各行")
        importing.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入数据库")

    def handle(self, *args, action, agency, file, skip_bad, dry_run, **options):
        if not (agency and file):
            raise CommandError(MISSING, returncode=USAGE)
        owner = agency_get(code=agency)
        if owner is None:
            raise CommandError(UNKNOWN_AGENCY.format(code=agency), returncode=USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(NO_FILE.format(path=file), returncode=USAGE)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(NOT_CSV_OR_XLSX.format(path=file), returncode=USAGE)
        try:
            report = items_import(agency=owner, rows=read_rows(path), skip_bad=skip_bad, dry_run=dry_run,
                                  today=timezone.localdate())
        except ImportFileError as e:  # raised before reading begins; read errors come back in the report
            raise CommandError(str(e), returncode=FAILED) from e
        except DatabaseError as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise CommandError(DATABASE_FAILED.format(reason=reason), returncode=FAILED) from e

        for line in report.notices:
            self.stdout.write(line)
        for line in report.lines():
            self.stdout.write(line)
        if report.ok:
            self.stdout.write(report.summary())
            return
        self.stderr.write(report.summary())
        sys.exit(FAILED)
