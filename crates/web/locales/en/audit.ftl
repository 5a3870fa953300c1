### 操作日志 / The audit log
### Used by pages/audit.rs and its templates.

entity = Record
before = Before
after = After
from_date = From
to_date = To
older = Older entries
