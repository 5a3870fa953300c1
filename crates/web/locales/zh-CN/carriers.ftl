### 载体 / Carriers
### Used by pages/carriers.rs and its templates.

new_carrier = 登记载体
edit_carrier = 编辑载体
filter_carriers = 筛选载体
not_rated = 未认定
address = 地址
focus_chains = 重点产业链
focus_chains_hint = 可多选。
established_year = 成立年份
year_hint = 四位数字，如 2018。
bureau_changes_kind = 载体类型和运营主体由科技局变更。
no_carriers = 没有符合条件的载体。
revoked_carrier_note = 该载体已撤销，不计入统计。
revoked_on = 撤销日期
its_enterprises = 在孵企业
rating_history = 认定记录
no_ratings = 尚无认定记录。
record_rating = 记录认定
year_granted = 认定年份
granting_body = 认定单位
granting_body_hint = 如：科学技术部、湖南省科学技术厅。
document_no = 文号
revoke_carrier = 撤销载体
restore_carrier = 恢复载体
import_link = 导入在孵企业（Excel）
