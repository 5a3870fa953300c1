//! Technical fields (技术领域): the national classification of technology contract registration
//! statistics (全国技术市场统计), in which every registered contract and every market listing is
//! counted, whatever the city's industrial chains are. A listing or a contract may also carry one
//! of the city's chains as a second tag, for the city's own statistics; [`TechField::of_chain`]
//! is the fixed mapping from the city's default chains that filled in the field of records made
//! when the chain was the only field (migration 0022, and old workbooks that name a chain).

use crate::FieldError;
use crate::lang::Lang;
use crate::org::string_enum;

string_enum! {
    /// One of the eleven technical fields of the national statistics, in their order.
    TechField {
        ElectronicInformation = "electronic_information", "电子信息", "Electronic information";
        Aerospace = "aerospace", "航空航天", "Aerospace";
        AdvancedManufacturing = "advanced_manufacturing", "先进制造", "Advanced manufacturing";
        Biomedicine = "biomedicine", "生物、医药和医疗器械", "Biology, medicine and medical devices";
        NewMaterials = "new_materials", "新材料及其应用", "New materials and their applications";
        NewEnergy = "new_energy", "新能源与高效节能", "New energy and energy efficiency";
        Environment = "environment", "环境保护与资源综合利用", "Environmental protection and comprehensive use of resources";
        Nuclear = "nuclear", "核应用", "Nuclear applications";
        Agriculture = "agriculture", "农业", "Agriculture";
        ModernTransport = "modern_transport", "现代交通", "Modern transport";
        UrbanDevelopment = "urban_development", "城市建设与社会发展", "Urban construction and social development";
    }
}

/// The longest input [`TechField::find`] looks at (in characters); longer text is no field.
const MAX_INPUT_CHARS: usize = 64;

impl TechField {
    /// Other names people write for each field: short names (生物医药, 新材料, 新能源, 环保,
    /// 城市建设, …). Compared after [`normalise`], so 、 and spaces, 和/与/及 and a trailing 技术
    /// or 领域 do not matter.
    fn short_names(self) -> &'static [&'static str] {
        use TechField::*;
        match self {
            ElectronicInformation => &["电子", "信息", "电子信息技术", "信息技术", "IT"],
            Aerospace => &["航空", "航天", "航空航天技术"],
            AdvancedManufacturing => &["先进制造技术", "智能制造", "高端装备", "装备制造"],
            Biomedicine => &[
                "生物医药",
                "生物医药与医疗器械",
                "生物医药和医疗器械",
                "生物",
                "医药",
                "医疗器械",
                "生物技术",
                "生物医药医疗器械",
            ],
            NewMaterials => &["新材料", "材料"],
            NewEnergy => &["新能源", "节能", "高效节能", "新能源与节能", "新能源节能"],
            Environment => &[
                "环保",
                "环境保护",
                "资源综合利用",
                "环境保护与资源利用",
                "节能环保",
            ],
            Nuclear => &["核", "核技术", "核技术应用"],
            Agriculture => &["现代农业", "农业技术", "农林牧渔"],
            ModernTransport => &["交通", "交通运输", "现代交通运输"],
            UrbanDevelopment => &["城市建设", "社会发展", "城建"],
        }
    }

    /// A field named by its code, its Chinese or English name or a common short name (see
    /// [`TechField::short_names`]); `None` for anything else. Total: any text is answered, and
    /// text longer than 64 characters is not looked at.
    pub fn find(input: &str) -> Option<TechField> {
        let s = input.trim();
        if s.is_empty() || s.chars().nth(MAX_INPUT_CHARS).is_some() {
            return None;
        }
        if let Some(f) = TechField::parse(&s.to_ascii_lowercase()) {
            return Some(f);
        }
        let key = normalise(s);
        if key.is_empty() {
            return None;
        }
        let matches = |key: &str| {
            TechField::ALL.iter().copied().find(|f| {
                normalise(f.label(Lang::ZhCn)) == key
                    || normalise(f.label(Lang::En)) == key
                    || f.short_names().iter().any(|n| normalise(n) == key)
            })
        };
        matches(&key).or_else(|| {
            ["技术领域", "领域", "技术", "类"]
                .iter()
                .filter_map(|suffix| key.strip_suffix(suffix))
                .filter(|k| !k.is_empty())
                .find_map(matches)
        })
    }

    /// [`TechField::find`], or a problem naming `field` (required when empty, else the text
    /// that is no field, echoed).
    pub fn read(field: &'static str, input: &str) -> Result<TechField, FieldError> {
        if input.trim().is_empty() {
            return Err(FieldError::new(
                field,
                "required",
                "请选择技术领域（电子信息、先进制造、农业等全国技术合同登记统计的技术领域）",
                "Choose the technical field (one of the national classification: electronic information, advanced manufacturing, agriculture, …)",
            ));
        }
        TechField::find(input).ok_or_else(|| {
            FieldError::new(
                field,
                "invalid",
                format!(
                    "“{}”不是技术领域，应为电子信息、航空航天、先进制造、生物医药、新材料、新能源、环保、核应用、农业、现代交通或城市建设与社会发展",
                    crate::echo(input.trim())
                ),
                format!(
                    "“{}” is not a technical field of the national classification",
                    crate::echo(input.trim())
                ),
            )
        })
    }

    /// The field of one of the city's default industrial chains (`data/chains.tsv`): the fixed
    /// mapping that filled in the field of listings and contracts recorded with a chain only.
    /// `None` for a chain the bureau added (its records keep no field until one is chosen).
    pub fn of_chain(chain_code: &str) -> Option<TechField> {
        use TechField::*;
        Some(match chain_code {
            "rail_transit" => ModernTransport,
            "new_materials" | "ceramics" | "cemented_carbide" => NewMaterials,
            "information_technology" | "electronic_information" => ElectronicInformation,
            "advanced_manufacturing" => AdvancedManufacturing,
            "new_energy" => NewEnergy,
            "medical_devices" => Biomedicine,
            "aviation" => Aerospace,
            _ => return None,
        })
    }
}

/// What names are compared as: full-width ASCII folded, ASCII lower-cased, spaces and the marks
/// that separate a name's parts (、，,·/) dropped, 和 and 及 read as 与.
fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '、' | '，' | ',' | '·' | '/' | '-' | '_'))
        .map(|c| match c {
            '和' | '及' => '与',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .replace("与其", "与")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::default_chains;

    #[test]
    fn the_national_classification_has_eleven_fields() {
        assert_eq!(TechField::ALL.len(), 11);
        let names: Vec<&str> = TechField::ALL.iter().map(|f| f.label(Lang::ZhCn)).collect();
        for name in [
            "电子信息",
            "先进制造",
            "航空航天",
            "现代交通",
            "生物、医药和医疗器械",
            "新材料及其应用",
            "新能源与高效节能",
            "环境保护与资源综合利用",
            "核应用",
            "农业",
            "城市建设与社会发展",
        ] {
            assert!(names.contains(&name), "{name} missing");
        }
    }

    #[test]
    fn codes_names_and_short_names_are_read() {
        use TechField::*;
        for (input, field) in [
            ("agriculture", Agriculture),
            ("AGRICULTURE", Agriculture),
            ("农业", Agriculture),
            (" 农业技术 ", Agriculture),
            ("生物医药", Biomedicine),
            ("生物、医药和医疗器械", Biomedicine),
            ("生物医药和医疗器械", Biomedicine),
            ("新材料", NewMaterials),
            ("新材料及其应用", NewMaterials),
            ("新能源", NewEnergy),
            ("新能源与节能", NewEnergy),
            ("新能源和高效节能", NewEnergy),
            ("环保", Environment),
            ("环境保护和资源综合利用", Environment),
            ("城市建设", UrbanDevelopment),
            ("城市建设和社会发展", UrbanDevelopment),
            ("现代交通", ModernTransport),
            ("核应用", Nuclear),
            ("航空航天", Aerospace),
            ("电子信息领域", ElectronicInformation),
            ("Electronic information", ElectronicInformation),
            ("new energy and energy efficiency", NewEnergy),
            ("ａｇｒｉｃｕｌｔｕｒｅ", Agriculture),
        ] {
            assert_eq!(TechField::find(input), Some(field), "{input}");
        }
        for input in [
            "",
            "  ",
            "轨道交通x",
            "技术",
            "领域",
            "rail_transit",
            "陶瓷",
        ] {
            assert_eq!(TechField::find(input), None, "{input}");
        }
    }

    #[test]
    fn a_problem_names_the_field_in_chinese() {
        let e = TechField::read("field", "").unwrap_err();
        assert_eq!((e.field, e.code), ("field", "required"));
        assert!(e.zh.contains("技术领域"), "{}", e.zh);
        let e = TechField::read("tech_field", "火星").unwrap_err();
        assert_eq!((e.field, e.code), ("tech_field", "invalid"));
        assert!(
            e.zh.contains("火星") && e.zh.contains("技术领域"),
            "{}",
            e.zh
        );
    }

    #[test]
    fn every_default_chain_maps_to_a_field() {
        for c in default_chains() {
            assert!(
                TechField::of_chain(c.code).is_some(),
                "chain {} has no field",
                c.code
            );
        }
        assert_eq!(
            TechField::of_chain("rail_transit"),
            Some(TechField::ModernTransport)
        );
        assert_eq!(
            TechField::of_chain("medical_devices"),
            Some(TechField::Biomedicine)
        );
        assert_eq!(TechField::of_chain("a_chain_the_bureau_added"), None);
    }
}
