### 银行不良率与熔断 / Banks' non-performing ratios and breakers
### Used by pages/credit/risk.rs and its template.

risk_intro = 不良率为逾期和违约贷款的尚欠本金占全部尚欠本金的比例。达到预警线时提醒银行加强贷后管理；达到熔断线时暂停该行新的贷款备案，由科技局核查后解除。
nonperforming_yuan = 不良本金（元）
npl_ratio = 不良率
risk_level = 风险等级
breaker = 熔断
breaker_on = 已熔断
breaker_off = 未熔断
lifted_at = 解除于
no_bank_risk = 还没有银行放款。
lift_breaker = 解除熔断
lift_breaker_hint = 说明核查结果和解除理由，4 到 500 字；理由会告知银行。
