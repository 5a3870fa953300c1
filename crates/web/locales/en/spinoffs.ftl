### 裂变孵化 / Spin-off lineages
### Used by pages/spinoffs.rs and its templates.

spinoffs_intro = Parent enterprises spin off new companies along paths they define; filled boxes are companies already founded.
projects = Projects
stage = Stage
started_on = Started
milestones = Milestones
company = Company
notable = Notable
reached_on = Reached on
last_stage_company = At the last stage, register the new company
advance = Advance
start_project = Start a spin-off project
stages_hint = One stage per line, in order; the last stage is when the new company is founded.
last_stage_hint = A project at the last stage becomes an enterprise linked to its parent.
