"""Chinese full-text search: tokenization, matching, ranking, filters, snippets, index upkeep, on both databases."""

import random
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongkai.agencies.models import Agency, Membership, Region, Role
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.catalogue import workflow as wf
from gongkai.catalogue.models import (
    Attachment, DisclosureMode, DocumentType, Item, ItemStatus, SearchDocument, Validity,
)
from gongkai.catalogue.search import LikeBackend, search, search_index_item, search_rebuild
from gongkai.catalogue.search.index import search_document_build
from gongkai.catalogue.search.snippets import Highlighter
from gongkai.catalogue.search.tokenize import html_to_text, index_tokens, join_tokens, query_tokens

PUBLISHED = date(2025, 3, 10)


def publish(agency, title, *, body="", published_on=PUBLISHED, status=ItemStatus.PUBLISHED, **fields):
    """An item saved straight into a state (the workflow has its own tests); the signals index it."""
    return Item.objects.create(agency=agency, title=title, body=body, status=status, formed_on=date(2019, 1, 2),
                               published_on=published_on if status == ItemStatus.PUBLISHED else None, **fields)


def attach(item, text, name="附件.pdf"):
    return Attachment.objects.create(item=item, title=name, file=f"items/test/{item.pk}/{name}",
                                     content_type="application/pdf", size=1, sha256="0" * 64, text=text)


def titles(query, **filters):
    return [hit.item.title for hit in search(query, **filters).results]


class TestTokenize:
    @pytest.mark.parametrize("text, tokens", [
        ("补贴", ["补", "补贴", "贴"]),
        ("就业补贴", ["就", "就业", "业", "业补", "补", "补贴", "贴"]),
        ("仙工信〔2020〕12号", ["仙", "仙工", "工", "工信", "信", "2020", "12", "号"]),
        ("ＡＢＣ１２３《条例》、", ["abc123", "条", "条例", "例"]),
        ("二〇二〇年", ["二", "二〇", "〇", "〇二", "二", "二〇", "〇", "〇年", "年"]),
        ("", []),
    ])
    def test_index_tokens(self, text, tokens):
        assert list(index_tokens(text)) == tokens

    @pytest.mark.parametrize("query, tokens", [
        ("补贴", ["补贴"]),
        ("补", ["补"]),
        ("政府信息公开", ["政府", "府信", "信息", "息公", "公开"]),
        ("补贴 公开", ["补贴", "公开"]),
        ("仙工信〔2020〕12号", ["仙工", "工信", "2020", "12", "号"]),
        ("仙工信[２０２０]１２号", ["仙工", "工信", "2020", "12", "号"]),
        ("0142768-8/2020-00012", ["0142768", "8", "2020", "00012"]),
        ("公开公开", ["公开", "开公"]),
        ("《》、，。 ", []),
        ("", []),
    ])
    def test_query_tokens(self, query, tokens):
        assert query_tokens(query) == tokens

    def test_html_to_text_drops_tags_decodes_entities_and_breaks_blocks(self):
        html = "<p>第一条&nbsp;&lt;script&gt;</p><p>第二条</p><script>alert(1)</script>"
        assert html_to_text(html) == "第一条\xa0<script>\n第二条"
        assert "条第" not in "".join(index_tokens(html_to_text(html)))

    def test_join_tokens_stops_at_the_budget(self):
        assert join_tokens(["补", "补贴"]) == "补 补贴"
        many = [chr(0x4E00 + i) for i in range(10_000)]
        kept = join_tokens(many, max_bytes=10_000).split()
        assert kept == many[:len(kept)] and 500 < len(kept) < 1000


@pytest.fixture
def town(region):
    """A township under the test county: a sub-region."""
    return Region.objects.create(code="testtown", name="测试镇", parent=region)


@pytest.fixture
def corpus(agency, other_agency, town):
    town_agency = Agency.objects.create(code="testtown-gov", name="测试镇人民政府", region=town)
    items = {
        "subsidy": publish(agency, "关于做好春耕生产工作的通知", body="<p>对种粮农户发放耕地地力保护补贴。</p>",
                           document_type=DocumentType.NORMATIVE_DOCUMENT, topic="农业"),
        "apart": publish(agency, "关于补充完善档案材料的通知", body="<p>请补齐材料，贴好标签。</p>",
                         published_on=date(2024, 6, 1)),
        "open": publish(agency, "2025年政府信息公开工作要点", body="<p>推进决策公开。</p>",
                        validity=Validity.ABOLISHED, abolished_on=date(2025, 6, 1)),
        "licence": publish(other_agency, "行政许可事项清单", body="<p>本县行政许可事项共计45项。</p>",
                           topic="综合政务"),
        "number": publish(agency, "关于印发《技术改造专项资金管理办法》的通知", document_number="仙工信〔2020〕12号",
                          body="<p>各有关企业：现将办法印发给你们。</p>", published_on=date(2020, 5, 6)),
        "number13": publish(agency, "关于开展安全生产检查的通知", document_number="仙工信〔2020〕13号",
                            body="<p>各有关企业：请开展自查。</p>", published_on=date(2020, 5, 7)),
        "indexed": publish(agency, "年度工作总结", index_number="0142768-8/2020-00031",
                           body="<p>总结全年工作。</p>", published_on=date(2020, 12, 30)),
        "town": publish(town_agency, "测试镇农机购置补贴公示", body="<p>公示名单如下。</p>"),
        "draft": publish(agency, "农业补贴资金草稿", body="<p>补贴资金。</p>", status=ItemStatus.DRAFT),
        "withdrawn": publish(agency, "已撤回的补贴通知", body="<p>补贴。</p>", status=ItemStatus.WITHDRAWN),
        "not_disclosed": publish(agency, "关于补贴资金的内部请示", body="<p>补贴。</p>",
                                 disclosure_mode=DisclosureMode.NOT_DISCLOSED),
        "on_application": publish(agency, "农机购置申请人名单", body="<p>享受补贴的人员名单。</p>",
                                  disclosure_mode=DisclosureMode.ON_APPLICATION),
    }
    attach(items["indexed"], "附件：光伏扶贫电站收益分配方案（全文）")
    return items


@pytest.mark.django_db
class TestSearch:
    def test_a_two_character_word_is_found_whole_not_as_two_characters_apart(self, corpus):
        found = titles("补贴")
        assert corpus["subsidy"].title in found and corpus["town"].title in found
        assert corpus["apart"].title not in found

    @pytest.mark.parametrize("word, key", [("公开", "open"), ("许可", "licence"), ("档案", "apart")])
    def test_common_words(self, corpus, word, key):
        assert titles(word) == [corpus[key].title]

    def test_a_single_character_finds_it_anywhere(self, corpus):
        found = titles("贴")
        assert {corpus["subsidy"].title, corpus["apart"].title, corpus["town"].title} <= set(found)

    @pytest.mark.parametrize("query", ["仙工信〔2020〕12号", "仙工信[2020]12号", "仙工信（２０２０）１２号", "仙工信2020 12号"])
    def test_a_document_number_finds_that_document_only(self, corpus, query):
        assert titles(query) == [corpus["number"].title]

    def test_an_index_number(self, corpus):
        assert titles("0142768-8/2020-00031") == [corpus["indexed"].title]
        assert titles("0142768-8/2020-00032") == []

    def test_a_term_only_in_an_attachment(self, corpus):
        results = search("光伏扶贫")
        assert [hit.item for hit in results.results] == [corpus["indexed"]]
        assert "<mark>光伏扶贫</mark>" in results.results[0].snippet

    def test_full_width_digits_and_letters_match_half_width(self, agency):
        item = publish(agency, "ＰＭ２.５监测数据发布", body="<p>第12周</p>")
        assert titles("pm2") == [item.title]
        assert titles("第１２周") == [item.title]

    def test_words_may_be_anywhere_but_all_must_be_there(self, corpus):
        assert titles("补贴 春耕") == [corpus["subsidy"].title]
        assert titles("补贴 许可") == []

    def test_title_matches_rank_above_body_matches(self, agency):
        body_only = publish(agency, "关于做好年度预算编制工作的通知", published_on=date(2025, 9, 1),
                            body="<p>" + "稳岗补贴、就业补贴、社保补贴。" * 20 + "</p>")
        in_title = publish(agency, "稳岗补贴申领指南", published_on=date(2025, 1, 1), body="<p>申领条件。</p>")
        results = search("补贴").results
        assert [hit.item for hit in results] == [in_title, body_only]
        assert results[0].score >= 1 > results[1].score > 0

    @pytest.mark.parametrize("backend", [None, LikeBackend()], ids=["index", "like"])
    def test_filters(self, corpus, agency, other_agency, region, town, backend):
        def found(query, **filters):
            return {hit.item.pk for hit in search(query, backend=backend, **filters).results}

        ids = {key: item.pk for key, item in corpus.items()}
        assert found("通知", agency=agency) == {ids["subsidy"], ids["apart"], ids["number"], ids["number13"]}
        assert found("许可", agency=agency) == set()
        assert found("补贴", region=region) == {ids["subsidy"], ids["town"], ids["on_application"]}  # and the town's
        assert found("补贴", region=town) == {ids["town"]}
        assert found("许可", region=region.parent) == {ids["licence"]}
        assert found("通知", document_type=DocumentType.NORMATIVE_DOCUMENT) == {ids["subsidy"]}
        assert found("通知", year=2020) == {ids["number"], ids["number13"]}
        assert found("公开", validity=Validity.ABOLISHED) == {ids["open"]}
        assert found("公开", validity=Validity.VALID) == set()
        assert found("许可", topic="综合政务") == {ids["licence"]}

    @pytest.mark.parametrize("backend", [None, LikeBackend()], ids=["index", "like"])
    def test_drafts_withdrawn_and_not_disclosed_items_never_appear(self, corpus, backend):
        results = search("补贴", backend=backend)
        found = {hit.item.title for hit in results.results}
        hidden = [corpus[key] for key in ("draft", "withdrawn", "not_disclosed")]
        assert found.isdisjoint(item.title for item in hidden) and results.count == len(found) == 3
        assert corpus["on_application"].title in found  # 依申请公开 items are public once published
        assert not SearchDocument.objects.filter(item__in=hidden).exists()

    def test_an_item_marked_not_disclosed_leaves_the_index(self, corpus):
        item = corpus["licence"]
        item.disclosure_mode = DisclosureMode.NOT_DISCLOSED
        item.save()
        assert titles("许可") == []

    def test_an_item_disappears_when_withdrawn(self, corpus, agency):
        publisher = User.objects.create_user("publisher", password="a-long-password-1")
        Membership.objects.create(user=publisher, agency=agency, role=Role.PUBLISHER)
        assert corpus["subsidy"].title in titles("补贴")
        wf.Withdraw(corpus["subsidy"], user=publisher, today=date(2025, 4, 1),
                    calendar=WorkingDayCalendar()).run(reason="政策调整")
        assert corpus["subsidy"].title not in titles("补贴")

    def test_an_amended_item_is_found_by_its_new_text_only(self, corpus):
        item = corpus["subsidy"]
        item.title, item.body = "关于做好秋收工作的通知", "<p>秋粮收购。</p>"
        item.save()
        assert titles("秋收") == [item.title] and item.title not in titles("春耕")

    def test_a_save_of_unrelated_fields_leaves_the_index_alone(self, corpus, django_assert_num_queries):
        item = corpus["subsidy"]
        item.late = True
        with django_assert_num_queries(1):
            item.save(update_fields=["late"])

    def test_attachments_added_and_removed(self, corpus):
        item = corpus["open"]
        attachment = attach(item, "政务公开标准目录（乡村振兴领域）")
        assert titles("乡村振兴") == [item.title]
        attachment.delete()
        assert titles("乡村振兴") == []

    def test_deleting_an_item_with_attachments_removes_its_document(self, corpus):
        item = corpus["indexed"]
        item.delete()
        assert titles("光伏扶贫") == [] and not SearchDocument.objects.filter(item_id=item.pk).exists()

    def test_snippet_marks_matches_and_escapes_the_text(self, agency):
        publish(agency, "网络安全提示", body="<p>防范&lt;script&gt;alert(1)&lt;/script&gt;注入，申请补贴请走正规渠道。</p>"
                "<script>alert(2)</script>")
        snippet = search("补贴").results[0].snippet
        assert "<mark>补贴</mark>" in snippet
        assert "&lt;script&gt;" in snippet and "<script" not in snippet and "alert(2)" not in snippet

    def test_snippet_is_the_context_of_the_match(self, agency):
        publish(agency, "年度报告", abstract="本年度工作概况",
                body="<p>" + "甲" * 100 + "申请就业补贴的人员" + "乙" * 100 + "</p>")
        snippet = search("就业补贴").results[0].snippet
        assert snippet == "…" + "甲" * 38 + "申请<mark>就业补贴</mark>的人员" + "乙" * 37 + "…"

    def test_snippet_prefers_the_field_with_every_word(self, corpus):
        snippet = search("仙工信〔2020〕12号").results[0].snippet
        assert snippet == "<mark>仙工信</mark>〔<mark>2020</mark>〕<mark>12</mark><mark>号</mark>"

    def test_snippet_marks_ascii_words_whole(self):
        assert Highlighter("12号").highlight("第112号和第１２号") == "第112<mark>号</mark>和第<mark>１２</mark><mark>号</mark>"

    @pytest.mark.parametrize("query", ["", "   ", "《》、，。", "〔〕"])
    def test_an_empty_query_finds_nothing(self, corpus, query, django_assert_num_queries):
        with django_assert_num_queries(0):
            results = search(query)
        assert (results.count, results.results) == (0, [])

    @pytest.mark.parametrize("query", ['"', 'NOT 补贴', '补贴 OR 许可', "title_tokens:补贴", "补*", "(补贴", "NEAR(补 贴)",
                                       "'; DROP TABLE catalogue_item; --", "&|!:*"])
    def test_query_syntax_is_plain_text(self, corpus, query):
        search(query)  # no error
        assert Item.objects.count() == len(corpus)

    def test_pages_and_the_total(self, agency):
        for n in range(7):
            publish(agency, f"第{n}号补贴公示", published_on=date(2025, 1, 1 + n))
        first, last, past = search("补贴", limit=5), search("补贴", offset=5, limit=5), search("补贴", offset=20)
        assert (first.count, len(first.results)) == (7, 5)
        assert (last.count, len(last.results)) == (7, 2)
        assert (past.count, past.results) == (7, [])
        assert {h.item.pk for h in first.results}.isdisjoint(h.item.pk for h in last.results)

    @pytest.mark.parametrize("matches", [3, 30])
    def test_the_number_of_queries_does_not_grow_with_the_results(self, agency, matches,
                                                                  django_assert_max_num_queries):
        for n in range(matches):
            item = publish(agency, f"公示{n}", body="<p>无关内容。</p>")
            attach(item, f"第{n}批乡村振兴项目资金分配表")
        # The bounded check of the number of matches (SQLite, unfiltered), the page, the items, the attachments.
        with django_assert_max_num_queries(4):
            results = search("乡村振兴", limit=25)
        assert results.count == matches and len(results.results) == min(matches, 25)
        with django_assert_max_num_queries(5):
            assert search("乡村振兴", offset=100).count == matches
        assert all("<mark>乡村振兴</mark>" in hit.snippet for hit in results.results)
        assert results.results[0].item.agency.name  # loaded with the items

    def test_like_backend_gives_the_same_top_result(self, corpus, agency):
        publish(agency, "2025年耕地地力保护补贴发放公告", body="<p>补贴标准。</p>")
        for query in ("补贴", "许可", "档案"):
            assert (search(query).results[0].item == search(query, backend=LikeBackend()).results[0].item)

    def test_like_backend_misses_what_the_index_finds(self, corpus):
        """Why the index: LIKE needs the text as typed and never sees attachments."""
        assert titles("仙工信[2020]12号") and not search("仙工信[2020]12号", backend=LikeBackend()).count
        assert titles("光伏扶贫") and not search("光伏扶贫", backend=LikeBackend()).count


@pytest.mark.django_db
class TestIndex:
    def test_rebuild_indexes_bulk_created_items_and_drops_stale_documents(self, corpus, agency):
        Item.objects.bulk_create([Item(agency=agency, title="批量导入的补助资金公告", status=ItemStatus.PUBLISHED,
                                       formed_on=PUBLISHED, published_on=PUBLISHED)])
        Item.objects.filter(pk=corpus["subsidy"].pk).update(status=ItemStatus.WITHDRAWN)  # no signal
        assert titles("补助") == []
        Item.objects.filter(pk=corpus["open"].pk).update(disclosure_mode=DisclosureMode.NOT_DISCLOSED)
        assert corpus["subsidy"].title not in titles("补贴")  # the item itself is checked at query time too
        assert titles("公开") == []
        published = Item.objects.filter(status=ItemStatus.PUBLISHED).count()
        assert search_rebuild(chunk=3) == published - 2
        assert titles("补助") == ["批量导入的补助资金公告"]
        assert SearchDocument.objects.count() == published - 2  # less the two marked 不予公开
        assert not SearchDocument.objects.filter(item__in=[corpus["subsidy"], corpus["open"]]).exists()

    def test_rebuild_of_one_agency(self, corpus, agency, other_agency):
        SearchDocument.objects.all().delete()
        assert search_rebuild(agency=other_agency) == 1
        assert titles("许可") == [corpus["licence"].title] and titles("补贴") == []

    def test_a_huge_text_is_indexed_within_the_budget(self, agency):
        """PostgreSQL refuses a tsvector over 1 MB: random characters (every pair new) are cut to fit."""
        item = publish(agency, "大型附件", body="<p>开头补贴。</p>")
        rng = random.Random(1)
        attach(item, "".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(300_000)))
        words = SearchDocument.objects.get(item=item).body_tokens.split()
        assert words[:7] == ["开", "开头", "头", "头补", "补", "补贴", "贴"]
        assert 50_000 < len(words) < 200_000
        assert titles("开头补贴") == ["大型附件"]

    def test_index_item_of_an_unsaved_or_unpublished_item(self, agency):
        assert search_index_item(Item(agency=agency, title="x", formed_on=PUBLISHED)) is False
        draft = publish(agency, "草稿", status=ItemStatus.DRAFT)
        assert search_index_item(draft) is False

    def test_document_text_includes_every_field(self, agency):
        item = publish(agency, "标题", abstract="概述", body="<p>正文</p>", document_number="文号１",
                       keywords="关键词", index_number="abc/2025-00001")
        document = search_document_build(item, ["附件文本"])
        words = document.body_tokens.split()
        assert {"概述", "正文", "文号", "1", "关键", "abc", "00001", "附件"} <= set(words)
        assert document.title_tokens == "标 标题 题"


@pytest.mark.django_db
class TestDatabase:
    """What the migration set up on the database in use keeps a pair of characters as one word."""

    def test_the_database_index_keeps_a_pair_as_one_word(self, corpus):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("CREATE VIRTUAL TABLE temp.search_vocab"
                               " USING fts5vocab(main, catalogue_search_fts, row)")
                cursor.execute("SELECT term FROM temp.search_vocab")
            else:
                cursor.execute("SELECT DISTINCT lexeme FROM catalogue_searchdocument, unnest(search_vector)")
            words = {row[0] for row in cursor.fetchall()}
        assert {"补贴", "补", "贴", "2020", "12"} <= words

    def test_the_index_is_kept_in_step_on_every_write(self, corpus):
        """SQLite: the triggers (a table rebuild by a later migration would drop them)."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                               [SearchDocument._meta.db_table])
                triggers = {row[0] for row in cursor.fetchall()}
            assert triggers == {"catalogue_search_fts_insert", "catalogue_search_fts_delete",
                                "catalogue_search_fts_update"}
        SearchDocument.objects.filter(item=corpus["licence"]).update(title_tokens="改 改名 名")
        assert titles("改名") == [corpus["licence"].title] and titles("许可") == [corpus["licence"].title]
        corpus["open"].delete()
        if connection.vendor == "sqlite":  # the FTS table agrees with the documents, row for row
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO catalogue_search_fts(catalogue_search_fts, rank)"
                               " VALUES ('integrity-check', 1)")


@pytest.mark.django_db
class TestSearchCommand:
    def test_rebuild_and_query(self, corpus, capsys):
        call_command("search", "rebuild")
        call_command("search", "query", "补贴", "--region", "testcounty")
        out = capsys.readouterr().out
        assert "已重建全文检索索引：9 条" in out
        assert "共 3 条" in out and "测试镇农机购置补贴公示" in out and "【补贴】" in out

    def test_like_backend_from_the_command_line(self, corpus, capsys):
        call_command("search", "query", "许可", "--backend", "like")
        assert "共 1 条" in capsys.readouterr().out

    @pytest.mark.parametrize("args", [["rebuild", "--agency", "nowhere"], ["query", "补贴", "--region", "nowhere"],
                                      ["query", "补贴", "--limit", "0"]])
    def test_usage_errors(self, corpus, args):
        with pytest.raises(CommandError) as error:
            call_command("search", *args)
        assert error.value.returncode == 2
