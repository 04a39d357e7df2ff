"""``gongkai fee``: the information-processing fee (信息处理费) for one application.

``--scheme per-application --ordinal K`` — the applicant's K-th application
to this agency in the calendar month; ``--scheme per-volume --pages P`` —
P pages supplied. The amount in 元 is the first thing printed, then the
basis in brackets, so a script can take the first number.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications.fees import Fee, FeeScheme, format_yuan, per_application_fee, per_volume_fee

# Usage errors exit with 2, like argparse's own (see ``gongkai report``).
USAGE = 2
INTEGER = re.compile(r"-?[0-9]+")
SCHEMES = {"per-application": FeeScheme.PER_APPLICATION, "per-volume": FeeScheme.PER_VOLUME}

MISSING_SCHEME = "请用 --scheme 指定计收方式：per-application 按件计收或 per-volume 按量计收"
BAD_SCHEME = "未知的计收方式：{raw}（可选 per-application 按件计收、per-volume 按量计收）"
NEEDS_ORDINAL = "按件计收请用 --ordinal 指定本月第几件申请（不能同时指定 --pages）"
NEEDS_PAGES = "按量计收请用 --pages 指定页数（不能同时指定 --ordinal）"
BAD_NUMBER = "{what}须为整数：{raw}"


class Command(BaseCommand):
    help = "计算信息处理费（国办函〔2020〕109号）：按件计收或按量计收，二者择一。"

    def add_arguments(self, parser):
        # Validated in handle(), not by argparse, so every usage error is one Chinese line.
        parser.add_argument("--scheme", metavar="{per-application,per-volume}", help="计收方式：按件或按量")
        parser.add_argument("--ordinal", metavar="K", help="按件计收：申请人本自然月内向本机关提出的第几件申请")
        parser.add_argument("--pages", metavar="P", help="按量计收：提供信息的页数")

    def handle(self, *args, scheme, ordinal, pages, **options):
        if scheme is None:
            raise CommandError(MISSING_SCHEME, returncode=USAGE)
        chosen = SCHEMES.get(scheme)
        if chosen is None:
            raise CommandError(BAD_SCHEME.format(raw=scheme), returncode=USAGE)
        if chosen == FeeScheme.PER_APPLICATION:
            if ordinal is None or pages is not None:
                raise CommandError(NEEDS_ORDINAL, returncode=USAGE)
            fee = _compute(per_application_fee, _integer(ordinal, "申请序号"))
            self.stdout.write(_per_application_text(fee))
        else:
            if pages is None or ordinal is not None:
                raise CommandError(NEEDS_PAGES, returncode=USAGE)
            fee = _compute(per_volume_fee, _integer(pages, "页数"))
            self.stdout.write(_per_volume_text(fee))


def _integer(raw: str, what: str) -> int:
    """Plain ASCII digits only; ``int()`` alone would also take "1_000" and full-width digits."""
    if not INTEGER.fullmatch(raw):
        raise CommandError(BAD_NUMBER.format(what=what, raw=raw), returncode=USAGE)
    return int(raw)


def _compute(function, value: int) -> Fee:
    """The fee functions reject out-of-range input with a Chinese ValueError; pass it on as a usage error."""
    try:
        return function(value)
    except ValueError as e:
        raise CommandError(str(e), returncode=USAGE) from e


def _per_application_text(fee: Fee) -> str:
    """E.g. "200 元（第31–40件，每件200元）"."""
    line = fee.lines[0]
    basis = "免费" if not line.rate else f"每件{format_yuan(line.rate)}元"
    return f"{format_yuan(fee.amount)} 元（{line.label}，{basis}）"


def _per_volume_text(fee: Fee) -> str:
    """E.g. "4700 元（1–30页免费；31–100页 70页×10元=700元；…）"."""
    basis = "；".join(line.describe() for line in fee.lines) or "0页，免费"
    return f"{format_yuan(fee.amount)} 元（{basis}）"
