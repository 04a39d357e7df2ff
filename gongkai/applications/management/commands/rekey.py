"""``gongkai rekey``: encrypt applicants' identity numbers again under the first key of GONGKAI_DATA_KEYS.

Put the new key first in GONGKAI_DATA_KEYS, keep the old ones after it, run
this, then drop the old keys (docs/decisions/019).
"""

from django.core.management.base import BaseCommand

from gongkai.applications.crypto import identity_numbers_rekey


class Command(BaseCommand):
    help = "用 GONGKAI_DATA_KEYS 中的第一个密钥重新加密申请人的证件号码，并重算其摘要（更换密钥后运行）。"

    def handle(self, *args, **options):
        count = identity_numbers_rekey()
        self.stdout.write(f"已重新加密 {count} 个证件号码。")
