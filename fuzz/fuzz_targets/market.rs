//! The market's parsers: patent numbers, texts, contract types and terms, the string enums,
//! language tags.
#![no_main]

use fruition_domain::deal::{ContractType, Terms, TermsInput};
use fruition_domain::lang::Lang;
use fruition_domain::market::{self, PatentNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    match PatentNumber::parse(&s) {
        Ok(p) => {
            assert_eq!(PatentNumber::parse(p.as_str()), Ok(p.clone()));
            assert!(p.as_str().starts_with("ZL") && p.as_str().is_ascii());
            assert!(p.kind().is_some());
        }
        Err(e) => assert_eq!(e.field, "patents"),
    }
    // A listing's patents field is a list, one per line.
    for line in s.lines() {
        let _ = PatentNumber::parse(line);
    }

    if let Ok(t) = market::text("title", &s, market::TITLE_MAX) {
        assert_eq!(market::text("title", &t, market::TITLE_MAX), Ok(t.clone()));
    }
    let _ = market::optional_text("summary", &s, market::SUMMARY_MAX);

    if let Ok(t) = ContractType::read(&s) {
        assert_eq!(ContractType::read(t.code()), Ok(t));
    }
    let _ = market::ListingKind::parse(&s);
    let _ = market::TransferMode::parse(&s);
    let _ = fruition_domain::org::Role::parse(&s);
    let _ = fruition_domain::voucher::kinds_of(&s);

    if let Some(l) = Lang::from_tag(&s) {
        assert_eq!(Lang::from_tag(l.tag()), Some(l));
    }
    let _ = Lang::from_accept_language(&s);

    // Terms as typed: the fields are the input's lines.
    let mut fields = s.split('\n');
    let (ty, from, to) = (fields.next(), fields.next(), fields.next());
    let input = TermsInput {
        contract_type: ty.unwrap_or(""),
        contract_amount_k: Some(1500),
        tech_amount_k: Some(1200),
        starts_on: from.unwrap_or(""),
        ends_on: to.unwrap_or(""),
    };
    match Terms::parse(&input) {
        Ok(t) => assert!(t.starts_on <= t.ends_on),
        Err(errors) => assert!(!errors.is_empty()),
    }
});
