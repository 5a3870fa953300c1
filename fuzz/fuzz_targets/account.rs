//! Account fields: login, names, e-mail, phone, and the password policy (zxcvbn).
#![no_main]

use fruition_domain::account::{Email, Login, OrgName, Password, PersonName, Phone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    if let Ok(l) = Login::parse(&s) {
        assert_eq!(Login::parse(l.as_str()), Ok(l.clone()));
    }
    if let Ok(n) = PersonName::parse(&s) {
        assert_eq!(PersonName::parse(n.as_str()), Ok(n.clone()));
    }
    if let Ok(n) = OrgName::parse(&s) {
        assert_eq!(OrgName::parse(n.as_str()), Ok(n.clone()));
    }
    if let Ok(e) = Email::parse(&s) {
        assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
    }
    if let Ok(p) = Phone::parse(&s) {
        assert_eq!(Phone::parse(p.as_str()), Ok(p.clone()));
    }

    // Password, login and another user input, separated by NUL.
    let mut parts = s.splitn(3, '\0');
    let (pw, login, other) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    match Password::new_checked_with_inputs(pw, login, &[other]) {
        Ok(p) => {
            assert_eq!(p.expose(), pw);
            assert_ne!(pw.to_lowercase(), login.trim().to_lowercase());
        }
        Err(e) => assert_eq!(e.field, "new_password"),
    }
});
