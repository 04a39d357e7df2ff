"""``gongkai demo load|logins``: the demo data of 仙游县, and the accounts to try it with."""

import unicodedata

from django.core.management.base import BaseCommand

from gongkai.demo.selectors import demo_loaded
from gongkai.demo.services import DEMO_PASSWORD, DemoLogin, DemoSummary, demo_load, demo_logins


def _width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows aligned in columns, for text that mixes Chinese and Latin characters."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows)


class Command(BaseCommand):
    help = "演示数据：load 载入（可重复执行），logins 列出演示账号。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,logins}")
        actions.add_parser("load", help="载入或重新载入仙游县演示数据（不影响其他机关的数据）")
        actions.add_parser("logins", help="列出演示账号和密码")

    def handle(self, *args, action, **options):
        if action == "load":
            self._summary(demo_load(stdout=self.stdout))
        elif not demo_loaded():
            self.stdout.write("尚未载入演示数据，请先运行：gongkai demo load")
        self._logins(demo_logins())

    def _summary(self, summary: DemoSummary) -> None:
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入，用时 {summary.seconds:.1f} 秒。"))
        self.stdout.write("区划：福建省 › 莆田市 › 仙游县")
        rows = [("机关代码", "机关名称", "主动公开信息", "公开申请", "复议诉讼")]
        rows += [(a.code, a.name, f"{a.items} 条", f"{a.applications} 件", f"{a.appeals} 件")
                 for a in summary.agencies]
        rows.append(("合计", f"{len(summary.agencies)} 个机关", f"{summary.items} 条", f"{summary.applications} 件",
                     f"{summary.appeals} 件"))
        self.stdout.write(table(rows))
        self.stdout.write(f"年度报告 {summary.reports} 份（2019–2025 年度）。")

    def _logins(self, logins: list[DemoLogin]) -> None:
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(table([("用户名", "角色", "机关"), *((l.username, l.role, l.agency) for l in logins)]))
