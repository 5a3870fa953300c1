### 入驻申请 / Applications to join
### Used by pages/applications.rs and its templates.

pending = 待审核
approved = 已批准
declined = 已驳回
decline_reason_hint = 理由会告知申请人，2–500 字。
desired_login = 首个用户的登录名
join_intro = 机构可在此申请入驻平台。科技局审核通过后，将为您开通首个账户并告知一次性密码。
submit_application = 提交申请
application_received = 申请已提交，编号
application_next = 科技局将尽快审核，并通过您留下的联系方式告知结果。
no_applications = 没有申请。
