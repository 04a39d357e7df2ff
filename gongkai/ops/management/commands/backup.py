"""``gongkai backup -o FILE``: the database and the uploaded files in one checked archive (ADR 020).

Safe while the server runs. Exit codes: 0 written, 1 the backup failed
(a missing or mismatched pg_dump, a disk error), 2 a usage error; each
error is one Chinese line.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.ops.backup import BackupError, backup_create

USAGE, FAILED = 2, 1


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个 .tar.gz 文件（可在系统运行时执行）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE", help="备份文件，如 gongkai-2026-12-04.tar.gz")

    def handle(self, *args, output=None, **options):
        if not output:
            raise CommandError("请用 -o 指定备份文件，例如 gongkai backup -o gongkai-backup.tar.gz", returncode=USAGE)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}", returncode=USAGE)
        try:
            summary = backup_create(target=target)
        except BackupError as e:
            raise CommandError(str(e), returncode=FAILED) from e
        except OSError as e:
            raise CommandError(f"无法写入 {target}：{e.strerror or e}", returncode=FAILED) from e
        self.stdout.write(
            f"已备份：{target}（数据库 {summary.engine} {summary.database_bytes:,} 字节，"
            f"上传文件 {summary.media_files} 个 {summary.media_bytes:,} 字节，用时 {summary.seconds:.1f} 秒）")
