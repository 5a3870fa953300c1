//! Unified social credit codes (GB 32100) and organisation codes (GB 11714).
#![no_main]

use fruition_domain::uscc::{Uscc, check_char, half_width, org_code_check_char};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    let h = half_width(&s);
    assert_eq!(h.chars().count(), s.chars().count());

    if check_char(&s).is_some() {
        assert_eq!(s.chars().count(), 17);
    }
    if let Some(c) = org_code_check_char(&s) {
        assert_eq!(s.chars().count(), 8);
        assert!(c == 'X' || c.is_ascii_digit());
    }

    match Uscc::parse(&s) {
        Ok(u) => {
            assert_eq!(u.as_str().len(), 18);
            assert_eq!(Uscc::parse(u.as_str()), Ok(u.clone()));
            assert_eq!(u.to_string(), u.as_str());
            assert_eq!(u.division_code().len(), 6);
            assert_eq!(u.org_code().len(), 9);
            let first17: String = u.as_str().chars().take(17).collect();
            assert_eq!(check_char(&first17), Some(u.check()));
            let _ = (u.registration_authority(), u.category(), u.region());
            assert_eq!(u.org_code_check_ok(), u.warnings().is_empty());
        }
        Err(e) => {
            assert_eq!(e.field, "uscc");
            assert!(!e.zh.is_empty() && !e.en.is_empty());
        }
    }
});
