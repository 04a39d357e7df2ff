"""What each demo agency is like: its volumes, its outcomes, its documents and its figures.

Five county agencies of 仙游县 with synthetic activity, and the seed bureau
(xianyou-gxj) outside its real 2020. Their names are real; what they do
here is made up, to the scale and mix a county sees: the 自然资源局 drowns
in land-expropriation requests, the 市场监管局 hears from companies, the
生态环境局 from environmental groups, the 政府办 makes the county's few 规章.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import seed
from .records import FIRST_YEAR, AgencySpec

OWN = "*"  # an ItemKind numbered with the agency's own 文号 prefix


@dataclass(frozen=True)
class ItemKind:
    """A kind of item an agency publishes routinely.

    ``numbered`` is the 文号 prefix (``OWN`` for the agency's own, "" for
    none); a ``{number}`` in the title repeats the 文号, as 处罚决定书 do.
    """

    topic: str
    unit: str
    title: str
    numbered: str = ""


@dataclass(frozen=True)
class FiguresPlan:
    """Table 二's yearly figures: project counts in 2019 and the range of decisions a year (万元 as strings)."""

    items: dict[str, int]
    decisions: dict[str, tuple[int, int]]
    change_chance: float = 0.3
    fees_amount: tuple[str, str] = ("0", "0")
    procurement_projects: tuple[int, int] = (0, 0)
    procurement_amount: tuple[str, str] = ("0", "0")


@dataclass(frozen=True)
class Profile:
    """One demo agency: who it is and how much of what it does in a typical year.

    Biases multiply the region-wide weights of outcomes and applicant types
    (``synthetic.OUTCOME_WEIGHTS``, ``APPLICANT_WEIGHTS``) for what is
    particular to the agency.
    """

    agency: AgencySpec
    office_unit: str
    number_prefix: str
    normative_prefix: str
    applications_per_year: int
    items_per_year: int
    normative_per_year: tuple[int, int]
    normative_subjects: tuple[str, ...]
    appeal_rate: float
    requests: tuple[str, ...]
    item_kinds: tuple[ItemKind, ...]
    figures: FiguresPlan
    outcome_bias: dict[str, float] = field(default_factory=dict)
    applicant_bias: dict[str, float] = field(default_factory=dict)
    normative_topic: str = "行政规范性文件"
    regulation_years: tuple[int, ...] = ()
    regulation_subjects: tuple[str, ...] = ()
    # Year a 规章 was made → year it was repealed.
    regulations_repealed: dict[int, int] = field(default_factory=dict)
    first_application_year: int = FIRST_YEAR
    normative_from: int = FIRST_YEAR
    # The year whose records come from the seed report, left alone here.
    seed_year: int | None = None
    # Whether the agency takes its turn in making every outcome occur (see _cover).
    covers_every_outcome: bool = True
    # Topics of the yearly items: the 年报, the budget and 决算, the 双随机 spot-check plan.
    annual_topics: tuple[str, str, str] = ("政府信息公开年报", "财政预决算", "行政执法")


ZFB = Profile(
    agency=AgencySpec(
        code="xianyou-zfb", name="仙游县人民政府办公室", short_name="县政府办",
        organisation_code="11350322003592013X", region="xianyou",
        units=("秘书股", "综合股", "督查室", "政务公开办", "信息调研股"), pronoun="我办",
    ),
    office_unit="秘书股", number_prefix="仙政办", normative_prefix="仙政办规",
    applications_per_year=90, items_per_year=110, normative_per_year=(1, 3), appeal_rate=0.04,
    normative_subjects=(
        "仙游县农村村民住宅建设管理办法", "仙游县政府投资项目管理办法", "仙游县城区建筑垃圾管理办法",
        "仙游县县级储备粮管理办法", "仙游县行政规范性文件制定和备案管理办法", "仙游县公共资源交易管理办法",
        "仙游县城市道路挖掘管理规定", "仙游县殡葬管理实施办法", "仙游县国有资产管理办法",
        "仙游县城乡居民最低生活保障实施细则", "仙游县政府合同管理办法", "仙游县重大行政决策程序规定",
        "仙游县河道采砂管理办法", "仙游县城区户外广告设置管理办法",
    ),
    regulation_years=(2019, 2021, 2023, 2025), regulations_repealed={2019: 2024},
    regulation_subjects=("仙游县城市绿化管理办法", "仙游县城市市容和环境卫生管理办法",
                         "仙游县农村公路养护管理办法", "仙游县历史文化街区保护办法"),
    requests=(
        "申请公开县政府{year}年第{n}次常务会议纪要中涉及{town}{village}的内容",
        "申请公开《{agency}关于印发仙游县{plan}的通知》全文",
        "申请公开{town}{village}旧村改造项目的立项批复文件",
        "申请公开县政府关于{project}的专题会议纪要",
        "申请公开{prev_year}年度仙游县县级财政预算执行情况",
        "申请公开仙游县{prev_year}年度为民办实事项目完成情况",
    ),
    item_kinds=(
        ItemKind("政策文件", "综合股", "仙游县人民政府办公室关于印发仙游县{plan}的通知", OWN),
        ItemKind("政策解读", "政务公开办", "《仙游县{plan}》政策解读"),
        ItemKind("应急管理", "秘书股", "仙游县人民政府办公室关于做好{year}年{holiday}期间安全生产工作的通知", OWN),
        ItemKind("政务督查", "督查室", "关于{quarter_period}全县重点项目建设情况的通报", OWN),
        ItemKind("政务公开", "政务公开办", "仙游县{quarter_period}政府网站与政务新媒体检查情况通报", OWN),
        ItemKind("建议提案", "综合股", "对县政协{year}年第{n}号提案的答复"),
        ItemKind("人事信息", "秘书股", "仙游县人民政府关于任免县直有关单位领导职务的通知", "仙政"),
        ItemKind("重点项目", "信息调研股", "仙游县重点项目{period}进展情况"),
    ),
    outcome_bias={"withheld.process_information": 3, "unavailable.not_held": 1.2},
    figures=FiguresPlan(
        items={"licensing": 0, "other_management_services": 5, "penalty": 0, "coercion": 0, "fees": 0},
        decisions={"other_management_services": (20, 60)},
        procurement_projects=(8, 20), procurement_amount=("300", "1500"),
    ),
)

ZRZYJ = Profile(
    agency=AgencySpec(
        code="xianyou-zrzyj", name="仙游县自然资源局", short_name="县自然资源局",
        organisation_code="11350322MB1C9P4A80", region="xianyou",
        units=("办公室", "国土空间规划股", "耕地保护股", "自然资源利用股", "不动产登记股", "执法监察大队"),
    ),
    office_unit="办公室", number_prefix="仙自然资", normative_prefix="仙自然资规",
    applications_per_year=180, items_per_year=70, normative_per_year=(0, 2), appeal_rate=0.05,
    normative_subjects=(
        "仙游县征收集体土地补偿安置办法", "仙游县国有建设用地使用权出让管理办法", "仙游县农村宅基地审批管理办法",
        "仙游县临时用地管理办法", "仙游县不动产登记历史遗留问题处理办法", "仙游县耕地占补平衡指标管理办法",
        "仙游县矿产资源开采管理规定", "仙游县土地储备管理办法",
    ),
    requests=(
        "申请公开{town}{village}集体土地征收的征地批复文件",
        "申请公开{town}{village}征地补偿安置方案及补偿款发放明细",
        "申请公开{company}用地的建设用地规划许可证及附图",
        "申请公开{town}{village}本人家庭宅基地审批档案",
        "申请公开仙游县国土空间总体规划中{town}的用地布局图",
        "申请公开{prev_year}年度{town}土地卫片执法检查结果",
        "申请公开{project}的国有建设用地使用权出让合同",
        "申请公开{town}{village}土地征收社会稳定风险评估报告",
    ),
    item_kinds=(
        ItemKind("土地征收", "自然资源利用股", "仙游县人民政府征收土地预公告（{year}年第{n}号）"),
        ItemKind("土地征收", "自然资源利用股", "{town}{village}征地补偿安置方案公告"),
        ItemKind("国有土地出让", "自然资源利用股", "仙游县国有建设用地使用权挂牌出让公告（{year}-{n}号）"),
        ItemKind("规划许可", "国土空间规划股", "{project}建设工程设计方案批前公示"),
        ItemKind("规划许可", "国土空间规划股", "{project}建设用地规划许可证核发结果公告"),
        ItemKind("行政处罚", "执法监察大队", "仙游县自然资源局行政处罚决定书（{number}）", "仙自然资罚"),
        ItemKind("耕地保护", "耕地保护股", "关于做好{year}年度耕地保护目标责任考核工作的通知", OWN),
        ItemKind("不动产登记", "不动产登记股", "不动产首次登记公告（{year}年第{n}期）"),
        ItemKind("矿产资源", "执法监察大队", "关于开展{year}年度矿产资源开发秩序专项检查的通知", OWN),
    ),
    outcome_bias={"unavailable.not_held": 1.3, "withheld.third_party_rights": 1.5, "not_processed.petition": 1.5,
                  "not_processed.repeated": 2, "not_processed.excessive": 2, "disclosed": 0.9},
    applicant_bias={"legal_service_agency": 1.6},
    figures=FiguresPlan(
        items={"licensing": 28, "other_management_services": 35, "penalty": 126, "coercion": 6, "fees": 4},
        decisions={"licensing": (350, 700), "other_management_services": (800, 1600), "penalty": (30, 90),
                   "coercion": (0, 6)},
        fees_amount=("60", "180"), procurement_projects=(10, 25), procurement_amount=("400", "2500"),
    ),
)

SCJGJ = Profile(
    agency=AgencySpec(
        code="xianyou-scjgj", name="仙游县市场监督管理局", short_name="县市场监管局",
        organisation_code="11350322MB1D2K86X3", region="xianyou",
        units=("办公室", "登记注册股", "食品安全协调股", "特种设备安全监察股", "质量发展与标准化股", "执法大队"),
    ),
    office_unit="办公室", number_prefix="仙市监", normative_prefix="仙市监规",
    applications_per_year=70, items_per_year=80, normative_per_year=(0, 2), appeal_rate=0.03,
    normative_subjects=(
        "仙游县食品小作坊登记管理办法", "仙游县小餐饮登记管理办法", "仙游县商标品牌战略奖励办法",
        "仙游县计量器具强制检定管理办法", "仙游县特种设备安全管理办法", "仙游县消费投诉处理办法",
        "仙游县农贸市场食品安全管理规定",
    ),
    requests=(
        "申请公开对{company}的行政处罚决定书",
        "申请公开{food_company}的食品经营许可证信息",
        "申请公开{prev_year}年{town}农贸市场食品抽检结果",
        "申请公开对本人投诉举报{company}的处理结果",
        "申请公开{company}的企业登记档案",
        "申请公开{town}电梯等特种设备定期检验情况",
    ),
    item_kinds=(
        ItemKind("食品安全", "食品安全协调股", "仙游县市场监督管理局{year}年第{n}期食品安全监督抽检信息公告"),
        ItemKind("行政处罚", "执法大队", "仙游县市场监督管理局行政处罚决定书（{number}）", "仙市监处罚"),
        ItemKind("特种设备", "特种设备安全监察股", "关于开展{year}年{season}特种设备安全专项检查的通知", OWN),
        ItemKind("产品质量", "质量发展与标准化股", "仙游县{year}年县级产品质量监督抽查结果公告"),
        ItemKind("登记注册", "登记注册股", "关于{n}户长期停业未经营企业拟吊销营业执照的公告"),
        ItemKind("价格监管", "办公室", "关于做好{year}年{holiday}期间市场价格监管工作的通知", OWN),
        ItemKind("消费维权", "办公室", "仙游县市场监督管理局{quarter_period}消费投诉信息公示"),
    ),
    outcome_bias={"withheld.third_party_rights": 2.5, "withheld.enforcement_files": 2,
                  "withheld.administrative_query": 4, "not_processed.petition": 2},
    applicant_bias={"commercial_enterprise": 3},
    figures=FiguresPlan(
        items={"licensing": 42, "other_management_services": 31, "penalty": 468, "coercion": 12, "fees": 2},
        decisions={"licensing": (1800, 3500), "other_management_services": (2000, 5000), "penalty": (120, 380),
                   "coercion": (8, 40)},
        fees_amount=("0.5", "4"), procurement_projects=(5, 15), procurement_amount=("150", "800"),
    ),
)

RSJ = Profile(
    agency=AgencySpec(
        code="xianyou-rsj", name="仙游县人力资源和社会保障局", short_name="县人社局",
        organisation_code="11350322003594676X", region="xianyou",
        units=("办公室", "就业促进股", "人事管理股", "劳动关系股", "社会保险股", "劳动保障监察大队"),
    ),
    office_unit="办公室", number_prefix="仙人社", normative_prefix="仙人社规",
    applications_per_year=45, items_per_year=60, normative_per_year=(0, 2), appeal_rate=0.03,
    normative_subjects=(
        "仙游县就业见习补贴管理办法", "仙游县创业担保贷款贴息管理办法", "仙游县高层次人才引进实施办法",
        "仙游县职业技能提升补贴实施细则", "仙游县事业单位公开招聘工作人员实施办法",
        "仙游县被征地农民养老保险实施办法", "仙游县农民工工资保证金管理办法",
    ),
    requests=(
        "申请公开{year}年事业单位公开招聘{post}岗位的面试成绩",
        "申请公开本人的工伤认定决定书及相关材料",
        "申请公开{company}为职工缴纳社会保险的情况",
        "申请公开{prev_year}年{town}被征地农民养老保险参保名单",
        "申请公开劳动保障监察对{company}拖欠工资投诉的处理结果",
    ),
    item_kinds=(
        ItemKind("人事考试", "人事管理股", "仙游县{year}年事业单位公开招聘工作人员{stage}"),
        ItemKind("就业创业", "就业促进股", "仙游县{year}年第{n}批创业担保贷款贴息资金拟拨付名单公示"),
        ItemKind("就业创业", "就业促进股", "关于发放{year}年度失业保险稳岗返还资金的公示"),
        ItemKind("劳动监察", "劳动保障监察大队", "仙游县{quarter_period}重大劳动保障违法行为社会公布"),
        ItemKind("职称评审", "人事管理股", "{prev_year}年度仙游县中级职称评审通过人员名单公示"),
        ItemKind("社会保险", "社会保险股", "关于{year}年度城乡居民基本养老保险缴费档次及政府补贴标准的通知", OWN),
        ItemKind("就业创业", "就业促进股", "仙游县{year}年“春风行动”人力资源招聘会公告"),
    ),
    outcome_bias={"withheld.internal_affairs": 2, "withheld.third_party_rights": 1.5},
    applicant_bias={"natural_person": 1.1},
    figures=FiguresPlan(
        items={"licensing": 6, "other_management_services": 52, "penalty": 41, "coercion": 2, "fees": 1},
        decisions={"licensing": (20, 80), "other_management_services": (5000, 12000), "penalty": (3, 20),
                   "coercion": (0, 2)},
        procurement_projects=(3, 10), procurement_amount=("80", "400"),
    ),
)

STHJJ = Profile(
    agency=AgencySpec(
        code="xianyou-sthjj", name="莆田市仙游生态环境局", short_name="仙游生态环境局",
        organisation_code="11350322MB1E0T389G", region="xianyou",
        units=("办公室", "环境影响评价与排放管理股", "生态环境监测站", "生态环境保护综合执法大队", "水生态环境股"),
    ),
    office_unit="办公室", number_prefix="莆仙环", normative_prefix="莆仙环规",
    applications_per_year=25, items_per_year=45, normative_per_year=(0, 1), appeal_rate=0.04,
    normative_subjects=(
        "仙游县建设项目环境影响评价审批管理办法", "仙游县排污权交易管理办法", "仙游县突发环境事件应急预案管理办法",
        "仙游县机动车排放检验监督管理办法", "仙游县生态环境保护督察整改销号管理办法",
    ),
    requests=(
        "申请公开{project}环境影响报告表及批复",
        "申请公开{company}的排污许可证及执行报告",
        "申请公开{prev_year}年{town}地表水水质监测数据",
        "申请公开对{company}的环境行政处罚决定书",
        "申请公开{town}垃圾焚烧发电项目环评公众参与材料",
    ),
    item_kinds=(
        ItemKind("环评审批", "环境影响评价与排放管理股", "{project}环境影响报告表拟审批公示"),
        ItemKind("环评审批", "环境影响评价与排放管理股", "关于{project}环境影响报告表的批复", OWN),
        ItemKind("行政处罚", "生态环境保护综合执法大队", "行政处罚决定书（{number}）", "莆仙环罚"),
        ItemKind("环境质量", "生态环境监测站", "仙游县{period}环境空气质量状况"),
        ItemKind("环境质量", "水生态环境股", "仙游县{period}主要流域水质状况"),
        ItemKind("排污许可", "环境影响评价与排放管理股", "{quarter_period}排污许可证核发情况公告"),
        ItemKind("执法监管", "生态环境保护综合执法大队", "仙游县{year}年环境监管重点单位名录"),
    ),
    outcome_bias={"disclosed": 1.2, "withheld.third_party_rights": 1.5},
    applicant_bias={"social_welfare_organization": 6},
    figures=FiguresPlan(
        items={"licensing": 9, "other_management_services": 12, "penalty": 236, "coercion": 8, "fees": 0},
        decisions={"licensing": (40, 120), "other_management_services": (60, 200), "penalty": (15, 60),
                   "coercion": (2, 15)},
        procurement_projects=(3, 8), procurement_amount=("100", "600"),
    ),
)

# The seed bureau outside 2020: few applications (it had none in 2020), no
# 行政规范性文件 of its own before 2021, and project counts that stay as it
# printed them, so its 2019 figures chain into the 2020 report (rule P2).
GXJ = Profile(
    agency=seed.BUREAU,
    office_unit="办公室", number_prefix="仙工信", normative_prefix="仙工信规",
    applications_per_year=4, items_per_year=24, normative_per_year=(0, 1), appeal_rate=0.05,
    normative_subjects=("仙游县工业企业技术改造项目补助管理办法", "仙游县工业园区标准化厂房租赁管理办法",
                        "仙游县工业企业增产增效奖励办法"),
    normative_topic=seed.TOPIC_DOCUMENTS,
    requests=(
        "申请公开{prev_year}年度工业企业技术改造补助资金拨付明细",
        "申请公开对{company}电力设施保护违法行为的处理结果",
        "申请公开{prev_year}年度“专精特新”中小企业认定名单及评审依据",
        "申请公开仙游县工业园区标准化厂房租赁企业名单",
    ),
    item_kinds=(
        ItemKind(seed.TOPIC_POLICIES, "中小企业股", "关于组织申报{year}年度省级{fund}项目的通知", OWN),
        ItemKind(seed.TOPIC_POLICIES, "投资与技术改造股", "{year}年度仙游县工业企业技术改造补助资金拟拨付名单公示"),
        ItemKind(seed.TOPIC_DOCUMENTS, "综合股", "关于转发《{provincial_doc}》的通知", OWN),
        ItemKind(seed.TOPIC_OTHER, "电力执法股", "关于开展{year}年电力设施保护专项检查的通知", OWN),
        ItemKind(seed.TOPIC_OTHER, "经济运行股", "仙游县{period}工业经济运行情况"),
    ),
    figures=FiguresPlan(
        items={"licensing": 4, "other_management_services": 3, "penalty": 62, "coercion": 1, "fees": 0},
        decisions={"licensing": (0, 3), "other_management_services": (0, 5), "penalty": (0, 3)},
        change_chance=0, procurement_projects=(0, 2), procurement_amount=("5", "40"),
    ),
    first_application_year=2021, normative_from=2021, seed_year=seed.SEED_YEAR, covers_every_outcome=False,
    annual_topics=(seed.TOPIC_OTHER, seed.TOPIC_OTHER, seed.TOPIC_OTHER),
)

PROFILES = (GXJ, ZFB, ZRZYJ, SCJGJ, RSJ, STHJJ)
