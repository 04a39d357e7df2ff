"""The template language of letters: the variables, the tags allowed, and the built-in texts.

Agency administrators edit letter templates in the admin, so a template is
kept to plain ``{{ variables }}``, ``{% if %}`` and ``{% for %}``: nothing
that loads code, reads files or includes other templates. Every non-blank
line of the rendered text is one paragraph of the letter; the letterhead,
the letter number, the signature, the date and the footer are laid out by
the renderer from the agency's ``LetterSettings``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.template import Engine, Template, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.text import smart_split

from .kinds import LetterKind

# What a template may use. Every value is a plain string, number, boolean or
# list of strings (never a model instance), so a template cannot reach other data.
VARIABLES: dict[str, str] = {
    "applicant": "申请人：自然人姓名，或法人、其他组织名称",
    "reference": "申请编号，如 依申请〔2026〕12号",
    "letter_number": "文号，如 仙工信依申〔2026〕12号",
    "agency": "本机关全称",
    "office": "落款单位",
    "today": "告知书日期（落款日期），如 2026年11月24日",
    "received_on": "收到申请日期",
    "submitted_on": "申请人提交日期",
    "description": "所需信息描述",
    "document_hint": "文件名称、文号或其他特征描述",
    "delivery_form": "申请人要求的信息提供形式，如 纸质",
    "correction_items": "需补正的事项（原文）",
    "correction_item_list": "需补正的事项，逐项列出（用于 {% for %}）",
    "correction_notified_on": "补正告知日期",
    "supplement_due_on": "补正期限",
    "party_name": "征求意见的对象（第三方或其他机关）",
    "party_is_agency": "征求意见的对象是否为其他机关（第三十四条），用于 {% if %}",
    "consultation_sent_on": "征求意见函发出日期",
    "consultation_reply_due_on": "征求意见的答复期限",
    "reply_due_on": "答复期限（不含延长的期限）",
    "extension_days": "延长的工作日数",
    "extension_reason": "延期理由",
    "extended_due_on": "延长后的答复期限",
    "fee_scheme": "计收方式：按件计收或按量计收",
    "fee_amount": "信息处理费金额（元），如 3000",
    "fee_breakdown": "信息处理费计算明细",
    "fee_notified_on": "收费通知日期",
    "payment_due_on": "缴费期限",
    "fee_payment_method": "缴费方式（机关设置）",
    "outcome": "办理结果代码，如 withheld.third_party_rights，用于 {% if %}",
    "outcome_label": "办理结果，如 不予公开：保护第三方合法权益",
    "outcome_statement": "办理结果的事实和理由（按办理结果自动生成）",
    "outcome_articles": "办理结果所依据的条例条款，如 第十五条、第三十六条第（三）项",
    "legal_basis": "承办人填写的法律依据和理由",
    "reply_summary": "承办人填写的答复内容摘要",
    "concluded_on": "答复日期",
    "letterhead": "函头",
    "address": "本机关通信地址",
    "postal_code": "本机关邮政编码",
    "phone": "本机关联系电话",
    "contact_person": "本机关联系人",
    "contact_line": "联系方式一行，如 联系人：王芳；联系电话：0594-1234567；通信地址：…",
    "reconsideration_body": "行政复议机关",
    "court": "行政诉讼的管辖法院",
    "remedies": "救济途径：申请行政复议和提起行政诉讼的告知",
}

ALLOWED_TAGS = frozenset({"if", "elif", "else", "endif", "for", "empty", "endfor", "comment", "endcomment"})
# Filters that only pick or join the values given; padding filters such as ljust could make huge letters.
ALLOWED_FILTERS = frozenset({"default", "default_if_none", "length", "first", "last", "join", "yesno"})
TEMPLATE_OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">=", "None", "True",
                                "False", "reversed"})

TEMPLATE_FORBIDDEN_TAG = "第{line}行：告知书模板不能使用“{{% {tag} %}}”，只能使用变量、{{% if %}}和{{% for %}}。"
TEMPLATE_UNKNOWN_TAG = "第{line}行：不支持“{{% {tag} %}}”标签，告知书模板只能使用变量、{{% if %}}和{{% for %}}。"
TEMPLATE_UNKNOWN_FILTER = "第{line}行：不支持过滤器“{name}”，可用的过滤器有 default、join、length、yesno 等。"
TEMPLATE_UNKNOWN_VARIABLE = "第{line}行：没有名为“{name}”的变量，请对照可用变量列表检查拼写。"
TEMPLATE_SYNTAX = "第{line}行：模板语法错误，{hint}（{detail}）"
TEMPLATE_EMPTY = "告知书正文不能为空。"

# A standalone engine: no loaders, no installed tag libraries, no autoescaping
# (the text goes into DOCX runs and is escaped when laid out as HTML).
LETTER_ENGINE = Engine(debug=True, autoescape=False, libraries={}, string_if_invalid="")

_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def letter_template_compile(text: str) -> Template:
    """Check a template as an agency administrator wrote it and compile it.

    Raises ``ValidationError`` with a Chinese message naming the line: a tag
    other than if/for/comment, a variable that does not exist, or a syntax
    error from Django's template engine.
    """
    known = set(VARIABLES) | {"forloop"}
    errors = []
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = list(smart_split(token.contents))
            tag = bits[0] if bits else ""
            if tag not in ALLOWED_TAGS:
                message = TEMPLATE_FORBIDDEN_TAG if tag in ("load", "include", "extends") else TEMPLATE_UNKNOWN_TAG
                errors.append(message.format(line=token.lineno, tag=tag))
                continue
            if tag == "for" and "in" in bits:
                split = bits.index("in")
                known |= {name for bit in bits[1:split] for name in bit.split(",") if name}
                names = bits[split + 1:]
            elif tag in ("if", "elif"):
                names = bits[1:]
            else:
                names = []
            errors += _unknown(names, known, token.lineno) + _filters(token.contents, token.lineno)
        elif token.token_type == TokenType.VAR:
            errors += _unknown([token.contents.strip()], known, token.lineno) + _filters(token.contents, token.lineno)
    if errors:
        raise ValidationError(errors)
    try:
        return Template(text, engine=LETTER_ENGINE)
    except TemplateSyntaxError as e:
        line = getattr(e, "template_debug", {}).get("line", "?")
        raise ValidationError(TEMPLATE_SYNTAX.format(line=line, hint=_syntax_hint(str(e)), detail=e)) from e


def _unknown(bits: list[str], known: set[str], line: int) -> list[str]:
    out = []
    for bit in bits:
        if bit in TEMPLATE_OPERATORS or bit[:1] in "\"'" or bit[:1].isdigit() or bit[:1] == "-":
            continue
        match = _IDENTIFIER.match(bit)
        if match and match.group() not in known:
            out.append(TEMPLATE_UNKNOWN_VARIABLE.format(line=line, name=match.group()))
    return out


def _filters(contents: str, line: int) -> list[str]:
    return [TEMPLATE_UNKNOWN_FILTER.format(line=line, name=name)
            for name in _FILTER.findall(_QUOTED.sub("", contents)) if name not in ALLOWED_FILTERS]


def _syntax_hint(detail: str) -> str:
    if detail.startswith("Unclosed tag"):
        return "有未结束的标签（如 {% if %} 缺少 {% endif %}，{% for %} 缺少 {% endfor %}）"
    if detail.startswith("Invalid filter"):
        return "使用了不存在的过滤器"
    if "Could not parse" in detail:
        return "无法识别的写法"
    return "请检查 {{ }} 与 {% %} 是否成对、标签是否拼写正确"


def default_title(kind: str) -> str:
    return DEFAULT_TITLES[kind]


def default_body(kind: str) -> str:
    return DEFAULT_BODIES[kind]


REPLY_TITLE = "政府信息公开申请答复告知书"

DEFAULT_TITLES: dict[str, str] = {
    LetterKind.CORRECTION_NOTICE: "政府信息公开申请补正告知书",
    LetterKind.EXTENSION_NOTICE: "政府信息公开申请延期答复告知书",
    LetterKind.CONSULTATION_LETTER:
        "{% if party_is_agency %}政府信息公开征求意见函{% else %}政府信息公开第三方意见征询函{% endif %}",
    LetterKind.FEE_NOTICE: "政府信息公开申请收费通知书",
    LetterKind.REPLY_DISCLOSED: REPLY_TITLE,
    LetterKind.REPLY_ALREADY_PUBLISHED: REPLY_TITLE,
    LetterKind.REPLY_WITHHELD: REPLY_TITLE,
    LetterKind.REPLY_UNAVAILABLE: REPLY_TITLE,
    LetterKind.REPLY_NOT_PROCESSED: REPLY_TITLE,
    LetterKind.REPLY_OTHER: REPLY_TITLE,
}

_RECEIVED = "本机关于{{ received_on }}收到您提出的政府信息公开申请（{{ reference }}），申请获取“{{ description }}”。"
_CLOSING = """
{{ remedies }}
{{ contact_line }}
"""

# Every line of a body is one paragraph of the letter, so the texts keep their long lines.
DEFAULT_BODIES: dict[str, str] = {
    LetterKind.CORRECTION_NOTICE: """{{ applicant }}：
""" + _RECEIVED + """经审查，您的申请内容不明确，本机关无法确定您所需的政府信息。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下事项作出补正：
{% for item in correction_item_list %}
{{ forloop.counter }}. {{ item }}
{% endfor %}
请您于{{ supplement_due_on }}前将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。
""" + _CLOSING,

    LetterKind.EXTENSION_NOTICE: """{{ applicant }}：
""" + _RECEIVED + """
{% if extension_reason %}因{{ extension_reason }}，{% else %}因所需信息情况复杂，{% endif %}本机关不能在{{ reply_due_on }}前作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，本机关将于{{ extended_due_on }}前向您作出答复。
""" + _CLOSING,

    LetterKind.CONSULTATION_LETTER: """{{ party_name }}：
本机关于{{ received_on }}收到一份政府信息公开申请（{{ reference }}），申请获取“{{ description }}”。
{% if party_is_agency %}
经审查，申请公开的政府信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现书面征求贵机关对公开该政府信息的意见。
请贵机关于{{ consultation_reply_due_on }}前（自收到本函之日起15个工作日内）书面提出意见；逾期未提出意见的，视为同意公开。
{% else %}
经审查，申请公开的政府信息可能涉及贵方的商业秘密、个人隐私等合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方对公开该政府信息的意见。
请贵方于{{ consultation_reply_due_on }}前（自收到本函之日起15个工作日内）书面提出是否同意公开的意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。
{% endif %}
{{ contact_line }}
""",

    LetterKind.FEE_NOTICE: """{{ applicant }}：
""" + _RECEIVED + """
您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关采取{{ fee_scheme }}方式向您收取信息处理费，计算明细：{{ fee_breakdown }}。应缴金额为人民币{{ fee_amount }}元。
请您于{{ payment_due_on }}前（自收到本通知书次日起20个工作日内）缴纳上述费用。{{ fee_payment_method }}
您逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。自本通知书发出之日至您缴纳费用之日，不计算在答复期限内。
""" + _CLOSING,

    LetterKind.REPLY_DISCLOSED: """{{ applicant }}：
""" + _RECEIVED + """现答复如下：
经审查，{{ outcome_statement }}。根据《中华人民共和国政府信息公开条例》{{ outcome_articles }}的规定，{% if outcome == "partially_disclosed" %}本机关向您提供可以公开的政府信息内容，对不予公开的内容说明理由如下：{{ legal_basis }}{% else %}本机关予以公开。{% endif %}
{{ reply_summary }}
{% if delivery_form %}本机关按照您申请时要求的形式（{{ delivery_form }}）提供上述政府信息。{% endif %}
""" + _CLOSING,

    LetterKind.REPLY_ALREADY_PUBLISHED: """{{ applicant }}：
""" + _RECEIVED + """现答复如下：
您申请获取的政府信息本机关已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：{% if reply_summary %}{{ reply_summary }}{% else %}请登录本机关门户网站政府信息公开专栏查阅。{% endif %}
""" + _CLOSING,

    LetterKind.REPLY_WITHHELD: """{{ applicant }}：
""" + _RECEIVED + """现答复如下：
经审查，{{ outcome_statement }}。{{ legal_basis }}
根据《中华人民共和国政府信息公开条例》{{ outcome_articles }}的规定，本机关决定不予公开。
{{ reply_summary }}
""" + _CLOSING,

    LetterKind.REPLY_UNAVAILABLE: """{{ applicant }}：
""" + _RECEIVED + """现答复如下：
经审查，{{ outcome_statement }}。{{ legal_basis }}
根据《中华人民共和国政府信息公开条例》{{ outcome_articles }}的规定，本机关无法向您提供该政府信息。
{{ reply_summary }}
""" + _CLOSING,

    LetterKind.REPLY_NOT_PROCESSED: """{{ applicant }}：
""" + _RECEIVED + """现答复如下：
经审查，{{ outcome_statement }}。{{ legal_basis }}
根据《中华人民共和国政府信息公开条例》{{ outcome_articles }}的规定，本机关对该申请不予处理。
{{ reply_summary }}
""" + _CLOSING,

    LetterKind.REPLY_OTHER: """{{ applicant }}：
""" + _RECEIVED + """现告知如下：
{% if outcome_statement %}根据《中华人民共和国政府信息公开条例》{{ outcome_articles }}{% if outcome == "other.unpaid_fee" %}和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）{% endif %}的规定，{{ outcome_statement }}。{% else %}{{ legal_basis }}本机关对该申请终止办理。{% endif %}
{{ reply_summary }}
""" + _CLOSING,
}
