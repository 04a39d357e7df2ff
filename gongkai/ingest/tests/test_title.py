"""Agency and year from the title, as real reports print it."""

import pytest

from gongkai.ingest.parser import Line, _title

CASES = {
    "plain": (["仙游县工业和信息化局2020年政府信息公开工作年度报告"], ("仙游县工业和信息化局", 2020)),
    "年度 and spaces, broken": (["# 仙游县工业和信息化局 2020 年度政府信息公 开工作年度报告"], ("仙游县工业和信息化局", 2020)),
    "two lines": (["- 1 -", "洪泽区人民政府", "2023 年政府信息公开工作年度报告"], ("洪泽区人民政府", 2023)),
    "year first": (["2023年度仙游县农业农村局政府信息公开工作年度报告"], ("仙游县农业农村局", 2023)),
    "Chinese numerals": (["仙游县农业农村局二〇二二年度政府信息公开工作年度报告"], ("仙游县农业农村局", 2022)),
    "关于 … 的": (["仙游县民政局关于2021年度政府信息公开工作的年度报告"], ("仙游县民政局", 2021)),
    "a sidebar links another year": (
        ["相关链接：仙游县农业农村局2019年政府信息公开工作年度报告", "仙游县农业农村局2020年政府信息公开工作年度报告",
         "报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"], ("仙游县农业农村局", 2020)),
    "no title, the statistics period": (["统计期限自2024年1月1日至2024年12月31日"], (None, 2024)),
    "nothing": (["关于召开会议的通知"], (None, None)),
}


@pytest.mark.parametrize("lines, expected", CASES.values(), ids=CASES.keys())
def test_title(lines, expected):
    assert _title([Line([t]) for t in lines]) == expected
