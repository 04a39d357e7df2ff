"""``gongkai search rebuild|query``: rebuild the full-text index, or try a search from the command line.

``rebuild`` re-indexes every public item (or one agency's) and is what
to run after bulk loads (``demo load``, imports) that bypass the signals.
``query`` prints the number of matches and the best ones with their scores;
``--backend like`` runs the same query as a plain ``LIKE`` scan, for
comparison. Usage errors exit with 2, each as one Chinese line.
"""

from html import unescape
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.selectors import agency_get, region_get
from gongkai.catalogue.search import LikeBackend, search, search_rebuild

USAGE = 2
UNKNOWN_AGENCY = "未知的机关代码：{code}"
UNKNOWN_REGION = "未知的区划代码：{code}"
BAD_LIMIT = "--limit 应为 1–100 的整数：{raw}"


class Command(BaseCommand):
    help = "全文检索：rebuild 重建索引，query 检索并显示得分。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{rebuild,query}")
        rebuild = actions.add_parser("rebuild", help="重建公开信息（已发布且非不予公开）的全文检索索引")
        rebuild.add_argument("--agency", metavar="CODE", help="只重建一个机关的，如 xianyou-gxj")
        query = actions.add_parser("query", help="检索公开信息，显示命中数和得分最高的标题")
        query.add_argument("text", metavar="QUERY", help="检索词，如 补贴 或 仙工信〔2020〕12号")
        query.add_argument("--agency", metavar="CODE", help="机关代码")
        query.add_argument("--region", metavar="CODE", help="区划代码（含下级区划）")
        query.add_argument("--limit", default="10", metavar="N", help="显示条数，默认 10")
        query.add_argument("--backend", choices=["index", "like"], default="index",
                           help="index（全文索引，默认）或 like（逐条 LIKE 扫描，用于对比）")

    def handle(self, *args, action, **options):
        agency = self._agency(options["agency"])
        if action == "rebuild":
            started = perf_counter()
            count = search_rebuild(agency=agency)
            self.stdout.write(f"已重建全文检索索引：{count} 条公开信息，用时 {perf_counter() - started:.1f} 秒")
            return
        region = None
        if options["region"]:
            region = region_get(code=options["region"])
            if region is None:
                raise CommandError(UNKNOWN_REGION.format(code=options["region"]), returncode=USAGE)
        raw = options["limit"]
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 100):
            raise CommandError(BAD_LIMIT.format(raw=raw), returncode=USAGE)
        backend = LikeBackend() if options["backend"] == "like" else None
        started = perf_counter()
        results = search(options["text"], agency=agency, region=region, limit=int(raw), backend=backend)
        elapsed = (perf_counter() - started) * 1000
        self.stdout.write(f"共 {results.count} 条（{elapsed:.0f} 毫秒）")
        for hit in results.results:
            item = hit.item
            self.stdout.write(f"{hit.score:6.3f}  {item.published_on or ''}  {item.title}  [{item.agency.code}]")
            # Matches in 【】 on a terminal; the snippet's text is escaped, so these are the only tags.
            marked = hit.snippet.replace("<mark>", "【").replace("</mark>", "】")
            self.stdout.write(f"        {unescape(marked)}")

    def _agency(self, code):
        if not code:
            return None
        agency = agency_get(code=code)
        if agency is None:
            raise CommandError(UNKNOWN_AGENCY.format(code=code), returncode=USAGE)
        return agency
