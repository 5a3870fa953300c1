### 企业与在孵记录 / Enterprises and incubation spells
### Used by pages/enterprises.rs and its templates.

new_enterprise = Register an enterprise
edit_enterprise = Edit enterprise
filter_enterprises = Filter enterprises
search_name_code = Name or code contains
current_carrier = Incubating at
no_enterprises = No enterprises match.
founded_on = Founded on
industry_division = Industry division (GB/T 4754-2017)
high_tech = High-tech enterprise
tech_sme = Technology-based SME
parent_uscc = Parent enterprise's unified social credit code
parent_uscc_hint = For a spin-off or subsidiary (optional); the parent must be registered.
incubation = Incubation
not_incubating = Not entering a carrier
entered_on = Entered on
exited_on = Left on
incubation_spells = Incubation spells
no_spells = No incubation spells.
incubating = Incubating
graduated = Graduated
left = Left
graduate_or_leave = Graduate or leave
incubating_at = Incubating at:{" "}
exit_reason_hint = Needed when it leaves; optional when it graduates.
record_exit = Record graduation or leaving
enter_carrier = Enter a carrier
yearly_figures = Yearly figures
no_figures = No yearly figures yet.
indicator = Indicator
