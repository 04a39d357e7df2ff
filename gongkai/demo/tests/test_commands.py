"""``gongkai demo load|logins``."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from gongkai.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


class TestDemoCommand:
    def test_load_prints_the_county_and_the_logins(self, demo):
        output = _run("load")
        assert "演示数据已载入" in output
        assert "xianyou-gxj    仙游县工业和信息化局" in output
        assert f"演示账号（密码均为 {DEMO_PASSWORD}）" in output
        assert "gxj_handler         申请承办人" in output
        assert "xianyou_supervisor  政务公开监督人员" in output

    def test_logins_prints_only_the_logins(self, demo):
        output = _run("logins")
        assert "演示数据已载入" not in output
        assert "admin" in output and "sthjj_admin" in output

    def test_logins_before_load_says_how_to_load(self):
        get_user_model().objects.filter(username="admin").delete()
        assert "请先运行：gongkai demo load" in _run("logins")

    def test_an_action_is_required(self):
        with pytest.raises(CommandError):
            _run()
