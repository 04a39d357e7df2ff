"""The words titles and requests are made of: places of 仙游县, made-up companies and projects.

Templates such as ``"{town}{village}征地补偿安置方案公告"`` are filled from a
``Words`` mapping that draws each value when first asked for, from the
generator it is given, so one template gets one consistent set of words.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .records import AgencySpec

TOWNS = ("鲤城街道", "鲤南镇", "枫亭镇", "榜头镇", "郊尾镇", "度尾镇", "大济镇", "龙华镇", "赖店镇", "盖尾镇",
         "园庄镇", "钟山镇", "游洋镇", "象溪乡", "菜溪乡", "西苑乡", "石苍乡", "社硎乡", "书峰乡")
VILLAGES = ("东山村", "溪口村", "霞林村", "坑头村", "后埔村", "洋坂村", "塘边村", "岭头村", "前洋村", "新安村",
            "山后村", "下楼村", "埔尾村", "潭边村")
BRANDS = ("木兰", "九鲤", "仙溪", "鑫源", "宏泰", "联盛", "华艺", "金鲤", "榕丰", "东泰", "瑞兴", "兴福")
# A company's trade and what its production lines turn out.
TRADES = {"工艺品": "工艺雕刻品", "古典家具": "红木家具", "鞋业": "运动鞋", "电子科技": "电子元件", "建材": "预制构件",
          "机械制造": "机械配件", "包装": "包装纸箱", "服装": "服装"}
FOOD_TRADES = ("食品", "餐饮管理", "茶业", "农产品")
HOLIDAYS = ("元旦春节", "清明节", "“五一”", "端午节", "中秋国庆")
SEASONS = ("春季", "夏季", "秋冬季")
QUARTERS = ("一", "二", "三", "四")
PLANS = ("为民办实事项目实施方案", "农村人居环境整治提升行动方案", "城乡生活垃圾分类工作实施方案", "防汛抗旱应急预案",
         "森林火灾应急预案", "安全生产专项整治行动实施方案", "进一步优化营商环境若干措施", "城区停车管理工作方案",
         "春季造林绿化工作方案", "重污染天气应急预案", "粮食安全责任制考核工作方案", "木兰溪流域综合治理实施方案")
STAGES = ("招聘公告", "笔试成绩公布", "面试公告", "拟聘用人员公示")
POSTS = ("中小学教师", "卫生专业技术", "乡镇事业单位管理", "县直事业单位专业技术")
FUNDS = ("技术改造专项资金", "中小企业发展专项资金", "“专精特新”中小企业认定", "工业企业增产增效奖励资金",
         "数字经济发展专项资金")
PROVINCIAL_DOCUMENTS = (
    "福建省工业和信息化厅关于进一步做好工业企业安全生产工作的通知", "福建省工业企业技术改造投资奖补办法",
    "莆田市工业企业增产增效奖励实施细则", "福建省民用爆炸物品安全管理工作规定", "福建省重点用能单位节能管理办法",
    "福建省电力设施保护工作若干规定", "福建省优质中小企业梯度培育管理实施细则",
)


class Words(dict):
    """Values for a title or request template, drawn when first asked for.

    ``{period}`` is the month before ``day`` and ``{quarter_period}`` the
    quarter before it — what a monthly or quarterly item published on ``day``
    reports on.
    """

    def __init__(self, rng: random.Random, day: date, agency: AgencySpec):
        super().__init__(year=day.year, prev_year=day.year - 1, agency=agency.name)
        self.rng, self.day = rng, day

    def __missing__(self, key: str) -> str:
        self[key] = value = self._draw(key)
        return value

    def _draw(self, key: str) -> str:
        rng, day = self.rng, self.day
        pick = {
            "town": TOWNS, "village": VILLAGES, "holiday": HOLIDAYS, "season": SEASONS, "plan": PLANS,
            "stage": STAGES, "post": POSTS, "fund": FUNDS, "provincial_doc": PROVINCIAL_DOCUMENTS,
            "quarter": QUARTERS,
        }
        if key in pick:
            return rng.choice(pick[key])
        if key == "n":
            return str(rng.randint(1, 36))
        if key == "company":
            trade = rng.choice(sorted(TRADES))
            self["product"] = TRADES[trade]
            return f"仙游县{rng.choice(BRANDS)}{trade}有限公司"
        if key == "food_company":
            return f"仙游县{rng.choice(BRANDS)}{rng.choice(FOOD_TRADES)}有限公司"
        if key == "project":
            return rng.choice((
                f"{self['company']}年产{rng.randint(2, 30)}万件{self['product']}技改项目",
                f"{self['town']}{self['village']}安置房建设项目",
                f"仙游县{self['town']}{rng.choice(('污水处理厂提标改造', '农贸市场改造', '中心小学扩建'))}项目",
            ))
        if key == "period":
            last_month = day.replace(day=1) - timedelta(days=1)
            return f"{last_month.year}年{last_month.month}月"
        if key == "quarter_period":
            quarter = (day.month - 1) // 3  # the one before the current quarter, 0 meaning last year's fourth
            year = day.year if quarter else day.year - 1
            return f"{year}年第{QUARTERS[quarter - 1]}季度"
        raise KeyError(key)


def fill(template: str, words: Words) -> str:
    return template.format_map(words)
