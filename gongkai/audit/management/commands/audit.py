"""``gongkai audit``: check the audit trail's hash chains.

    gongkai audit verify [--agency CODE] [-q]   exit 0 when every chain is intact, 1 naming the first problem of each
    gongkai audit heads                    each chain's length and last hash, to note down elsewhere

An unknown agency exits 2. ``verify`` reads each chain in batches, so its
memory does not grow with the trail.
"""

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.selectors import agency_get
from gongkai.audit.chain import audit_verify, chain_key, chain_label
from gongkai.audit.models import AuditChain

UNKNOWN_AGENCY = "未知的机关代码：{code}"


class Command(BaseCommand):
    help = "操作记录：校验哈希链（verify），列出各链的链头（heads）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,heads}")
        verify = actions.add_parser("verify", help="校验操作记录的哈希链：完好时退出码为 0，发现被修改、删除或插入的记录时为 1")
        verify.add_argument("--agency", metavar="CODE", help="只校验该机关的链")
        verify.add_argument("-q", "--quiet", action="store_true", help="完好时不输出任何内容（供 cron 使用）")
        actions.add_parser("heads", help="列出每条链的记录数和末条哈希（可另行留存，用于日后核对）")

    def handle(self, *args, action, **options):
        return {"verify": self._verify, "heads": self._heads}[action](**options)

    def _verify(self, *, agency=None, quiet=False, **options):
        chain = None
        if agency:
            found = agency_get(code=agency)
            if found is None:
                raise CommandError(UNKNOWN_AGENCY.format(code=agency), returncode=2)
            chain = chain_key(found.pk)
        result = audit_verify(chain=chain)
        if result.intact:
            if not quiet:
                self.stdout.write(f"操作记录校验通过：{result.chains} 条链，共 {result.entries} 条记录，"
                                  f"未发现修改、删除或插入。")
            return
        for problem in result.problems:
            self.stderr.write(f"[错误] {problem.message}")
        raise CommandError(f"操作记录校验未通过：{len(result.problems)} 条链有问题（共 {result.chains} 条链）。",
                           returncode=1)

    def _heads(self, **options):
        for head in AuditChain.objects.order_by("key"):
            self.stdout.write(f"{head.key}\t{head.length}\t{head.head}\t{chain_label(head.key)}")

