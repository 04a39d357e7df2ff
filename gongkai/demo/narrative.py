"""The narrative of the generated annual reports, quoting the records' own figures.

Sections 一、五、六 are assembled from stock sentences such as county
reports use; the figures in them (items published, applications received,
reconsiderations) are counted from the generated records the way the
report engine counts them, so rule T1 finds the text and the tables agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.agencies.models import Agency
from gongkai.appeals.models import AppealCase, AppealKind
from gongkai.applications.models import ApplicantType, Application, Outcome
from gongkai.catalogue.models import DocumentType, Item
from gongkai.reports.models import AnnualReport

from .profiles import Profile


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


def _open_at(app: Application, day: date) -> bool:
    """Received by the end of ``day`` and not yet concluded then."""
    return app.received_on <= day and (app.concluded_on is None or app.concluded_on > day)


def year_facts(year: int, items: list[Item], apps: list[Application], cases: list[AppealCase]) -> YearFacts:
    """Counted the way DOMAIN.md §2.5 counts them, so the narrative agrees with the tables (rule T1)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    facts = YearFacts()
    for item in items:
        if item.published_on and item.published_on.year == year:
            facts.published += 1
        if item.published_on and item.document_type == DocumentType.NORMATIVE_DOCUMENT and item.formed_on.year == year:
            facts.normative_issued += 1
    for app in apps:
        if app.received_on.year == year:
            facts.received += 1
            facts.received_from_persons += app.applicant_type == ApplicantType.NATURAL_PERSON
        facts.carried_over += _open_at(app, start - timedelta(days=1))
        facts.carried_forward += _open_at(app, end)
        if app.concluded_on and app.concluded_on.year == year:
            facts.concluded += 1
            facts.disclosed += app.outcome == Outcome.DISCLOSED
            facts.partially_disclosed += app.outcome == Outcome.PARTIALLY_DISCLOSED
            facts.unpaid_fee += app.outcome == Outcome.OTHER_UNPAID_FEE
    for case in cases:
        if case.filed_on.year == year:
            facts.reconsiderations += case.kind == AppealKind.RECONSIDERATION
            facts.lawsuits += case.kind != AppealKind.RECONSIDERATION
    return facts


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
    "依托仙游县人民政府门户网站政府信息公开专栏集中发布信息，同步通过政务新媒体推送，并定期向县档案馆、县图书馆报送主动公开的政府信息。",
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


def _applications_paragraph(year: int, facts: YearFacts) -> str:
    if not (facts.received or facts.carried_over):
        return f"{year}年度无依申请公开件。"
    if not facts.received:
        return f"全年未新收政府信息公开申请，上年结转{facts.carried_over}件已全部依法办结。"
    others = facts.concluded - facts.disclosed - facts.partially_disclosed
    return (
        f"全年共收到政府信息公开申请{facts.received}件，其中自然人申请{facts.received_from_persons}件、"
        f"法人或其他组织申请{facts.received - facts.received_from_persons}件；上年结转{facts.carried_over}件。"
        f"全年办结{facts.concluded}件，其中予以公开{facts.disclosed}件、部分公开{facts.partially_disclosed}件"
        + (f"，其余{others}件依法作出不予公开、无法提供、不予处理或其他处理" if others else "")
        + f"；结转下年度继续办理{facts.carried_forward}件。"
    )


def _appeals_sentence(facts: YearFacts) -> str:
    if not (facts.reconsiderations or facts.lawsuits):
        return "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    return f"全年因政府信息公开被申请行政复议{facts.reconsiderations}件、被提起行政诉讼{facts.lawsuits}件。"


def annual_report(*, profile: Profile, agency: Agency, year: int, facts: YearFacts, rng: random.Random
                  ) -> AnnualReport:
    """The narrative sections of a generated report; every figure they quote comes from ``facts``."""
    we = profile.agency.pronoun
    normative = f"，其中制发行政规范性文件{facts.normative_issued}件" if facts.normative_issued else ""
    overview = "\n".join((
        rng.choice(LEADS).format(year=year, we=we),
        "（一）主动公开情况",
        f"{year}年，{we}通过仙游县人民政府门户网站政府信息公开专栏、政务新媒体和政务公开栏等渠道，"
        f"全年共主动公开政府信息{facts.published}条{normative}。",
        "（二）依申请公开情况",
        _applications_paragraph(year, facts) + _appeals_sentence(facts),
        "（三）政府信息管理情况",
        rng.choice(MANAGEMENT),
        "（四）政府信息公开平台建设情况",
        rng.choice(PLATFORM),
        "（五）监督保障情况",
        rng.choice(SUPERVISION).format(n=rng.randint(1, 4)),
    ))
    problems = "\n".join(("（一）存在问题", rng.choice(PROBLEMS), "（二）改进措施", rng.choice(IMPROVEMENTS)))
    return AnnualReport(agency=agency, year=year, overview=overview, problems=problems,
                        other_matters=_other_matters(rng, we, year, facts))


def _other_matters(rng: random.Random, we: str, year: int, facts: YearFacts) -> str:
    """From 2021 the report states the information-processing fees collected (2021 format)."""
    if year < 2021:
        return "无。"
    if facts.unpaid_fee:
        fees = (f"本年度向{facts.unpaid_fee}件申请的申请人发出收取信息处理费通知，申请人均未在规定期限内缴纳，"
                "相关申请按逾期未缴纳费用终止处理，本年度未实际收取信息处理费。")
    else:
        fees = "本年度未收取信息处理费。"
    return "\n".join((
        "（一）收取信息处理费情况", fees,
        "（二）人大代表建议和政协提案办理情况",
        f"本年度承办县人大代表建议{rng.randint(0, 6)}件、县政协提案{rng.randint(1, 8)}件，均已按期办结。",
        "（三）年度政务公开工作要点落实情况",
        f"{we}对照《仙游县{year}年政务公开工作要点》逐项抓好落实，各项任务均已完成。",
    ))
