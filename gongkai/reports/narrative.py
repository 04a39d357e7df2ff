"""Drafting sections 一、五、六 of an annual report from the year's figures.

The stock sentences are those county reports use; every figure they quote
comes from the report's own cells and facts (``YearFacts``), so rule T1
finds the text and the tables in agreement. Staff then edit the draft. The
demo (``gongkai.demo.narrative``) writes its narratives with the same
sentences, picking among them at random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from .compute import FACT_FEES_AMOUNT, FACT_FEES_PAID, FACT_ITEMS_PUBLISHED
from .render.common import format_value


@dataclass
class YearFacts:
    """What an agency's records say about a year, for its report to quote."""

    published: int = 0
    normative_issued: int = 0
    received: int = 0
    received_from_persons: int = 0
    carried_over: int = 0
    concluded: int = 0
    disclosed: int = 0
    partially_disclosed: int = 0
    carried_forward: int = 0
    unpaid_fee: int = 0
    reconsiderations: int = 0
    lawsuits: int = 0
    fees_paid: int = 0
    fees_amount: Decimal = Decimal(0)


def facts_from_report(report) -> YearFacts:
    """The facts a computed report (``selectors.Report``) already holds; no query."""
    c = report.cells

    def n(code: str) -> int:
        value = c.get(code)
        return value if isinstance(value, int) else 0

    issued = "proactive.normative_documents.issued" if report.format.code == "2021" \
        else "proactive.normative_documents.new_made"
    return YearFacts(
        published=report.facts.get(FACT_ITEMS_PUBLISHED, 0),
        normative_issued=n(issued),
        received=n("applications.new_received.total"),
        received_from_persons=n("applications.new_received.natural_person"),
        carried_over=n("applications.carried_over.total"),
        concluded=n("applications.total_handled.total"),
        disclosed=n("applications.disclosed.total"),
        partially_disclosed=n("applications.partially_disclosed.total"),
        carried_forward=n("applications.carried_forward.total"),
        unpaid_fee=n("applications.other.unpaid_fee.total"),
        reconsiderations=n("appeals.reconsideration.total"),
        lawsuits=n("appeals.litigation_direct.total") + n("appeals.litigation_after_reconsideration.total"),
        fees_paid=report.facts.get(FACT_FEES_PAID, 0),
        fees_amount=Decimal(report.facts.get(FACT_FEES_AMOUNT, 0)),
    )


LEADS = (
    "{year}年，{we}在县委、县政府的正确领导下，认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "持续深化政府信息公开工作。",
    "{year}年，{we}以习近平新时代中国特色社会主义思想为指导，严格执行《中华人民共和国政府信息公开条例》，"
    "围绕县委、县政府中心工作，扎实推进政务公开。",
    "{year}年，{we}全面贯彻《中华人民共和国政府信息公开条例》和省、市、县政务公开工作要点，着力提升政府信息公开质量和实效。",
)
MANAGEMENT = (
    "坚持“谁提供，谁审核，谁负责”和“先审查、后公开”的原则，严格落实保密审查制度，对拟公开信息逐条审核把关。",
    "健全信息发布协调和保密审查机制，由提供股室初审、办公室复核、分管领导审签后发布，全年未发生泄密和不当公开事件。",
)
PLATFORM = (
    "依托{site}政府信息公开专栏集中发布信息，同步通过政务新媒体推送，并定期向档案馆、图书馆报送主动公开的政府信息。",
    "及时更新政府信息公开指南和目录，规范信息公开专栏栏目设置，在办公场所设置政务公开栏，方便群众查阅。",
)
SUPERVISION = (
    "成立政务公开工作领导小组，将政务公开纳入年度绩效考核，全年组织业务培训{n}次，未发生因政府信息公开工作被责任追究的情形。",
    "把政务公开工作纳入股室年度考核，设立监督电话和意见箱，主动接受社会监督，全年开展政务公开业务培训{n}次。",
)
PROBLEMS = (
    "一是部分股室对政府信息公开工作重视程度不够，信息报送不够及时；二是政策解读形式较为单一，图文、视频等多样化解读偏少。",
    "一是主动公开的深度和广度有待拓展，重点领域信息公开还不够细化；二是依申请公开办理人员业务能力有待进一步提高。",
    "一是信息公开专栏内容更新不够及时，个别栏目存在空白；二是政府信息公开工作人员变动较频繁，业务衔接不够顺畅。",
)
IMPROVEMENTS = (
    "一是压实股室责任，建立信息报送提醒机制，确保信息在形成之日起20个工作日内公开；二是丰富政策解读形式，"
    "推出图解、问答等解读产品。",
    "一是围绕重点领域细化公开内容，动态调整公开目录；二是加强依申请公开业务培训，规范答复文书，依法依规做好答复工作。",
    "一是建立专栏内容定期自查制度，及时补充完善栏目信息；二是加强队伍建设，做好业务交接和培训，保持工作连续性。",
)
# A placeholder staff must replace: the draft cannot know the number of trainings.
TRAININGS_UNKNOWN = "×"


def pronoun(agency_name: str) -> str:
    """How a report refers to its own agency: 本局, 本委, 本办 …, else 本机关."""
    last = agency_name[-1:] if agency_name else ""
    return f"本{last}" if last in "局委办院所厅署" else "本机关"


def applications_paragraph(year: int, facts: YearFacts) -> str:
    if not (facts.received or facts.carried_over):
        return f"{year}年度无依申请公开件。"
    if not facts.received:
        return f"全年未新收政府信息公开申请，上年结转{facts.carried_over}件，全年办结{facts.concluded}件；" \
               f"结转下年度继续办理{facts.carried_forward}件。"
    others = facts.concluded - facts.disclosed - facts.partially_disclosed
    return (
        f"全年共收到政府信息公开申请{facts.received}件，其中自然人申请{facts.received_from_persons}件、"
        f"法人或其他组织申请{facts.received - facts.received_from_persons}件；上年结转{facts.carried_over}件。"
        f"全年办结{facts.concluded}件，其中予以公开{facts.disclosed}件、部分公开{facts.partially_disclosed}件"
        + (f"，其余{others}件依法作出不予公开、无法提供、不予处理或其他处理" if others else "")
        + f"；结转下年度继续办理{facts.carried_forward}件。"
    )


def appeals_sentence(facts: YearFacts) -> str:
    if not (facts.reconsiderations or facts.lawsuits):
        return "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    return f"全年因政府信息公开被申请行政复议{facts.reconsiderations}件、被提起行政诉讼{facts.lawsuits}件。"


def _first(options):
    return options[0]


def draft_overview(*, year: int, we: str, site: str, facts: YearFacts, pick=_first, trainings=TRAININGS_UNKNOWN
                   ) -> str:
    normative = f"，其中制发行政规范性文件{facts.normative_issued}件" if facts.normative_issued else ""
    return "\n".join((
        pick(LEADS).format(year=year, we=we),
        "（一）主动公开情况",
        f"{year}年，{we}通过{site}政府信息公开专栏、政务新媒体和政务公开栏等渠道，"
        f"全年共主动公开政府信息{facts.published}条{normative}。",
        "（二）依申请公开情况",
        applications_paragraph(year, facts) + appeals_sentence(facts),
        "（三）政府信息管理情况",
        pick(MANAGEMENT),
        "（四）政府信息公开平台建设情况",
        pick(PLATFORM).format(site=site),
        "（五）监督保障情况",
        _supervision(pick, trainings),
    ))


def _supervision(pick, trainings) -> str:
    sentence = pick(SUPERVISION)
    # The demo passes a callable, drawn after the sentence so its random sequence stays as it was.
    return sentence.format(n=trainings() if callable(trainings) else trainings)


def draft_problems(*, pick=_first) -> str:
    return "\n".join(("（一）存在问题", pick(PROBLEMS), "（二）改进措施", pick(IMPROVEMENTS)))


def fees_sentence(facts: YearFacts) -> str:
    """Section 六 of the 2021 format: the information-processing fees collected (第四十二条)."""
    if facts.fees_amount:
        return (f"本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），向{facts.fees_paid}件申请的申请人"
                f"收取信息处理费{format_value(facts.fees_amount)}元。")
    if facts.unpaid_fee:
        return (f"本年度向{facts.unpaid_fee}件申请的申请人发出收取信息处理费通知，申请人均未在规定期限内缴纳，"
                "相关申请按逾期未缴纳费用终止处理，本年度未实际收取信息处理费。")
    return "本年度未收取信息处理费。"


def draft_other_matters(*, year: int, we: str, facts: YearFacts, region_name: str = "",
                        rng: random.Random | None = None) -> str:
    """From 2021 the report states the information-processing fees collected (2021 format)."""
    if year < 2021:
        return "无。"
    if rng is not None:
        proposals = f"本年度承办县人大代表建议{rng.randint(0, 6)}件、县政协提案{rng.randint(1, 8)}件，均已按期办结。"
    else:
        proposals = "本年度承办人大代表建议×件、政协提案×件，均已按期办结。（请核实后填写）"
    return "\n".join((
        "（一）收取信息处理费情况", fees_sentence(facts),
        "（二）人大代表建议和政协提案办理情况", proposals,
        "（三）年度政务公开工作要点落实情况",
        f"{we}对照《{region_name}{year}年政务公开工作要点》逐项抓好落实，各项任务均已完成。",
    ))


def draft_sections(report) -> dict[str, str]:
    """Sections 一、五、六 drafted from a computed report of an agency; staff edit them afterwards."""
    agency = report.agency
    facts = facts_from_report(report)
    we = pronoun(agency.name)
    site = f"{agency.region.name}人民政府门户网站"
    return {
        "overview": draft_overview(year=report.year, we=we, site=site, facts=facts),
        "problems": draft_problems(),
        "other_matters": draft_other_matters(year=report.year, we=we, facts=facts, region_name=agency.region.name),
    }
