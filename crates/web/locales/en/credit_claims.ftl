### 风险补偿申请 / Compensation claims
### Used by pages/credit/claims.rs and its templates.

claims_queue_intro = Banks claim on registered loans they declared defaulted; approved claims are paid from the pool in the funders' ratios.
my_claims_intro = Our claims on registered loans we declared defaulted; once paid, record what is recovered.
credit_claim_number = Claim number
loan_number = Loan number
claim_year = Year
compensated_on = Paid on
returned_yuan = Returned to the pool (yuan)
approve_credit_claim = Approve
reject_credit_claim = Reject
reject_credit_claim_hint = The bank is told the reason; at most 500 characters.
pay_credit_claim = Pay
pay_credit_claim_hint = Paid today from the pool, split by the funders' ratios, within the bank's yearly cap and the pool's balance.
record_recovery = Record a recovery
record_recovery_hint = Principal recovered after compensation, in yuan; the pool takes back the share it bore.
