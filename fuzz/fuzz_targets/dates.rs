//! Dates (`2024-03-01`, `2024年3月1日`, …) and booking times (`2026-12-01 09:00`).
#![no_main]

use fruition_domain::date::IsoDate;
use fruition_domain::pilot::{parse_slot, slot_label};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    match IsoDate::parse(&s) {
        Ok(d) => {
            assert_eq!(IsoDate::parse(&d.to_string()), Ok(d));
            assert_eq!(IsoDate::from_days(d.days_since_epoch()), d);
        }
        Err(e) => assert_eq!(e.field, "date"),
    }
    if let Err(e) = IsoDate::parse_field(&s, "valid_from") {
        assert_eq!(e.field, "valid_from");
    }

    match parse_slot("starts_at", &s) {
        Ok(slot) => assert_eq!(parse_slot("starts_at", &slot_label(slot)), Ok(slot)),
        Err(e) => assert_eq!(e.field, "starts_at"),
    }
});
