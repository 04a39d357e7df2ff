"""Letters as text, DOCX and PDF.

``letter_context`` flattens an application and its step records into plain
strings (dates as 2026年11月24日), ``render_letter_text`` fills the agency's
template (or the default) and splits it into paragraphs, and the two layout
functions put the same title and paragraphs on an A4 page under the agency's
letterhead, with the letter number, a right-aligned signature and date, and
a footer with page numbers. Neither layout fetches anything from outside.
"""

from __future__ import annotations

import copy
import html
import io
import re
from datetime import date

from django.template import Context
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar
from gongkai.catalogue.archive import refusing_fetcher  # data: URLs only, nothing fetched

from .. import deadlines
from ..fees import FeeScheme, format_yuan
from ..models import Application, ExtensionStatus, LetterSettings, LetterTemplate, PartyKind
from .defaults import default_body, default_title, letter_template_compile
from .kinds import KINDS_WITH_REMEDIES, OUTCOME_GROUNDS, REPLY_KINDS, LetterKind

# Word and WPS on the agencies' Windows machines have 宋体; the PDF is made
# here, where Debian's Noto CJK fonts are installed.
DOCX_LATIN_FONT = "Times New Roman"
DOCX_EAST_ASIAN_FONT = "SimSun"
PDF_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'
LETTERHEAD_RED = "C00000"

REMEDIES = ("如对本{subject}不服，可以自收到本{document}之日起六十日内向{reconsideration_body}申请行政复议，"
            "或者在六个月内直接向{court}提起行政诉讼。")

_TRAILING = "。；;，,、.： \t"
_FINAL = "。！？；…”）)"
_ITEM_NUMBER = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.、．)）]\s*|^\s*[（(](?:\d+|[一二三四五六七八九十]+)[)）]\s*")


def format_date(day: date | None) -> str:
    """2026年11月24日: Arabic numerals, the year in full, no leading zeros (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _clause(text: str) -> str:
    """Text to embed mid-sentence: one line, without its closing punctuation."""
    return re.sub(r"\s*\n\s*", "；", (text or "").strip()).rstrip(_TRAILING)


def _sentence(text: str) -> str:
    """Text that stands as its own sentence(s), ending with punctuation."""
    text = (text or "").strip()
    return text if not text or text[-1] in _FINAL else text + "。"


def _items(text: str) -> list[str]:
    """The items to supplement, one a line, without the numbering the handler may have typed."""
    return [_clause(_ITEM_NUMBER.sub("", line)) for line in (text or "").splitlines() if line.strip()]


def settings_for(agency) -> LetterSettings:
    """The agency's saved settings, or unsaved defaults: rendering a preview writes nothing."""
    return LetterSettings.objects.filter(agency=agency).first() or LetterSettings.defaults_for(agency)


def _resolved(settings: LetterSettings) -> dict[str, str]:
    """Settings with the blanks filled from the agency and its region."""
    fallback = LetterSettings.defaults_for(settings.agency)
    return {
        "letterhead": settings.letterhead or fallback.letterhead,
        "office": settings.office or fallback.office,
        "reconsideration_body": settings.reconsideration_body or fallback.reconsideration_body,
        "court": settings.court or fallback.court,
    }


def letter_number(application: Application, settings: LetterSettings) -> str:
    """仙工信依申〔2026〕12号: the agency's prefix and the application's number."""
    if not application.serial:
        return ""
    return f"{settings.number_prefix or '依申请'}〔{application.serial_year}〕{application.serial}号"


def remedies_text(kind: str, *, reconsideration_body: str, court: str) -> str:
    """The remedies sentence (行政复议法: sixty days; 行政诉讼法 第四十六条: six months), or "" for a
    letter that decides nothing about the applicant."""
    if kind not in KINDS_WITH_REMEDIES:
        return ""
    subject, document = ("答复", "告知书") if kind in REPLY_KINDS else (
        ("通知", "通知书") if kind == LetterKind.FEE_NOTICE else ("告知", "告知书"))
    return REMEDIES.format(subject=subject, document=document, reconsideration_body=reconsideration_body,
                           court=court)


def letter_context(application: Application, kind: str, *, today: date, extra: dict | None = None,
                   settings: LetterSettings | None = None, calendar: WorkingDayCalendar | None = None) -> dict:
    """Every variable a letter template may use (``defaults.VARIABLES``), as plain values."""
    settings = settings or settings_for(application.agency)
    layout = _resolved(settings)
    context = {
        "applicant": application.applicant_display,
        "reference": application.reference,
        "letter_number": letter_number(application, settings),
        "agency": application.agency.name,
        "today": format_date(today),
        "received_on": format_date(application.received_on),
        "submitted_on": format_date(application.submitted_on),
        "description": _clause(application.description),
        "document_hint": _clause(application.document_hint),
        "delivery_form": application.get_delivery_form_display() if application.delivery_form else "",
        "address": settings.address,
        "postal_code": settings.postal_code,
        "phone": settings.phone,
        "contact_person": settings.contact_person,
        "fee_payment_method": _sentence(settings.fee_payment_method),
        **layout,
        "remedies": remedies_text(kind, reconsideration_body=layout["reconsideration_body"], court=layout["court"]),
        "contact_line": _contact_line(settings),
    }
    context.update(_correction(application))
    context.update(_consultation(application))
    context.update(_deadlines(application, calendar))
    context.update(_fee(application))
    context.update(_outcome(application))
    context.update(extra or {})
    return context


def _contact_line(settings: LetterSettings) -> str:
    parts = [(label, value) for label, value in (
        ("联系人", settings.contact_person), ("联系电话", settings.phone), ("通信地址", settings.address),
        ("邮政编码", settings.postal_code)) if value]
    return "；".join(f"{label}：{value}" for label, value in parts) + ("。" if parts else "")


def _correction(application: Application) -> dict:
    correction = application.corrections.order_by("-notified_on", "-id").first() if application.pk else None
    if correction is None:
        return {"correction_items": "", "correction_item_list": [], "correction_notified_on": "",
                "supplement_due_on": ""}
    return {
        "correction_items": correction.items,
        "correction_item_list": _items(correction.items),
        "correction_notified_on": format_date(correction.notified_on),
        "supplement_due_on": format_date(correction.supplement_due_on),
    }


def _consultation(application: Application) -> dict:
    consultation = application.consultations.order_by("-sent_on", "-id").first() if application.pk else None
    if consultation is None:
        return {"party_name": "", "party_is_agency": False, "consultation_sent_on": "",
                "consultation_reply_due_on": ""}
    return {
        "party_name": consultation.party_name,
        "party_is_agency": consultation.party_kind == PartyKind.OTHER_AGENCY,
        "consultation_sent_on": format_date(consultation.sent_on),
        "consultation_reply_due_on": format_date(consultation.reply_due_on),
    }


def _deadlines(application: Application, calendar: WorkingDayCalendar | None) -> dict:
    """The reply deadline without the extension and, once approved, with it."""
    extension = getattr(application, "extension", None)  # a missing one-to-one raises AttributeError
    approved = extension is not None and extension.status == ExtensionStatus.APPROVED
    out = {"reply_due_on": "", "extended_due_on": "", "extension_days": extension.days if extension else "",
           "extension_reason": _clause(extension.reason) if extension else ""}
    if application.clock_started_on is None:
        return out
    calendar = calendar or working_day_calendar()
    unextended = copy.copy(application)
    unextended.extension_days = 0
    out["reply_due_on"] = format_date(deadlines.reply_deadline(unextended, calendar).day)
    if approved:
        extended = copy.copy(application)
        extended.extension_days = extension.days
        out["extended_due_on"] = format_date(deadlines.reply_deadline(extended, calendar).day)
    return out


def _fee(application: Application) -> dict:
    notice = getattr(application, "fee_notice", None)
    if notice is None:
        return {"fee_scheme": "", "fee_amount": "", "fee_breakdown": "", "fee_notified_on": "", "payment_due_on": ""}
    scheme = FeeScheme(notice.scheme).label if notice.scheme in FeeScheme.values else notice.scheme
    return {
        "fee_scheme": scheme,
        "fee_amount": format_yuan(notice.amount),
        "fee_breakdown": _clause(notice.breakdown),
        "fee_notified_on": format_date(notice.notified_on),
        "payment_due_on": format_date(notice.payment_due_on),
    }


def _outcome(application: Application) -> dict:
    grounds = OUTCOME_GROUNDS.get(application.outcome)
    return {
        "outcome": application.outcome,
        "outcome_label": application.get_outcome_display() if application.outcome else "",
        "outcome_statement": grounds.statement if grounds else "",
        "outcome_articles": grounds.articles if grounds else "",
        "legal_basis": _sentence(application.legal_basis),
        "reply_summary": _sentence(application.reply_summary),
        "concluded_on": format_date(application.concluded_on),
    }


def letter_source(agency, kind: str) -> tuple[str, str]:
    """The title and body texts for a kind: the agency's template, else the default."""
    template = LetterTemplate.objects.filter(agency=agency, kind=kind).first()
    if template is None:
        return default_title(kind), default_body(kind)
    return template.title or default_title(kind), template.body


def render_letter_text(application: Application, kind: str, *, today: date, extra: dict | None = None,
                       settings: LetterSettings | None = None,
                       calendar: WorkingDayCalendar | None = None) -> tuple[str, list[str]]:
    """The letter's title and paragraphs: every non-blank line of the rendered body is one paragraph."""
    context = Context(letter_context(application, kind, today=today, extra=extra, settings=settings,
                                     calendar=calendar), autoescape=False)
    title_text, body_text = letter_source(application.agency, kind)
    title = " ".join(letter_template_compile(title_text).render(context).split())
    body = letter_template_compile(body_text).render(context)
    return title, [line.strip() for line in body.splitlines() if line.strip()]


def _width_em(text: str) -> float:
    """Printed width in characters: Chinese characters are full width, digits and Latin letters half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _is_salutation(index: int, paragraph: str) -> bool:
    return index == 0 and paragraph.endswith(("：", ":"))


# --- DOCX -----------------------------------------------------------------------------------

def _run(paragraph, text: str, *, size: float = 16, bold: bool = False, color: str | None = None):
    run = paragraph.add_run(text)
    run.font.name = DOCX_LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = True if bold else None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    # Word and WPS pick the font for Chinese characters from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)
    return run


def _paragraph(document, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: int = 0, before: float = 0,
               after: float = 0, border_color: str | None = None):
    paragraph = document.add_paragraph()
    if border_color:
        # The red rule under the letterhead; added first so w:pBdr precedes w:spacing and w:jc.
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", border_color)):
            bottom.set(qn(name), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    if indent_chars:
        fmt.first_line_indent = Pt(16 * indent_chars)
    return paragraph


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(title: str, paragraphs: list[str], settings: LetterSettings, *, number: str = "",
                dated: date | None = None) -> bytes:
    """An A4 letter in the layout of GB/T 9704 (margins 37/26/35/28 mm, 16 pt body, 28 pt lines)."""
    layout = _resolved(settings)
    document = new_docx()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = DOCX_LATIN_FONT, Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)
    document.core_properties.title = title
    document.core_properties.author = layout["office"]

    head = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    head.paragraph_format.line_spacing = Pt(40)
    _run(head, layout["letterhead"], size=24, bold=True, color=LETTERHEAD_RED)
    rule = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, after=18, border_color=LETTERHEAD_RED)
    _run(rule, number)
    heading = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
    heading.paragraph_format.line_spacing = Pt(36)
    _run(heading, title, size=22, bold=True)
    for index, text in enumerate(paragraphs):
        paragraph = _paragraph(document, indent_chars=0 if _is_salutation(index, text) else 2)
        _run(paragraph, text)
    if paragraphs:
        # The last paragraph goes with the signature: a page must not hold the signature alone (GB/T 9704).
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True

    # The office name is centred over the date, the block kept 2 characters from the right margin.
    lines = [layout["office"], format_date(dated)]
    widest = max(_width_em(line) for line in lines)
    for index, line in enumerate(lines):
        signature = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, before=28 if index == 0 else 0)
        signature.paragraph_format.right_indent = Pt(16 * (2 + (widest - _width_em(line)) / 2))
        signature.paragraph_format.keep_with_next = index == 0
        _run(signature, line)

    footer = section.footer
    first = footer.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if settings.footer:
        _run(first, settings.footer, size=10.5)
        first = footer.add_paragraph()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, "第 ", size=10.5)
    _field(first, "PAGE")
    _run(first, " 页，共 ", size=10.5)
    _field(first, "NUMPAGES")
    _run(first, " 页", size=10.5)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------

PDF_CSS = """
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-left { content: element(footer); vertical-align: top; padding-top: 6mm; }
  @bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; vertical-align: top;
                  padding-top: 6mm; font-size: 10.5pt; line-height: 14pt; color: #333; }
}
html { font-family: %(fonts)s; font-size: 16pt; line-height: 28pt; color: #000; }
body { margin: 0; }
.footer { position: running(footer); font-size: 10.5pt; line-height: 14pt; color: #333; }
.letterhead { text-align: center; color: #%(red)s; font-size: 24pt; font-weight: bold; line-height: 40pt;
              letter-spacing: 2pt; margin: 0 0 4pt; }
.number { text-align: center; padding-bottom: 4pt; border-bottom: 1.5pt solid #%(red)s; margin: 0 0 18pt;
          min-height: 28pt; }
h1 { text-align: center; font-size: 22pt; line-height: 36pt; font-weight: bold; margin: 0 0 14pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.salutation { text-indent: 0; }
.closing { break-inside: avoid; }
.signature { margin: 28pt 2em 0 auto; border-collapse: collapse; }
.signature td { padding: 0; text-align: center; }
""" % {"fonts": PDF_FONTS, "red": LETTERHEAD_RED}


def render_pdf(title: str, paragraphs: list[str], settings: LetterSettings, *, number: str = "",
               dated: date | None = None) -> bytes:
    """The same letter as a PDF through WeasyPrint, from a self-contained HTML page."""
    from weasyprint import HTML  # imported late: it loads Pango, which plain rendering of text does not need

    layout = _resolved(settings)
    e = html.escape
    tags = [f'<p class="salutation">{e(text)}</p>' if _is_salutation(index, text) else f"<p>{e(text)}</p>"
            for index, text in enumerate(paragraphs)]
    # The last paragraph goes with the signature: a page must not hold the signature alone (GB/T 9704).
    body, last = "\n".join(tags[:-1]), "".join(tags[-1:])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta name="author" content="{e(layout['office'])}"><style>{PDF_CSS}</style></head>
<body>
<div class="footer">{e(settings.footer)}</div>
<div class="letterhead">{e(layout['letterhead'])}</div>
<div class="number">{e(number)}</div>
<h1>{e(title)}</h1>
{body}
<div class="closing">{last}
<table class="signature"><tr><td>{e(layout['office'])}</td></tr><tr><td>{e(format_date(dated))}</td></tr></table>
</div>
</body></html>"""
    return HTML(string=page, url_fetcher=refusing_fetcher()).write_pdf()
