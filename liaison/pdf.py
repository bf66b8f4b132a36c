"""PDF downloads of the printables (一表两卡): the station service card (联络站服务卡), the deputy
contact card (代表连心卡) and the reception schedule (代表接待日公示表); and a one-record form
sheet (`form_sheet`, e.g. the 意见建议督办反馈单).

reportlab is pure Python, and its Adobe CID font "STSong-Light" draws Chinese without any font
file on the machine (the PDF viewer supplies the glyphs), so a bare server can make them. The
QR codes are drawn as vectors and print sharp at any size.
"""

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
ACCENT = colors.HexColor("#b71c1c")
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
TITLE = ParagraphStyle("title", parent=_BASE, fontSize=16, leading=22, alignment=TA_CENTER, textColor=ACCENT)
SUBTITLE = ParagraphStyle("subtitle", parent=_BASE, fontSize=12, leading=17, alignment=TA_CENTER)
BODY = _BASE
SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8, leading=11, alignment=TA_CENTER, textColor=colors.HexColor("#444444"))
CELL = ParagraphStyle("cell", parent=_BASE, fontSize=9.5, leading=13)


def _p(text, style=BODY) -> Paragraph:
    """A paragraph of plain text: the text is escaped, never read as markup."""
    return Paragraph(escape(str(text or "")), style)


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


def _build(pagesize, margin: float, story: list, title: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author="人大代表联络站",
    )
    doc.build(story)
    return buffer.getvalue()


def _facts(rows: Iterable[tuple[str, str]], width: float) -> Table:
    data = [[_p(label, CELL), _p(value, CELL)] for label, value in rows if value]
    table = Table(data, colWidths=[18 * mm, width - 18 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#444444")),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def station_card(*, station, region_name: str, members: Sequence[dict], qr_url: str) -> bytes:
    """联络站服务卡 on A6: name, address, hours, phone, the deputies, the QR code."""
    margin = 7 * mm
    width = A6[0] - 2 * margin
    heads = "、".join(m["deputy"].name for m in members if m["is_head"])
    names = "、".join(m["deputy"].name for m in members[:12])
    if len(members) > 12:
        names += f" 等 {len(members)} 名代表"
    reception_day = f"每月 {station.reception_day} 日" if station.reception_day else ""
    story = [
        _p("联络站服务卡", TITLE),
        _p(station.name, SUBTITLE),
        Spacer(1, 3 * mm),
        _facts(
            [
                ("所在地", region_name),
                ("地址", station.address),
                ("开放时间", station.opening_hours),
                ("接待日", reception_day),
                ("联系电话", station.phone),
                ("站长", heads),
                ("进站代表", names),
            ],
            width,
        ),
        Spacer(1, 3 * mm),
        _qr(qr_url, 36 * mm),
        _p("扫码向本站反映意见建议", SMALL),
    ]
    return _build(A6, margin, story, f"{station.name} 联络站服务卡")


def deputy_card(*, deputy, levels: Sequence[str], station_names: Sequence[str], qr_url: str) -> bytes:
    """代表连心卡 on A6: name, levels, stations, occupation, expertise, the QR code.

    Nothing personal beyond what the public page shows: no phone, no birth date.
    """
    margin = 7 * mm
    width = A6[0] - 2 * margin
    story = [
        _p("代表连心卡", TITLE),
        _p(deputy.name, SUBTITLE),
        Spacer(1, 3 * mm),
        _facts(
            [
                ("代表层级", "、".join(f"{level}人大代表" for level in levels)),
                ("联络站", "、".join(station_names)),
                ("职业", deputy.occupation),
                ("专业特长", deputy.expertise),
            ],
            width,
        ),
        Spacer(1, 4 * mm),
        _qr(qr_url, 40 * mm),
        _p("一人一码：扫码给我写信，反映意见建议", SMALL),
    ]
    return _build(A6, margin, story, f"{deputy.name} 代表连心卡")


def _time_range(reception) -> str:
    if reception.starts_at and reception.ends_at:
        return f"{reception.starts_at:%H:%M}-{reception.ends_at:%H:%M}"
    if reception.starts_at:
        return f"{reception.starts_at:%H:%M}"
    return ""


def reception_schedule(
    *, station, region_name: str, start: datetime.date, last_day: datetime.date, receptions: Sequence
) -> bytes:
    """代表接待日公示表 on A4: one row per reception day with the deputies who receive."""
    margin = 15 * mm
    width = A4[0] - 2 * margin
    header = ["日期", "时间", "接待方式", "接待代表", "主题"]
    rows = [[_p(h, CELL) for h in header]]
    for reception in receptions:
        rows.append(
            [
                _p(f"{reception.date:%Y-%m-%d}", CELL),
                _p(_time_range(reception), CELL),
                _p(reception.get_mode_display(), CELL),
                _p("、".join(d.name for d in reception.deputies.all()), CELL),
                _p(reception.topic, CELL),
            ]
        )
    if len(rows) == 1:
        rows.append([_p("本期暂无排期", CELL), "", "", "", ""])
    table = Table(rows, colWidths=[24 * mm, 24 * mm, 22 * mm, width - 110 * mm, 40 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    facts = [
        ("地址", station.address),
        ("开放时间", station.opening_hours),
        ("联系电话", station.phone),
    ]
    story = [
        _p("代表接待日公示表", TITLE),
        _p(f"{region_name} {station.name}", SUBTITLE),
        _p(f"{start:%Y年%m月%d日} 至 {last_day:%Y年%m月%d日}", SMALL),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 5 * mm),
        _facts(facts, width),
    ]
    return _build(A4, margin, story, f"{station.name} 代表接待日公示表")


def form_sheet(*, title: str, addressees: Sequence[tuple[str, str]], sections: Sequence[tuple[str, Sequence[tuple[str, str]]]],
               footer: Sequence[str] = ()) -> bytes:
    """A one-record form to print (e.g. 意见建议督办反馈单): its title, to whom it goes, headed
    sections of label–text rows, and signature lines. Plain text in, nothing read as markup."""
    width = A4[0] - 2 * 18 * mm
    story: list = [_p(title, TITLE), Spacer(1, 4 * mm)]
    story.append(_wide_facts(addressees, width))
    for heading, rows in sections:
        story += [Spacer(1, 3 * mm), _p(heading, SUBTITLE), Spacer(1, 1 * mm), _wide_facts(rows, width)]
    if footer:
        story.append(Spacer(1, 8 * mm))
        story += [_p(line) for line in footer]
    return _build(A4, 18 * mm, story, title)


def _wide_facts(rows: Iterable[tuple[str, str]], width: float) -> Table:
    data = [[_p(label, CELL), _p(value or "—", CELL)] for label, value in rows]
    table = Table(data or [[_p("", CELL), _p("—", CELL)]], colWidths=[28 * mm, width - 28 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f4f4")),
            ]
        )
    )
    return table


def response(body: bytes, *, filename: str) -> HttpResponse:
    """A PDF download named `filename`.pdf (ASCII, so every browser keeps the name)."""
    result = HttpResponse(body, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return result
