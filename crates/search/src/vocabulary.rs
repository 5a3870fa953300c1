//! The words of Zhuzhou's industries by topic (`data/bench_vocabulary.txt`): what the search
//! benchmark's corpus, the market benchmark's listings and the demo's market are written from.
//!
//! Format: `@function` and `@general` sections of words; `@topic CODE CHAIN NAME` starts a topic
//! whose words follow, its core words first; `#` lines are comments.

/// The vocabulary's text, embedded.
pub const VOCABULARY: &str = include_str!("../data/bench_vocabulary.txt");

/// One topic: its code (`t01`), the short name of its chain (`rail`), its name and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub code: &'static str,
    pub chain: &'static str,
    pub name: String,
    pub words: Vec<&'static str>,
}

impl Topic {
    /// The platform's default industrial chain (`fruition_domain::reference::default_chains`)
    /// this topic's chain belongs to, where it has one.
    pub fn chain_code(&self) -> Option<&'static str> {
        Some(match self.chain {
            "rail" => "rail_transit",
            "aero" => "aviation",
            "digital" => "information_technology",
            "energy" => "new_energy",
            "mat" => "new_materials",
            "med" => "medical_devices",
            "semi" => "electronic_information",
            "mach" => "advanced_manufacturing",
            _ => return None,
        })
    }
}

/// The parsed vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Words that join others into sentences (的, 和, 通过, …).
    pub function: Vec<&'static str>,
    /// Words every topic uses (技术, 研发, …).
    pub general: Vec<&'static str>,
    pub topics: Vec<Topic>,
}

impl Vocabulary {
    /// The embedded vocabulary.
    pub fn builtin() -> Vocabulary {
        Vocabulary::parse(VOCABULARY)
    }

    pub fn parse(text: &'static str) -> Vocabulary {
        let mut v = Vocabulary::default();
        let mut section = "";
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(header) = line.strip_prefix('@') {
                let mut parts = header.split_whitespace();
                section = parts.next().unwrap_or("");
                if section == "topic" {
                    v.topics.push(Topic {
                        code: parts.next().unwrap_or(""),
                        chain: parts.next().unwrap_or(""),
                        name: parts.collect::<Vec<_>>().join(""),
                        words: Vec::new(),
                    });
                }
                continue;
            }
            let words = line.split_whitespace();
            match section {
                "function" => v.function.extend(words),
                "general" => v.general.extend(words),
                "topic" => {
                    if let Some(t) = v.topics.last_mut() {
                        t.words.extend(words);
                    }
                }
                _ => {}
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_vocabulary_has_its_sections_and_topics() {
        let v = Vocabulary::builtin();
        assert!(v.function.contains(&"的") && v.general.contains(&"技术"));
        let first = &v.topics[0];
        assert_eq!(
            (first.code, first.chain, first.name.as_str()),
            ("t01", "rail", "牵引变流器")
        );
        assert_eq!(first.words[0], "牵引变流器", "core words first");
        assert_eq!(first.chain_code(), Some("rail_transit"));
        assert!(v.topics.len() >= 50 && v.topics.iter().all(|t| !t.words.is_empty()));
    }
}
