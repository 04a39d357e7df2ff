"""``gongkai deadlines remind``: e-mail each handler their applications at risk (run daily from cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications.reminders import deadline_reminders_send


class Command(BaseCommand):
    help = "答复期限提醒：remind 向承办人发送已逾期或3个工作日内到期的申请清单（可每日由 cron 运行）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{remind}")
        remind = actions.add_parser("remind", help="发送到期提醒邮件")
        remind.add_argument("--today", metavar="YYYY-MM-DD", help="按指定日期计算（默认今天）")
        remind.add_argument("--dry-run", action="store_true", help="只列出将要提醒的人员，不发送邮件")

    def handle(self, *args, action, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{today}", returncode=2) from None
        summary = deadline_reminders_send(today=day, calendar=working_day_calendar(), dry_run=dry_run)
        verb = "将提醒" if dry_run else "已提醒"
        for username, count in summary.sent.items():
            self.stdout.write(f"{verb} {username}：{count} 件")
        for username in summary.already_reminded:
            self.stdout.write(f"今天已提醒过 {username}，跳过")
        for username in summary.skipped_no_email:
            self.stderr.write(f"{username} 没有电子邮箱，无法提醒")
        self.stdout.write(f"{day:%Y-%m-%d}：{verb} {len(summary.sent)} 人，涉及 {summary.applications} 件申请。")
