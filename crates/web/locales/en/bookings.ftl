### 中试与仪器预约 / Bookings of pilot lines and instruments
### Used by pages/bookings.rs and its templates.

resource_offered_tag = Offered
booking_number = Booking
booking_end = End
booked_units = Units booked
unit_price_yuan = Unit price (yuan)
booker = Booker
booking_time = Time
estimate_yuan = Estimate (yuan)
unit_price = Unit price
incubatee_price = incubatee price
prepayment_required = The booker has an overdue bill: once confirmed, the prepayment must be paid before use.
safety_accepted_at = Safety notes accepted
used_units = Units used
cancel_until = May cancel until
open_bill = Open the bill
next_steps = Next steps
confirm_booking = Confirm the booking
record_use = Record the use
used_units_hint = What was used; 0 if it was not used.
use_note = Note
extra_hint = Consumables, reagents (optional).
extra_note = What the extra charges are for
issue_bill = Issue the bill
issue_bill_hint = Billed at the units used and the booked unit price; pay after use.
due_on_hint = Blank: 30 days from today.
decline_booking = Decline the booking
decline_booking_hint = The booker will see the reason.
cancel_booking = Cancel the booking
owner_cancel_hint = The owner gives a reason, which the booker will see.
our_resources = Resources we offer
