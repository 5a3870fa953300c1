### 载体 / Carriers
### Used by pages/carriers.rs and its templates.

new_carrier = Register a carrier
edit_carrier = Edit carrier
filter_carriers = Filter carriers
not_rated = Not rated
address = Address
focus_chains = Industrial chains it focuses on
focus_chains_hint = Choose any that apply.
established_year = Year established
year_hint = Four digits, like 2018.
bureau_changes_kind = Only the bureau changes the kind and the operator.
no_carriers = No carriers match.
revoked_carrier_note = This carrier is revoked and is not counted.
revoked_on = Revoked on
its_enterprises = Its incubatees
rating_history = Rating history
no_ratings = No ratings yet.
record_rating = Record a rating
year_granted = Year granted
granting_body = Granting body
granting_body_hint = For example 科学技术部 or 湖南省科学技术厅.
document_no = Document number
revoke_carrier = Revoke the carrier
restore_carrier = Restore the carrier
import_link = Import incubatees (Excel)
