"""The real seed bureau: 仙游县工业和信息化局 and its published 2020 report.

Its records for 2020 reproduce the report it published (DOMAIN.md §3)
figure for figure: 22 items proactively disclosed (5 省、市惠企政策, 12
规范性文件类信息, 5 其他 — none of them a 规章 or a 行政规范性文件 the bureau
made itself, so table 二 prints 0/0/0 for both), the yearly administrative
figures as printed, no application and no appeal. The narrative sections
are the report's own text, with the OCR's breakage mended (spaces inside
sentences, half-width punctuation, "侧信公众号" for 微信公众号). The titles
and dates of the 22 items are not in the report; they are plausible ones
that add up to its figures.
"""

from __future__ import annotations

from datetime import date

from gongkai.agencies.models import Agency, Unit
from gongkai.catalogue.models import DocumentType, Item
from gongkai.reports.models import AdministrativeFigures, AnnualReport

from .records import AgencySpec, Batch, RegionSpec

REGIONS = (
    RegionSpec("fujian", "福建省", None),
    RegionSpec("putian", "莆田市", "fujian"),
    RegionSpec("xianyou", "仙游县", "putian"),
)

BUREAU = AgencySpec(
    code="xianyou-gxj",
    name="仙游县工业和信息化局",
    short_name="县工信局",
    organisation_code="11350322MB1C7H5347",
    region="xianyou",
    units=("办公室", "综合股", "经济运行股", "中小企业股", "投资与技术改造股", "电力执法股"),
)

SEED_YEAR = 2020

TOPIC_POLICIES = "惠企政策"
TOPIC_DOCUMENTS = "规范性文件类信息"
TOPIC_OTHER = "其他"

# (topic, title, 文号, providing unit, 成文日期, 发布日期) — every item is
# published within a few days of being formed, well inside 第二十六条's 20
# working days.
ITEMS_2020 = (
    (TOPIC_OTHER, "仙游县工业和信息化局2019年度政府信息公开工作年度报告", "", "办公室",
     date(2020, 1, 17), date(2020, 1, 20)),
    (TOPIC_POLICIES, "关于转发《福建省应对新型冠状病毒感染的肺炎疫情支持中小企业共渡难关十条措施》的通知",
     "仙工信〔2020〕8号", "中小企业股", date(2020, 2, 10), date(2020, 2, 11)),
    (TOPIC_DOCUMENTS, "关于转发《福建省工业和信息化厅关于做好疫情防控期间工业企业复工复产工作的通知》的通知",
     "仙工信〔2020〕12号", "经济运行股", date(2020, 2, 17), date(2020, 2, 18)),
    (TOPIC_POLICIES, "关于转发《莆田市支持企业复工复产若干措施》的通知",
     "仙工信〔2020〕15号", "经济运行股", date(2020, 2, 24), date(2020, 2, 25)),
    (TOPIC_OTHER, "仙游县工业和信息化局2020年部门预算", "", "办公室",
     date(2020, 2, 28), date(2020, 3, 4)),
    (TOPIC_DOCUMENTS, "关于转发《福建省技术改造专项资金管理办法》的通知",
     "仙工信〔2020〕23号", "投资与技术改造股", date(2020, 3, 16), date(2020, 3, 18)),
    (TOPIC_POLICIES, "关于做好阶段性降低企业用电成本政策落实工作的通知",
     "仙工信〔2020〕27号", "经济运行股", date(2020, 3, 25), date(2020, 3, 26)),
    (TOPIC_DOCUMENTS, "关于转发《福建省中小企业发展专项资金管理办法》的通知",
     "仙工信〔2020〕31号", "中小企业股", date(2020, 4, 8), date(2020, 4, 10)),
    (TOPIC_DOCUMENTS, "关于转发《福建省工业和信息化厅关于进一步加强电力设施保护工作的通知》的通知",
     "仙工信〔2020〕36号", "电力执法股", date(2020, 4, 22), date(2020, 4, 24)),
    (TOPIC_OTHER, "仙游县工业和信息化局2020年“双随机、一公开”抽查工作计划", "", "综合股",
     date(2020, 4, 29), date(2020, 5, 6)),
    (TOPIC_DOCUMENTS, "关于转发《福建省“专精特新”中小企业认定管理办法》的通知",
     "仙工信〔2020〕45号", "中小企业股", date(2020, 5, 18), date(2020, 5, 20)),
    (TOPIC_POLICIES, "关于组织申报2020年度省级技术改造专项资金项目的通知",
     "仙工信〔2020〕52号", "投资与技术改造股", date(2020, 6, 3), date(2020, 6, 4)),
    (TOPIC_DOCUMENTS, "关于转发《福建省工业和信息化厅关于加强民用爆炸物品安全生产管理的通知》的通知",
     "仙工信〔2020〕56号", "综合股", date(2020, 6, 15), date(2020, 6, 17)),
    (TOPIC_DOCUMENTS, "关于转发《莆田市工业企业技术改造项目备案管理办法》的通知",
     "仙工信〔2020〕63号", "投资与技术改造股", date(2020, 7, 6), date(2020, 7, 8)),
    (TOPIC_OTHER, "仙游县工业和信息化局2019年部门决算", "", "办公室",
     date(2020, 8, 10), date(2020, 8, 14)),
    (TOPIC_DOCUMENTS, "关于转发《福建省重点用能企业节能监察办法》的通知",
     "仙工信〔2020〕74号", "综合股", date(2020, 8, 19), date(2020, 8, 21)),
    (TOPIC_POLICIES, "关于转发《莆田市进一步支持中小微企业纾困发展若干措施》的通知",
     "仙工信〔2020〕81号", "中小企业股", date(2020, 9, 7), date(2020, 9, 8)),
    (TOPIC_DOCUMENTS, "关于转发《福建省企业技术中心认定管理办法》的通知",
     "仙工信〔2020〕86号", "投资与技术改造股", date(2020, 9, 21), date(2020, 9, 23)),
    (TOPIC_DOCUMENTS, "关于转发《福建省工业企业安全生产风险分级管控工作指引》的通知",
     "仙工信〔2020〕92号", "综合股", date(2020, 10, 13), date(2020, 10, 15)),
    (TOPIC_DOCUMENTS, "关于转发《福建省新能源汽车推广应用财政补助资金管理办法》的通知",
     "仙工信〔2020〕97号", "经济运行股", date(2020, 10, 26), date(2020, 10, 28)),
    (TOPIC_DOCUMENTS, "关于转发《福建省电力设施保护区施工作业管理办法》的通知",
     "仙工信〔2020〕105号", "电力执法股", date(2020, 11, 16), date(2020, 11, 18)),
    (TOPIC_OTHER, "仙游县工业和信息化局关于2020年电力设施保护执法检查情况的通报",
     "仙工信〔2020〕112号", "电力执法股", date(2020, 12, 14), date(2020, 12, 16)),
)

# Table 二 as printed (2019 format): the project counts of the lists the
# bureau keeps; no decisions, no fees, no centralised procurement.
FIGURES_2020 = {
    "licensing_previous_year_items": 4,
    "other_management_services_previous_year_items": 3,
    "penalty_previous_year_items": 62,
    "coercion_previous_year_items": 1,
}

OVERVIEW_2020 = """\
2020年我局信息公开在县委县政府的正确领导下，大力推进政府信息公开机构建设，不断增强信息公开建设，我局建立“主要领导亲自抓，分管领导具体抓，职能科室抓落实”的工作机制，设立以局长陈利民为组长，由副局长陈德春任副组长，相关领导和股室负责人为成员的政务公开、党务公开领导小组，明确人员责任，细化工作措施，确保政府信息及时主动公开，提高信息公开的透明度。

（一）主动公开情况
2020年，我局认真学习中央、省、市、政府信息公开相关要求，严格落实《中华人民共和国政府信息公开条例》《关于全面推进全省政务公开工作实施细则的通知》《关于印发仙游县2020年政务公开工作主要任务的通知》文件精神，加强信息公开队伍建设，确定人员负责信息公开工作，以建设服务型机关为目标，以网上公开、发放工作服务指南和公开栏公开为主要形式，加大政府信息公开力度，全年共主动公开政府信息22条，其中省、市惠企政策信息5条，规范性文件类信息12条、其他类信息5条。

（二）依申请公开情况
按照《中华人民共和国政府信息公开条例》要求，我局认真严格按照文件精神，积极做好依申请公开信息工作。2020年度无依申请公开件。

（三）政府信息管理情况
为加强政府信息管理真实性、准确性。我局建立“主要领导亲自抓，分管领导具体抓，职能科室抓落实”的工作机制，设立以局长陈利民为组长，由副局长陈德春任副组长，相关领导和股室负责人为成员的政务公开、党务公开领导小组，明确人员责任，细化工作措施，确保政府信息及时主动公开。一是完善了以各股室提供信息为基础，办公室汇总整理，按程序公开政府信息的工作机制。明确政府信息公开工作的主管人员，具体负责政府信息的上网发布；二是落实政府信息公开责任股室和责任人，坚持“谁提供，谁审核，谁负责”的原则，按照职能职责的要求把好关，确保公开信息的准确性、权威性、完整性和时效性。

（四）平台建设情况
为方便联系企业及群众，结合我局实际情况，及时更新我局网站内容及子栏目，并充分利用“仙游县工业和信息化局”微信公众号作为政府信息公开的主要渠道，通过定期刊登工信领域宣传稿件，让群众更了解工信。同时，通过定期向县档案馆、县图书馆报送我局主动公开的政府信息以及统计报表，完善信息公开移交制度和查阅渠道。

（五）监督保障情况
对照我局信息公开职能，一方面我局采取股室分工负责制，将各股室全年应公开尽公开政策及时公示，切实保障企业享受到各级政策补贴，另一方面我局在局网站、微信公众号和省、市县“12345”热线及时收集、研判、处置和回应问题，及时解决回应重大突发事件，正确引导舆论，消除不良影响。并在我局设立投诉信箱、举报、监督电话等渠道，自觉接受群众监督。

（六）政府公开落实情况
2020年，在县委、县政府的正确领导下，我局全面落实《条例》《办法》精神，明确把政务公开工作作为加强效能建设的一项重要内容来抓，要求全局上下把此项工作作为一项基本性工作抓紧、抓实，稳步推进政务公开工作。我局在政务公开栏上，对“三公经费”支出情况、惠企政策、电力执法等进行公开。特别是在“六稳六保”方面，根据工信重点工作，及时出台疫情期间复工复产政策，及时解读支持工业企业发展政策，并加强主动回应。对群众普遍关心的问题及时在网站公开解答。在门户网站上建立政务公开、综合法规等专栏，及时公开相关信息，保障群众的知情权、监督权。

（七）基层政务公开标准化规范化工作进展情况
2020年我局基层政务公开标准化规范化工作以服务群众、服务企业需求为基础，成立了局长为基层政务公开标准化规范化工作第一责任人，分管领导和各股室为成员的领导小组，结合我局的实际情况，制定了《仙游县工业和信息化局基层政务公开标准目录》，保证各项事务公开、透明。"""

PROBLEMS_2020 = """\
（一）存在问题
我局的政府信息公开工作虽然严格按上级的有关规定开展，但工作中依然存在一些不足之处，主要是信息工作相关制度和规程有待进一步完善，信息公开的便民性有待进一步提高，公开内容有待进一步深化，公开的载体建设有待进一步加强，政务服务质量效率水平有待提高等现状。

（二）改进措施
一是加强学习培训，提高工作人员业务水平和服务水平。继续加强对相关文件精神的学习和宣传，不断提高工作人员的素质，增强处理信息能力和提高服务质量。
二是进一步健全完善制度建设。完善服务公开目录和受理机制，确保政务公开办事公开健康有序地开展。
三是及时更新公开信息。进一步完善信息公开指南，调整优化信息公开目录，突出信息公开重点，进一步提高信息公开的时效性和针对性。"""

# The published report prints the heading of section 六 with nothing under
# it; "无。" is what such reports say, so the section does not look unfilled.
OTHER_MATTERS_2020 = "无。"


def seed_batch(*, agency: Agency, units: dict[str, Unit]) -> Batch:
    """The bureau's 2020 records: its items, its table 二 figures and its report's narrative."""
    batch = Batch()
    for topic, title, number, unit, formed_on, published_on in ITEMS_2020:
        batch.items.append(Item(
            agency=agency, unit=units[unit], title=title, document_type=DocumentType.OTHER, topic=topic,
            document_number=number, formed_on=formed_on, published_on=published_on,
        ))
    batch.figures.append(AdministrativeFigures(agency=agency, year=SEED_YEAR, **FIGURES_2020))
    batch.reports.append(AnnualReport(
        agency=agency, year=SEED_YEAR, overview=OVERVIEW_2020, problems=PROBLEMS_2020,
        other_matters=OTHER_MATTERS_2020,
    ))
    return batch
