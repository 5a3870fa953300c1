### 银行不良率与熔断 / Banks' non-performing ratios and breakers
### Used by pages/credit/risk.rs and its template.

risk_intro = The non-performing ratio is overdue and defaulted principal over all principal owed. At the warning line the bank is told to watch its loans; at the breaker line no new loan of the bank is registered until the bureau lifts the breaker.
nonperforming_yuan = Non-performing (yuan)
npl_ratio = Non-performing ratio
risk_level = Level
breaker = Breaker
breaker_on = On
breaker_off = Off
lifted_at = lifted
no_bank_risk = No bank has lent yet.
lift_breaker = Lift the breaker
lift_breaker_hint = Say what was checked and why it is lifted, 4 to 500 characters; the bank is told.
