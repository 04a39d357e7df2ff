"""The staff report page: login, the right agency, the form's layout with its checks."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.agencies.models import Membership, Role, Supervision
from gongkai.reports.models import AdministrativeFigures


@pytest.fixture
def staff(agency):
    user = User.objects.create_user("handler", password="x-very-long-password")
    Membership.objects.create(user=user, agency=agency, role=Role.HANDLER)
    return user


def url(agency, year=2020):
    return reverse("reports:agency_report", args=[agency.code, year])


@pytest.mark.django_db
def test_login_required(client, agency):
    response = client.get(url(agency))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_member_sees_report_with_checks(client, agency, staff):
    AdministrativeFigures.objects.create(agency=agency, year=2020, penalty_previous_year_items=62)
    client.force_login(staff)
    response = client.get(url(agency))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{agency.name}2020年政府信息公开工作年度报告" in html
    assert "全部校验通过" in html
    for label in ("行政处罚", "上一年项目数量", "（七）总计", "四、结转下年度继续办理", "复议后起诉"):
        assert label in html
    assert ">62<" in html


@pytest.mark.django_db
def test_other_agency_is_forbidden(client, agency, other_agency, staff):
    client.force_login(staff)
    response = client.get(url(other_agency))
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert client.get(reverse("reports:agency_report_download", args=[other_agency.code, 2020, "json"])
                      ).status_code == 403


@pytest.mark.django_db
def test_supervisor_sees_every_agency_below_the_region(client, agency, other_agency, region):
    user = User.objects.create_user("supervisor", password="x-very-long-password")
    Supervision.objects.create(user=user, region=region.parent)
    client.force_login(user)
    assert client.get(url(agency)).status_code == 200
    assert client.get(url(other_agency)).status_code == 200
    home = client.get(reverse("reports:home")).content.decode()
    assert agency.name in home and other_agency.name in home


@pytest.mark.django_db
def test_unknown_year_and_agency_are_404(client, agency, staff):
    client.force_login(staff)
    assert client.get(url(agency, 2018)).status_code == 404
    assert client.get(url(agency, 2999)).status_code == 404
    assert client.get(reverse("reports:agency_report", args=["nope", 2020])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fmt,content_type", [
    ("json", "application/json"), ("md", "text/markdown"), ("html", "text/html"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_downloads(client, agency, staff, fmt, content_type):
    client.force_login(staff)
    response = client.get(reverse("reports:agency_report_download", args=[agency.code, 2021, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f'filename="{agency.code}-2021.' in response["Content-Disposition"]


@pytest.mark.django_db
def test_checks_are_shown(client, agency, staff):
    from gongkai.reports.models import AnnualReport

    AnnualReport.objects.create(agency=agency, year=2023, overview="全年共主动公开政府信息9条。")
    client.force_login(staff)
    html = client.get(url(agency, 2023)).content.decode()
    assert "警告" in html and "与全年主动公开政府信息条数(0)不一致" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name, args", [
    ("reports:home", []),
    ("reports:agency_report", [2020]),
    ("reports:agency_report_download", [2020, "json"]),
])
def test_read_only_pages_answer_get_and_head_only(client, agency, staff, name, args):
    client.force_login(staff)
    path = reverse(name, args=[agency.code, *args] if args else [])
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(path).status_code == 405
