### 首页 / The home page
### Used by pages/home.rs and its templates.

welcome = 欢迎
home_intro = 株洲市科技成果转化平台体系的工作平台：载体与企业登记、科技要素市场、中试平台、科技金融、一站式服务与载体联盟。
home_signed_out = 请登录使用平台；尚无账户的机构可申请入驻。
work_title = 待办事项
work_none = 目前没有需要您处理的事项。
work_next = 接下来可以看看：
work_oldest_waited = 最早一件已等待
work_days = 天
work_reports_to_review = 待审核的载体年报
work_reports_late = 年报未通过审核的载体（上一年度）
work_applications = 待审核的入驻申请
work_deals_to_register = 待登记的市场成交合同
work_submissions_to_recognise = 待认定登记的技术合同
work_voucher_claims = 待审核的创新券兑付申请
work_overdue_bills = 逾期未付的账单
work_loans_to_register = 待备案的知识价值信用贷款
work_reports_to_file = 本单位载体待提交的上一年度年报
work_reports_returned = 被退回待修改的年报
work_bookings_to_confirm = 待确认的资源预约
work_bookings_to_bill = 已使用待开账单的预约
work_bookings_upcoming = 即将使用的预约
work_bills_to_pay = 待支付的账单
work_bills_overdue = 已逾期待支付的账单
work_bills_issued_overdue = 对方逾期未付的账单（可催缴）
work_requests_to_answer = 待受理的服务申请
work_requests_in_progress = 办理中的服务申请
work_deals_negotiating = 洽谈中的交易
work_deals_agreed = 条款已商定、待登记的交易
work_submissions_returned = 被退回待修改的技术合同
work_loans_to_review = 待审批的贷款申请
work_loans_applied = 本单位在办的贷款申请
work_voucher_balance = 可用创新券余额
work_claims_waiting = 待市科技局审核的兑付申请
work_unread_messages = 未读消息
