"""``gongkai catalogue``: standard catalogues, the agency's catalogue tree, and scheduled publication.

    gongkai catalogue import-standard FILE [--name NAME]
    gongkai catalogue apply --agency CODE --standard NAME [--under ENTRY]
    gongkai catalogue publish-due
    gongkai catalogue empty-entries --agency CODE [--year YYYY]

Usage errors (a missing option, an unknown agency, standard, entry or year,
an unreadable file) exit with 2 and data errors (rows of a standard
catalogue that fail) with 1; each is one Chinese line on stderr.
``publish-due`` is for cron: it may run every few minutes, publishes only
what is due and writes nothing when nothing is due (unless -v 2).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.agencies.selectors import agency_get
from gongkai.catalogue import workflow
from gongkai.catalogue.models import CatalogueEntry, StandardCatalogue
from gongkai.catalogue.standard import StandardImportError, import_standard_file, standard_apply
from gongkai.catalogue.tree import catalogue_outline, entries_without_items

USAGE = 2  # like argparse's own (see ``gongkai report``)
DATA = 1
SHOWN_ERRORS = 5

UNKNOWN_AGENCY = "未知的机关代码：{code}"
UNKNOWN_STANDARD = "未找到标准目录：{name}（已导入：{known}）"
UNKNOWN_ENTRY = "机关「{agency}」的目录中没有「{name}」"
AMBIGUOUS_ENTRY = "目录「{name}」不止一个（{paths}），请用完整路径指定，如 --under \"{example}\""
BAD_YEAR = "年度格式有误：{raw}（应为四位数字，如 2025）"
CANNOT_READ = "无法读取 {path}：{reason}"


class Command(BaseCommand):
    help = "信息公开目录：导入和套用基层政务公开标准目录、列出无信息的目录、发布到期的定时发布信息。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True,
                                        metavar="{import-standard,apply,publish-due,empty-entries}")
        load = actions.add_parser("import-standard", help="导入基层政务公开标准目录（YAML、CSV 或 XLSX）；同名再次导入时替换其事项")
        load.add_argument("file", metavar="FILE", help="标准目录文件")
        load.add_argument("--name", metavar="NAME", default="", help="标准目录名称；省略时取表格标题或文件名")
        apply = actions.add_parser("apply", help="把标准目录套用到机关的信息公开目录（重复套用不会重复创建）")
        apply.add_argument("--agency", metavar="CODE", help="机关代码，如 xianyou-gxj")
        apply.add_argument("--standard", metavar="NAME", help="标准目录名称")
        apply.add_argument("--under", metavar="ENTRY", help="套用到该目录之下；多级用“/”分隔，如 “专题/工业和信息化”")
        actions.add_parser("publish-due", help="发布已到定时发布时间的信息（供 cron 定时运行）")
        empty = actions.add_parser("empty-entries", help="列出某年度没有已发布信息的末级目录")
        empty.add_argument("--agency", metavar="CODE", help="机关代码")
        empty.add_argument("--year", metavar="YYYY", help="年度，默认今年")

    def handle(self, *args, action, **options):
        return {"import-standard": self._import, "apply": self._apply, "publish-due": self._publish_due,
                "empty-entries": self._empty}[action](**options)

    # --- subcommands -----------------------------------------------------------

    def _import(self, *, file, name, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise CommandError(CANNOT_READ.format(path=file, reason=e.strerror or e), returncode=USAGE) from e
        try:
            catalogue = import_standard_file(data=data, filename=path.name, name=name)
        except StandardImportError as e:
            raise CommandError(_one_line(e.errors), returncode=DATA) from e
        count = catalogue.entries.count()
        self.stdout.write(f"已导入标准目录「{catalogue.name}」：{count} 个事项。")

    def _apply(self, *, agency, standard, under, **options):
        if not agency or not standard:
            raise CommandError("请指定 --agency 和 --standard，例如 --agency xianyou-gxj --standard 工业和信息化领域",
                               returncode=USAGE)
        owner = self._agency(agency)
        catalogue = StandardCatalogue.objects.filter(name=standard).first()
        if catalogue is None:
            known = "、".join(StandardCatalogue.objects.values_list("name", flat=True)) or "无"
            raise CommandError(UNKNOWN_STANDARD.format(name=standard, known=known), returncode=USAGE)
        parent = self._entry(owner, under) if under else None
        created = standard_apply(user=None, agency=owner, standard=catalogue, under=parent)
        total = CatalogueEntry.objects.filter(agency=owner).count()
        self.stdout.write(f"已将「{catalogue.name}」套用到{owner.name}：新增 {len(created)} 个目录，"
                          f"目录共 {total} 个。")

    def _publish_due(self, **options):
        published = workflow.publish_due(now=timezone.now())
        for item in published:
            self.stdout.write(f"已发布 {item.index_number} {item.title}")
        if published or options["verbosity"] > 1:
            self.stdout.write(f"共发布 {len(published)} 条到期的定时发布信息。")

    def _empty(self, *, agency, year, **options):
        if not agency:
            raise CommandError("请指定 --agency，例如 --agency xianyou-gxj", returncode=USAGE)
        owner = self._agency(agency)
        year = self._year(year)
        entries = entries_without_items(owner, year)
        for entry in entries:
            self.stdout.write(" / ".join(entry.path))
        self.stdout.write(f"{owner.name}{year}年度：{len(entries)} 个末级目录没有已发布的信息。")

    # --- arguments -------------------------------------------------------------

    def _agency(self, code):
        agency = agency_get(code=code)
        if agency is None:
            raise CommandError(UNKNOWN_AGENCY.format(code=code), returncode=USAGE)
        return agency

    def _year(self, raw):
        if raw is None:
            return timezone.localdate().year
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            raise CommandError(BAD_YEAR.format(raw=raw), returncode=USAGE)
        return int(raw)

    def _entry(self, agency, name):
        """An entry by its name, or by its path of names from the top when the name is not unique."""
        paths = catalogue_outline(agency)[0]
        wanted = tuple(p.strip() for p in name.strip("/").split("/"))
        exact = [pk for pk, path in paths.items() if path[-1] == name.strip()]
        matches = exact or [pk for pk, path in paths.items() if path == wanted]
        if not matches:
            raise CommandError(UNKNOWN_ENTRY.format(agency=agency.name, name=name), returncode=USAGE)
        if len(matches) > 1:
            shown = ["/".join(paths[pk]) for pk in matches]
            raise CommandError(AMBIGUOUS_ENTRY.format(name=name, paths="、".join(shown), example=shown[0]),
                               returncode=USAGE)
        return CatalogueEntry.objects.get(pk=matches[0])


def _one_line(errors: list[str]) -> str:
    shown = "；".join(errors[:SHOWN_ERRORS])
    if len(errors) > SHOWN_ERRORS:
        shown += f"……共 {len(errors)} 处错误"
    return shown.replace("\n", " ")
