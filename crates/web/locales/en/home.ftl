### The home page
### Used by pages/home.rs and its templates.

welcome = Welcome
home_intro = The working platform of Zhuzhou's technology transfer system: carriers and enterprises, the technology elements market, pilot-scale platforms, technology finance, one-stop services and the carrier alliance.
home_signed_out = Sign in to use the platform; an organisation without an account may apply to join.
work_title = Waiting for you
work_none = Nothing waits for you now.
work_next = You might look at:
work_oldest_waited = the oldest has waited
work_days = days
work_reports_to_review = Yearly reports to review
work_reports_late = Carriers whose last year's report is not approved
work_applications = Applications to join
work_deals_to_register = Market deals to register as contracts
work_submissions_to_recognise = Technology contracts awaiting recognition
work_voucher_claims = Voucher claims to decide
work_overdue_bills = Overdue bills
work_loans_to_register = Knowledge-value loans to register
work_reports_to_file = Your carriers' reports for last year to submit
work_reports_returned = Reports returned for correction
work_bookings_to_confirm = Bookings to confirm
work_bookings_to_bill = Used bookings to bill
work_bookings_upcoming = Bookings coming up
work_bills_to_pay = Bills to pay
work_bills_overdue = Overdue bills to pay
work_bills_issued_overdue = Bills you issued that are overdue (remind the payer)
work_requests_to_answer = Service requests to answer
work_requests_in_progress = Service requests in progress
work_deals_negotiating = Deals in negotiation
work_deals_agreed = Deals agreed, awaiting registration
work_submissions_returned = Contracts returned for correction
work_loans_to_review = Loan applications to review
work_loans_applied = Your loan applications in progress
work_voucher_balance = Voucher balance available
work_claims_waiting = Claims awaiting the bureau
work_unread_messages = Unread messages
