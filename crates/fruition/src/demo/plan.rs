//! The demo data set, planned in memory from a fixed seed before anything is written: pure, the
//! same on every run, and checkable without a database.
//!
//! Everything is synthetic except the organisations the bureau's reply names (the bureau, 中南大学,
//! 武汉大学, the three spin-off parents and their named spin-offs, 启航基金 and 北斗产业基金); the
//! synthetic ones have plausible fictional names (`names`), and invented results belong to the
//! fictional institutions ([`names::INSTITUTIONS`]), never to the real ones.
//! The figures of 2024 are the reply's: 69 carriers laid out as it lays them out; 2,300
//! incubatees in approved reports (35% in advanced manufacturing) employing 34,870 people with
//! 318 high-level talents, 3,046 patent applications and 1,062 grants; 1,537 enterprises in the
//! high-tech zone, most in new energy, electronic information and medical devices; venture funds
//! of 10,350,000 千元 (103.5 亿元); and the three spin-off lineages.

use fruition_domain::carrier::{CarrierKind, Level};
use fruition_domain::fund::FundKind;
use fruition_domain::indicators::Indicators;
use fruition_domain::reference;
use fruition_domain::uscc::{check_char, org_code_check_char};
use fruition_store::reports::CarrierFigures;
use rand::rngs::StdRng;

use super::names;
use rand::{Rng, SeedableRng};

/// The seed every run starts from.
pub const SEED: u64 = 20_241_231;
pub const FIRST_YEAR: i64 = 2020;
pub const LAST_YEAR: i64 = 2024;

/// The figures of 2024 the data set reproduces.
pub const CARRIERS_2024: usize = 69;
pub const INCUBATEES_2024: usize = 2_300;
pub const EMPLOYEES_2024: i64 = 34_870;
pub const TALENT_2024: i64 = 318;
pub const PATENT_APPLICATIONS_2024: i64 = 3_046;
pub const PATENT_GRANTS_2024: i64 = 1_062;
pub const ZONE_ENTERPRISES: usize = 1_537;
pub const FUNDS_FOR_INCUBATEES_K: i64 = 10_350_000;

/// The functional zone the high-tech zone's carriers and enterprises are in.
pub const ZONE_CODE: &str = "zz_hitech";
const ZONE_COUNTY: &str = "430211";

pub const ADV: &str = "advanced_manufacturing";
pub const RAIL: &str = "rail_transit";
pub const MAT: &str = "new_materials";
pub const IT: &str = "information_technology";
pub const NE: &str = "new_energy";
pub const EI: &str = "electronic_information";
pub const MD: &str = "medical_devices";
pub const AV: &str = "aviation";
pub const CE: &str = "ceramics";
pub const CC: &str = "cemented_carbide";
const BIG4: [&str; 4] = [ADV, RAIL, MAT, IT];

/// 2024 incubatees of approved reports by chain: at the zone's carriers and at the others.
const ZONE_2024: [(&str, usize); 10] = [
    (ADV, 80),
    (RAIL, 50),
    (MAT, 62),
    (IT, 70),
    (NE, 60),
    (EI, 52),
    (MD, 40),
    (AV, 22),
    (CE, 0),
    (CC, 14),
];
const OTHER_2024: [(&str, usize); 10] = [
    (ADV, 725),
    (RAIL, 450),
    (MAT, 358),
    (IT, 260),
    (NE, 10),
    (EI, 8),
    (MD, 5),
    (AV, 3),
    (CE, 25),
    (CC, 6),
];

/// What becomes of a carrier's 2024 report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    /// Submitted, waiting for the bureau.
    Submitted,
    /// Returned to the carrier with a comment.
    Returned,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPlan {
    pub name: String,
    pub uscc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierPlan {
    pub name: String,
    pub kind: CarrierKind,
    /// Index into [`Plan::operators`].
    pub operator: usize,
    pub county: &'static str,
    pub in_zone: bool,
    pub address: String,
    pub floor_area_m2: i64,
    pub focus_chains: String,
    pub established_year: i64,
    /// (level, year granted), oldest first.
    pub ratings: Vec<(Level, i64)>,
    /// (date, reason).
    pub revoked: Option<(String, String)>,
    pub outcome_2024: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterprisePlan {
    pub name: String,
    pub uscc: String,
    pub founded_on: Option<String>,
    pub county: &'static str,
    pub in_zone: bool,
    pub chain: &'static str,
    pub division: String,
    pub high_tech: bool,
    pub tech_sme: bool,
    /// Index of the parent enterprise (spin-offs).
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitPlan {
    pub on: String,
    pub year: i64,
    /// `graduated` or `left`.
    pub kind: &'static str,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpellPlan {
    pub enterprise: usize,
    pub carrier: usize,
    pub entered_on: String,
    pub entered_year: i64,
    pub exit: Option<ExitPlan>,
}

impl SpellPlan {
    fn covers(&self, year: i64) -> bool {
        self.entered_year <= year && self.exit.as_ref().is_none_or(|x| x.year >= year)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPlan {
    pub carrier: usize,
    pub year: i64,
    pub figures: CarrierFigures,
    /// (enterprise index, figures), in enterprise order.
    pub rows: Vec<(usize, Indicators)>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundPlan {
    pub name: String,
    pub kind: FundKind,
    /// Index into [`Plan::investors`]; a carrier's seed fund is managed by the carrier's operator.
    pub manager: usize,
    pub size_k: i64,
    /// What the government committed (千元): a guidance fund's own money, a sub-fund's part from it.
    pub government_k: i64,
    /// A sub-fund's guidance fund (index into [`Plan::funds`]) and what it put in (千元).
    pub parent: Option<(usize, i64)>,
    /// A carrier's own seed fund (index into [`Plan::carriers`]).
    pub carrier: Option<usize>,
    pub for_incubatees: bool,
    pub established_year: i64,
}

impl Plan {
    /// The venture capital available to incubatees at the end of `year` (千元), as the annual
    /// report counts it: funds open to them and established by then, a sub-fund counting only
    /// what its guidance fund did not put in.
    pub fn capital_k(&self, year: i64) -> i64 {
        self.funds
            .iter()
            .filter(|f| f.for_incubatees && f.established_year <= year)
            .map(|f| f.size_k - f.parent.map_or(0, |(_, from)| from))
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectPlan {
    pub name: String,
    pub notable: bool,
    /// (stage position, date reached), from position 1 (the start).
    pub milestones: Vec<(i64, String)>,
    /// The enterprise it became.
    pub enterprise: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineagePlan {
    pub parent: usize,
    pub stages: Vec<String>,
    pub projects: Vec<ProjectPlan>,
}

/// The whole data set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub operators: Vec<OrgPlan>,
    /// Fictional universities and institutes: the demo institution user's first; the market's
    /// achievements and experts and the shared instruments are theirs.
    pub institutions: Vec<OrgPlan>,
    /// The real universities the reply names as partners (中南大学, 武汉大学): organisations only,
    /// with nothing invented credited to them.
    pub partners: Vec<OrgPlan>,
    pub investors: Vec<OrgPlan>,
    /// Service agencies (知识产权、财税、法律…) that offer one-stop services.
    pub agencies: Vec<OrgPlan>,
    pub bank: OrgPlan,
    pub carriers: Vec<CarrierPlan>,
    pub enterprises: Vec<EnterprisePlan>,
    /// In the order they are written: each enterprise's spells together, oldest first.
    pub spells: Vec<SpellPlan>,
    /// By year, then carrier.
    pub reports: Vec<ReportPlan>,
    pub funds: Vec<FundPlan>,
    pub lineages: Vec<LineagePlan>,
    /// The operator the demo carrier manager works for (it runs several carriers, one in the zone).
    pub demo_operator: usize,
    /// The 2024 incubatee whose organisation the demo enterprise user belongs to.
    pub demo_enterprise: usize,
}

struct Spec {
    county: &'static str,
    zone: bool,
    kind: CarrierKind,
    level: Level,
    n: usize,
    /// Established in these years (the last carriers of the spec): newer carriers, so the
    /// registry grows over the years.
    young: &'static [i64],
    /// The 2024 reports of the first carriers of the spec that are not approved yet.
    pending: &'static [Outcome],
}

const fn spec(
    county: &'static str,
    kind: CarrierKind,
    level: Level,
    n: usize,
    young: &'static [i64],
) -> Spec {
    Spec {
        county,
        zone: false,
        kind,
        level,
        n,
        young,
        pending: &[],
    }
}

use CarrierKind::{Incubator, MakerSpace, PilotBase, SciencePark};
use Level::{Municipal, National, Provincial};

const SPECS: [Spec; 20] = [
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, Incubator, National, 4, &[])
    },
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, Incubator, Provincial, 3, &[])
    },
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, Incubator, Municipal, 3, &[2022])
    },
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, MakerSpace, National, 7, &[])
    },
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, MakerSpace, Provincial, 8, &[2021])
    },
    Spec {
        zone: true,
        ..spec(ZONE_COUNTY, PilotBase, Provincial, 6, &[2021])
    },
    spec("430204", Incubator, Provincial, 3, &[]),
    spec("430204", MakerSpace, National, 1, &[]),
    spec("430204", MakerSpace, Provincial, 8, &[2022]),
    spec("430204", PilotBase, Provincial, 2, &[]),
    Spec {
        pending: &[Outcome::Returned],
        ..spec("430281", Incubator, Municipal, 4, &[2021])
    },
    spec("430281", MakerSpace, Municipal, 3, &[2023]),
    spec("430203", MakerSpace, Provincial, 5, &[2021]),
    spec("430202", SciencePark, Provincial, 1, &[]),
    spec("430202", MakerSpace, Provincial, 3, &[]),
    Spec {
        pending: &[Outcome::Submitted],
        ..spec("430223", Incubator, Municipal, 2, &[])
    },
    spec("430223", MakerSpace, Municipal, 2, &[2022]),
    Spec {
        pending: &[Outcome::Submitted],
        ..spec("430224", Incubator, Municipal, 2, &[])
    },
    spec("430224", MakerSpace, Municipal, 1, &[2023]),
    spec("430225", MakerSpace, Municipal, 1, &[]),
];

/// The carrier revoked in 2022 (counted until 2021, not in 2024).
const REVOKED_ON: &str = "2022-03-31";
const REVOKED_REASON: &str = "2021年底停止运营，经复核撤销市级众创空间认定";
const REVOKED_CLOSING: &str = "2021-12-31";

fn place_label(county: &str, zone: bool) -> &'static str {
    if zone {
        return "高新区";
    }
    match county {
        "430202" => "荷塘区",
        "430203" => "芦淞区",
        "430204" => "石峰区",
        "430211" => "天元区",
        "430223" => "攸县",
        "430224" => "茶陵县",
        "430225" => "炎陵县",
        "430281" => "醴陵市",
        _ => "株洲市",
    }
}

/// A street of `county` for a carrier's address (the `n`-th of its kind).
fn street(county: &str, n: usize) -> &'static str {
    let streets: &[&str] = match county {
        "430202" => &["新华东路", "红港路", "金山路", "钟鼓岭路"],
        "430203" => &["建设南路", "人民南路", "董家塅大道", "芦淞路"],
        "430204" => &["田心大道", "响石路", "红旗北路", "清水塘路"],
        "430211" => &[
            "珠江北路",
            "黄河南路",
            "长江南路",
            "泰山路",
            "株洲大道",
            "栗雨路",
        ],
        "430223" => &["攸州大道", "联星路"],
        "430224" => &["洣江大道", "云阳路"],
        "430225" => &["神农大道", "霞阳路"],
        "430281" => &["瓷城大道", "陶瓷大道", "渌江路"],
        _ => &["株洲大道"],
    };
    streets[n % streets.len()]
}

fn kind_label(kind: CarrierKind) -> &'static str {
    match kind {
        Incubator => "孵化器",
        MakerSpace => "众创空间",
        PilotBase => "中试基地",
        SciencePark => "大学科技园",
        CarrierKind::Other => "载体",
    }
}

/// A valid synthetic unified social credit code: registered in `county`, organisation code
/// body `DM` + six digits (so it reads as demo data), both check characters right.
pub fn uscc(county: &str, n: u32) -> String {
    let body = format!("DM{:06}", n % 1_000_000);
    let org_check = org_code_check_char(&body).unwrap_or('0');
    let first17 = format!("91{county}{body}{org_check}");
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn date(year: i64, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// Adds months to (year, month).
fn add_months(year: i64, month: u32, months: u32) -> (i64, u32) {
    let total = year * 12 + i64::from(month) - 1 + i64::from(months);
    (total / 12, (total % 12) as u32 + 1)
}

/// Picks an index with probability proportional to its weight (all weights ≥ 0, some > 0).
fn weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// A Poisson draw (Knuth; fine for the small means used here).
fn poisson(rng: &mut StdRng, lambda: f64) -> i64 {
    if lambda <= 0.0 {
        return 0;
    }
    let l = (-lambda).exp();
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.random::<f64>();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

fn binomial(rng: &mut StdRng, n: i64, p: f64) -> i64 {
    (0..n).filter(|_| rng.random_bool(p)).count() as i64
}

/// Splits `total` over weights exactly (largest remainder; ties to the lower index).
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if total == 0 || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = quotas[a] - quotas[a].floor();
        let fb = quotas[b] - quotas[b].floor();
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let missing = total - out.iter().sum::<usize>();
    for &i in order.iter().filter(|&&i| weights[i] > 0.0).take(missing) {
        out[i] += 1;
    }
    out
}

/// Moves values by one, at random, until they sum to `target`, each staying within its bounds.
fn hit_total(rng: &mut StdRng, values: &mut [i64], lower: &[i64], upper: &[i64], target: i64) {
    let mut diff = target - values.iter().sum::<i64>();
    let room: i64 = if diff > 0 {
        values.iter().zip(upper).map(|(v, u)| u - v).sum()
    } else {
        values.iter().zip(lower).map(|(v, l)| v - l).sum()
    };
    assert!(
        room >= diff.abs(),
        "cannot reach {target}: no room to move {diff}"
    );
    while diff != 0 {
        let i = rng.random_range(0..values.len());
        if diff > 0 && values[i] < upper[i] {
            values[i] += 1;
            diff -= 1;
        } else if diff < 0 && values[i] > lower[i] {
            values[i] -= 1;
            diff += 1;
        }
    }
}

/// How an enterprise grows: people at its first entry, yearly growth, revenue per person.
#[derive(Debug, Clone, Copy)]
struct Growth {
    first_year: i64,
    size0: f64,
    growth: f64,
    revenue_per_person_k: f64,
    patent_rate: f64,
}

impl Growth {
    fn employees(&self, year: i64, scale: f64) -> i64 {
        let years = (year - self.first_year).max(0) as i32;
        ((self.size0 * scale * self.growth.powi(years)).round() as i64).max(1)
    }
}

struct Builder {
    rng: StdRng,
    next_code: u32,
    plan: Plan,
    growth: Vec<Growth>,
    divisions: Vec<(&'static str, Vec<&'static str>)>,
}

impl Builder {
    fn code(&mut self, county: &str) -> String {
        self.next_code += 1;
        uscc(county, self.next_code)
    }

    fn division(&mut self, chain: &str) -> String {
        let divisions = self
            .divisions
            .iter()
            .find(|(c, _)| *c == chain)
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        if divisions.is_empty() {
            return String::new();
        }
        divisions[self.rng.random_range(0..divisions.len())].to_string()
    }

    /// A founding date some years before `year` (and not after `not_after`).
    fn founded(&mut self, year: i64, not_after: &str) -> String {
        let y = year - self.rng.random_range(0..=3);
        let d = date(
            y,
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28),
        );
        if d.as_str() > not_after {
            not_after.to_string()
        } else {
            d
        }
    }

    /// A synthetic enterprise (named later, in creation order), growing from `first_year`.
    fn enterprise(
        &mut self,
        chain: &'static str,
        county: &'static str,
        in_zone: bool,
        founded_on: Option<String>,
        first_year: i64,
    ) -> usize {
        let uscc = self.code(county);
        let division = self.division(chain);
        let high_tech = self.rng.random_bool(0.18);
        let tech_sme = high_tech || self.rng.random_bool(0.4);
        self.plan.enterprises.push(EnterprisePlan {
            name: String::new(),
            uscc,
            founded_on,
            county,
            in_zone,
            chain,
            division,
            high_tech,
            tech_sme,
            parent: None,
        });
        let u: f64 = self.rng.random();
        self.growth.push(Growth {
            first_year,
            size0: 2.0 + 20.0 * u * u,
            growth: 1.04 + 0.24 * self.rng.random::<f64>(),
            revenue_per_person_k: 60.0 + 380.0 * self.rng.random::<f64>(),
            patent_rate: 0.4 + 1.2 * self.rng.random::<f64>(),
        });
        self.plan.enterprises.len() - 1
    }
}

impl Plan {
    /// Whether enterprise `i` is one of the synthetic incubatees and zone firms (not a spin-off
    /// parent the reply names, nor a spin-off).
    pub fn is_plain_firm(&self, i: usize) -> bool {
        self.enterprises[i].parent.is_none() && !self.lineages.iter().any(|l| l.parent == i)
    }
}

/// Plans the whole data set.
pub fn build() -> Plan {
    let divisions = reference::default_chains()
        .iter()
        .map(|c| (c.code, c.divisions.clone()))
        .collect();
    let mut b = Builder {
        rng: StdRng::seed_from_u64(SEED),
        next_code: 0,
        plan: Plan {
            operators: Vec::new(),
            institutions: names::INSTITUTIONS
                .iter()
                .map(|n| OrgPlan {
                    name: (*n).into(),
                    uscc: None,
                })
                .collect(),
            partners: ["中南大学", "武汉大学"]
                .iter()
                .map(|n| OrgPlan {
                    name: (*n).into(),
                    uscc: None,
                })
                .collect(),
            investors: Vec::new(),
            agencies: Vec::new(),
            bank: OrgPlan {
                name: String::new(),
                uscc: None,
            },
            carriers: Vec::new(),
            enterprises: Vec::new(),
            spells: Vec::new(),
            reports: Vec::new(),
            funds: Vec::new(),
            lineages: Vec::new(),
            demo_operator: 0,
            demo_enterprise: 0,
        },
        growth: Vec::new(),
        divisions,
    };
    carriers(&mut b);
    let demo_enterprise = incubatees(&mut b);
    lineages(&mut b);
    zone_extras(&mut b);
    name_all(&mut b);
    indicators(&mut b);
    funds(&mut b);
    agencies(&mut b);
    b.plan.demo_enterprise = demo_enterprise;
    b.plan
}

// ---------------------------------------------------------------------------------------------
// Carriers
// ---------------------------------------------------------------------------------------------

/// A carrier's establishment year and rating history ending at `level`.
fn history(
    rng: &mut StdRng,
    kind: CarrierKind,
    level: Level,
    young: Option<i64>,
) -> (i64, Vec<(Level, i64)>) {
    if let Some(y) = young {
        let ratings = match (kind, level) {
            (PilotBase, _) => vec![(Provincial, (y + 2).min(LAST_YEAR))],
            (_, Provincial) => vec![(Municipal, y), (Provincial, (y + 2).min(LAST_YEAR))],
            _ => vec![(Municipal, (y + 1).min(LAST_YEAR))],
        };
        return (y, ratings);
    }
    let mut r = |lo: i64, hi: i64| rng.random_range(lo..=hi.max(lo));
    match (kind, level) {
        (Incubator, National) => {
            let est = r(2006, 2012);
            let prov = r(est + 3, est + 5);
            let nat = r((prov + 2).max(2014), 2023);
            (
                est,
                vec![(Municipal, est + 1), (Provincial, prov), (National, nat)],
            )
        }
        (Incubator, Provincial) => {
            let est = r(2010, 2018);
            let prov = r(est + 3, 2024);
            (est, vec![(Municipal, est + 1), (Provincial, prov)])
        }
        (MakerSpace, National) => {
            let est = r(2015, 2017);
            let prov = r(est + 1, est + 3);
            let nat = r(prov + 1, 2023);
            (est, vec![(Provincial, prov), (National, nat)])
        }
        (MakerSpace, Provincial) => {
            let est = r(2015, 2019);
            let prov = r(est + 1, 2024);
            if prov > est + 1 {
                (est, vec![(Municipal, est + 1), (Provincial, prov)])
            } else {
                (est, vec![(Provincial, prov)])
            }
        }
        (PilotBase, _) => {
            let est = r(2012, 2019);
            (est, vec![(Provincial, r(est.max(2017) + 1, 2023))])
        }
        (SciencePark, _) => (2013, vec![(Provincial, 2016)]),
        (_, _) => {
            let est = r(2012, 2019);
            (est, vec![(Municipal, est + 1)])
        }
    }
}

fn carriers(b: &mut Builder) {
    let mut numbers: Vec<(CarrierKind, usize)> = Vec::new();
    let mut next_number = |kind: CarrierKind| match numbers.iter_mut().find(|(k, _)| *k == kind) {
        Some((_, n)) => {
            *n += 1;
            *n
        }
        None => {
            numbers.push((kind, 1));
            1
        }
    };
    let mut specs: Vec<(&Spec, usize)> = Vec::new();
    for s in &SPECS {
        for i in 0..s.n {
            specs.push((s, i));
        }
    }
    for (s, i) in specs {
        let young_from = s.n - s.young.len();
        let young = (i >= young_from).then(|| s.young[i - young_from]);
        let (established_year, ratings) = history(&mut b.rng, s.kind, s.level, young);
        let number = next_number(s.kind);
        let outcome_2024 = s.pending.get(i).copied().unwrap_or(Outcome::Approved);
        let floor_area_m2 = match s.kind {
            Incubator => b.rng.random_range(8..=40) * 1000,
            MakerSpace => b.rng.random_range(6..=50) * 100,
            PilotBase => b.rng.random_range(3..=20) * 1000,
            _ => 32_000,
        };
        let place = place_label(s.county, s.zone);
        b.plan.carriers.push(CarrierPlan {
            // Named at the end (`name_all`), once its focus is known.
            name: format!("{}{number:02}（{place}）", kind_label(s.kind)),
            kind: s.kind,
            operator: 0,
            county: s.county,
            in_zone: s.zone,
            address: format!(
                "株洲市{}{}{}号",
                place_label(s.county, false),
                street(s.county, number),
                b.rng.random_range(1..=399)
            ),
            floor_area_m2,
            focus_chains: String::new(),
            established_year,
            ratings,
            revoked: None,
            outcome_2024,
        });
    }
    // One more maker space, revoked in 2022.
    let number = next_number(MakerSpace);
    b.plan.carriers.push(CarrierPlan {
        name: format!("众创空间{number:02}（芦淞区）"),
        kind: MakerSpace,
        operator: 0,
        county: "430203",
        in_zone: false,
        address: "株洲市芦淞区建设南路88号".into(),
        floor_area_m2: 1200,
        focus_chains: String::new(),
        established_year: 2016,
        ratings: vec![(Municipal, 2017)],
        revoked: Some((REVOKED_ON.into(), REVOKED_REASON.into())),
        outcome_2024: Outcome::Approved,
    });

    // Operators: the demo carrier manager's runs a national incubator and a national maker space
    // in the zone and a provincial incubator in 石峰区; the others run one to three carriers each.
    let first_of = |plan: &Plan, county: &str, zone: bool, kind: CarrierKind| {
        plan.carriers
            .iter()
            .position(|c| c.county == county && c.in_zone == zone && c.kind == kind)
            .expect("a carrier of that kind there")
    };
    let demo_carriers = [
        first_of(&b.plan, ZONE_COUNTY, true, Incubator),
        first_of(&b.plan, ZONE_COUNTY, true, MakerSpace),
        first_of(&b.plan, "430204", false, Incubator),
    ];
    let mut operators = vec![usize::MAX; b.plan.carriers.len()];
    for c in demo_carriers {
        operators[c] = 0;
    }
    let mut count = 1;
    let mut left_in_chunk = 0;
    for op in operators.iter_mut().filter(|o| **o == usize::MAX) {
        if left_in_chunk == 0 {
            count += 1;
            left_in_chunk = b.rng.random_range(1..=3);
        }
        *op = count - 1;
        left_in_chunk -= 1;
    }
    for (i, c) in b.plan.carriers.iter_mut().enumerate() {
        c.operator = operators[i];
    }
    for i in 0..count {
        let county = b
            .plan
            .carriers
            .iter()
            .find(|c| c.operator == i)
            .map(|c| c.county)
            .unwrap_or(ZONE_COUNTY);
        let uscc = Some(b.code(county));
        b.plan.operators.push(OrgPlan {
            // Named at the end (`name_all`).
            name: String::new(),
            uscc,
        });
    }
    b.plan.demo_operator = 0;
}

// ---------------------------------------------------------------------------------------------
// Incubatees and their spells
// ---------------------------------------------------------------------------------------------

fn carrier_weight(rng: &mut StdRng, c: &CarrierPlan) -> f64 {
    let kind = match c.kind {
        Incubator => 1.6,
        MakerSpace => 0.9,
        PilotBase => 0.45,
        _ => 1.2,
    };
    let level = match c.ratings.last().map(|r| r.0) {
        Some(National) => 1.3,
        Some(Provincial) => 1.0,
        _ => 0.8,
    };
    let age = match c.established_year {
        2023 => 0.35,
        2022 => 0.55,
        2021 => 0.75,
        _ => 1.0,
    };
    kind * level * age * rng.random_range(0.8..1.2)
}

fn affinity(c: &CarrierPlan, chain: &str) -> f64 {
    let restricted = |county: &str| {
        if c.in_zone || c.county == county {
            1.0
        } else {
            0.0
        }
    };
    let place = match chain {
        AV => restricted("430203"),
        CE => restricted("430281"),
        CC => restricted("430202"),
        RAIL if c.county == "430204" => 3.0,
        MAT if c.county == "430281" || c.county == "430202" => 1.5,
        ADV if c.county == "430203" || c.county == "430223" || c.county == "430224" => 1.3,
        _ => 1.0,
    };
    let kind = match (c.kind, chain) {
        (PilotBase, ADV | MAT) => 1.5,
        (PilotBase, IT) => 0.3,
        (SciencePark, IT) => 2.0,
        _ => 1.0,
    };
    place * kind
}

/// The entry year of a 2024 incubatee: recent years likelier, not before the carrier existed.
fn entry_year_2024(rng: &mut StdRng, est: i64) -> i64 {
    const W: [f64; 6] = [30.0, 26.0, 20.0, 13.0, 7.0, 4.0];
    let years: Vec<i64> = (0..W.len() as i64).map(|k| LAST_YEAR - k).collect();
    let weights: Vec<f64> = years
        .iter()
        .zip(W)
        .map(|(y, w)| if *y >= est { w } else { 0.0 })
        .collect();
    years[weighted(rng, &weights)]
}

fn exit_reason(rng: &mut StdRng) -> String {
    const REASONS: [&str; 5] = [
        "迁出株洲市",
        "经营调整，主动退出孵化",
        "企业注销",
        "被其他企业并购",
        "未续签孵化协议",
    ];
    REASONS[rng.random_range(0..REASONS.len())].into()
}

/// Places every incubatee; returns the enterprise the demo enterprise user belongs to.
fn incubatees(b: &mut Builder) -> usize {
    // 2024 slots by carrier: chains apportioned over the zone's carriers and over the others.
    let n = b.plan.carriers.len();
    let weights: Vec<f64> = (0..n)
        .map(|i| carrier_weight(&mut b.rng, &b.plan.carriers[i]))
        .collect();
    let mut slots: Vec<Vec<&'static str>> = vec![Vec::new(); n];
    for (zone, totals) in [(true, ZONE_2024), (false, OTHER_2024)] {
        let pool: Vec<usize> = (0..n)
            .filter(|&i| {
                let c = &b.plan.carriers[i];
                c.in_zone == zone && c.revoked.is_none() && c.outcome_2024 == Outcome::Approved
            })
            .collect();
        for (chain, total) in totals {
            let w: Vec<f64> = pool
                .iter()
                .map(|&i| weights[i] * affinity(&b.plan.carriers[i], chain))
                .collect();
            for (k, count) in apportion(total, &w).into_iter().enumerate() {
                slots[pool[k]].extend(std::iter::repeat_n(chain, count));
            }
        }
    }
    for (i, s) in slots.iter_mut().enumerate() {
        let c = &b.plan.carriers[i];
        if c.outcome_2024 != Outcome::Approved {
            let count = b.rng.random_range(12..=20);
            for _ in 0..count {
                s.push(BIG4[b.rng.random_range(0..4)]);
            }
        }
    }
    // Focus chains: the carrier's two or three largest chains.
    for (i, s) in slots.iter().enumerate() {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for ch in s {
            match counts.iter_mut().find(|(c, _)| c == ch) {
                Some((_, k)) => *k += 1,
                None => counts.push((ch, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let take = if counts.len() > 2 && counts[2].1 * 4 >= counts[0].1 {
            3
        } else {
            2
        };
        let mut focus: Vec<&str> = counts.iter().take(take).map(|(c, _)| *c).collect();
        if focus.is_empty() {
            focus = vec![ADV, MAT];
        }
        b.plan.carriers[i].focus_chains = focus.join(",");
    }

    struct Slot {
        carrier: usize,
        chain: &'static str,
        year: i64,
        enterprise: Option<usize>,
    }
    struct Leaver {
        spell: usize,
        chain: &'static str,
        carrier: usize,
    }
    let mut cohort: Vec<Slot> = Vec::new();
    for (i, s) in slots.iter().enumerate() {
        let est = b.plan.carriers[i].established_year;
        for &chain in s {
            let year = entry_year_2024(&mut b.rng, est);
            cohort.push(Slot {
                carrier: i,
                chain,
                year,
                enterprise: None,
            });
        }
    }

    // Those who left before 2024: graduated or gone, a few of them to come back elsewhere.
    let mut spells: Vec<SpellPlan> = Vec::new();
    let mut leavers: Vec<Leaver> = Vec::new();
    const RATE: [(i64, f64); 4] = [(2020, 0.15), (2021, 0.18), (2022, 0.21), (2023, 0.24)];
    for (i, carrier_slots) in slots.iter().enumerate() {
        let c = b.plan.carriers[i].clone();
        let revoked = c.revoked.is_some();
        let base = if revoked {
            18.0
        } else {
            carrier_slots.len() as f64
        };
        let chains: Vec<&'static str> = if carrier_slots.is_empty() {
            BIG4.to_vec()
        } else {
            carrier_slots.clone()
        };
        for (x, rate) in RATE {
            if x < c.established_year || (revoked && x > 2021) {
                continue;
            }
            let young = match x - c.established_year {
                0 => 0.2,
                1 => 0.6,
                _ => 1.0,
            };
            let mut count = (base * rate * young).round() as usize;
            if revoked && x == 2021 {
                count += 14; // still there when it closed
            }
            for k in 0..count {
                let chain = chains[b.rng.random_range(0..chains.len())];
                let closing = revoked && x == 2021 && k >= count - 14;
                let back = [10.0, 25.0, 30.0, 22.0, 13.0];
                let w: Vec<f64> = back
                    .iter()
                    .enumerate()
                    .map(|(d, w)| {
                        if x - d as i64 >= c.established_year.max(2014) {
                            *w
                        } else {
                            0.0
                        }
                    })
                    .collect();
                let entered_year = x - weighted(&mut b.rng, &w) as i64;
                let (entered_on, exit) = if closing {
                    let m = b
                        .rng
                        .random_range(1..=if entered_year == x { 9 } else { 12 });
                    let entered_on = date(entered_year, m, b.rng.random_range(1..=28));
                    let exit = ExitPlan {
                        on: REVOKED_CLOSING.into(),
                        year: x,
                        kind: "left",
                        reason: Some("载体停止运营".into()),
                    };
                    (entered_on, exit)
                } else {
                    let (em, xm) = if entered_year == x {
                        let em = b.rng.random_range(1..=6);
                        (em, b.rng.random_range(em + 3..=12))
                    } else {
                        (b.rng.random_range(1..=12), b.rng.random_range(1..=12))
                    };
                    let graduated = b.rng.random_bool(0.65);
                    let exit = ExitPlan {
                        on: date(x, xm, b.rng.random_range(1..=28)),
                        year: x,
                        kind: if graduated { "graduated" } else { "left" },
                        reason: (!graduated).then(|| exit_reason(&mut b.rng)),
                    };
                    (date(entered_year, em, b.rng.random_range(1..=28)), exit)
                };
                let founded = b.founded(entered_year, &entered_on);
                let e = b.enterprise(chain, c.county, c.in_zone, Some(founded), entered_year);
                let left = exit.kind == "left";
                spells.push(SpellPlan {
                    enterprise: e,
                    carrier: i,
                    entered_on,
                    entered_year,
                    exit: Some(exit),
                });
                if left && !c.in_zone && x <= 2022 {
                    leavers.push(Leaver {
                        spell: spells.len() - 1,
                        chain,
                        carrier: i,
                    });
                }
            }
        }
    }

    // Some who left come back to another carrier (not in the zone) a year or more later.
    let mut returned = 0;
    for l in &leavers {
        if returned >= 24 || !b.rng.random_bool(0.5) {
            continue;
        }
        let exit_year = spells[l.spell]
            .exit
            .as_ref()
            .map(|x| x.year)
            .unwrap_or(LAST_YEAR);
        let start = b.rng.random_range(0..cohort.len());
        let found = (0..cohort.len())
            .map(|k| (start + k) % cohort.len())
            .find(|&k| {
                let s = &cohort[k];
                let c = &b.plan.carriers[s.carrier];
                s.enterprise.is_none()
                    && s.chain == l.chain
                    && s.carrier != l.carrier
                    && !c.in_zone
                    && c.outcome_2024 == Outcome::Approved
                    && s.year > exit_year
            });
        if let Some(k) = found {
            let e = spells[l.spell].enterprise;
            cohort[k].enterprise = Some(e);
            b.plan.enterprises[e].county = b.plan.carriers[cohort[k].carrier].county;
            if let Some(x) = spells[l.spell].exit.as_mut() {
                x.reason = Some("迁入其他载体继续孵化".into());
            }
            returned += 1;
        }
    }

    // The 2024 cohort.
    let mut demo_enterprise = None;
    for s in &cohort {
        let c = b.plan.carriers[s.carrier].clone();
        let m = b
            .rng
            .random_range(1..=if s.year == LAST_YEAR { 10 } else { 12 });
        let m = if s.year == c.established_year {
            m.max(3)
        } else {
            m
        };
        let entered_on = date(s.year, m, b.rng.random_range(1..=28));
        let e = match s.enterprise {
            Some(e) => e,
            None => {
                let founded = b.founded(s.year, &entered_on);
                b.enterprise(s.chain, c.county, c.in_zone, Some(founded), s.year)
            }
        };
        if demo_enterprise.is_none()
            && s.carrier == 0
            && s.enterprise.is_none()
            && s.year < LAST_YEAR
        {
            demo_enterprise = Some(e);
        }
        spells.push(SpellPlan {
            enterprise: e,
            carrier: s.carrier,
            entered_on,
            entered_year: s.year,
            exit: None,
        });
    }
    // Written enterprise by enterprise, oldest spell first.
    spells.sort_by(|a, b| {
        a.enterprise
            .cmp(&b.enterprise)
            .then(a.entered_on.cmp(&b.entered_on))
    });
    b.plan.spells = spells;
    demo_enterprise.expect("an incubatee at the demo operator's zone incubator")
}

// ---------------------------------------------------------------------------------------------
// Spin-offs
// ---------------------------------------------------------------------------------------------

struct Lineage {
    parent: &'static str,
    county: &'static str,
    zone: bool,
    chain: &'static str,
    stages: &'static [&'static str],
    /// (name, chain, notable); synthetic companies are named from `synthetic`.
    named: &'static [(&'static str, &'static str)],
    synthetic_chains: &'static [&'static str],
    /// Start years of the companies, oldest first (named ones first).
    starts: &'static [i64],
    /// Months between stages (from, to).
    step: (u32, u32),
    /// Projects still on the way: (start year, stage reached).
    in_progress: &'static [(i64, i64)],
    /// Their names.
    in_progress_names: &'static [&'static str],
}

const LINEAGES: [Lineage; 3] = [
    Lineage {
        parent: "中车株洲电力机车研究所有限公司",
        county: "430204",
        zone: false,
        chain: RAIL,
        stages: &[
            "科研立项",
            "技术攻关",
            "产品研发",
            "事业部发展",
            "新公司成型",
        ],
        named: &[
            ("时代新材", MAT),
            ("中车电动", NE),
            ("时代电气", RAIL),
            ("风电公司", NE),
            ("半导体公司", EI),
        ],
        synthetic_chains: &[RAIL, ADV, MAT, IT, NE, RAIL, ADV],
        starts: &[
            1994, 1996, 1998, 2001, 2003, 2005, 2007, 2009, 2011, 2013, 2015, 2017,
        ],
        step: (8, 16),
        in_progress: &[(2021, 3), (2020, 4)],
        in_progress_names: &["氢能动力系统孵化项目", "轨道交通智能运维孵化项目"],
    },
    Lineage {
        parent: "中车株洲电机有限公司",
        county: "430204",
        zone: false,
        chain: RAIL,
        stages: &[
            "技术挖掘研究",
            "产业技术调研",
            "技术团队及项目组搭建",
            "关键研发项目实施",
            "产业化平台化技术实施",
            "事业部化自主运行",
            "成立公司",
        ],
        named: &[("中车尚驱", ADV), ("中车尚驰", ADV)],
        synthetic_chains: &[RAIL, ADV, NE, RAIL, MAT, ADV],
        starts: &[2009, 2010, 2012, 2013, 2015, 2016, 2018, 2019],
        step: (5, 8),
        in_progress: &[(2022, 4)],
        in_progress_names: &["磁悬浮高速电机孵化项目"],
    },
    Lineage {
        parent: "株洲宏达电子股份有限公司",
        county: ZONE_COUNTY,
        zone: true,
        chain: EI,
        stages: &["遴选", "共创", "培育", "共享"],
        named: &[
            ("宏达陶电", EI),
            ("宏达磁电", EI),
            ("宏达电通", EI),
            ("宏达恒芯", EI),
            ("展芯半导体", EI),
            ("华毅微波", EI),
        ],
        synthetic_chains: &[],
        starts: &[2012, 2014, 2015, 2017, 2018, 2020],
        step: (6, 12),
        in_progress: &[],
        in_progress_names: &[],
    },
];

fn lineages(b: &mut Builder) {
    for l in &LINEAGES {
        let code = b.code(l.county);
        let division = b.division(l.chain);
        b.plan.enterprises.push(EnterprisePlan {
            name: l.parent.into(),
            uscc: code,
            founded_on: None,
            county: l.county,
            in_zone: l.zone,
            chain: l.chain,
            division,
            high_tech: true,
            tech_sme: false,
            parent: None,
        });
        b.growth.push(Growth {
            first_year: 2000,
            size0: 0.0,
            growth: 1.0,
            revenue_per_person_k: 0.0,
            patent_rate: 0.0,
        });
        let parent = b.plan.enterprises.len() - 1;
        let stages = l.stages.len() as i64;
        let mut projects = Vec::new();
        let companies: Vec<(String, &'static str, bool)> = l
            .named
            .iter()
            .map(|(n, c)| (n.to_string(), *c, true))
            // The others are named at the end (`name_all`), like the synthetic enterprises.
            .chain(
                l.synthetic_chains
                    .iter()
                    .map(|c| (String::new(), *c, false)),
            )
            .collect();
        let steps = |b: &mut Builder, start: i64, reach: i64| {
            let (mut y, mut m) = (start, b.rng.random_range(1..=6));
            let mut out = vec![(1, date(y, m, b.rng.random_range(1..=28)))];
            for pos in 2..=reach {
                (y, m) = add_months(y, m, b.rng.random_range(l.step.0..=l.step.1));
                out.push((
                    pos,
                    date(
                        y.min(LAST_YEAR),
                        if y > LAST_YEAR { 12 } else { m },
                        b.rng.random_range(1..=28),
                    ),
                ));
            }
            out
        };
        for ((name, chain, notable), start) in companies.into_iter().zip(l.starts) {
            let milestones = steps(b, *start, stages);
            let founded_on = (!notable)
                .then(|| milestones.last().map(|m| m.1.clone()))
                .flatten();
            let code = b.code(l.county);
            let division = b.division(chain);
            b.plan.enterprises.push(EnterprisePlan {
                name: name.clone(),
                uscc: code,
                founded_on,
                county: l.county,
                in_zone: l.zone,
                chain,
                division,
                high_tech: true,
                tech_sme: !notable,
                parent: Some(parent),
            });
            b.growth.push(Growth {
                first_year: 2000,
                size0: 0.0,
                growth: 1.0,
                revenue_per_person_k: 0.0,
                patent_rate: 0.0,
            });
            projects.push(ProjectPlan {
                name,
                notable,
                milestones,
                enterprise: Some(b.plan.enterprises.len() - 1),
            });
        }
        for (k, (start, reach)) in l.in_progress.iter().enumerate() {
            let milestones = steps(b, *start, *reach);
            projects.push(ProjectPlan {
                name: l.in_progress_names[k % l.in_progress_names.len()].to_string(),
                notable: false,
                milestones,
                enterprise: None,
            });
        }
        b.plan.lineages.push(LineagePlan {
            parent,
            stages: l.stages.iter().map(|s| s.to_string()).collect(),
            projects,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// The high-tech zone's other enterprises (累计引进企业)
// ---------------------------------------------------------------------------------------------

fn zone_extras(b: &mut Builder) {
    let chains: Vec<&'static str> = ZONE_2024.iter().map(|(c, _)| *c).collect();
    let count = |plan: &Plan, chain: &str| {
        plan.enterprises
            .iter()
            .filter(|e| e.in_zone && e.chain == chain)
            .count()
    };
    let have: usize = b.plan.enterprises.iter().filter(|e| e.in_zone).count();
    assert!(
        have <= ZONE_ENTERPRISES,
        "{have} zone enterprises before the extras"
    );
    let remaining = ZONE_ENTERPRISES - have;
    // A few for the other chains, the rest for the zone's leading three.
    let others: Vec<&'static str> = chains
        .iter()
        .copied()
        .filter(|c| ![NE, EI, MD].contains(c))
        .collect();
    let sprinkle = remaining / 12;
    let w: Vec<f64> = others
        .iter()
        .map(|c| if *c == CE { 0.2 } else { 1.0 })
        .collect();
    let mut extra: Vec<(&'static str, usize)> = others
        .iter()
        .copied()
        .zip(apportion(sprinkle, &w))
        .collect();
    let max_other = others
        .iter()
        .zip(&extra)
        .map(|(c, (_, k))| count(&b.plan, c) + k)
        .max()
        .unwrap_or(0);
    let lead = remaining - sprinkle + count(&b.plan, NE) + count(&b.plan, EI) + count(&b.plan, MD);
    let shares = apportion(lead, &[0.40, 0.33, 0.27]);
    for (chain, target) in [NE, EI, MD].into_iter().zip(shares) {
        let now = count(&b.plan, chain);
        assert!(
            target > max_other && target >= now,
            "{chain}: {target} (have {now}, others up to {max_other})"
        );
        extra.push((chain, target - now));
    }
    for (chain, k) in extra {
        for _ in 0..k {
            let year = b.rng.random_range(2003..=LAST_YEAR);
            let founded = b
                .rng
                .random_bool(0.85)
                .then(|| b.founded(year, "2024-12-31"));
            b.enterprise(chain, ZONE_COUNTY, true, founded, year);
        }
    }
}

/// Names the carriers (after where they are and what they focus on), their operators, the
/// synthetic enterprises and the synthetic spin-off projects, with the namer's own seed.
fn name_all(b: &mut Builder) {
    let mut namer = names::Namer::default();
    for firm in names::FIRMS {
        namer.reserve(firm);
    }
    for e in &b.plan.enterprises {
        if !e.name.is_empty() {
            namer.reserve(&e.name);
        }
    }
    for c in &mut b.plan.carriers {
        let place = match place_label(c.county, c.in_zone) {
            "高新区" => "株洲高新区",
            p => p,
        };
        let chains: Vec<&str> = c
            .focus_chains
            .split(',')
            .filter(|x| !x.is_empty())
            .collect();
        c.name = if c.kind == SciencePark {
            format!("{}大学科技园", names::INSTITUTIONS[0])
        } else {
            namer.carrier(place, &chains, kind_label(c.kind))
        };
    }
    for (i, o) in b.plan.operators.iter_mut().enumerate() {
        let place = b
            .plan
            .carriers
            .iter()
            .find(|c| c.operator == i)
            .map_or("株洲高新区", |c| place_label(c.county, false));
        o.name = namer.operator(place);
    }
    for e in b.plan.enterprises.iter_mut().filter(|e| e.name.is_empty()) {
        e.name = namer.enterprise(e.chain);
    }
    for l in &mut b.plan.lineages {
        for x in &mut l.projects {
            if let (Some(e), true) = (x.enterprise, x.name.is_empty()) {
                x.name.clone_from(&b.plan.enterprises[e].name);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Indicators and reports
// ---------------------------------------------------------------------------------------------

struct Row {
    enterprise: usize,
    carrier: usize,
    year: i64,
    approved_2024: bool,
    v: Indicators,
}

fn indicators(b: &mut Builder) {
    let plan = &b.plan;
    let mut rows: Vec<Row> = Vec::new();
    for s in &plan.spells {
        for year in FIRST_YEAR..=LAST_YEAR {
            if s.covers(year) {
                let approved_2024 =
                    year == LAST_YEAR && plan.carriers[s.carrier].outcome_2024 == Outcome::Approved;
                rows.push(Row {
                    enterprise: s.enterprise,
                    carrier: s.carrier,
                    year,
                    approved_2024,
                    v: Indicators::default(),
                });
            }
        }
    }
    let target: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].approved_2024).collect();
    assert_eq!(
        target.len(),
        INCUBATEES_2024,
        "2024 incubatees in approved reports"
    );

    // Employees: scale everyone's size so that 2024 comes out right, then move the last few.
    let raw: f64 = target
        .iter()
        .map(|&i| b.growth[rows[i].enterprise].employees(LAST_YEAR, 1.0) as f64)
        .sum();
    let scale = EMPLOYEES_2024 as f64 / raw;
    for r in rows.iter_mut() {
        r.v.employees = b.growth[r.enterprise].employees(r.year, scale);
    }
    let mut values: Vec<i64> = target.iter().map(|&i| rows[i].v.employees).collect();
    let lower = vec![1; values.len()];
    let upper: Vec<i64> = values.iter().map(|v| v + 3).collect();
    hit_total(&mut b.rng, &mut values, &lower, &upper, EMPLOYEES_2024);
    for (k, &i) in target.iter().enumerate() {
        rows[i].v.employees = values[k];
    }

    // Patents: rates calibrated on 2024, drawn for every year, then the last few moved.
    let lambda = |g: &Growth, employees: i64| g.patent_rate * (0.3 + 0.045 * employees as f64);
    let expected: f64 = target
        .iter()
        .map(|&i| lambda(&b.growth[rows[i].enterprise], rows[i].v.employees))
        .sum();
    let apps_scale = PATENT_APPLICATIONS_2024 as f64 / expected;
    let grants_scale = PATENT_GRANTS_2024 as f64 / expected;
    for r in rows.iter_mut() {
        let g = b.growth[r.enterprise];
        let e = &b.plan.enterprises[r.enterprise];
        let employees = r.v.employees;
        let rng = &mut b.rng;
        let l = lambda(&g, employees);
        r.v.patent_applications = poisson(rng, l * apps_scale);
        r.v.patent_grants = poisson(rng, l * grants_scale);
        let talent = if rng.random_bool(0.11) {
            1 + i64::from(rng.random_bool(0.2)) + i64::from(rng.random_bool(0.05))
        } else {
            0
        };
        r.v.high_level_talent = talent.min(employees);
        r.v.doctors = if rng.random_bool(0.25) {
            rng.random_range(1..=(employees / 15).max(1))
        } else {
            0
        };
        r.v.returnees = if rng.random_bool(0.12) {
            rng.random_range(1..=2).min(employees)
        } else {
            0
        };
        r.v.fresh_graduates = (employees as f64 * 0.2 * rng.random::<f64>()).round() as i64;
        let first = r.year == g.first_year;
        let revenue = employees as f64
            * g.revenue_per_person_k
            * if first { 0.6 } else { 1.0 }
            * rng.random_range(0.9..1.1);
        r.v.revenue_k = revenue.round() as i64;
        r.v.rd_spending_k = (revenue * rng.random_range(0.04..0.25)).round() as i64;
        r.v.taxes_k = (revenue * rng.random_range(0.01..0.06)).round() as i64;
        r.v.funding_raised_k = if rng.random_bool(0.07) {
            rng.random_range(5..=300) * 100
        } else {
            0
        };
        let software = if [IT, EI].contains(&e.chain) {
            1.5
        } else {
            0.2
        };
        r.v.software_copyrights = poisson(rng, software);
        r.v.tech_contracts = if rng.random_bool(0.15) {
            rng.random_range(1..=4)
        } else {
            0
        };
        r.v.tech_contract_amount_k = r.v.tech_contracts * rng.random_range(30..=800);
    }
    for (field, total) in [
        ("high_level_talent", TALENT_2024),
        ("patent_applications", PATENT_APPLICATIONS_2024),
        ("patent_grants", PATENT_GRANTS_2024),
    ] {
        let mut values: Vec<i64> = target
            .iter()
            .map(|&i| rows[i].v.get(field).unwrap_or(0))
            .collect();
        let lower = vec![0; values.len()];
        let upper: Vec<i64> = if field == "high_level_talent" {
            target.iter().map(|&i| rows[i].v.employees.min(3)).collect()
        } else {
            values.iter().map(|v| v + 3).collect()
        };
        hit_total(&mut b.rng, &mut values, &lower, &upper, total);
        for (k, &i) in target.iter().enumerate() {
            rows[i].v.set(field, values[k]);
        }
    }
    // Parts of wholes, and intellectual property accumulated year by year.
    for r in rows.iter_mut() {
        let rng = &mut b.rng;
        r.v.invention_applications = binomial(rng, r.v.patent_applications, 0.35);
        r.v.invention_grants = binomial(rng, r.v.patent_grants, 0.25);
    }
    let mut ip: Vec<i64> = vec![-1; b.plan.enterprises.len()];
    for r in rows.iter_mut() {
        if ip[r.enterprise] < 0 {
            ip[r.enterprise] = b.rng.random_range(0..=3);
        }
        ip[r.enterprise] += r.v.patent_grants + r.v.software_copyrights;
        r.v.valid_ip = ip[r.enterprise];
    }

    // Reports: every carrier in every year it was in the registry.
    let mut reports = Vec::new();
    for year in FIRST_YEAR..=LAST_YEAR {
        for (i, c) in b.plan.carriers.iter().enumerate() {
            let active = c.established_year <= year && (c.revoked.is_none() || year <= 2021);
            if !active {
                continue;
            }
            let mut report_rows: Vec<(usize, Indicators)> = rows
                .iter()
                .filter(|r| r.carrier == i && r.year == year)
                .map(|r| (r.enterprise, r.v))
                .collect();
            report_rows.sort_by_key(|(e, _)| *e);
            let graduated = b
                .plan
                .spells
                .iter()
                .filter(|s| {
                    s.carrier == i
                        && s.exit
                            .as_ref()
                            .is_some_and(|x| x.year == year && x.kind == "graduated")
                })
                .count() as i64;
            let rng = &mut b.rng;
            let (staff, fund) = match c.kind {
                Incubator => (rng.random_range(8..=30), rng.random_range(10..=200) * 100),
                MakerSpace => (rng.random_range(4..=15), rng.random_range(2..=40) * 100),
                PilotBase => (rng.random_range(6..=20), rng.random_range(10..=100) * 100),
                _ => (rng.random_range(10..=25), rng.random_range(20..=150) * 100),
            };
            let figures = CarrierFigures {
                staff: Some(staff),
                mentors: Some(rng.random_range(3..=25)),
                floor_area_m2: Some(c.floor_area_m2),
                incubation_fund_k: Some(fund),
                events_held: Some(rng.random_range(4..=48)),
                graduated_in_year: Some(graduated),
            };
            let outcome = if year == LAST_YEAR {
                c.outcome_2024
            } else {
                Outcome::Approved
            };
            reports.push(ReportPlan {
                carrier: i,
                year,
                figures,
                rows: report_rows,
                outcome,
            });
        }
    }
    b.plan.reports = reports;
}

// ---------------------------------------------------------------------------------------------
// Service agencies
// ---------------------------------------------------------------------------------------------

/// The service agencies of the one-stop services (synthetic names, codes in the zone's county);
/// the first is the demo service provider's.
fn agencies(b: &mut Builder) {
    for name in [
        "株洲智桥知识产权代理有限公司",
        "株洲恒信财税咨询服务有限公司",
        "湖南楚衡律师事务所株洲分所",
        "株洲精测检验检测技术服务有限公司",
    ] {
        let uscc = Some(b.code(ZONE_COUNTY));
        b.plan.agencies.push(OrgPlan {
            name: name.into(),
            uscc,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Funds, the bank
// ---------------------------------------------------------------------------------------------

fn funds(b: &mut Builder) {
    for i in 1..=3 {
        let uscc = Some(b.code(ZONE_COUNTY));
        b.plan.investors.push(OrgPlan {
            name: [
                "株洲瑞晟创业投资管理有限公司",
                "湖南楚翔私募股权基金管理有限公司",
                "株洲嘉拓创业投资管理有限公司",
            ][i - 1]
                .into(),
            uscc,
        });
    }
    b.plan.bank = OrgPlan {
        name: "湘渌银行株洲分行".into(),
        uscc: Some(b.code("430202")),
    };
    let fund = |name: &str, kind, manager, size_k, year| FundPlan {
        name: name.into(),
        kind,
        manager,
        size_k,
        government_k: 0,
        parent: None,
        carrier: None,
        for_incubatees: true,
        established_year: year,
    };
    use FundKind::{Angel, Guidance, Industry, Seed, Venture};
    // The two funds the reply names are the city's guidance funds, each with sub-funds it put
    // part of their capital into (政府引导出资); the rest are private funds.
    let mut funds = vec![
        FundPlan {
            government_k: 1_200_000,
            ..fund("北斗产业基金", Guidance, 1, 3_000_000, 2021)
        },
        FundPlan {
            government_k: 2_000_000,
            ..fund("启航基金", Guidance, 0, 2_000_000, 2019)
        },
        FundPlan {
            government_k: 300_000,
            parent: Some((0, 300_000)),
            ..fund("北斗轨道交通产业子基金", Industry, 1, 1_000_000, 2022)
        },
        FundPlan {
            government_k: 200_000,
            parent: Some((0, 200_000)),
            ..fund("北斗新材料创业投资子基金", Venture, 2, 600_000, 2023)
        },
        FundPlan {
            government_k: 150_000,
            parent: Some((1, 150_000)),
            ..fund("启航天使投资子基金", Angel, 0, 500_000, 2020)
        },
        fund("株洲瑞晟创业投资基金", Venture, 0, 1_500_000, 2018),
        fund("株洲嘉拓成长创业投资基金", Venture, 2, 1_200_000, 2020),
        fund("株洲嘉拓天使投资基金", Angel, 2, 800_000, 2019),
        fund("株洲嘉拓种子基金", Seed, 2, 225_000, 2017),
        fund("株洲瑞晟种子基金", Seed, 0, 150_000, 2024),
        FundPlan {
            for_incubatees: false,
            ..fund("湖南楚翔产业并购基金", Industry, 1, 2_000_000, 2020)
        },
    ];
    // Seed funds of their own at the first national incubators (one below the 500万元 line) and
    // two provincial ones, managed by the carriers' operators.
    let national: Vec<usize> = b
        .plan
        .carriers
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.kind == CarrierKind::Incubator
                && c.ratings.iter().any(|(l, _)| *l == Level::National)
                && c.revoked.is_none()
        })
        .map(|(i, _)| i)
        .collect();
    let provincial: Vec<usize> = b
        .plan
        .carriers
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.kind == CarrierKind::Incubator
                && !c.ratings.iter().any(|(l, _)| *l == Level::National)
                && c.ratings.iter().any(|(l, _)| *l == Level::Provincial)
                && c.revoked.is_none()
        })
        .map(|(i, _)| i)
        .collect();
    let seeds = national
        .iter()
        .take(4)
        .zip([8_000, 6_000, 5_000, 3_000])
        .chain(provincial.iter().take(2).zip([2_000, 1_000]));
    for (carrier, size_k) in seeds {
        let c = &b.plan.carriers[*carrier];
        funds.push(FundPlan {
            manager: c.operator,
            carrier: Some(*carrier),
            ..fund(
                &format!("{}种子基金", c.name),
                Seed,
                0,
                size_k,
                c.established_year.max(2016),
            )
        });
    }
    b.plan.funds = funds;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level_2024(c: &CarrierPlan) -> Option<Level> {
        let ratings: Vec<_> = c
            .ratings
            .iter()
            .map(|(level, year)| fruition_domain::carrier::Rating {
                level: *level,
                year_granted: *year,
            })
            .collect();
        fruition_domain::carrier::level_in(&ratings, LAST_YEAR)
    }

    #[test]
    fn the_demo_plan_is_the_same_every_time() {
        assert_eq!(build(), build());
    }

    #[test]
    fn the_demo_plan_reproduces_the_2024_figures() {
        let p = build();
        let now: Vec<&CarrierPlan> = p
            .carriers
            .iter()
            .filter(|c| c.established_year <= LAST_YEAR && c.revoked.is_none())
            .collect();
        assert_eq!(now.len(), CARRIERS_2024);
        let count = |kind: CarrierKind, level: Level| {
            now.iter()
                .filter(|c| c.kind == kind && level_2024(c) == Some(level))
                .count()
        };
        assert_eq!(
            (count(Incubator, National), count(Incubator, Provincial)),
            (4, 6)
        );
        assert_eq!(
            (count(MakerSpace, National), count(MakerSpace, Provincial)),
            (8, 24)
        );
        assert_eq!(
            (count(PilotBase, Provincial), count(SciencePark, Provincial)),
            (8, 1)
        );
        assert_eq!(
            now.iter()
                .filter(|c| level_2024(c) == Some(Municipal))
                .count(),
            18
        );
        assert_eq!(now.iter().filter(|c| c.in_zone).count(), 31);

        let rows: Vec<&Indicators> = p
            .reports
            .iter()
            .filter(|r| r.year == LAST_YEAR && r.outcome == Outcome::Approved)
            .flat_map(|r| r.rows.iter().map(|(_, v)| v))
            .collect();
        assert_eq!(rows.len(), INCUBATEES_2024);
        let sum = |f: fn(&Indicators) -> i64| rows.iter().map(|v| f(v)).sum::<i64>();
        assert_eq!(sum(|v| v.employees), EMPLOYEES_2024);
        assert_eq!(sum(|v| v.high_level_talent), TALENT_2024);
        assert_eq!(sum(|v| v.patent_applications), PATENT_APPLICATIONS_2024);
        assert_eq!(sum(|v| v.patent_grants), PATENT_GRANTS_2024);
        for r in &p.reports {
            for (e, v) in &r.rows {
                assert!(
                    v.errors().is_empty(),
                    "{} {}: {:?}",
                    p.enterprises[*e].name,
                    r.year,
                    v.errors()
                );
            }
        }
        let zone = p.enterprises.iter().filter(|e| e.in_zone).count();
        assert_eq!(zone, ZONE_ENTERPRISES);
        assert_eq!(p.capital_k(LAST_YEAR), FUNDS_FOR_INCUBATEES_K);
    }

    #[test]
    fn the_demo_plan_keeps_spells_and_reports_consistent() {
        let p = build();
        // Spells of one enterprise do not overlap, and at most the last is open.
        for pair in p.spells.windows(2) {
            if pair[0].enterprise == pair[1].enterprise {
                let x = pair[0].exit.as_ref().expect("an earlier spell is closed");
                assert!(x.year < pair[1].entered_year, "{pair:?}");
            }
        }
        for s in &p.spells {
            assert!(
                s.entered_year >= p.carriers[s.carrier].established_year,
                "{s:?}"
            );
            if let Some(x) = &s.exit {
                assert!(x.on > s.entered_on, "{s:?}");
            }
            let founded = p.enterprises[s.enterprise]
                .founded_on
                .as_deref()
                .unwrap_or("");
            assert!(founded <= s.entered_on.as_str(), "{s:?}");
        }
        // Each report holds exactly the carrier's incubatees of its year, and no figures warn.
        let mut previous: std::collections::BTreeMap<usize, Indicators> = Default::default();
        let mut warnings = 0;
        for r in &p.reports {
            let mut expected: Vec<usize> = p
                .spells
                .iter()
                .filter(|s| s.carrier == r.carrier && s.covers(r.year))
                .map(|s| s.enterprise)
                .collect();
            expected.sort();
            let held: Vec<usize> = r.rows.iter().map(|(e, _)| *e).collect();
            assert_eq!(held, expected, "{} {}", p.carriers[r.carrier].name, r.year);
        }
        for year in FIRST_YEAR..=LAST_YEAR {
            for r in p.reports.iter().filter(|r| r.year == year) {
                for (e, v) in &r.rows {
                    let prev = previous.get(e).filter(|_| year > FIRST_YEAR);
                    warnings += v.warnings(prev).len();
                }
            }
            for r in p.reports.iter().filter(|r| r.year == year) {
                for (e, v) in &r.rows {
                    previous.insert(*e, *v);
                }
            }
        }
        assert_eq!(warnings, 0, "figures that would warn the reviewer");
    }

    #[test]
    fn the_demo_plan_has_the_three_lineages() {
        let p = build();
        let companies: Vec<usize> = p
            .lineages
            .iter()
            .map(|l| l.projects.iter().filter(|x| x.enterprise.is_some()).count())
            .collect();
        assert_eq!(companies, vec![12, 8, 6]);
        let notable: Vec<usize> = p
            .lineages
            .iter()
            .map(|l| l.projects.iter().filter(|x| x.notable).count())
            .collect();
        assert_eq!(notable, vec![5, 2, 6]);
        for l in &p.lineages {
            for x in &l.projects {
                let dates: Vec<&str> = x.milestones.iter().map(|(_, d)| d.as_str()).collect();
                assert!(dates.windows(2).all(|w| w[0] < w[1]), "{x:?}");
                assert!(dates.iter().all(|d| *d <= "2024-12-31"), "{x:?}");
                if let Some(e) = x.enterprise {
                    assert_eq!(p.enterprises[e].parent, Some(l.parent));
                    assert_eq!(x.milestones.len(), l.stages.len());
                }
            }
        }
    }

    #[test]
    fn the_zone_leads_with_new_energy_electronics_and_medical_devices() {
        let p = build();
        let mut by_chain: Vec<(&str, usize)> = ZONE_2024
            .iter()
            .map(|(c, _)| {
                (
                    *c,
                    p.enterprises
                        .iter()
                        .filter(|e| e.in_zone && e.chain == *c)
                        .count(),
                )
            })
            .collect();
        by_chain.sort_by_key(|x| std::cmp::Reverse(x.1));
        eprintln!("{by_chain:?}");
        let top: Vec<&str> = by_chain.iter().take(3).map(|(c, _)| *c).collect();
        assert_eq!(top, vec![NE, EI, MD]);
        assert!(
            by_chain[2].1 > by_chain[3].1
                && by_chain[0].1 > by_chain[1].1
                && by_chain[1].1 > by_chain[2].1
        );
    }

    #[test]
    fn the_demo_plan_grows_over_the_years() {
        let p = build();
        let mut last = 0;
        for year in FIRST_YEAR..=LAST_YEAR {
            let rows: Vec<&Indicators> = p
                .reports
                .iter()
                .filter(|r| r.year == year && r.outcome == Outcome::Approved)
                .flat_map(|r| r.rows.iter().map(|(_, v)| v))
                .collect();
            let employees: i64 = rows.iter().map(|v| v.employees).sum();
            let carriers = p
                .carriers
                .iter()
                .filter(|c| {
                    c.established_year <= year && c.revoked.as_ref().is_none_or(|_| year <= 2021)
                })
                .count();
            eprintln!(
                "{year}: {carriers} carriers, {} incubatees, {employees} employees",
                rows.len()
            );
            assert!(rows.len() > last, "{year}");
            last = rows.len();
        }
    }
}
