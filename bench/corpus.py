"""Realistic catalogue items for the search benchmark: county agencies' notices, plans, budgets, penalties …

Titles, abstracts, 文号 and bodies are drawn from a fixed seed out of the
vocabulary real disclosure columns use (the genres of 党政机关公文, 第二十条's
kinds of information, the places and funds of a county), so word frequencies
look like a real catalogue: a few words (公开, 通知, 工作) in most items, most
words in few.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from gongkai.demo.words import BRANDS, FUNDS, HOLIDAYS, PLANS, POSTS, STAGES, TOWNS, TRADES, VILLAGES

COUNTIES = ("仙游县", "涵江区", "荔城区", "城厢区", "秀屿区", "永春县", "德化县", "安溪县", "惠安县", "南安市")
BUREAUS = (  # name, 文号 abbreviation, topic
    ("工业和信息化局", "工信", "工业、交通\\工业"), ("财政局", "财", "财政、金融、审计\\财政"),
    ("人民政府办公室", "政办", "综合政务\\政务公开"), ("市场监督管理局", "市监", "市场监管、安全生产监管\\市场监管"),
    ("人力资源和社会保障局", "人社", "劳动、人事、监察\\人力资源"), ("教育局", "教", "科技、教育\\教育"),
    ("生态环境局", "环", "国土资源、能源\\生态环境"), ("自然资源局", "自然资源", "国土资源、能源\\土地"),
    ("民政局", "民", "民政、扶贫、救灾\\社会救助"), ("应急管理局", "应急", "市场监管、安全生产监管\\安全生产"),
)
ABBREVIATION = {"仙游县": "仙", "涵江区": "涵", "荔城区": "荔", "城厢区": "城", "秀屿区": "秀", "永春县": "永",
                "德化县": "德", "安溪县": "安", "惠安县": "惠", "南安市": "南"}
MONTHS = [f"{m}月" for m in range(1, 13)]
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")

# (title template, genre, document_type, abstract template, body kind); {agency} {county} {year} … are filled per item.
TITLES = [
    ("关于印发《{county}{plan}》的通知", "notice", "normative_document", "印发{county}{plan}，请各单位结合实际认真贯彻执行。", "plan"),
    ("{agency}关于{year}年{fund}申报工作的通知", "notice", "other", "组织开展{year}年{fund}项目申报，明确申报条件、材料和时间。", "fund"),
    ("{agency}{year}年部门预算", "report", "other", "公开{agency}{year}年部门收支预算、财政拨款预算和“三公”经费预算。", "budget"),
    ("{agency}{prev_year}年部门决算", "report", "other", "公开{agency}{prev_year}年度部门决算及“三公”经费支出情况。", "budget"),
    ("{agency}{prev_year}年政府信息公开工作年度报告", "report", "other", "报告{prev_year}年主动公开、依申请公开、复议诉讼等情况。", "report"),
    ("{agency}政府信息公开指南", "other", "other", "本机关政府信息的分类、获取方式和政府信息公开工作机构的联系方式。", "report"),
    ("行政处罚决定书（{number}）", "decision", "other", "对{company}违法行为作出的行政处罚决定。", "penalty"),
    ("关于{company}{product}项目环境影响报告表审批意见的公告", "announcement", "other", "公告{company}建设项目环境影响评价文件审批意见。", "project"),
    ("{year}年{quarter}{county}规模以上工业主要经济指标", "other", "other", "{year}年{quarter}规模以上工业增加值、营业收入等统计数据。", "statistics"),
    ("关于{town}{village}征地补偿安置方案的公告", "announcement", "other", "公告{town}{village}集体土地征收的补偿标准和安置方式。", "land"),
    ("{county}{year}年公开招聘{post}人员{stage}", "announcement", "other", "{year}年公开招聘{post}人员的{stage}。", "recruit"),
    ("关于做好{year}年{holiday}期间安全生产工作的通知", "notice", "other", "部署{holiday}期间安全生产隐患排查和值班值守工作。", "safety"),
    ("{agency}关于{year}年度{fund}拟扶持项目的公示", "public_notice", "other", "公示{year}年度{fund}拟扶持企业名单及金额。", "subsidy"),
    ("关于公布{county}行政许可事项清单（{year}年版）的通知", "notice", "normative_document", "公布本级行政许可事项的名称、设定依据和实施机关。", "plan"),
    ("{county}{year}年政府集中采购目录及限额标准", "notice", "normative_document", "明确集中采购机构采购项目和分散采购限额标准。", "budget"),
    ("关于同意{town}{village}安置房建设项目立项的批复", "reply", "other", "同意建设项目立项，明确建设规模和资金来源。", "project"),
    ("{agency}{prev_year}年法治政府建设情况报告", "report", "other", "报告{prev_year}年推进法治政府建设的主要举措和成效。", "report"),
    ("关于开展{year}年{season}食品安全监督抽检工作的通告", "public_notice", "other", "公布{season}食品安全监督抽检计划和抽检结果。", "food"),
    ("{county}城乡最低生活保障对象名单公示（{year}年{month}）", "public_notice", "other", "公示{town}等乡镇新增最低生活保障对象。", "relief"),
    ("关于{year}年度城乡居民基本医疗保险参保缴费工作的通告", "public_notice", "other", "明确参保对象、缴费标准、缴费期限和缴费渠道。", "insurance"),
    ("{year}年高校毕业生就业补贴发放名单公示", "public_notice", "other", "公示高校毕业生社会保险补贴和岗位补贴发放名单。", "subsidy"),
    ("关于调整{county}城区义务教育学校招生片区的通知", "notice", "normative_document", "调整城区公办小学、初中招生片区和入学条件。", "school"),
    ("{county}{plan}", "other", "other", "明确工作目标、主要任务、职责分工和保障措施。", "plan"),
    ("关于{county}{prev_year}年预算执行情况和{year}年预算草案的报告", "report", "other", "报告{prev_year}年财政预算执行情况和{year}年预算草案。", "budget"),
    ("关于{company}申请{trade}生产许可的行政许可决定", "decision", "other", "对{company}提出的行政许可申请作出准予许可决定。", "project"),
    ("关于废止部分行政规范性文件的决定", "decision", "normative_document", "经清理，决定废止已不适应经济社会发展要求的规范性文件。", "plan"),
    ("{county}{year}年残疾人两项补贴发放情况公示", "public_notice", "other", "公示困难残疾人生活补贴和重度残疾人护理补贴发放情况。", "subsidy"),
    ("关于{year}年耕地地力保护补贴资金发放的公示", "public_notice", "other", "公示{town}耕地地力保护补贴面积、标准和金额。", "subsidy"),
    ("{agency}关于{year}年第{n}批排污许可证核发情况的公告", "announcement", "other", "公告核发排污许可证的企业名单和许可事项。", "project"),
    ("关于开展{year}年危险化学品和特种设备安全专项检查的通知", "notice", "other", "部署危险化学品、特种设备安全专项检查和隐患整改。", "safety"),
    ("{county}{year}年{month}主要农产品价格监测情况", "other", "other", "{month}粮油、蔬菜、猪肉等主要农产品价格监测数据。", "price"),
    ("关于{county}国有土地上房屋征收补偿方案的公告", "announcement", "other", "公告国有土地上房屋征收范围、补偿方式和补偿标准。", "land"),
    ("{agency}{year}年消费者投诉举报处理情况通报", "report", "other", "通报{year}年受理消费者投诉举报的数量、类型和处理结果。", "report"),
]

# Boilerplate every kind of item may carry.
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，根据有关法律法规规定，结合我{county_short}实际，制定本{genre}。",
    "各乡镇人民政府（街道办事处）、县直有关单位要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "本次公示期为{n}个工作日，公示期间如有异议，请以书面形式向{agency}反映，联系电话：0594-{phone}。",
    "本{genre}自印发之日起施行，有效期五年。此前有关规定与本{genre}不一致的，以本{genre}为准。",
    "联系地址：{county}鲤城街道八二五大街{n}号，邮政编码：351200，办公时间为工作日上午8:00—12:00，下午15:00—18:00。",
    "特此{genre}。",
]
# What the body of each kind of item says (by the title template's position in TITLES).
SPECIFIC = {
    "fund": "申报企业应当在{county}依法登记注册，具有独立法人资格，财务管理制度健全，近三年无重大安全、环保、质量事故。",
    "subsidy": "补贴资金按照“先建后补、以奖代补”的方式拨付，专款专用，任何单位和个人不得截留、挤占、挪用。",
    "penalty": "{company}于{date}在生产经营过程中存在违法行为，经调查核实，违反了相关法律法规的规定。"
               "依据《中华人民共和国行政处罚法》第二十八条的规定，责令当事人改正违法行为，并处罚款人民币{amount}元。"
               "当事人对本决定不服的，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
    "statistics": "{year}年，全{county_short}规模以上工业增加值同比增长{pct}%，工业投资增长{pct2}%，技术改造投资持续扩大。",
    "land": "征收土地涉及{town}{village}集体土地{area}公顷，其中农用地{area2}公顷，补偿费用按照省人民政府公布的区片综合地价执行。",
    "recruit": "报名时间为{date}至{date2}，报名采取网上报名方式进行，报考人员只能选择一个岗位报考。",
    "safety": "各单位要严格落实安全生产责任制，加强重点行业领域隐患排查治理，坚决防范和遏制重特大事故发生。",
    "budget": "部门预算收入合计{amount}万元，其中一般公共预算财政拨款收入{amount2}万元，三公经费预算比上年下降{pct}%。",
    "report": "本年度共主动公开政府信息{n}条，收到政府信息公开申请{n2}件，均在法定期限内予以答复。",
    "food": "抽检覆盖粮食加工品、食用油、肉制品、乳制品、饮料等{n}大类食品，共抽检样品{n2}批次。",
    "insurance": "参保人员应当在规定期限内通过“闽政通”、银行网点或乡镇便民服务中心缴纳城乡居民医疗保险费。",
    "project": "项目建设地点位于{town}{village}，总投资{amount}万元，建设内容包括{product}生产线及配套设施。",
    "school": "各学校要坚持免试就近入学原则，严格执行招生政策，不得以任何形式举行或变相举行入学考试。",
    "relief": "经个人申请、入户调查、民主评议和乡镇审核，{town}{village}等{n}户{n2}人符合最低生活保障条件。",
    "price": "监测结果显示，大米、食用油价格基本稳定，猪肉价格环比下降{pct}%，蔬菜价格环比上涨{pct2}%。",
    "plan": "到{year}年底，{plan}确定的各项任务全面完成，工作机制进一步健全，群众满意度明显提升。",
}

GENRE_WORDS = {"notice": "通知", "opinion": "意见", "measures": "办法", "provisions": "规定", "announcement": "公告",
               "public_notice": "通告", "decision": "决定", "report": "报告", "reply": "批复", "other": "方案"}
SEASONS = ("春季", "夏季", "秋冬季")
KEYWORDS = ("补贴", "预算", "决算", "行政处罚", "招聘", "安全生产", "征地", "环评", "统计", "教育", "医疗保险",
            "最低生活保障", "政府采购", "行政许可", "就业", "食品安全", "排污许可", "价格")


class Agencies:
    """The agencies of the corpus: every bureau of every county, named and numbered as in real 文号."""

    def __init__(self, count: int):
        self.rows = []
        for i in range(count):
            county = COUNTIES[i // len(BUREAUS) % len(COUNTIES)]
            bureau, abbr, topic = BUREAUS[i % len(BUREAUS)]
            batch = i // (len(BUREAUS) * len(COUNTIES))
            name = f"{county}{bureau}" + (f"（{batch + 1}）" if batch else "")
            self.rows.append({"code": f"bench-{i:04d}", "name": name, "county": county, "bureau": bureau,
                              "abbr": ABBREVIATION[county] + abbr, "topic": topic,
                              "organisation_code": f"{10000000 + i:08d}"[:7] + "-" + str(i % 10)})


def _fill(rng: random.Random, template: str, values: dict) -> str:
    class Lazy(dict):
        def __missing__(self, key):
            draw = {
                "plan": lambda: rng.choice(PLANS), "fund": lambda: rng.choice(FUNDS),
                "town": lambda: rng.choice(TOWNS), "village": lambda: rng.choice(VILLAGES),
                "post": lambda: rng.choice(POSTS), "stage": lambda: rng.choice(STAGES),
                "holiday": lambda: rng.choice(HOLIDAYS), "season": lambda: rng.choice(SEASONS),
                "quarter": lambda: rng.choice(QUARTERS), "month": lambda: rng.choice(MONTHS),
                "company": lambda: f"{values['county']}{rng.choice(BRANDS)}{rng.choice(sorted(TRADES))}有限公司",
                "trade": lambda: rng.choice(sorted(TRADES)),
                "product": lambda: rng.choice(list(TRADES.values())),
                "n": lambda: str(rng.randint(3, 60)), "n2": lambda: str(rng.randint(10, 900)),
                "amount": lambda: f"{rng.randint(2, 900) * 100:,}", "amount2": lambda: f"{rng.randint(1, 500) * 100:,}",
                "pct": lambda: f"{rng.randint(1, 150) / 10:.1f}", "pct2": lambda: f"{rng.randint(1, 200) / 10:.1f}",
                "area": lambda: f"{rng.randint(1, 900) / 100:.4f}", "area2": lambda: f"{rng.randint(1, 500) / 100:.4f}",
                "phone": lambda: f"{rng.randint(2000000, 8999999)}",
                "date": lambda: f"{values['year']}年{rng.randint(1, 6)}月{rng.randint(1, 28)}日",
                "date2": lambda: f"{values['year']}年{rng.randint(7, 12)}月{rng.randint(1, 28)}日",
            }
            self[key] = value = draw[key]() if key in draw else ""
            return value

    lazy = Lazy(values)
    return template.format_map(lazy)


def item_rows(*, count: int, agencies: Agencies, seed: int = 20261204, first_year: int = 2016, last_year: int = 2026):
    """Yield ``count`` items as dicts of catalogue_item columns (published, proactive), deterministic per seed."""
    rng = random.Random(seed)
    span = (date(last_year, 11, 30) - date(first_year, 1, 1)).days
    sequence: dict[tuple[int, int], int] = {}
    for i in range(count):
        agency_index = rng.randrange(len(agencies.rows))
        agency = agencies.rows[agency_index]
        published = date(first_year, 1, 1) + timedelta(days=rng.randrange(span))
        formed = published - timedelta(days=rng.randint(0, 25))
        year = published.year
        title_t, genre, document_type, abstract_t, kind = TITLES[rng.randrange(len(TITLES))]
        values = {"agency": agency["name"], "county": agency["county"], "county_short": agency["county"][-1],
                  "year": year, "prev_year": year - 1, "genre": GENRE_WORDS[genre]}
        seq_key = (agency_index, year)
        sequence[seq_key] = n = sequence.get(seq_key, 0) + 1
        number = f"{agency['abbr']}〔{year}〕{rng.randint(1, 200)}号" if document_type != "other" or rng.random() < 0.4 else ""
        values["number"] = number or f"{agency['abbr']}罚〔{year}〕{rng.randint(1, 300)}号"
        title = _fill(rng, title_t, values)
        abstract = _fill(rng, abstract_t, values)[:100]
        paragraphs = [_fill(rng, SPECIFIC[kind], values),
                      *(_fill(rng, rng.choice(SENTENCES), values) for _ in range(rng.randint(1, 3)))]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        yield {
            "title": title[:300], "document_type": document_type, "topic": agency["topic"],
            "document_number": number, "formed_on": formed, "published_on": published,
            "validity": "valid", "agency_index": agency_index, "abstract": abstract, "body": body,
            "channels": '["website"]', "disclosure_mode": "proactive", "genre": genre,
            "index_number": f"{agency['organisation_code']}/{year}-{n:05d}",
            "keywords": rng.choice(KEYWORDS), "status": "published", "version": 1,
        }
