### 贷款目标进度 / The lending target
### Used by pages/credit/target.rs and its template.

target_intro = 全市知识价值信用贷款的发放情况和目标完成进度；按年度、银行、区县、行业和评分等级分列。
issued = 累计发放
issued_yuan = 发放金额（元）
target_loans = 贷款笔数
target_enterprises = 获贷企业数
target_progress = 目标完成进度
breakdown_year = 分项统计年度
all_years = 全部年度
year_suffix = 年
target_by_year = 按放款年度
target_by_bank = 按合作银行
target_by_county = 按区县
target_by_sector = 按行业
target_by_grade = 按评分等级
sector = 行业（国民经济行业分类门类）
target_chart_description = 已放款的知识价值信用贷款金额
