"""``gongkai report build|check``: the annual report from the command line."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agency_get, region_get
from gongkai.reports.checks import ERROR
from gongkai.reports.formats import FIRST_YEAR
from gongkai.reports.render import RENDERERS, render
from gongkai.reports.selectors import agency_report, region_agency_reports, region_report

# Usage errors (unknown agency, region, year or format) exit with 2, like argparse's own.
USAGE = 2


class Command(BaseCommand):
    help = "政府信息公开工作年度报告：build 生成报告，check 校验勾稽关系，publish 发布。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{build,check,publish}")
        build = actions.add_parser("build", help="生成一个机关或一个区划（汇总）的年度报告")
        check = actions.add_parser("check", help="校验年度报告；有错误级别的问题时退出码为 1")
        for sub in (build, check):
            sub.add_argument("--agency", metavar="CODE", help="机关代码，如 xianyou-gxj")
            sub.add_argument("--region", metavar="CODE", help="区划代码，如 xianyou（汇总其下全部机关）")
            sub.add_argument("--year", required=True, metavar="YYYY", help="报告年度")
        publish = actions.add_parser("publish", help="发布一个机关的年度报告（有错误级别的问题时拒绝，退出码为 1）")
        publish.add_argument("--agency", required=True, metavar="CODE", help="机关代码，如 xianyou-gxj")
        publish.add_argument("--year", required=True, metavar="YYYY", help="报告年度")
        publish.add_argument("--reason", default="", help="已发布的报告再次发布（更正）时必填：更正原因")
        build.add_argument("--format", default="json", metavar="{json,md,html,xlsx,docx,pdf}", help="输出格式，默认 json")
        build.add_argument("-o", "--output", metavar="FILE", help="输出文件；省略时写到标准输出")

    def handle(self, *args, action, **options):
        year = self._year(options["year"])
        if action == "publish":
            return self._publish(self._owner(options["agency"], None), year, options["reason"])
        owner = self._owner(options["agency"], options["region"])
        if action == "build":
            return self._build(owner, year, options["format"], options["output"])
        return self._check(owner, year)

    def _year(self, raw: str) -> int:
        latest = timezone.localdate().year
        if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= latest:
            raise CommandError(f"未知的年度：{raw}（可选 {FIRST_YEAR}–{latest}）", returncode=USAGE)
        return int(raw)

    def _owner(self, agency_code, region_code):
        if bool(agency_code) == bool(region_code):
            raise CommandError("请指定 --agency 或 --region 之一", returncode=USAGE)
        if agency_code:
            agency = agency_get(code=agency_code)
            if agency is None:
                raise CommandError(f"未知的机关代码：{agency_code}", returncode=USAGE)
            return agency
        region = region_get(code=region_code)
        if region is None:
            raise CommandError(f"未知的区划代码：{region_code}", returncode=USAGE)
        return region

    def _report(self, owner, year):
        if isinstance(owner, Agency):
            return agency_report(agency=owner, year=year)
        return region_report(region=owner, year=year)

    def _build(self, owner, year, fmt, output):
        if fmt not in RENDERERS:
            raise CommandError(f"未知的输出格式：{fmt}（可选 {'、'.join(RENDERERS)}）", returncode=USAGE)
        data = render(self._report(owner, year), fmt)
        if output:
            try:
                with open(output, "wb") as f:
                    f.write(data)
            except OSError as e:
                raise CommandError(f"无法写入 {output}：{e.strerror}", returncode=1) from e
            return
        stream = getattr(self.stdout, "_out", sys.stdout)
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()

    def _publish(self, agency, year, reason):
        from gongkai.reports.services import ScriptRefused, report_publish_scripted

        try:
            version = report_publish_scripted(agency=agency, year=year, reason=reason)
        except ScriptRefused as e:
            self.stderr.write(e.reason)
            sys.exit(1)
        timing = "按期" if version.on_time else f"晚于{year + 1}年1月31日"
        self.stdout.write(f"已发布 {agency.name}{year}年度报告第{version.number}版（{timing}）。")

    def _check(self, owner, year):
        if isinstance(owner, Agency):
            reports = [agency_report(agency=owner, year=year)]
        else:
            reports = [*region_agency_reports(region=owner, year=year), region_report(region=owner, year=year)]
        errors = warnings = 0
        for report in reports:
            who = report.agency.code if report.agency else f"{report.region.code}（汇总）"
            for v in report.checks:
                level = "错误" if v.severity == ERROR else "警告"
                self.stdout.write(f"[{level}] {v.rule} {who} {year}：{v.message}")
                errors += v.severity == ERROR
                warnings += v.severity != ERROR
        summary = f"{year}年度：校验 {len(reports)} 份报告，{errors} 个错误，{warnings} 个警告。"
        if errors:
            self.stderr.write(summary)
            sys.exit(1)
        self.stdout.write(summary)
