"""``gongkai backup -o FILE``: the database and the uploaded files in one checked archive (ADR 020).

Safe while the server runs. The data keys that encrypt identity numbers
stay out of the archive unless ``--include-keys`` (the file is then mode
0600 and a warning says so); either way stderr says what to keep. Exit codes: 0 written, 1 the backup failed
(a missing or mismatched pg_dump, a disk error), 2 a usage error; each
error is one Chinese line.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.ops.backup import BackupError, backup_create, key_fingerprint

USAGE, FAILED = 2, 1


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个 .tar.gz 文件（可在系统运行时执行）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE", help="备份文件，如 gongkai-2026-12-04.tar.gz")
        parser.add_argument("--include-keys", action="store_true",
                            help="把加密证件号码的数据密钥也放进备份（拿到备份文件的人即可读出证件号码，慎用）")

    def handle(self, *args, output=None, include_keys=False, **options):
        if not output:
            raise CommandError("请用 -o 指定备份文件，例如 gongkai backup -o gongkai-backup.tar.gz", returncode=USAGE)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}", returncode=USAGE)
        try:
            summary = backup_create(target=target, include_keys=include_keys)
        except BackupError as e:
            raise CommandError(str(e), returncode=FAILED) from e
        except OSError as e:
            raise CommandError(f"无法写入 {target}：{e.strerror or e}", returncode=FAILED) from e
        self.stdout.write(
            f"已备份：{target}（数据库 {summary.engine} {summary.database_bytes:,} 字节，"
            f"上传文件 {summary.media_files} 个 {summary.media_bytes:,} 字节，用时 {summary.seconds:.1f} 秒）")
        fingerprints = "、".join(key_fingerprint(k) for k in settings.GONGKAI_DATA_KEYS)
        usage = summary.key_usage
        if summary.keys_included:
            self.stderr.write(
                f"警告：该备份文件包含数据密钥（指纹 {fingerprints}），任何拿到它的人都能读出其中 {usage.total} 个"
                f"申请人证件号码。文件权限已设为 0600；请加密保存，不要与普通备份放在一起。")
        else:
            self.stderr.write(
                f"提醒：备份中不含数据密钥（GONGKAI_DATA_KEYS 或 var/data_key，指纹 {fingerprints}）。"
                f"没有它，恢复后其中 {usage.total} 个证件号码无法读出：请另行妥善保管该密钥，不要与备份放在一起。")
        if usage.unreadable:
            self.stderr.write(f"注意：数据库中有 {usage.unreadable} 个证件号码无法用当前的数据密钥解密（密钥已丢失或被更换）。")
