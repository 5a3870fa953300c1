//! Plausible fictional names for the demo's organisations, carriers and enterprises, in the style
//! of Zhuzhou's (株洲高新区轨道交通产业孵化器, 荷塘区新材料众创空间, 株洲恒瑞轨道装备有限公司), and
//! the fictional institutions the demo's achievements, experts and instruments belong to. Drawn
//! with their own seed, so naming changes nothing else in the plan.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

const SEED: u64 = 4_302_000_088;

/// Fictional institutions (with codes' county): the demo institution user's first. Invented
/// results belong to them, never to a real university.
pub const INSTITUTIONS: [&str; 3] = ["湘渌理工学院", "建宁先进材料研究院", "神农生物医药研究院"];

/// The fictional firms of the market (each a plausible name, none a real company's).
pub const FIRMS: [&str; 8] = [
    "株洲恒驰轨道装备科技有限公司",
    "株洲瑞材新材料科技有限公司",
    "株洲翔宇航空部件有限公司",
    "株洲启能新能源科技有限公司",
    "株洲康湘医疗器械有限公司",
    "株洲芯拓电子信息技术有限公司",
    "株洲博锐智能制造有限公司",
    "株洲云渌数字科技有限公司",
];

/// Real universities, research institutes and companies that must never own invented results in
/// the demo (the seed names some of them; they may appear, but only as the seed states them).
pub const REAL_INSTITUTIONS: [&str; 16] = [
    "中南大学",
    "武汉大学",
    "湖南大学",
    "湖南工业大学",
    "国防科技大学",
    "国防科大",
    "湘潭大学",
    "湖南铁道职业技术学院",
    "中车",
    "时代电气",
    "时代新材",
    "株洲所",
    "宏达",
    "株洲硬质合金",
    "中国航发",
    "南方航空工业",
];

/// Characters that make brand names (none of them part of a real Zhuzhou firm's name we know).
const BRAND: [&str; 40] = [
    "恒", "瑞", "泰", "润", "晟", "楚", "嘉", "博", "睿", "鼎", "昊", "翔", "凯", "思", "远", "诚",
    "宇", "航", "德", "信", "精", "创", "湘", "渌", "炎", "云", "峰", "安", "康", "盛", "兴", "合",
    "明", "锐", "捷", "汇", "启", "拓", "铭", "沣",
];

/// What a firm in `chain` calls its trade.
fn trades(chain: &str) -> &'static [&'static str] {
    match chain {
        "rail_transit" => &["轨道装备", "轨道交通科技", "机车配件", "电气传动"],
        "new_materials" => &["新材料", "特种材料", "复合材料", "粉末冶金"],
        "information_technology" => &["信息技术", "软件", "数据科技", "网络科技"],
        "advanced_manufacturing" => &["智能装备", "精密机械", "自动化设备", "机电"],
        "new_energy" => &["新能源", "储能科技", "电池材料", "氢能科技"],
        "electronic_information" => &["电子", "微电子", "半导体", "电子元件"],
        "medical_devices" => &["医疗器械", "生物医药", "医疗科技", "健康科技"],
        "aviation" => &["航空部件", "航空科技", "通航装备", "航空精密制造"],
        "ceramics" => &["陶瓷", "瓷业", "电瓷", "陶瓷新材料"],
        "cemented_carbide" => &["硬质合金", "切削工具", "合金材料", "耐磨材料"],
        _ => &["科技", "实业"],
    }
}

/// A chain's theme in a carrier's name.
pub fn theme(chain: &str) -> &'static str {
    match chain {
        "rail_transit" => "轨道交通产业",
        "new_materials" => "新材料",
        "information_technology" => "数字经济",
        "advanced_manufacturing" => "智能制造",
        "new_energy" => "新能源",
        "electronic_information" => "电子信息",
        "medical_devices" => "生物医药",
        "aviation" => "航空产业",
        "ceramics" => "陶瓷产业",
        "cemented_carbide" => "硬质合金产业",
        _ => "科技创业",
    }
}

/// A place's smaller places (streets, parks), for a second carrier of the same kind and theme.
fn areas(place: &str) -> &'static [&'static str] {
    match place {
        "株洲高新区" => &[
            "动力谷",
            "新马",
            "栗雨",
            "河西",
            "天易",
            "嵩山路",
            "黄河路",
            "长江路",
        ],
        "石峰区" => &["田心", "清水塘", "响石岭", "龙头铺", "井墈", "铜塘湾"],
        "荷塘区" => &["金山", "宋家桥", "月塘", "明照", "仙庾"],
        "芦淞区" => &["董家塅", "白关", "建宁", "枫溪", "龙泉"],
        "天元区" => &["群丰", "雷打石", "三门", "马家河"],
        "醴陵市" => &["陶瓷谷", "经开区", "浦口", "东富", "来龙门"],
        "攸县" => &["网岭", "联星", "酒埠江", "渌田"],
        "茶陵县" => &["云阳", "下东", "舲舫", "严塘"],
        "炎陵县" => &["霞阳", "十都", "沔渡"],
        _ => &["城东", "城西", "城南", "城北"],
    }
}

/// Draws names, never the same twice.
pub struct Namer {
    rng: StdRng,
    used: HashSet<String>,
}

impl Default for Namer {
    fn default() -> Self {
        Namer {
            rng: StdRng::seed_from_u64(SEED),
            used: HashSet::new(),
        }
    }
}

impl Namer {
    fn brand(&mut self) -> String {
        let a = *BRAND.choose(&mut self.rng).expect("brand");
        let mut b = *BRAND.choose(&mut self.rng).expect("brand");
        while b == a {
            b = *BRAND.choose(&mut self.rng).expect("brand");
        }
        format!("{a}{b}")
    }

    /// The first of `candidates` not used yet, else a brand-new one from `make`.
    fn unique(&mut self, mut make: impl FnMut(&mut Namer) -> String) -> String {
        for _ in 0..10_000 {
            let name = make(self);
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("ten thousand names drawn, all taken")
    }

    /// Reserves a name given elsewhere (so no drawn name repeats it).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// An enterprise working in `chain` (株洲恒瑞轨道装备有限公司).
    pub fn enterprise(&mut self, chain: &str) -> String {
        self.unique(|n| {
            let prefix = if n.rng.random_range(0..5) == 0 {
                "湖南"
            } else {
                "株洲"
            };
            let brand = n.brand();
            let trade = *trades(chain).choose(&mut n.rng).expect("trade");
            let suffix = if trade.ends_with("科技") || trade.ends_with("技术") {
                ["有限公司", "股份有限公司", "有限公司"][n.rng.random_range(0..3)]
            } else {
                ["科技有限公司", "有限公司", "科技股份有限公司"][n.rng.random_range(0..3)]
            };
            format!("{prefix}{brand}{trade}{suffix}")
        })
    }

    /// A carrier of `kind_label` (孵化器, 众创空间, …) at `place` focused on `chains` (the first
    /// of them whose theme is not yet taken there, else a smaller place within it).
    pub fn carrier(&mut self, place: &str, chains: &[&str], kind_label: &str) -> String {
        let chains: &[&str] = if chains.is_empty() { &[""] } else { chains };
        for chain in chains {
            let name = format!("{place}{}{kind_label}", theme(chain));
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        for (k, area) in areas(place).iter().enumerate() {
            let name = format!(
                "{place}{area}{}{kind_label}",
                theme(chains[k % chains.len()])
            );
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        let theme = theme(chains[0]);
        self.unique(|n| format!("{place}{}{theme}{kind_label}", n.brand()))
    }

    /// A company that runs carriers.
    pub fn operator(&mut self, place: &str) -> String {
        self.unique(|n| {
            let brand = n.brand();
            match n.rng.random_range(0..3) {
                0 => format!("株洲{brand}创业服务有限公司"),
                1 => format!("株洲{brand}科技企业孵化器管理有限公司"),
                _ => format!("{place}{brand}众创空间运营管理有限公司"),
            }
        })
    }

    /// A fund manager.
    pub fn investor(&mut self) -> String {
        self.unique(|n| {
            let brand = n.brand();
            if n.rng.random_bool(0.5) {
                format!("株洲{brand}创业投资管理有限公司")
            } else {
                format!("湖南{brand}私募股权基金管理有限公司")
            }
        })
    }

    /// A fund of `kind` (创业投资基金, 天使投资基金, …).
    pub fn fund(&mut self, kind: &str) -> String {
        self.unique(|n| format!("株洲{}{kind}", n.brand()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_repeat_and_read_like_firms() {
        let mut n = Namer::default();
        let names: Vec<String> = (0..3000).map(|_| n.enterprise("new_energy")).collect();
        let set: HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert!(
            names
                .iter()
                .all(|x| x.ends_with("公司") && !x.contains("演示"))
        );
        let a = n.carrier("株洲高新区", &["rail_transit", "new_materials"], "孵化器");
        assert_eq!(a, "株洲高新区轨道交通产业孵化器");
        let b = n.carrier("株洲高新区", &["rail_transit", "new_materials"], "孵化器");
        assert_eq!(b, "株洲高新区新材料孵化器");
        let c = n.carrier("株洲高新区", &["rail_transit"], "孵化器");
        assert_eq!(c, "株洲高新区动力谷轨道交通产业孵化器");
    }
}
