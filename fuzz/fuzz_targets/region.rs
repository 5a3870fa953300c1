//! Administrative division codes (GB/T 2260), counties by code or name, industry codes.
#![no_main]

use fruition_domain::reference::{divisions, industry_division, industry_section, parse_county_in};
use fruition_domain::region::{RegionCode, RegionLevel};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    match RegionCode::parse(&s) {
        Ok(c) => {
            assert_eq!(RegionCode::parse(c.as_str()), Ok(c));
            assert_eq!(format!("{:06}", c.as_u32()), c.as_str());
            assert!(c.province().contains(&c));
            if let Some(parent) = c.parent() {
                assert!(parent.contains(&c) && parent.level() < c.level());
            }
        }
        Err(e) => assert_eq!(e.field, "region_code"),
    }

    // A county typed into a form of one prefecture-level city (the first byte picks which).
    let prefectures: Vec<_> = divisions()
        .iter()
        .filter(|d| d.level == RegionLevel::Prefecture)
        .collect();
    if let (Some(first), false) = (data.first(), prefectures.is_empty()) {
        let prefecture = prefectures[usize::from(*first) % prefectures.len()].code;
        let rest = String::from_utf8_lossy(&data[1..]);
        match parse_county_in(&prefecture, &rest) {
            Ok(d) => {
                assert_eq!(d.level, RegionLevel::County);
                assert!(prefecture.contains(&d.code));
            }
            Err(e) => assert_eq!(e.field, "county"),
        }
    }

    if let Some(d) = industry_division(&s) {
        assert_eq!(d.code, s.trim());
    }
    if let Some(c) = s.chars().next() {
        let _ = industry_section(c);
    }
});
