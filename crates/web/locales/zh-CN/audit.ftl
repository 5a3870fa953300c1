### 操作日志 / The audit log
### Used by pages/audit.rs and its templates.

entity = 对象
before = 修改前
after = 修改后
from_date = 起始日期
to_date = 截止日期
older = 更早的记录
audit_what = 操作内容
audit_time_hint = 时间为北京时间。导出的 Excel 另含每条记录修改前后的完整数据。
