//! The annual summary, written the way §一 of the bureau's reply writes it: scale, layout,
//! innovation capacity, finance, spin-offs. Pure: it words figures that were counted elsewhere.

use serde::Serialize;

use crate::carrier::{CarrierKind, Level};
use crate::wording::{More, about, about_percent, more_than, yuan_at_least};

/// Carriers of one kind at one level in one place, at the year's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierTally {
    pub kind: CarrierKind,
    pub level: Option<Level>,
    /// The functional zone's name when the carrier is in one, else the county's.
    pub place: String,
    pub in_zone: bool,
    /// Orders places that tie on count (the GB/T 2260 code; zones first).
    pub place_order: String,
    pub count: i64,
}

/// A functional zone's registered enterprises and the chains most of them are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFacts {
    pub name: String,
    pub enterprises: i64,
    /// The chains with most enterprises in the zone, most first.
    pub top_chains: Vec<String>,
}

/// Incubatees of one chain (approved reports), in the chains' configured order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainTally {
    pub name: String,
    pub incubatees: i64,
}

/// The incubatees' figures for the year (approved reports).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Innovation {
    pub incubatees: i64,
    pub employees: i64,
    pub high_level_talent: i64,
    pub patent_applications: i64,
    pub patent_grants: i64,
}

/// Technology contracts registered in the year (技术合同登记), amounts in thousand yuan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContractTally {
    pub contracts: i64,
    pub contract_amount_k: i64,
    pub tech_amount_k: i64,
}

/// What the pilot lines, instruments and testing services served in the year (中试平台与大型仪器共享)
/// and the innovation vouchers that paid part of it; money in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PilotTally {
    /// Resources offered, and the organisations (pilot bases, institutions, firms) offering them.
    pub resources: i64,
    pub owners: i64,
    /// Bookings used that started in the year, and the organisations served (each resource's
    /// users counted once per resource).
    pub bookings: i64,
    pub users: i64,
    /// Bills after use issued in the year, and the vouchers' part of them.
    pub billed_fen: i64,
    pub voucher_fen: i64,
}

/// Knowledge-value credit loans (知识价值信用贷款) disbursed in the year, and how far the city is
/// along its target (the reply's 30亿元); money in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CreditTally {
    pub loans: i64,
    /// The enterprises the year's loans went to, each counted once.
    pub enterprises: i64,
    pub amount_fen: i64,
    /// Disbursed in every year up to the end of this one.
    pub cumulative_fen: i64,
    /// The city's target (0: none set).
    pub target_fen: i64,
}

/// The year's investments as users recorded them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CapitalTally {
    /// Investments dated in the year, and how much.
    pub investments: i64,
    pub amount_fen: i64,
    /// Incubatees of the year's approved reports, and how many had an investment in the year.
    pub incubatees: i64,
    pub incubatees_financed: i64,
    /// Carriers with a seed fund of their own counting in the year, and how many of those reach
    /// 500万元.
    pub seed_fund_carriers: i64,
    pub seed_fund_carriers_over_line: i64,
}

/// The year's staff training (从业人员培训) as the alliance recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrainingTally {
    /// Courses held in the year.
    pub courses: i64,
    /// Attendances at them (人次).
    pub attendances: i64,
}

/// A parent enterprise's spin-off lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub parent: String,
    pub path: Vec<String>,
    /// Spin-offs the report names.
    pub notable: Vec<String>,
    /// Spin-offs that became companies.
    pub companies: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualInput {
    pub year: i64,
    pub city: String,
    pub carriers: Vec<CarrierTally>,
    pub zones: Vec<ZoneFacts>,
    pub chains: Vec<ChainTally>,
    pub innovation: Innovation,
    /// Venture funds open to incubatees, in thousand yuan, and their names (largest first).
    pub funds_k: i64,
    pub fund_names: Vec<String>,
    pub lineages: Vec<Lineage>,
    /// Contracts registered in the year; the sentence about them is left out when there are none.
    pub contracts: ContractTally,
    /// Pilot lines and instruments used in the year; left out when none was used.
    pub pilot: PilotTally,
    /// Knowledge-value credit loans disbursed in the year; left out when there were none.
    pub credit: CreditTally,
    /// The year's investments; the sentence about them is left out when there are none.
    pub capital: CapitalTally,
    /// The year's staff training; the sentence about it is left out when no course was held.
    pub training: TrainingTally,
    /// The years that have approved yearly reports, in order. When `year` is not among them,
    /// the report says so plainly (and which years have them) instead of counting nothing.
    pub approved_years: Vec<i64>,
}

impl AnnualInput {
    /// Whether the year has approved yearly reports to count.
    pub fn has_reports(&self) -> bool {
        self.approved_years.contains(&self.year)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub title: String,
    pub sections: Vec<Section>,
}

impl AnnualReport {
    /// The whole report as plain text (for the command line and for printing).
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for s in &self.sections {
            out.push_str(&s.heading);
            out.push('\n');
            for p in &s.paragraphs {
                out.push_str("    ");
                out.push_str(p);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}

/// The short name the bureau's documents use for a kind.
fn short(kind: CarrierKind) -> &'static str {
    match kind {
        CarrierKind::Incubator => "孵化器",
        CarrierKind::MakerSpace => "众创空间",
        CarrierKind::PilotBase => "中试基地",
        CarrierKind::SciencePark => "大学科技园",
        CarrierKind::Other => "其他载体",
    }
}

fn count(t: &[CarrierTally], f: impl Fn(&CarrierTally) -> bool) -> i64 {
    t.iter().filter(|x| f(x)).map(|x| x.count).sum()
}

fn chinese_small(n: i64) -> String {
    match n {
        1 => "一".into(),
        2 => "两".into(),
        3 => "三".into(),
        _ => n.to_string(),
    }
}

/// "省级以上孵化器10家，其中国家级孵化器4家，省级孵化器6家", or the one level there is.
fn kind_clause(t: &[CarrierTally], kind: CarrierKind) -> Option<String> {
    let n = count(t, |x| x.kind == kind && x.level == Some(Level::National));
    let p = count(t, |x| x.kind == kind && x.level == Some(Level::Provincial));
    let k = short(kind);
    match (n, p) {
        (0, 0) => None,
        (0, p) => Some(format!("省级{k}{p}家")),
        (n, 0) => Some(format!("国家级{k}{n}家")),
        (n, p) => Some(format!(
            "省级以上{k}{}家，其中国家级{k}{n}家，省级{k}{p}家",
            n + p
        )),
    }
}

/// The sentence that stands for the registry's figures in a year without approved reports.
fn no_reports(input: &AnnualInput) -> String {
    let mut text = format!(
        "{}年尚无审核通过的载体年度报表，本年度载体、在孵企业和创新产出的数字暂缺",
        input.year
    );
    if input.approved_years.is_empty() {
        text.push_str("；平台上还没有任何年份的年度报表审核通过。");
    } else {
        let years: Vec<String> = input
            .approved_years
            .iter()
            .map(|y| format!("{y}年"))
            .collect();
        text.push_str(&format!("；已有审核通过报表的年份：{}。", years.join("、")));
    }
    text
}

fn scale(input: &AnnualInput) -> Section {
    if !input.has_reports() {
        return Section {
            heading: "（一）平台体系规模不断扩大".into(),
            paragraphs: vec![no_reports(input)],
        };
    }
    let t = &input.carriers;
    let total = count(t, |_| true);
    let mut clauses: Vec<String> = [
        CarrierKind::Incubator,
        CarrierKind::PilotBase,
        CarrierKind::MakerSpace,
    ]
    .into_iter()
    .filter_map(|k| kind_clause(t, k))
    .collect();
    let mut first = format!(
        "截至{}年底，{}共有各级双创孵化载体{total}家",
        input.year, input.city
    );
    if !clauses.is_empty() {
        first.push_str("，含");
        first.push_str(&clauses.join("；"));
    }
    first.push('。');
    clauses.clear();
    let mut paragraph = first;
    let parks = count(t, |x| {
        x.kind == CarrierKind::SciencePark && x.level.is_some_and(|l| l != Level::Municipal)
    });
    if parks > 0 {
        let national = count(t, |x| {
            x.kind == CarrierKind::SciencePark && x.level == Some(Level::National)
        });
        let level = if national == parks {
            "国家级"
        } else if national == 0 {
            "省级"
        } else {
            "省级以上"
        };
        paragraph.push_str(&format!(
            "此外还有{}家{level}大学科技园。",
            chinese_small(parks)
        ));
    }
    let municipal = count(t, |x| x.level.is_none_or(|l| l == Level::Municipal));
    if municipal > 0 {
        paragraph.push_str(&format!("其余{municipal}家为市级及以下载体。"));
    }
    Section {
        heading: "（一）建设规模稳步发展".into(),
        paragraphs: vec![paragraph],
    }
}

fn layout(input: &AnnualInput) -> Section {
    let t = &input.carriers;
    let mut paragraphs = Vec::new();
    if !input.has_reports() {
        return Section {
            heading: "（二）区域布局逐步优化".into(),
            paragraphs,
        };
    }
    // Places by carriers, most first; ties in code order.
    let mut places: Vec<(String, String, bool, i64)> = Vec::new();
    for x in t {
        match places.iter_mut().find(|p| p.0 == x.place) {
            Some(p) => p.3 += x.count,
            None => places.push((x.place.clone(), x.place_order.clone(), x.in_zone, x.count)),
        }
    }
    places.sort_by(|a, b| b.3.cmp(&a.3).then(a.1.cmp(&b.1)));
    let densest = places.first().map(|p| p.0.clone());
    let mut text = String::new();
    for zone in &input.zones {
        let in_zone = |x: &CarrierTally| x.in_zone && x.place == zone.name;
        let zone_total = count(t, in_zone);
        let lead = if densest.as_deref() == Some(zone.name.as_str()) {
            "是全市密度最高的科技成果转化平台集聚区，"
        } else {
            ""
        };
        text.push_str(&format!(
            "{}{lead}已经累计引进企业{}",
            zone.name,
            more_than(zone.enterprises, "家", More::Duo)
        ));
        if !zone.top_chains.is_empty() {
            text.push_str(&format!("，涉及{}等众多领域", zone.top_chains.join("、")));
        }
        text.push('。');
        if zone_total > 0 {
            let mut parts = Vec::new();
            for kind in [
                CarrierKind::Incubator,
                CarrierKind::MakerSpace,
                CarrierKind::PilotBase,
                CarrierKind::SciencePark,
            ] {
                for level in [Level::National, Level::Provincial] {
                    let n = count(t, |x| {
                        in_zone(x) && x.kind == kind && x.level == Some(level)
                    });
                    if n > 0 {
                        let name = if kind == CarrierKind::Incubator {
                            "科技企业孵化器"
                        } else {
                            short(kind)
                        };
                        parts.push(format!(
                            "{}{name}{n}家",
                            level.label(crate::lang::Lang::ZhCn)
                        ));
                        break;
                    }
                }
            }
            text.push_str(&format!(
                "{}范围内已有市级以上科技成果转化平台{zone_total}家",
                zone.name
            ));
            if !parts.is_empty() {
                text.push_str(&format!("，其中{}", parts.join("，")));
            }
            text.push('。');
        }
    }
    let others: Vec<String> = places
        .iter()
        .filter(|p| !p.2)
        .filter(|p| p.3 > 0)
        .map(|p| format!("{}{}家", p.0, p.3))
        .collect();
    if !others.is_empty() {
        if !input.zones.is_empty() {
            text.push_str("在其辐射带动下，其他区域相继步入孵化载体建设发展快车道，");
        }
        text.push_str(&others.join("，"));
        text.push('。');
    }
    paragraphs.push(text);
    Section {
        heading: "（二）区域布局逐步优化".into(),
        paragraphs,
    }
}

fn innovation(input: &AnnualInput) -> Section {
    let i = &input.innovation;
    let mut text = String::new();
    let mut ranked: Vec<(usize, &ChainTally)> = input
        .chains
        .iter()
        .enumerate()
        .filter(|(_, c)| c.incubatees > 0)
        .collect();
    ranked.sort_by(|a, b| b.1.incubatees.cmp(&a.1.incubatees).then(a.0.cmp(&b.0)));
    let mut top: Vec<(usize, &ChainTally)> = ranked.iter().take(4).copied().collect();
    top.sort_by_key(|(order, _)| *order);
    if !top.is_empty() {
        let names: Vec<&str> = top.iter().map(|(_, c)| c.name.as_str()).collect();
        let sum: i64 = top.iter().map(|(_, c)| c.incubatees).sum();
        text.push_str(&format!(
            "从在孵企业分类来看，{}等{}个领域在孵企业数量达到{}。",
            names.join("、"),
            top.len(),
            more_than(sum, "家", More::Duo)
        ));
        if let Some((_, largest)) = ranked.first() {
            text.push_str(&format!(
                "其中，{}领域在孵企业数量最多，占全部在孵企业比重{}。",
                largest.name,
                about_percent(largest.incubatees, i.incubatees)
            ));
        }
    }
    if input.has_reports() {
        text.push_str(&format!(
            "从人才集聚来看，全市孵化器在孵企业共有从业人员{}，其中市级以上高层次人才{}。",
            about(i.employees, "人"),
            more_than(i.high_level_talent, "人", More::Yu)
        ));
        text.push_str(&format!(
            "从创新产出来看，{}年，全市孵化器在孵企业专利申请数达{}，专利授权数{}。",
            input.year,
            more_than(i.patent_applications, "件", More::Duo),
            more_than(i.patent_grants, "件", More::Yu)
        ));
    }
    let k = &input.contracts;
    if k.contracts > 0 {
        text.push_str(&format!(
            "全年登记技术合同{}项，合同成交额{}，其中技术交易额{}。",
            k.contracts,
            crate::deal::amount_words(k.contract_amount_k),
            crate::deal::amount_words(k.tech_amount_k)
        ));
    }
    let p = &input.pilot;
    if p.bookings > 0 {
        text.push_str(&format!(
            "{}家单位开放共享中试线和大型仪器{}台（条），全年服务{}家次、使用{}次，实行“先用后付”，开具使用费{}",
            p.owners,
            p.resources,
            p.users,
            p.bookings,
            fen_words(p.billed_fen)
        ));
        if p.voucher_fen > 0 {
            text.push_str(&format!("，其中科技创新券抵扣{}", fen_words(p.voucher_fen)));
        }
        text.push('。');
    }
    text.push_str(&training_sentence(input));
    Section {
        heading: "（三）创新支撑能力显著增强".into(),
        paragraphs: vec![text],
    }
}

fn finance(input: &AnnualInput) -> Section {
    let total = count(&input.carriers, |_| true);
    let mut text = if input.has_reports() {
        format!(
            "全市{total}家双创孵化载体通过运用种子基金，引进天使投资、风险投资，推动知识价值信用贷款，为中小企业解决融资难问题。"
        )
    } else {
        String::new()
    };
    text.push_str(&credit_sentence(input));
    if input.funds_k > 0 {
        text.push_str(&format!(
            "通过科技金融深度融合，为各类在孵企业提供创业投资基金规模达到{}。",
            yuan_at_least(input.funds_k)
        ));
    }
    text.push_str(&capital_sentence(input));
    if !input.fund_names.is_empty() {
        text.push_str(&format!(
            "主要基金包括{}等。",
            input
                .fund_names
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    Section {
        heading: "（四）投融资体系更加完善".into(),
        paragraphs: vec![text],
    }
}

/// "2024年，平台登记各类基金投资企业86笔、金额9.35亿元，其中获得投资的在孵企业63家，占在孵企业的2.7%；6家载体设立种子基金，其中4家达到500万元以上。" — empty in a year
/// without recorded investments.
fn capital_sentence(input: &AnnualInput) -> String {
    let k = &input.capital;
    if k.investments <= 0 {
        return String::new();
    }
    let mut text = format!(
        "{}年，平台登记各类基金投资企业{}笔、金额{}",
        input.year,
        k.investments,
        fen_words(k.amount_fen)
    );
    if k.incubatees > 0 {
        let pct = crate::wording::percent(k.incubatees_financed, k.incubatees);
        text.push_str(&format!(
            "，其中获得投资的在孵企业{}家，占在孵企业的{pct}%",
            k.incubatees_financed
        ));
    }
    if k.seed_fund_carriers > 0 {
        text.push_str(&format!(
            "；{}家载体设立种子基金，其中{}家达到500万元以上",
            k.seed_fund_carriers, k.seed_fund_carriers_over_line
        ));
    }
    text.push('。');
    text
}

/// "全年开展孵化载体从业人员培训12场，培训486人次。" — empty in a year without courses.
fn training_sentence(input: &AnnualInput) -> String {
    let t = &input.training;
    if t.courses <= 0 {
        return String::new();
    }
    if t.attendances > 0 {
        format!(
            "全年开展孵化载体从业人员培训{}场，培训{}人次。",
            t.courses, t.attendances
        )
    } else {
        format!("全年开展孵化载体从业人员培训{}场。", t.courses)
    }
}

/// "全年推动知识价值信用贷款1.52亿元、惠及96家企业，完成30亿元目标任务的5.1%。" — in the reply's
/// words, with the year's amount and enterprises; the total so far when earlier years lent too;
/// empty in a year without loans.
fn credit_sentence(input: &AnnualInput) -> String {
    let k = &input.credit;
    if k.loans <= 0 || k.amount_fen <= 0 {
        return String::new();
    }
    let mut text = format!(
        "全年推动知识价值信用贷款{}、惠及{}家企业",
        fen_words(k.amount_fen),
        k.enterprises
    );
    if k.cumulative_fen > k.amount_fen {
        text.push_str(&format!(
            "，截至{}年底累计发放{}",
            input.year,
            fen_words(k.cumulative_fen)
        ));
    }
    if k.target_fen > 0 {
        let pct = crate::wording::percent(k.cumulative_fen.max(k.amount_fen), k.target_fen);
        let pct = if pct > 0.0 {
            format!("{pct}%")
        } else {
            "不足0.1%".to_string()
        };
        text.push_str(&format!("，完成{}目标任务的{pct}", fen_words(k.target_fen)));
    }
    text.push('。');
    text
}

fn spinoffs(input: &AnnualInput) -> Section {
    let mut paragraphs = Vec::new();
    for l in &input.lineages {
        let mut text = l.parent.clone();
        if !l.path.is_empty() {
            text.push_str(&format!("通过“{}”的发展路径，", l.path.join("-")));
        } else {
            text.push('，');
        }
        text.push_str("先后成功孵化出");
        if !l.notable.is_empty() {
            text.push_str(&l.notable.join("、"));
            text.push('等');
        }
        text.push_str(&format!(
            "{}新公司。",
            more_than(l.companies, "家", More::Duo)
        ));
        paragraphs.push(text);
    }
    if paragraphs.is_empty() {
        paragraphs.push("本年度尚无登记的裂变孵化项目。".into());
    }
    Section {
        heading: "（五）“裂变孵化”创新模式成效显著".into(),
        paragraphs,
    }
}

/// Writes the annual summary for `input.year`.
/// An amount in fen in the report's words: `35.6万元`, `1.2亿元`, or `8600元` under ten thousand.
fn fen_words(fen: i64) -> String {
    let yuan = fen / 100;
    if yuan < 10_000 {
        format!("{yuan}元")
    } else {
        crate::deal::amount_words(yuan / 1_000)
    }
}

pub fn write(input: &AnnualInput) -> AnnualReport {
    AnnualReport {
        title: format!(
            "{}科技成果转化平台体系{}年度发展情况",
            input.city, input.year
        ),
        sections: [
            scale(input),
            layout(input),
            innovation(input),
            finance(input),
            spinoffs(input),
        ]
        .into_iter()
        .map(|mut s| {
            // A paragraph with nothing to say is left out, and so is a section left empty.
            s.paragraphs.retain(|p| !p.trim().is_empty());
            s
        })
        .filter(|s| !s.paragraphs.is_empty())
        .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(
        kind: CarrierKind,
        level: Level,
        place: &str,
        in_zone: bool,
        order: &str,
        count: i64,
    ) -> CarrierTally {
        CarrierTally {
            kind,
            level: Some(level),
            place: place.into(),
            in_zone,
            place_order: order.into(),
            count,
        }
    }

    /// The seed's figures, counted, come out in the seed's words.
    #[test]
    fn the_seed_reads_back() {
        use CarrierKind::*;
        use Level::*;
        let z = "株洲国家高新区";
        let carriers = vec![
            tally(Incubator, National, z, true, "0", 4),
            tally(MakerSpace, National, z, true, "0", 7),
            tally(PilotBase, Provincial, z, true, "0", 6),
            tally(Incubator, Provincial, z, true, "0", 3),
            tally(MakerSpace, Provincial, z, true, "0", 8),
            tally(Incubator, Municipal, z, true, "0", 3),
            tally(Incubator, Provincial, "石峰区", false, "430204", 3),
            tally(MakerSpace, National, "石峰区", false, "430204", 1),
            tally(MakerSpace, Provincial, "石峰区", false, "430204", 8),
            tally(PilotBase, Provincial, "石峰区", false, "430204", 2),
            tally(Incubator, Municipal, "醴陵市", false, "430281", 7),
            tally(MakerSpace, Provincial, "芦淞区", false, "430203", 5),
            tally(SciencePark, Provincial, "荷塘区", false, "430202", 1),
            tally(MakerSpace, Provincial, "荷塘区", false, "430202", 3),
            tally(Incubator, Municipal, "攸县", false, "430223", 4),
            tally(Incubator, Municipal, "茶陵县", false, "430224", 3),
            tally(MakerSpace, Municipal, "炎陵县", false, "430225", 1),
        ];
        let input = AnnualInput {
            year: 2024,
            city: "株洲市".into(),
            carriers,
            zones: vec![ZoneFacts {
                name: z.into(),
                enterprises: 1537,
                top_chains: vec!["新能源".into(), "电子信息".into(), "医疗器械".into()],
            }],
            chains: vec![
                ChainTally {
                    name: "轨道交通".into(),
                    incubatees: 500,
                },
                ChainTally {
                    name: "新材料".into(),
                    incubatees: 420,
                },
                ChainTally {
                    name: "信息技术".into(),
                    incubatees: 330,
                },
                ChainTally {
                    name: "先进制造".into(),
                    incubatees: 805,
                },
                ChainTally {
                    name: "新能源".into(),
                    incubatees: 120,
                },
                ChainTally {
                    name: "电子信息".into(),
                    incubatees: 125,
                },
            ],
            innovation: Innovation {
                incubatees: 2300,
                employees: 34_870,
                high_level_talent: 318,
                patent_applications: 3046,
                patent_grants: 1062,
            },
            funds_k: 10_350_000,
            fund_names: vec!["北斗产业基金".into(), "启航基金".into()],
            lineages: vec![Lineage {
                parent: "中车株洲电力机车研究所有限公司".into(),
                path: vec![
                    "科研立项".into(),
                    "技术攻关".into(),
                    "产品研发".into(),
                    "事业部发展".into(),
                    "新公司成型".into(),
                ],
                notable: vec!["时代新材".into(), "中车电动".into()],
                companies: 12,
            }],
            contracts: ContractTally::default(),
            pilot: PilotTally::default(),
            credit: CreditTally::default(),
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2024],
        };
        let text = write(&input).text();
        assert!(
            text.contains("推动知识价值信用贷款，为中小企业解决融资难问题。"),
            "{text}"
        );
        assert!(!text.contains("惠及"), "no loans, no figures: {text}");
        for expected in [
            "截至2024年底，株洲市共有各级双创孵化载体69家",
            "省级以上孵化器10家，其中国家级孵化器4家，省级孵化器6家",
            "省级中试基地8家",
            "省级以上众创空间32家，其中国家级众创空间8家，省级众创空间24家",
            "此外还有一家省级大学科技园",
            "其余18家为市级及以下载体",
            "株洲国家高新区是全市密度最高的科技成果转化平台集聚区，已经累计引进企业1500多家，涉及新能源、电子信息、医疗器械等众多领域",
            "株洲国家高新区范围内已有市级以上科技成果转化平台31家，其中国家级科技企业孵化器4家，国家级众创空间7家，省级中试基地6家",
            "石峰区14家，醴陵市7家，芦淞区5家，荷塘区4家，攸县4家，茶陵县3家，炎陵县1家",
            "轨道交通、新材料、信息技术、先进制造等4个领域在孵企业数量达到2000多家",
            "先进制造领域在孵企业数量最多，占全部在孵企业比重约35%",
            "从业人员约3.5万人，其中市级以上高层次人才300余人",
            "专利申请数达3000多件，专利授权数1000余件",
            "创业投资基金规模达到100亿元以上",
            "通过“科研立项-技术攻关-产品研发-事业部发展-新公司成型”的发展路径，先后成功孵化出时代新材、中车电动等10多家新公司",
        ] {
            assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
        }
    }

    /// A year without approved reports says so, names the years that have them, and writes
    /// no figure it does not have (no "0家", no empty paragraph); what the year does have (its
    /// contracts) is still worded.
    #[test]
    fn a_year_without_approved_reports_says_so() {
        let mut input = AnnualInput {
            year: 2019,
            city: "株洲市".into(),
            carriers: Vec::new(),
            zones: Vec::new(),
            chains: Vec::new(),
            innovation: Innovation::default(),
            funds_k: 0,
            fund_names: Vec::new(),
            lineages: Vec::new(),
            contracts: ContractTally {
                contracts: 2,
                contract_amount_k: 5_300,
                tech_amount_k: 4_100,
            },
            pilot: PilotTally::default(),
            credit: CreditTally::default(),
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2020, 2021],
        };
        let report = write(&input);
        let text = report.text();
        assert!(
            text.contains("2019年尚无审核通过的载体年度报表，本年度载体、在孵企业和创新产出的数字暂缺；已有审核通过报表的年份：2020年、2021年。"),
            "{text}"
        );
        assert!(!text.contains("0家"), "{text}");
        assert!(!text.contains("从业人员"), "{text}");
        assert!(text.contains("全年登记技术合同2项"), "{text}");
        for s in &report.sections {
            assert!(!s.paragraphs.is_empty(), "{}", s.heading);
            assert!(s.paragraphs.iter().all(|p| !p.trim().is_empty()), "{text}");
        }
        input.approved_years.clear();
        assert!(
            write(&input)
                .text()
                .contains("平台上还没有任何年份的年度报表审核通过。")
        );
    }

    /// Registered technology contracts get one sentence, only when there are any.
    #[test]
    fn contracts_are_worded_when_there_are_any() {
        let mut input = AnnualInput {
            year: 2025,
            city: "株洲市".into(),
            carriers: Vec::new(),
            zones: Vec::new(),
            chains: Vec::new(),
            innovation: Innovation::default(),
            funds_k: 0,
            fund_names: Vec::new(),
            lineages: Vec::new(),
            contracts: ContractTally::default(),
            pilot: PilotTally::default(),
            credit: CreditTally::default(),
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2024],
        };
        assert!(!write(&input).text().contains("技术合同"));
        assert!(!write(&input).text().contains("中试线"));
        input.contracts = ContractTally {
            contracts: 3,
            contract_amount_k: 125_000,
            tech_amount_k: 98_500,
        };
        let text = write(&input).text();
        assert!(
            text.contains("全年登记技术合同3项，合同成交额1.25亿元，其中技术交易额9850万元。"),
            "{text}"
        );
        input.pilot = PilotTally {
            resources: 24,
            owners: 9,
            bookings: 412,
            users: 57,
            billed_fen: 35_678_900,
            voucher_fen: 42_000_000,
        };
        let text = write(&input).text();
        assert!(
            text.contains("9家单位开放共享中试线和大型仪器24台（条），全年服务57家次、使用412次，实行“先用后付”，开具使用费35.6万元，其中科技创新券抵扣42万元。"),
            "{text}"
        );
    }

    /// Knowledge-value loans get the reply's words with the year's amount and enterprises (and
    /// the progress against the target) only in a year that had loans: never "0家".
    #[test]
    fn credit_loans_are_worded_when_the_year_had_any() {
        let mut input = AnnualInput {
            year: 2025,
            city: "株洲市".into(),
            carriers: Vec::new(),
            zones: Vec::new(),
            chains: Vec::new(),
            innovation: Innovation::default(),
            funds_k: 10_350_000,
            fund_names: Vec::new(),
            lineages: Vec::new(),
            contracts: ContractTally::default(),
            pilot: PilotTally::default(),
            credit: CreditTally {
                target_fen: 300_000_000_000,
                ..CreditTally::default()
            },
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2024],
        };
        let text = write(&input).text();
        assert!(!text.contains("知识价值信用贷款"), "{text}");
        assert!(!text.contains("0家"), "{text}");
        input.credit = CreditTally {
            loans: 101,
            enterprises: 98,
            amount_fen: 15_230_000_000,
            cumulative_fen: 15_230_000_000,
            target_fen: 300_000_000_000,
        };
        let report = write(&input);
        let finance = report
            .sections
            .iter()
            .find(|s| s.heading == "（四）投融资体系更加完善")
            .expect("§（四）");
        assert_eq!(
            finance.paragraphs,
            vec![
                "全年推动知识价值信用贷款1.52亿元、惠及98家企业，完成30亿元目标任务的5.1%。\
                 通过科技金融深度融合，为各类在孵企业提供创业投资基金规模达到100亿元以上。"
                    .to_string()
            ]
        );
        // A later year says what was lent so far; a small year in 万元.
        input.year = 2026;
        input.credit = CreditTally {
            loans: 3,
            enterprises: 2,
            amount_fen: 356_000_000,
            cumulative_fen: 15_586_000_000,
            target_fen: 300_000_000_000,
        };
        let text = write(&input).text();
        assert!(
            text.contains("全年推动知识价值信用贷款356万元、惠及2家企业，截至2026年底累计发放1.56亿元，完成30亿元目标任务的5.2%。"),
            "{text}"
        );
        // With approved reports, after the reply's own sentence.
        input.approved_years = vec![2026];
        input.carriers = vec![CarrierTally {
            kind: CarrierKind::Incubator,
            level: Some(Level::National),
            place: "天元区".into(),
            in_zone: false,
            place_order: "430211".into(),
            count: 69,
        }];
        let text = write(&input).text();
        assert!(
            text.contains("推动知识价值信用贷款，为中小企业解决融资难问题。全年推动知识价值信用贷款356万元、惠及2家企业"),
            "{text}"
        );
    }

    /// The year's investments are worded from the records, only in a year that had any.
    #[test]
    fn investments_are_worded_when_the_year_had_any() {
        let mut input = AnnualInput {
            year: 2024,
            city: "株洲市".into(),
            carriers: Vec::new(),
            zones: Vec::new(),
            chains: Vec::new(),
            innovation: Innovation::default(),
            funds_k: 10_350_000,
            fund_names: Vec::new(),
            lineages: Vec::new(),
            contracts: ContractTally::default(),
            pilot: PilotTally::default(),
            credit: CreditTally::default(),
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2024],
        };
        assert!(!write(&input).text().contains("基金投资企业"));
        input.capital = CapitalTally {
            investments: 86,
            amount_fen: 93_500 * 10_000 * 100,
            incubatees: 2_300,
            incubatees_financed: 63,
            seed_fund_carriers: 6,
            seed_fund_carriers_over_line: 3,
        };
        let text = write(&input).text();
        assert!(
            text.contains("2024年，平台登记各类基金投资企业86笔、金额9.35亿元，其中获得投资的在孵企业63家，占在孵企业的2.7%；6家载体设立种子基金，其中3家达到500万元以上。"),
            "{text}"
        );
        assert!(text.contains("创业投资基金规模达到100亿元以上"), "{text}");
    }

    #[test]
    fn the_years_staff_training_is_one_sentence_or_none() {
        let mut input = AnnualInput {
            year: 2024,
            city: "株洲市".into(),
            carriers: Vec::new(),
            zones: Vec::new(),
            chains: Vec::new(),
            innovation: Innovation::default(),
            funds_k: 0,
            fund_names: Vec::new(),
            lineages: Vec::new(),
            contracts: ContractTally::default(),
            pilot: PilotTally::default(),
            credit: CreditTally::default(),
            capital: CapitalTally::default(),
            training: TrainingTally::default(),
            approved_years: vec![2024],
        };
        assert!(!write(&input).text().contains("从业人员培训"));
        input.training = TrainingTally {
            courses: 12,
            attendances: 486,
        };
        let text = write(&input).text();
        assert!(
            text.contains("全年开展孵化载体从业人员培训12场，培训486人次。"),
            "{text}"
        );
    }
}
