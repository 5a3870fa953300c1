### 风险补偿申请 / Compensation claims
### Used by pages/credit/claims.rs and its templates.

claims_queue_intro = 银行对已备案并认定违约的贷款提出补偿申请；审核通过后从资金池按出资比例拨付。
my_claims_intro = 本行对已备案并认定违约的贷款提出的补偿申请；拨付后可登记追回款。
credit_claim_number = 补偿申请号
loan_number = 贷款号
claim_year = 补偿年度
compensated_on = 拨付日期
returned_yuan = 返还资金池（元）
approve_credit_claim = 审核通过
reject_credit_claim = 驳回
reject_credit_claim_hint = 理由会告知银行，最多 500 字。
pay_credit_claim = 拨付补偿
pay_credit_claim_hint = 今天从资金池拨付，按出资方比例分摊，受单家银行年度上限和资金池余额限制。
record_recovery = 登记追回款
record_recovery_hint = 补偿后追回的本金，元；资金池按其承担的比例收回。
