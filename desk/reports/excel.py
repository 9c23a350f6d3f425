"""The quarterly report as an Excel workbook: a sheet per section, right to left, Persian
headers, numbers stored as numbers (shares as fractions shown as percentages) so that a
manager can sum and chart them again."""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from desk.jalali import format_jalali_datetime
from desk.reports import COUNT, DAYS, RATING, SHARE, Report

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
NUMBER_FORMATS = {COUNT: "#,##0", SHARE: "0%", DAYS: "0.0", RATING: "0.00"}
# Characters Excel refuses in a sheet's name, and its length limit.
SHEET_NAME_REFUSED = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_NAME_LIMIT = 31


def workbook(report: Report, profile: Any = None) -> Workbook:
    book = Workbook()
    cover = book.active
    cover.title = _sheet_name(gettext("Summary"))
    cover.append([gettext("Quarterly performance report")])
    cover["A1"].font = TITLE
    if profile is not None:
        cover.append([profile.municipality_name])
    cover.append([gettext("quarter"), report.period.label])
    cover.append([gettext("compared with"), report.previous.label])
    cover.append([gettext("made at"), format_jalali_datetime(report.made_at)])
    for section in report.sections:
        _section_sheet(book, report, section)
    for sheet in book.worksheets:
        sheet.sheet_view.rightToLeft = True
        sheet.column_dimensions["A"].width = 44
        for column in "BCDEFG":
            sheet.column_dimensions[column].width = 16
    return book


def save(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _section_sheet(book: Workbook, report: Report, section) -> None:
    sheet = book.create_sheet(_sheet_name(str(section.title)))
    sheet.append([str(section.title)])
    sheet.cell(sheet.max_row, 1).font = TITLE
    if section.figures:
        _header(
            sheet,
            [
                gettext("figure"),
                report.period.short_label,
                report.previous.short_label,
                pgettext("report", "change"),
            ],
        )
        for figure in section.figures:
            sheet.append([str(figure.label), figure.value, figure.previous, figure.change])
            _format(sheet, [2, 3, 4], figure.measure)
    for table in section.tables:
        sheet.append([])
        sheet.append([str(table.title)])
        sheet.cell(sheet.max_row, 1).font = BOLD
        first = table.columns[0]
        _header(
            sheet,
            [
                "",
                *[str(column.label) for column in table.columns],
                gettext("%(column)s, previous quarter") % {"column": first.label},
                pgettext("report", "change"),
            ],
        )
        for row in table.rows:
            sheet.append(
                [
                    str(row.label),
                    *[row.values.get(column.key) for column in table.columns],
                    row.previous.get(first.key),
                    row.change(first.key),
                ]
            )
            for offset, column in enumerate(table.columns, start=2):
                _format(sheet, [offset], column.measure)
            _format(sheet, [len(table.columns) + 2, len(table.columns) + 3], first.measure)
    for listing in section.lists:
        sheet.append([])
        sheet.append([str(listing.title)])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for item in listing.items or [listing.empty]:
            sheet.append([str(item)])


def _header(sheet, titles: list[Any]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _format(sheet, columns: list[int], measure: str) -> None:
    for column in columns:
        sheet.cell(sheet.max_row, column).number_format = NUMBER_FORMATS.get(measure, "General")


def _sheet_name(title: str) -> str:
    return title.translate(SHEET_NAME_REFUSED).strip()[:SHEET_NAME_LIMIT] or "-"
