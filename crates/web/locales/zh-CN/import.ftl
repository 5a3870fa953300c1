### Excel 导入 / Importing from Excel
### Used by pages/import.rs and its templates.

import_title = 导入在孵企业
import_intro = 上传用模板填写的 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码），每行一家在孵企业及其该年度的指标。系统先检查全部行：只要有一处问题就不导入任何数据，并列出每一处问题；全部无误才一次写入。已登记的企业按统一社会信用代码更新。
import_template = 下载导入模板（.xlsx）
import_file = 文件
import_file_hint = Excel（.xlsx）或 CSV 文件，最大 50 MB
import_year_hint = 指标写入本载体该年度的年报（草稿或已退回的年报）
import_submit = 检查并导入
import_rows_title = 文件中的问题
import_rows_intro = 以下各处有问题，未导入任何数据。请在文件中改正后重新上传。
import_row = 行号
import_column = 列
import_value = 值
import_problem = 问题
import_error_report = 下载问题清单（.xlsx）
import_more = 另有更多问题未在此列出，请下载问题清单查看全部。
import_done = 导入完成
import_rows = 数据行
import_created = 新登记企业
import_updated = 更新了信息的企业
import_unchanged = 信息无变化的企业
import_spells = 新入孵
import_indicators = 写入的年度指标
import_indicators_unchanged = 无变化的年度指标
import_columns = 各列填写说明
import_how = 填写说明
import_required = 必填
