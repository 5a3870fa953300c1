### 入驻申请 / Applications to join
### Used by pages/applications.rs and its templates.

pending = Pending
approved = Approved
declined = Declined
decline_reason_hint = The applicant is told the reason; 2–500 characters.
desired_login = Login for the first user
join_intro = Organisations apply here to join the platform. Once the bureau approves, it opens your first account and tells you its one-time password.
submit_application = Submit application
application_received = Your application has been received; its number is
application_next = The bureau will review it and contact you with the result.
no_applications = No applications.
