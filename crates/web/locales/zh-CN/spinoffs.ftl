### 裂变孵化 / Spin-off lineages
### Used by pages/spinoffs.rs and its templates.

spinoffs_intro = 龙头企业作为“母体”按自身定义的孵化路径裂变出新公司；实心方框表示已成立公司。
projects = 项目
stage = 阶段
started_on = 启动日期
milestones = 阶段日期
company = 成立的公司
notable = 代表性
reached_on = 到达日期
last_stage_company = 到达最后阶段时登记新公司
advance = 推进
start_project = 新增裂变项目
stages_hint = 每行一个阶段，按顺序填写；最后一个阶段即成立新公司。
last_stage_hint = 最后阶段的项目即成为与母体关联的新企业。
