### 操作日志 / The audit log
### Used by pages/audit.rs and its templates.

entity = Record
before = Before
after = After
from_date = From
to_date = To
older = Older entries
audit_what = What was done
audit_time_hint = Times are China Standard Time. The Excel export also holds each record's full data before and after.
