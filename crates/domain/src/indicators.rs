//! The yearly indicators of an incubated enterprise, following the Torch Center's in-incubation
//! enterprise form (在孵企业情况表), and the checks a carrier's report must pass.
//!
//! Money is in thousand yuan (千元), as the form asks.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// One enterprise's figures for one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicators {
    /// 从业人员 — people employed at year end.
    pub employees: i64,
    /// 其中：博士 — of whom doctors.
    pub doctors: i64,
    /// 其中：留学归国人员 — of whom returnees from study abroad.
    pub returnees: i64,
    /// 其中：应届大学毕业生 — of whom fresh graduates hired this year.
    pub fresh_graduates: i64,
    /// 高层次人才（市级以上） — high-level talent recognised at municipal level or above.
    pub high_level_talent: i64,
    /// 总收入（千元） — revenue.
    pub revenue_k: i64,
    /// 研发投入（千元） — R&D spending.
    pub rd_spending_k: i64,
    /// 上缴税费（千元） — taxes paid.
    pub taxes_k: i64,
    /// 当年获得天使及风险投资额（千元） — angel and venture money raised this year.
    pub funding_raised_k: i64,
    /// 当年专利申请数 — patent applications this year.
    pub patent_applications: i64,
    /// 其中：发明专利申请数 — of which invention patents.
    pub invention_applications: i64,
    /// 当年专利授权数 — patents granted this year.
    pub patent_grants: i64,
    /// 其中：发明专利授权数 — of which invention patents.
    pub invention_grants: i64,
    /// 拥有有效知识产权数 — valid intellectual property held.
    pub valid_ip: i64,
    /// 软件著作权数 — software copyrights.
    pub software_copyrights: i64,
    /// 技术合同成交数 — technology contracts concluded.
    pub tech_contracts: i64,
    /// 技术合同成交额（千元） — their amount.
    pub tech_contract_amount_k: i64,
}

/// The fields, in form order: key, Chinese label, English label.
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("employees", "从业人员", "Employees"),
    ("doctors", "其中：博士", "of whom doctors"),
    ("returnees", "其中：留学归国人员", "of whom returnees"),
    (
        "fresh_graduates",
        "其中：应届大学毕业生",
        "of whom fresh graduates",
    ),
    (
        "high_level_talent",
        "高层次人才（市级以上）",
        "High-level talent",
    ),
    ("revenue_k", "总收入（千元）", "Revenue (k yuan)"),
    ("rd_spending_k", "研发投入（千元）", "R&D spending (k yuan)"),
    ("taxes_k", "上缴税费（千元）", "Taxes paid (k yuan)"),
    (
        "funding_raised_k",
        "获得天使及风险投资（千元）",
        "Angel and venture money raised (k yuan)",
    ),
    ("patent_applications", "专利申请数", "Patent applications"),
    (
        "invention_applications",
        "其中：发明专利申请",
        "of which inventions",
    ),
    ("patent_grants", "专利授权数", "Patents granted"),
    (
        "invention_grants",
        "其中：发明专利授权",
        "of which inventions",
    ),
    ("valid_ip", "有效知识产权数", "Valid IP"),
    ("software_copyrights", "软件著作权数", "Software copyrights"),
    ("tech_contracts", "技术合同成交数", "Technology contracts"),
    (
        "tech_contract_amount_k",
        "技术合同成交额（千元）",
        "Technology contract amount (k yuan)",
    ),
];

impl Indicators {
    /// The value of a field by key (see [`FIELDS`]).
    pub fn get(&self, key: &str) -> Option<i64> {
        Some(match key {
            "employees" => self.employees,
            "doctors" => self.doctors,
            "returnees" => self.returnees,
            "fresh_graduates" => self.fresh_graduates,
            "high_level_talent" => self.high_level_talent,
            "revenue_k" => self.revenue_k,
            "rd_spending_k" => self.rd_spending_k,
            "taxes_k" => self.taxes_k,
            "funding_raised_k" => self.funding_raised_k,
            "patent_applications" => self.patent_applications,
            "invention_applications" => self.invention_applications,
            "patent_grants" => self.patent_grants,
            "invention_grants" => self.invention_grants,
            "valid_ip" => self.valid_ip,
            "software_copyrights" => self.software_copyrights,
            "tech_contracts" => self.tech_contracts,
            "tech_contract_amount_k" => self.tech_contract_amount_k,
            _ => return None,
        })
    }

    /// Sets a field by key; false for an unknown key.
    pub fn set(&mut self, key: &str, value: i64) -> bool {
        let slot = match key {
            "employees" => &mut self.employees,
            "doctors" => &mut self.doctors,
            "returnees" => &mut self.returnees,
            "fresh_graduates" => &mut self.fresh_graduates,
            "high_level_talent" => &mut self.high_level_talent,
            "revenue_k" => &mut self.revenue_k,
            "rd_spending_k" => &mut self.rd_spending_k,
            "taxes_k" => &mut self.taxes_k,
            "funding_raised_k" => &mut self.funding_raised_k,
            "patent_applications" => &mut self.patent_applications,
            "invention_applications" => &mut self.invention_applications,
            "patent_grants" => &mut self.patent_grants,
            "invention_grants" => &mut self.invention_grants,
            "valid_ip" => &mut self.valid_ip,
            "software_copyrights" => &mut self.software_copyrights,
            "tech_contracts" => &mut self.tech_contracts,
            "tech_contract_amount_k" => &mut self.tech_contract_amount_k,
            _ => return false,
        };
        *slot = value;
        true
    }

    /// Problems that make the figures impossible: they block a report's submission.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        for (key, zh, en) in FIELDS {
            if self.get(key).is_some_and(|v| v < 0) {
                out.push(FieldError::new(
                    key_static(key),
                    "negative",
                    format!("{zh}不能为负数"),
                    format!("{en} cannot be negative"),
                ));
            }
        }
        // A negative whole is reported above; comparing its parts with it would only repeat that.
        let part_of =
            |out: &mut Vec<FieldError>, part: &str, part_zh: &str, whole: &str, whole_zh: &str| {
                if self.get(whole).is_some_and(|w| w >= 0) && self.get(part) > self.get(whole) {
                    out.push(FieldError::new(
                        key_static(part),
                        "exceeds_total",
                        format!(
                            "{part_zh}（{}）不能多于{whole_zh}（{}）",
                            self.get(part).unwrap_or(0),
                            self.get(whole).unwrap_or(0)
                        ),
                        format!(
                            "{part} ({}) cannot exceed {whole} ({})",
                            self.get(part).unwrap_or(0),
                            self.get(whole).unwrap_or(0)
                        ),
                    ));
                }
            };
        part_of(&mut out, "doctors", "博士人数", "employees", "从业人员");
        part_of(
            &mut out,
            "returnees",
            "留学归国人员",
            "employees",
            "从业人员",
        );
        part_of(
            &mut out,
            "fresh_graduates",
            "应届大学毕业生",
            "employees",
            "从业人员",
        );
        part_of(
            &mut out,
            "high_level_talent",
            "高层次人才",
            "employees",
            "从业人员",
        );
        part_of(
            &mut out,
            "invention_applications",
            "发明专利申请",
            "patent_applications",
            "专利申请数",
        );
        part_of(
            &mut out,
            "invention_grants",
            "发明专利授权",
            "patent_grants",
            "专利授权数",
        );
        if self.tech_contract_amount_k > 0 && self.tech_contracts == 0 {
            out.push(FieldError::new(
                "tech_contracts",
                "amount_without_contracts",
                "填写了技术合同成交额，但成交数为 0",
                "A technology contract amount is given but no contracts",
            ));
        }
        out
    }

    /// Figures that are possible but unusual: shown to the bureau, they do not block submission.
    /// `previous` is the same enterprise's figures for the year before, when known.
    pub fn warnings(&self, previous: Option<&Indicators>) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.employees == 0 && self.revenue_k > 0 {
            out.push(FieldError::new(
                "employees",
                "no_employees",
                "有收入但从业人员为 0",
                "Revenue but no employees",
            ));
        }
        if self.revenue_k > 0 && self.rd_spending_k > self.revenue_k {
            out.push(FieldError::new(
                "rd_spending_k",
                "rd_above_revenue",
                "研发投入高于总收入",
                "R&D spending exceeds revenue",
            ));
        }
        if let Some(p) = previous {
            if p.revenue_k > 0 && self.revenue_k > p.revenue_k * 10 {
                out.push(FieldError::new(
                    "revenue_k",
                    "revenue_jump",
                    format!(
                        "总收入比上年增长超过 10 倍（{} → {} 千元）",
                        p.revenue_k, self.revenue_k
                    ),
                    format!(
                        "Revenue grew more than tenfold ({} → {} k yuan)",
                        p.revenue_k, self.revenue_k
                    ),
                ));
            }
            if p.employees >= 10
                && (self.employees > p.employees * 5 || self.employees * 5 < p.employees)
            {
                out.push(FieldError::new(
                    "employees",
                    "employees_jump",
                    format!(
                        "从业人员变化超过 5 倍（{} → {}）",
                        p.employees, self.employees
                    ),
                    format!(
                        "Employees changed more than fivefold ({} → {})",
                        p.employees, self.employees
                    ),
                ));
            }
        }
        out
    }
}

/// The static key for a field name (field errors carry `&'static str`).
fn key_static(key: &str) -> &'static str {
    FIELDS
        .iter()
        .map(|(k, _, _)| *k)
        .find(|k| *k == key)
        .unwrap_or("indicators")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Indicators {
        Indicators {
            employees: 40,
            doctors: 2,
            high_level_talent: 1,
            revenue_k: 12_000,
            patent_applications: 5,
            invention_applications: 2,
            ..Default::default()
        }
    }

    #[test]
    fn sound_figures_pass() {
        assert!(sample().errors().is_empty());
        assert!(sample().warnings(Some(&sample())).is_empty());
    }

    #[test]
    fn parts_cannot_exceed_wholes() {
        let bad = Indicators {
            doctors: 50,
            invention_grants: 3,
            patent_grants: 1,
            ..sample()
        };
        let fields: Vec<_> = bad.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["doctors", "invention_grants"]);
        let neg = Indicators {
            revenue_k: -1,
            ..sample()
        };
        assert_eq!(neg.errors()[0].code, "negative");
    }

    #[test]
    fn a_negative_whole_is_one_problem() {
        // A minus sign typed before the employees: said once, not again for each "of whom".
        let typo = Indicators {
            employees: -30,
            doctors: 1,
            fresh_graduates: 2,
            ..Default::default()
        };
        let codes: Vec<_> = typo.errors().iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(codes, vec![("employees", "negative")]);
    }

    #[test]
    fn unusual_jumps_warn() {
        let prev = sample();
        let now = Indicators {
            revenue_k: 200_000,
            employees: 500,
            ..sample()
        };
        let codes: Vec<_> = now.warnings(Some(&prev)).iter().map(|w| w.code).collect();
        assert_eq!(codes, vec!["revenue_jump", "employees_jump"]);
    }

    #[test]
    fn every_field_can_be_set_and_read() {
        let mut ind = Indicators::default();
        for (i, (key, _, _)) in FIELDS.iter().enumerate() {
            assert!(ind.set(key, i as i64 + 1));
            assert_eq!(ind.get(key), Some(i as i64 + 1));
        }
        assert!(!ind.set("nonsense", 1));
    }

    proptest! {
        #[test]
        fn non_negative_consistent_figures_have_no_errors(emp in 0i64..10_000, pa in 0i64..1000, pg in 0i64..1000) {
            let ind = Indicators { employees: emp, doctors: emp / 3, patent_applications: pa, invention_applications: pa / 2, patent_grants: pg, invention_grants: pg / 2, ..Default::default() };
            prop_assert!(ind.errors().is_empty());
        }
    }
}
