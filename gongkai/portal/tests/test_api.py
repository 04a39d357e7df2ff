"""The public JSON API at /api/v1/: public data only, bounded queries, the canonical report JSON, CORS, OpenAPI."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.models import Agency, Region
from gongkai.catalogue.models import Attachment, DisclosureMode, DocumentType, Genre, Guide, Item, ItemStatus, Validity
from gongkai.reports.models import AnnualReport
from gongkai.reports.schema import validate_report
from gongkai.reports.selectors import agency_report

pytestmark = pytest.mark.urls("gongkai.portal.tests.urls_api_for_tests")

API = "/api/v1"
SECRET_BODY = "撤回前的正文内容"
DRAFT_TITLE = "尚未发布的草稿"
HIDDEN_TITLE = "不予公开的信息"
ATTACHMENT_TEXT = "附件提取文本只供检索"
REPORT_YEAR = 2023


def make_item(agency, n=0, *, status=ItemStatus.PUBLISHED, published_on=None, **fields):
    published_on = published_on or date(2025, 3, 1) + timedelta(days=n)
    values = {
        "title": f"关于第{n}批企业技术改造补助资金的公示",
        "status": status,
        "index_number": f"{agency.code}/{published_on.year}-{n:05d}-{status}",
        "document_type": DocumentType.OTHER,
        "topic": "工业、交通",
        "genre": Genre.NOTICE,
        "document_number": f"测工信〔2025〕{n}号",
        "abstract": "技改补助资金公示",
        "body": "<p>各有关企业：现将补助资金公示如下。</p>",
        "formed_on": published_on - timedelta(days=2),
        "published_on": published_on if status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN) else None,
        "channels": ["website"],
    }
    values.update(fields)
    return Item.objects.create(agency=agency, **values)


def attach(item, n=1):
    return Attachment.objects.create(item=item, title=f"附件{n}.pdf", file=f"items/{item.pk}/a{n}.pdf",
                                     content_type="application/pdf", size=1024 * n, sha256=f"{n:064x}",
                                     text=ATTACHMENT_TEXT)


@pytest.fixture
def catalogue(agency, other_agency):
    """Published items of two agencies in two counties, and one item in each state the public never sees."""
    items = {
        "notice": make_item(agency, 1, published_on=date(2024, 6, 3)),
        "normative": make_item(agency, 2, published_on=date(2025, 2, 10), document_type=DocumentType.NORMATIVE_DOCUMENT,
                               title="测试县工业企业技术改造专项资金管理办法", genre=Genre.MEASURES,
                               topic="工业、交通", effective_on=date(2025, 3, 1)),
        "abolished": make_item(agency, 3, published_on=date(2025, 1, 6), document_type=DocumentType.NORMATIVE_DOCUMENT,
                               validity=Validity.ABOLISHED, abolished_on=date(2025, 6, 30), topic="财政"),
        "elsewhere": make_item(other_agency, 4, published_on=date(2025, 4, 1), title="邻县关于节能补贴的通知"),
        "draft": make_item(agency, 5, status=ItemStatus.DRAFT, title=DRAFT_TITLE),
        "withdrawn": make_item(agency, 6, status=ItemStatus.WITHDRAWN, title="已撤回的通知",
                               body=f"<p>{SECRET_BODY}</p>", withdrawal_reason="内容有误"),
        "hidden": make_item(agency, 7, title=HIDDEN_TITLE, disclosure_mode=DisclosureMode.NOT_DISCLOSED),
    }
    items["interpretation"] = make_item(agency, 8, published_on=date(2025, 2, 12), genre=Genre.INTERPRETATION,
                                        title="《技术改造专项资金管理办法》政策解读", interprets=items["normative"])
    attach(items["notice"], 1)
    attach(items["notice"], 2)
    attach(items["withdrawn"], 3)
    return items


@pytest.fixture
def reports(agency):
    """A published report (its figures frozen) and a later year still being written."""
    canonical = agency_report(agency=agency, year=REPORT_YEAR).canonical()
    AnnualReport.objects.create(agency=agency, year=REPORT_YEAR, overview="全年主动公开政府信息。",
                                snapshot=canonical)
    AnnualReport.objects.create(agency=agency, year=REPORT_YEAR + 1, overview="草稿")
    return json.loads(json.dumps(canonical))


def ids(response):
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestAgenciesAndRegions:
    def test_agency_list_names_each_agency_with_its_region_and_links(self, client, agency, other_agency):
        response = client.get(f"{API}/agencies")
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == 2
        row = next(r for r in data["results"] if r["code"] == agency.code)
        assert row == {
            "code": agency.code, "name": agency.name, "short_name": "",
            "region": {"code": "testcounty", "name": "测试县"},
            "links": {"self": f"{API}/agencies/{agency.code}", "items": f"{API}/items?agency={agency.code}",
                      "reports": f"{API}/reports/{agency.code}", "page": f"/{agency.code}/"},
        }

    def test_agency_detail_has_the_guides_contact_details(self, client, agency):
        Guide.objects.create(agency=agency, classification="按主题分类", how_to_obtain="网站查阅",
                             office_name="测试县工信局办公室", office_address="测试县政府大院1号",
                             office_hours="工作日 8:00-12:00", phone="0594-0000000", fax="0594-0000001")
        data = client.get(f"{API}/agencies/{agency.code}").json()
        assert data["code"] == agency.code
        assert data["guide"]["office_name"] == "测试县工信局办公室"
        assert data["guide"]["phone"] == "0594-0000000"

    def test_agency_without_guide_has_null_guide(self, client, agency):
        assert client.get(f"{API}/agencies/{agency.code}").json()["guide"] is None

    def test_unknown_agency_is_a_404_with_a_message(self, client, db):
        response = client.get(f"{API}/agencies/nowhere")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "nowhere" in response.json()["message"]

    def test_region_list(self, client, agency, other_agency):
        data = client.get(f"{API}/regions").json()
        assert [(r["code"], r["parent"]) for r in data["results"]] == [
            ("testprov", None), ("othercounty", "testprov"), ("testcounty", "testprov")]
        assert data["count"] == 3

    def test_region_detail_lists_the_agencies_of_its_sub_regions_too(self, client, agency, other_agency):
        data = client.get(f"{API}/regions/testprov").json()
        assert data["parent"] is None
        assert [c["code"] for c in data["children"]] == ["othercounty", "testcounty"]
        assert [a["code"] for a in data["agencies"]] == [other_agency.code, agency.code]
        county = client.get(f"{API}/regions/testcounty").json()
        assert county["parent"] == {"code": "testprov", "name": "测试省"}
        assert [a["code"] for a in county["agencies"]] == [agency.code]

    def test_unknown_region_is_a_404(self, client, db):
        response = client.get(f"{API}/regions/nowhere")
        assert response.status_code == 404
        assert response.json()["message"]


@pytest.mark.django_db
class TestItemList:
    def test_lists_published_items_newest_first_and_nothing_else(self, client, catalogue):
        response = client.get(f"{API}/items")
        assert response.status_code == 200
        data = response.json()
        expected = ["elsewhere", "interpretation", "normative", "abolished", "notice"]
        assert ids(response) == [catalogue[k].pk for k in expected]
        assert data["count"] == 5
        assert (data["offset"], data["limit"]) == (0, 20)
        text = response.content.decode()
        for secret in (DRAFT_TITLE, HIDDEN_TITLE, "已撤回的通知", SECRET_BODY, ATTACHMENT_TEXT, "内容有误"):
            assert secret not in text

    def test_a_row_has_the_catalogue_metadata_attachments_and_page_urls(self, client, agency, catalogue):
        notice = catalogue["notice"]
        rows = client.get(f"{API}/items", {"agency": agency.code}).json()["results"]
        row = next(r for r in rows if r["id"] == notice.pk)
        a1, a2 = notice.attachments.order_by("id")
        page = f"/{agency.code}/items/{notice.pk}/"
        assert row == {
            "id": notice.pk, "index_number": notice.index_number, "title": notice.title,
            "agency": {"code": agency.code, "name": agency.name}, "document_number": "测工信〔2025〕1号",
            "document_type": {"code": "other", "label": "其他政府信息"}, "topic": "工业、交通",
            "genre": {"code": "notice", "label": "通知"}, "validity": {"code": "valid", "label": "有效"},
            "formed_on": "2024-06-01", "published_on": "2024-06-03", "effective_on": None, "abolished_on": None,
            "abstract": "技改补助资金公示", "url": page,
            "attachments": [
                {"id": a1.pk, "title": "附件1.pdf", "content_type": "application/pdf", "size": 1024,
                 "sha256": "0" * 63 + "1", "url": f"{page}attachments/{a1.pk}/"},
                {"id": a2.pk, "title": "附件2.pdf", "content_type": "application/pdf", "size": 2048,
                 "sha256": "0" * 63 + "2", "url": f"{page}attachments/{a2.pk}/"},
            ],
            "score": None, "snippet": None,
        }
        assert "body" not in row

    @pytest.mark.parametrize("params, expected", [
        ({"agency": "testcounty-gxj"}, ["interpretation", "normative", "abolished", "notice"]),
        ({"region": "othercounty"}, ["elsewhere"]),
        ({"region": "testprov"}, ["elsewhere", "interpretation", "normative", "abolished", "notice"]),
        ({"type": "normative_document"}, ["normative", "abolished"]),
        ({"topic": "财政"}, ["abolished"]),
        ({"year": 2024}, ["notice"]),
        ({"validity": "abolished"}, ["abolished"]),
        ({"agency": "testcounty-gxj", "year": 2025, "type": "other"}, ["interpretation"]),
        ({"agency": "", "year": "", "type": ""}, ["elsewhere", "interpretation", "normative", "abolished", "notice"]),
    ])
    def test_filters(self, client, catalogue, params, expected):
        response = client.get(f"{API}/items", params)
        assert response.status_code == 200, response.content
        assert ids(response) == [catalogue[k].pk for k in expected]
        assert response.json()["count"] == len(expected)

    def test_offset_and_limit_page_through_with_the_total_count(self, client, catalogue):
        data = client.get(f"{API}/items", {"offset": 1, "limit": 2}).json()
        assert data["count"] == 5
        assert [r["id"] for r in data["results"]] == [catalogue["interpretation"].pk, catalogue["normative"].pk]
        assert client.get(f"{API}/items", {"limit": 100}).status_code == 200

    @pytest.mark.parametrize("params, parameter", [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"year": "二〇二五"}, "year"),
        ({"type": "decree"}, "type"),
        ({"validity": "maybe"}, "validity"),
        ({"agency": "nowhere"}, "agency"),
        ({"region": "nowhere"}, "region"),
        ({"q": "补" * 201}, "q"),
    ])
    def test_invalid_parameters_are_a_422_with_a_json_message(self, client, catalogue, params, parameter):
        response = client.get(f"{API}/items", params)
        assert response.status_code == 422
        data = response.json()
        assert data["message"].startswith("请求参数不正确：")
        assert f"参数 {parameter} " in data["message"]
        assert [e["loc"][-1] for e in data["detail"]] == [parameter]


@pytest.mark.django_db
class TestItemDetail:
    def test_a_published_item_with_its_body(self, client, catalogue):
        normative = catalogue["normative"]
        data = client.get(f"{API}/items/{normative.pk}").json()
        assert data["title"] == normative.title
        assert data["body"] == "<p>各有关企业：现将补助资金公示如下。</p>"
        assert data["effective_on"] == "2025-03-01"
        assert data["disclosure_mode"] == {"code": "proactive", "label": "主动公开"}
        assert data["channels"] == [{"code": "website", "label": "政府网站信息公开专栏"}]
        assert data["interprets"] is None

    def test_an_interpretation_links_the_document_it_interprets(self, client, agency, catalogue):
        data = client.get(f"{API}/items/{catalogue['interpretation'].pk}").json()
        normative = catalogue["normative"]
        assert data["interprets"] == {"id": normative.pk, "title": normative.title,
                                      "url": f"/{agency.code}/items/{normative.pk}/"}

    def test_the_interpreted_document_is_not_shown_once_withdrawn(self, client, catalogue):
        Item.objects.filter(pk=catalogue["normative"].pk).update(status=ItemStatus.WITHDRAWN)
        assert client.get(f"{API}/items/{catalogue['interpretation'].pk}").json()["interprets"] is None

    def test_the_body_is_cleaned_even_if_stored_unclean(self, client, agency):
        item = make_item(agency, 9, body='<p onclick="x()">正文</p><script>alert(1)</script>')
        body = client.get(f"{API}/items/{item.pk}").json()["body"]
        assert "<script" not in body and "onclick" not in body and "正文" in body

    @pytest.mark.parametrize("key", ["draft", "withdrawn", "hidden"])
    def test_what_is_not_public_is_a_404(self, client, catalogue, key):
        response = client.get(f"{API}/items/{catalogue[key].pk}")
        assert response.status_code == 404
        assert response.json() == {"message": f"没有编号为 {catalogue[key].pk} 的已公开信息。"}
        assert SECRET_BODY not in response.content.decode()

    def test_an_unknown_id_is_a_404(self, client, db):
        assert client.get(f"{API}/items/999999").status_code == 404


@pytest.mark.django_db
class TestReports:
    def test_a_published_report_is_its_frozen_canonical_json_in_printed_order(self, client, agency, reports):
        response = client.get(f"{API}/reports/{agency.code}/{REPORT_YEAR}")
        assert response.status_code == 200
        doc = response.json()
        assert doc == reports
        # Same keys in the same order as DOMAIN.md §2 (PostgreSQL's jsonb does not keep it).
        assert json.dumps(doc, ensure_ascii=False) == json.dumps(reports, ensure_ascii=False)
        assert doc["schema"] == "gongkai.annual-report/1"
        assert doc["agency"] == {"code": agency.code, "name": agency.name}
        assert (doc["year"], doc["format"]) == (REPORT_YEAR, "2021")

    def test_the_published_report_validates_against_the_json_schema(self, client, agency, reports):
        validate_report(client.get(f"{API}/reports/{agency.code}/{REPORT_YEAR}").json())

    def test_the_frozen_figures_are_served_not_todays(self, client, agency, reports):
        """Records changed after publication do not change the published report."""
        make_item(agency, 10, published_on=date(REPORT_YEAR, 5, 1), document_type=DocumentType.NORMATIVE_DOCUMENT)
        assert client.get(f"{API}/reports/{agency.code}/{REPORT_YEAR}").json() == reports

    @pytest.mark.parametrize("year", [REPORT_YEAR + 1, REPORT_YEAR - 1])
    def test_a_year_without_a_published_report_is_a_404(self, client, agency, reports, year):
        response = client.get(f"{API}/reports/{agency.code}/{year}")
        assert response.status_code == 404
        assert response.json()["message"] == (
            f"{agency.name}{year}年度的政府信息公开工作年度报告尚未发布。未发布的报告数据由系统按记录实时计算，不对外公开。")

    def test_unknown_agency(self, client, db):
        assert client.get(f"{API}/reports/nowhere/{REPORT_YEAR}").status_code == 404
        assert client.get(f"{API}/reports/nowhere").status_code == 404

    def test_the_list_has_the_published_years_only(self, client, agency, reports):
        data = client.get(f"{API}/reports/{agency.code}").json()
        assert data == {"agency": {"code": agency.code, "name": agency.name}, "results": [
            {"year": REPORT_YEAR, "format": "2021", "url": f"{API}/reports/{agency.code}/{REPORT_YEAR}"}]}

    def test_the_json_schema_is_served(self, client, db):
        schema = client.get(f"{API}/schemas/annual-report").json()
        assert schema["properties"]["schema"] == {"const": "gongkai.annual-report/1"}


@pytest.mark.django_db
class TestBoundedQueries:
    def _items(self, agency, start, count):
        for n in range(start, start + count):
            item = make_item(agency, n)
            attach(item, 1)
            attach(item, 2)

    def _queries(self, client, url, params=None):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params or {})
        assert response.status_code == 200
        return len(queries)

    @pytest.mark.parametrize("url, params", [
        (f"{API}/items", {"limit": 100}),
        (f"{API}/items", {"limit": 100, "agency": "testcounty-gxj", "region": "testprov"}),
        (f"{API}/items", {"limit": 100, "q": "补助", "region": "testprov"}),
        (f"{API}/agencies", None),
        (f"{API}/regions", None),
        (f"{API}/regions/testprov", None),
    ])
    def test_lists_cost_the_same_for_5_and_50_rows(self, client, agency, django_assert_max_num_queries,
                                                   url, params):
        self._items(agency, 1, 5)
        few = self._queries(client, url, params)
        self._items(agency, 6, 45)
        for n in range(45):
            region = Region.objects.create(code=f"town{n}", name=f"镇{n}", parent=agency.region)
            Agency.objects.create(code=f"town{n}-gov", name=f"镇{n}人民政府", region=region)
        with django_assert_max_num_queries(8):
            many = self._queries(client, url, params)
        assert many == few
        if url.endswith("/items"):
            assert len(client.get(url, params).json()["results"]) == 50


@pytest.mark.django_db
class TestHttp:
    @pytest.mark.parametrize("path", ["/agencies", "/items", "/items/999999", "/items?limit=1000",
                                      "/reports/nowhere/2023", "/openapi.json"])
    def test_any_origin_may_read(self, client, path):
        response = client.get(f"{API}{path}", HTTP_ORIGIN="https://example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_read_only(self, client, catalogue, method):
        response = getattr(client, method)(f"{API}/items/{catalogue['notice'].pk}")
        assert response.status_code == 405
        assert Item.objects.filter(pk=catalogue["notice"].pk, status=ItemStatus.PUBLISHED).exists()

    def test_chinese_is_sent_as_utf8_not_escaped(self, client, agency):
        response = client.get(f"{API}/agencies")
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert agency.name.encode() in response.content

    def test_no_docs_page_that_would_load_scripts_from_a_cdn(self, client, db):
        assert client.get(f"{API}/docs").status_code == 404


class TestOpenAPI:
    @pytest.fixture
    def document(self, client):
        response = client.get(f"{API}/openapi.json")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        return response.json()

    def test_is_an_openapi_document_with_every_endpoint(self, document):
        assert document["openapi"].startswith("3.")
        assert document["info"]["title"] == "gongkai 政府信息公开 API"
        assert document["info"]["version"] == "1"
        assert set(document["paths"]) == {
            f"{API}/agencies", f"{API}/agencies/{{code}}", f"{API}/regions", f"{API}/regions/{{code}}",
            f"{API}/items", f"{API}/items/{{item_id}}", f"{API}/reports/{{agency_code}}",
            f"{API}/reports/{{agency_code}}/{{year}}", f"{API}/schemas/annual-report",
        }
        assert all(set(operations) == {"get"} for operations in document["paths"].values())

    def test_every_reference_resolves(self, document):
        def refs(node):
            if isinstance(node, dict):
                if "$ref" in node:
                    yield node["$ref"]
                for value in node.values():
                    yield from refs(value)
            elif isinstance(node, list):
                for value in node:
                    yield from refs(value)

        found = list(refs(document))
        assert found
        for ref in found:
            assert ref.startswith("#/components/schemas/")
            assert ref.rsplit("/", 1)[1] in document["components"]["schemas"]

    def test_the_item_list_documents_count_results_and_the_parameters(self, document):
        operation = document["paths"][f"{API}/items"]["get"]
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        schemas = document["components"]["schemas"]
        item_list = schemas[ref.rsplit("/", 1)[1]]
        assert {"count", "results"} <= set(item_list["required"])
        hit = schemas[item_list["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]
        assert {"id", "title", "agency", "url", "attachments", "score", "snippet"} <= set(hit["properties"])
        parameters = {p["name"] for p in operation["parameters"]}
        assert parameters == {"q", "agency", "region", "type", "topic", "year", "validity", "offset", "limit"}
        assert "422" in operation["responses"]

    def test_no_private_field_is_documented(self, document):
        text = json.dumps(document)
        for field in ("applicant", "identity", "review_note", "withdrawal_reason", "created_by", "reviewed_by",
                      "published_by", "username", "\"status\"", "\"late\""):
            assert field not in text


@pytest.mark.django_db
class TestSearch:
    """With ``q`` the list comes from gongkai.catalogue.search, best first, with a score and a snippet."""

    def test_q_finds_the_published_items_with_score_and_snippet(self, client, catalogue):
        response = client.get(f"{API}/items", {"q": "补贴"})
        assert response.status_code == 200, response.content
        data = response.json()
        assert ids(response) == [catalogue["elsewhere"].pk]
        assert data["count"] == 1
        hit = data["results"][0]
        assert isinstance(hit["score"], float)
        assert "<mark>补贴</mark>" in hit["snippet"]
        assert hit["url"] == f"/othercounty-gxj/items/{catalogue['elsewhere'].pk}/"

    def test_q_with_filters_never_finds_what_is_not_public(self, client, agency, catalogue):
        response = client.get(f"{API}/items", {"q": "补助", "agency": agency.code})
        assert response.status_code == 200
        assert set(ids(response)) == {catalogue[k].pk for k in ("notice", "normative", "interpretation", "abolished")}
        assert SECRET_BODY not in response.content.decode()
        assert ids(client.get(f"{API}/items", {"q": "补助", "year": 2024})) == [catalogue["notice"].pk]
        assert ids(client.get(f"{API}/items", {"q": "补助", "region": "othercounty"})) == [catalogue["elsewhere"].pk]

    def test_q_pages_with_offset_and_limit(self, client, catalogue):
        everything = ids(client.get(f"{API}/items", {"q": "技术改造"}))
        assert set(everything) == {catalogue[k].pk for k in ("notice", "normative", "abolished", "interpretation")}
        data = client.get(f"{API}/items", {"q": "技术改造", "offset": 1, "limit": 2}).json()
        assert data["count"] == 4
        assert [r["id"] for r in data["results"]] == everything[1:3]

    def test_the_count_leaves_out_items_marked_not_disclosed(self, client, agency, catalogue):
        data = client.get(f"{API}/items", {"q": "补助", "agency": agency.code}).json()
        assert data["count"] == len(data["results"]) == 4


def _leaks(secrets: set[str], text: str) -> list[str]:
    """The secrets found in ``text``: Chinese ones anywhere; ASCII ones (usernames, numbers, e-mails) as
    whole words, so that the username "admin" is not found in the report row "administrative_query"."""
    words = set(re.findall(r"[\w.@+-]+", text, re.ASCII))
    return [s for s in secrets if (s in words if s.isascii() else s in text)]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the class and rolled back after it (as gongkai/demo/tests/conftest.py)."""
    from gongkai.demo.services import demo_load

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestNoPersonalData:
    """Whatever the API is asked, the demo's applicants and staff never appear in an answer."""

    def _secrets(self):
        from django.contrib.auth import get_user_model

        from gongkai.applications.models import Application

        secrets = set()
        for row in Application.objects.values("applicant_name", "identity_number", "phone", "email", "address",
                                              "legal_representative"):
            secrets.update(v for v in row.values() if v)
        assert len(secrets) > 100  # the demo has applicants; the test would prove nothing otherwise
        for user in get_user_model().objects.all():
            secrets.update(v for v in (user.username, user.email, user.get_full_name()) if v)
        return secrets

    def _responses(self, client):
        paths = [f"{API}/agencies", f"{API}/regions", f"{API}/openapi.json"]
        paths += [f"{API}/regions/{code}" for code in Region.objects.values_list("code", flat=True)]
        for code in Agency.objects.values_list("code", flat=True):
            paths += [f"{API}/agencies/{code}", f"{API}/reports/{code}", f"{API}/items?agency={code}&limit=100"]
            paths += [f"{API}/reports/{code}/{year}" for year in
                      AnnualReport.objects.filter(agency__code=code).values_list("year", flat=True)]
        total = Item.objects.filter(status=ItemStatus.PUBLISHED).count()
        paths += [f"{API}/items?limit=100&offset={offset}" for offset in range(0, total, 100)]
        # Every item with an attachment and every tenth other one, drafts and withdrawn ones included (404).
        details = set(Attachment.objects.values_list("item_id", flat=True))
        details |= set(Item.objects.order_by("id").values_list("id", flat=True)[::10])
        paths += [f"{API}/items/{pk}" for pk in sorted(details)]
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            yield path, response.content.decode()

    def test_no_applicant_or_staff_data_in_any_response(self, client, demo):
        secrets = self._secrets()
        seen = 0
        for path, text in self._responses(client):
            leaked = _leaks(secrets, text)
            assert not leaked, f"{path}: {leaked[:5]} in …{text[text.find(leaked[0]) - 200:][:300]}…"
            seen += 1
        assert seen > 100

    def test_the_demos_published_reports_validate(self, client, demo):
        published = AnnualReport.objects.filter(snapshot__isnull=False).values_list("agency__code", "year")
        assert published
        for code, year in published:
            response = client.get(f"{API}/reports/{code}/{year}")
            assert response.status_code == 200
            validate_report(response.json())
