//! The market's listing texts: grammatical Chinese sentences from per-topic templates — who
//! (the topic), the technical problem (two or three of the topic's own terms, never spliced into
//! one another), indicators with numbers fitting the industry, and the expected outcome.
//! Deterministic: the caller's seeded generator draws every choice.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};

/// Indicators with a number: (text with one `#`, lowest, highest).
type Indicator = (&'static str, i64, i64);

const RAIL: &[Indicator] = &[
    ("功率密度提高#%以上", 10, 35),
    ("平均无故障运行里程达到#万公里", 30, 120),
    ("整机重量减轻#%", 8, 25),
    ("全寿命周期维护成本降低#%", 10, 30),
    ("满足-40℃至#℃环境温度下可靠工作", 50, 70),
];
const SEMI: &[Indicator] = &[
    ("导通损耗降低#%", 10, 30),
    ("最高工作结温达到#℃", 150, 200),
    ("击穿电压不低于#V", 1200, 3300),
    ("封装良品率达到#%以上", 95, 99),
    ("功率循环寿命超过#万次", 5, 30),
];
const AERO: &[Indicator] = &[
    ("疲劳寿命提高#%", 15, 40),
    ("关键尺寸精度控制在±0.0#mm以内", 1, 5),
    ("零件减重#%", 8, 20),
    ("高温持久性能满足#℃使用要求", 650, 1100),
    ("一次交检合格率达到#%以上", 95, 99),
];
const MAT: &[Indicator] = &[
    ("抗弯强度不低于#MPa", 1800, 4200),
    ("耐磨性提高#%以上", 20, 60),
    ("原料利用率提高到#%", 85, 98),
    ("产品批次性能波动控制在#%以内", 2, 5),
    ("生产能耗降低#%", 10, 30),
];
const CERAMICS: &[Indicator] = &[
    ("烧成合格率达到#%以上", 92, 99),
    ("烧成温度降低#℃", 50, 150),
    ("产品吸水率低于0.#%", 1, 5),
    ("抗折强度不低于#MPa", 60, 400),
    ("单位产品能耗降低#%", 10, 30),
];
const CARBIDE: &[Indicator] = &[
    ("硬度达到HRA #以上", 90, 93),
    ("刀具寿命提高#%以上", 20, 60),
    ("抗弯强度不低于#MPa", 2800, 4200),
    ("涂层结合力达到#N以上", 60, 90),
    ("钨资源回收率达到#%", 90, 98),
];
const ENERGY: &[Indicator] = &[
    ("能量密度达到#Wh/kg", 160, 300),
    ("循环寿命超过#次", 3000, 8000),
    ("系统转换效率达到#%以上", 90, 98),
    ("单位成本降低#%", 10, 30),
    ("热失控蔓延时间延长至#分钟以上", 5, 60),
];
const MED: &[Indicator] = &[
    ("检测灵敏度达到#pg/mL", 1, 50),
    ("单次检测时间缩短至#分钟以内", 10, 45),
    ("临床样本符合率达到#%以上", 90, 99),
    ("生产成本降低#%", 15, 40),
    ("产品有效期延长至#个月", 12, 36),
];
const DIGITAL: &[Indicator] = &[
    ("识别准确率达到#%以上", 95, 99),
    ("端到端时延小于#毫秒", 10, 100),
    ("设备综合效率提高#%", 5, 20),
    ("支持#台设备同时接入", 200, 5000),
    ("故障预警提前量达到#小时", 24, 168),
];
const GENERAL: &[Indicator] = &[
    ("生产效率提高#%", 10, 40),
    ("综合能耗降低#%", 10, 30),
    ("产品合格率达到#%以上", 95, 99),
    ("综合成本降低#%", 10, 30),
    ("使用寿命延长#%", 15, 50),
];

fn indicators(chain: &str, topic: &str) -> &'static [Indicator] {
    if topic.contains("陶瓷") {
        return CERAMICS;
    }
    if topic.contains("硬质合金") || topic.contains("钨钼") {
        return CARBIDE;
    }
    match chain {
        "rail" => RAIL,
        "semi" => SEMI,
        "aero" => AERO,
        "mat" => MAT,
        "energy" => ENERGY,
        "med" => MED,
        "digital" => DIGITAL,
        _ => GENERAL,
    }
}

const PROBLEMS: &[&str] = &[
    "可靠性不足",
    "成本偏高",
    "长期依赖进口",
    "批次一致性差",
    "使用寿命偏短",
    "效率偏低",
    "故障率较高",
];

/// The words of one listing: the topic's name and three distinct terms of it.
pub struct Words {
    topic: String,
    chain: &'static str,
    t: [&'static str; 3],
}

impl Words {
    /// Draws three distinct terms of the topic (terms that contain the topic's name, or each
    /// other, are left out so that no phrase repeats itself).
    pub fn draw(
        rng: &mut StdRng,
        topic: &str,
        chain: &'static str,
        words: &[&'static str],
    ) -> Words {
        let mut pool: Vec<&'static str> = words
            .iter()
            .copied()
            .filter(|w| w.chars().count() >= 2 && *w != topic)
            .collect();
        pool.shuffle(rng);
        let mut t: Vec<&'static str> = Vec::with_capacity(3);
        for w in pool {
            if t.iter().all(|x| !x.contains(w) && !w.contains(x)) {
                t.push(w);
            }
            if t.len() == 3 {
                break;
            }
        }
        while t.len() < 3 {
            t.push("关键部件");
        }
        Words {
            topic: topic.to_string(),
            chain,
            t: [t[0], t[1], t[2]],
        }
    }

    fn indicator(&self, rng: &mut StdRng, n: usize) -> Vec<String> {
        let all = indicators(self.chain, &self.topic);
        all.choose_multiple(rng, n.min(all.len()))
            .map(|(text, lo, hi)| text.replace('#', &rng.random_range(*lo..=*hi).to_string()))
            .collect()
    }

    /// A phrase that names a technology: `term` + `suffix`, without saying 技术 twice.
    fn tech(term: &str, suffix: &str) -> String {
        if term.ends_with("技术") && suffix.starts_with("技术") {
            format!("{term}{}", &suffix["技术".len()..])
        } else {
            format!("{term}{suffix}")
        }
    }

    /// An achievement's title; a topic's `lead` achievement names the topic.
    pub fn achievement_title(&self, rng: &mut StdRng, lead: bool) -> String {
        let [a, b, _] = self.t;
        if lead {
            return format!("面向{}的{}", self.topic, Self::tech(a, "技术"));
        }
        match rng.random_range(0..5) {
            0 => format!("{}及应用", Self::tech(a, "关键技术")),
            1 => format!("面向{}的{}", self.topic, Self::tech(a, "技术")),
            2 => format!("{}设计与制造技术", a),
            3 => format!("基于{b}的{a}优化方法"),
            _ => format!("{a}与{b}一体化技术"),
        }
    }

    /// A need's title.
    pub fn need_title(&self, rng: &mut StdRng) -> String {
        let [a, _, _] = self.t;
        match rng.random_range(0..4) {
            0 => format!("{}攻关需求", Self::tech(a, "技术")),
            1 => format!("征集{a}国产化替代方案"),
            2 => format!("{}领域{a}联合开发需求", self.topic),
            _ => format!("寻求{a}性能提升解决方案"),
        }
    }

    /// An achievement's summary (two sentences) and body (five).
    pub fn achievement_text(&self, rng: &mut StdRng) -> (String, String) {
        let [a, b, c] = self.t;
        let problem = PROBLEMS.choose(rng).expect("problems");
        let approach = match rng.random_range(0..3) {
            0 => format!("提出了基于{b}的设计方法"),
            1 => format!("开发了以{b}为核心的工艺路线"),
            _ => format!("建立了{b}与{c}协同优化的技术方案"),
        };
        let intro = format!(
            "该成果针对{}领域{a}{problem}的问题，{approach}。",
            self.topic
        );
        let ind = self.indicator(rng, 2);
        let result = format!(
            "{}，{}，{}。",
            ["经第三方检测", "中试验证表明", "经用户现场试用"][rng.random_range(0..3)],
            ind[0],
            ind[1]
        );
        let filed = rng.random_range(3..=12);
        let ip = format!(
            "团队已申请发明专利{filed}项，其中已授权{}项，并形成企业标准{}项。",
            rng.random_range(1..=filed),
            rng.random_range(1..=3)
        );
        let stage = format!(
            "目前成果处于{}阶段，{}。",
            ["样机验证", "小批量试制", "中试"][rng.random_range(0..3)],
            [
                "预计6个月内可完成工程化验证",
                "适合以技术许可或合作开发方式转化",
                "已在两家企业试用，用户反馈良好",
            ][rng.random_range(0..3)]
        );
        let want = format!(
            "拟寻求{}领域的生产企业合作，共同推进产业化应用。",
            self.topic
        );
        let summary = format!("{intro}{result}");
        let body = format!("{intro}{result}{ip}{stage}{want}");
        (summary, body)
    }

    /// A need's summary (two sentences), body (four) and indicators.
    pub fn need_text(&self, rng: &mut StdRng) -> (String, String, String) {
        let [a, b, _] = self.t;
        let problem = PROBLEMS.choose(rng).expect("problems");
        let intro = format!(
            "我公司主要从事{}相关产品的研发与生产，现有{a}存在{problem}的问题，影响产品交付和市场竞争力。",
            self.topic
        );
        let ind = self.indicator(rng, 3);
        let ask = format!(
            "希望合作方提供{}方案，要求{}，{}。",
            Self::tech(a, "技术"),
            ind[0],
            ind[1]
        );
        let terms = format!(
            "合作方式为委托开发或合作开发，预算约{}万元，期望{}个月内完成样机验证并通过我方验收。",
            rng.random_range(5..=60) * 10,
            rng.random_range(6..=18)
        );
        let extra = format!("我方可提供试验条件和应用场景，并配合开展{b}相关测试。");
        let summary = format!("{intro}{ask}");
        let body = format!("{intro}{ask}{terms}{extra}");
        (summary, body, format!("{}。", ind.join("；")))
    }

    /// An expert's summary and body.
    pub fn expert_text(&self, rng: &mut StdRng, affiliation: &str) -> (String, String) {
        let [a, b, c] = self.t;
        let summary = format!("{affiliation}研究团队负责人，长期从事{a}和{b}研究。");
        let body = format!(
            "{summary}主持完成省部级科研项目{}项，发表学术论文{}篇，获授权发明专利{}项。可为企业提供{c}方面的技术咨询、联合攻关和人才培养服务。",
            rng.random_range(3..=12),
            rng.random_range(20..=80),
            rng.random_range(5..=30)
        );
        (summary, body)
    }

    /// A pilot line's or service's summary and body.
    pub fn service_text(&self, rng: &mut StdRng) -> (String, String) {
        let [a, b, c] = self.t;
        let summary = format!(
            "面向{}领域企业，提供{a}和{b}的中试验证与检测服务。",
            self.topic
        );
        let body = format!(
            "{summary}平台配备专职工程师{}名，可按企业需求制定试验方案，{}个工作日内出具报告；在孵企业可使用科技创新券抵扣部分费用。另可提供{c}方面的技术咨询。",
            rng.random_range(4..=20),
            rng.random_range(3..=10)
        );
        (summary, body)
    }

    /// The first term (for a title).
    pub fn first(&self) -> &'static str {
        self.t[0]
    }
}

/// Whether `text` says the same thing twice in a row ("技术技术", "系统系统"): a run of two to
/// six characters repeated at once.
pub fn has_doubled_word(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (2..=6).any(|n| {
        chars.windows(2 * n).any(|w| {
            w[..n] == w[n..]
                && w[..n]
                    .iter()
                    .all(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fruition_search::Vocabulary;
    use rand::SeedableRng;

    #[test]
    fn listing_texts_never_say_a_word_twice() {
        assert!(has_doubled_word("提高技术技术水平"));
        assert!(!has_doubled_word("牵引变流器关键技术及应用"));
        let mut rng = StdRng::seed_from_u64(7);
        let v = Vocabulary::builtin();
        for topic in &v.topics {
            for _ in 0..20 {
                let w = Words::draw(&mut rng, &topic.name, topic.chain, &topic.words);
                let (s, b) = w.achievement_text(&mut rng);
                let t = w.achievement_title(&mut rng, false);
                let n = w.need_title(&mut rng);
                for text in [s, b, t, n] {
                    assert!(!text.contains("技术技术"), "{text}");
                }
            }
        }
    }
}
