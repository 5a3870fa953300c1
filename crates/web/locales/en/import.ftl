### Excel 导入 / Importing from Excel
### Used by pages/import.rs and its templates.

import_title = Import incubatees
import_intro = Upload an Excel workbook (.xlsx) filled in from the template, or a CSV file (UTF-8 or GBK), one row per incubatee with its figures for the year. Every row is checked first: if any has a problem nothing is imported and every problem is listed; only when all are right is everything written at once. Registered enterprises are updated by their unified social credit code.
import_template = Download the template (.xlsx)
import_file = File
import_file_hint = An Excel workbook (.xlsx) or a CSV file, up to 50 MB
import_year_hint = The figures go into the carrier's report for that year (a draft or a returned report)
import_submit = Check and import
import_rows_title = Problems in the file
import_rows_intro = Nothing was imported because of the problems below. Correct them in the file and upload it again.
import_row = Row
import_column = Column
import_value = Value
import_problem = Problem
import_error_report = Download the list of problems (.xlsx)
import_more = More problems are not shown here; download the list to see them all.
import_done = Imported
import_rows = Data rows
import_created = Enterprises registered
import_updated = Enterprises updated
import_unchanged = Enterprises unchanged
import_spells = Incubation spells opened
import_indicators = Yearly figures written
import_indicators_unchanged = Yearly figures unchanged
import_columns = How to fill in each column
import_how = How to fill it in
import_required = Required
