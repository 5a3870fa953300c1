### 机构 / Organisations
### Used by pages/organisations.rs and its templates.

new_organisation = Register an organisation
first_user = First user (the organisation's manager)
first_user_hint = A one-time password is generated for you to hand over; it must be changed at first sign-in.
no_organisations = No organisations match.
add_user = Add a user
deactivate = Deactivate
reactivate = Reactivate
reset_password = Reset password
