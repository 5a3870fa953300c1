### 中试与仪器预约 / Bookings of pilot lines and instruments
### Used by pages/bookings.rs and its templates.

resource_offered_tag = 开放预约
booking_number = 预约号
booking_end = 结束时间
booked_units = 预约数量
unit_price_yuan = 单价（元）
booker = 预约方
booking_time = 预约时段
estimate_yuan = 预计金额（元）
unit_price = 单价
incubatee_price = 在孵企业优惠价
prepayment_required = 预约方有逾期账单：确认后须先付清预付账单才能使用。
safety_accepted_at = 接受安全须知的时间
used_units = 实际用量
cancel_until = 可取消至
open_bill = 查看账单
next_steps = 办理
confirm_booking = 确认预约
record_use = 登记使用
used_units_hint = 实际使用的数量，0 表示未使用。
use_note = 使用说明
extra_hint = 耗材、试剂等（选填）。
extra_note = 附加费用说明
issue_bill = 开具账单
issue_bill_hint = 按实际用量和预约时的单价计费，先用后付。
due_on_hint = 不填默认 30 天后。
decline_booking = 拒绝预约
decline_booking_hint = 理由会告知预约方。
cancel_booking = 取消预约
owner_cancel_hint = 资源方取消须说明理由，理由会告知预约方。
our_resources = 本单位提供的资源
