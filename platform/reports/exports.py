"""A report's tables as CSV (UTF-8 with a byte-order mark, which spreadsheet programs read
as Persian) or XLSX (openpyxl: one sheet per table, right to left)."""

import csv
import io

from openpyxl import Workbook

from .tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    return "" if value is None else value


def as_csv(title: str, tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(title: str, tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31].replace("/", "-"))
        sheet.sheet_view.rightToLeft = True
        sheet.append([title])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
