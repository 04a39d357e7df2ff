"""``gongkai restore FILE [--yes]``: put a backup back, after checking every file of it (ADR 020).

A backup that fails its checksums, or comes from the other database engine,
is refused before anything is touched. A database or media directory that
already holds data is overwritten only with ``--yes`` (or ``--force``), or
after typing "yes" at the prompt; the media directory replaced is moved
aside, not deleted. Exit codes: 0 restored, 1 refused or failed, 2 a usage
error; each error is one Chinese line.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.ops.backup import BackupError, backup_restore

USAGE, FAILED = 2, 1


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传文件（先校验备份文件；覆盖已有数据需加 --yes）。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", metavar="FILE", help="gongkai backup 生成的备份文件")
        parser.add_argument("--yes", "--force", dest="yes", action="store_true", help="确认覆盖已有数据")

    def handle(self, *args, file=None, yes=False, **options):
        if not file:
            raise CommandError("请指定备份文件，例如 gongkai restore gongkai-backup.tar.gz", returncode=USAGE)
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"找不到文件：{file}", returncode=USAGE)
        try:
            try:
                summary = backup_restore(source=source, force=yes)
            except BackupError as e:
                if yes or "--yes" not in str(e) or not sys.stdin.isatty():
                    raise
                self.stderr.write(str(e))
                if input("输入 yes 确认覆盖：").strip().lower() != "yes":
                    raise CommandError("未恢复。", returncode=FAILED) from e
                summary = backup_restore(source=source, force=True)
        except BackupError as e:
            raise CommandError(str(e), returncode=FAILED) from e
        self.stdout.write(
            f"已恢复：{source}（数据库 {summary.engine} {summary.database_bytes:,} 字节，"
            f"上传文件 {summary.media_files} 个 {summary.media_bytes:,} 字节，用时 {summary.seconds:.1f} 秒）")
        for note in summary.notes:
            self.stdout.write(note)
