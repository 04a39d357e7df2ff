"""``gongkai restore FILE [--yes]``: put a backup back, after checking every file of it (ADR 020).

A backup that fails its checksums, or comes from the other database engine,
is refused before anything is touched. A database or media directory that
already holds data is overwritten only with ``--yes`` (or ``--force``), or
after typing "yes" at the prompt; the media directory replaced is moved
aside, not deleted. A backup whose identity numbers the current data keys
cannot decrypt is refused before anything changes; ``--restore-keys`` writes
the key a backup made with ``--include-keys`` carries to var/data_key
(replacing a different key in use only with ``--force``). Exit codes: 0 restored, 1 refused or failed, 2 a usage
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
        parser.add_argument("--yes", action="store_true", help="确认覆盖已有数据")
        parser.add_argument("--force", action="store_true",
                            help="同 --yes，并允许 --restore-keys 替换 var/data_key 中正在使用的另一个密钥（原密钥移至一旁）")
        parser.add_argument("--restore-keys", action="store_true",
                            help="把备份中附带的数据密钥写入 var/data_key（仅限用 --include-keys 生成的备份）")

    def handle(self, *args, file=None, yes=False, force=False, restore_keys=False, **options):
        yes = yes or force
        keys = {"restore_keys": restore_keys, "replace_key": force}
        if not file:
            raise CommandError("请指定备份文件，例如 gongkai restore gongkai-backup.tar.gz", returncode=USAGE)
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"找不到文件：{file}", returncode=USAGE)
        try:
            try:
                summary = backup_restore(source=source, force=yes, **keys)
            except BackupError as e:
                if yes or "--yes" not in str(e) or not sys.stdin.isatty():
                    raise
                self.stderr.write(str(e))
                if input("输入 yes 确认覆盖：").strip().lower() != "yes":
                    raise CommandError("未恢复。", returncode=FAILED) from e
                summary = backup_restore(source=source, force=True, **keys)
        except BackupError as e:
            raise CommandError(str(e), returncode=FAILED) from e
        self.stdout.write(
            f"已恢复：{source}（数据库 {summary.engine} {summary.database_bytes:,} 字节，"
            f"上传文件 {summary.media_files} 个 {summary.media_bytes:,} 字节，用时 {summary.seconds:.1f} 秒）")
        for note in summary.notes:
            self.stdout.write(note)
