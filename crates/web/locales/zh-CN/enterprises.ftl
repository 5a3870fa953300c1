### 企业与在孵记录 / Enterprises and incubation spells
### Used by pages/enterprises.rs and its templates.

new_enterprise = 登记企业
edit_enterprise = 编辑企业
filter_enterprises = 筛选企业
search_name_code = 名称或代码包含
current_carrier = 所在载体
no_enterprises = 没有符合条件的企业。
founded_on = 成立日期
industry_division = 行业大类（GB/T 4754-2017）
high_tech = 高新技术企业
tech_sme = 科技型中小企业
parent_uscc = 母公司统一社会信用代码
parent_uscc_hint = 衍生企业或子公司填写（选填），母公司须已登记。
incubation = 入孵
not_incubating = 暂不入孵
entered_on = 入孵日期
exited_on = 离开日期
incubation_spells = 孵化经历
no_spells = 尚无孵化经历。
incubating = 在孵
graduated = 毕业
left = 离开
graduate_or_leave = 毕业或离开
incubating_at = 正在孵化：
exit_reason_hint = 离开须填写原因；毕业可不填。
record_exit = 登记毕业或离开
enter_carrier = 入驻载体
yearly_figures = 年度指标
no_figures = 尚无年度指标。
indicator = 指标
