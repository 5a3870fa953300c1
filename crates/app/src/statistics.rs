//! The statistics and the annual report, from the registry as it stood at a year's end and from
//! approved reports only. Aggregates name no enterprise, so every signed-in user may read them
//! (the command line too).

use std::collections::{HashMap, HashSet};

use fruition_domain::annual::{
    self, AnnualInput, AnnualReport, CarrierTally, ChainTally, Innovation, Lineage, ZoneFacts,
};
use fruition_domain::carrier::{CarrierKind, Level};
use fruition_domain::lang::Lang;
use fruition_store::stats::{self, CarrierFacts, YearFigures};
use serde::Serialize;

use super::reference::{Lookups, county_name};
use crate::App;
use crate::error::AppError;
use utoipa::ToSchema;

/// Which carriers the figures cover; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    /// A zone's code, or a county's GB/T 2260 code.
    pub place: Option<String>,
}

/// A carrier's place: its zone when it has one, else its county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The zone's code or the county's code.
    pub code: String,
    pub name: String,
    pub in_zone: bool,
}

fn place_of(lookups: &Lookups, zone_id: Option<i64>, county_code: &str) -> Place {
    match lookups.zone(zone_id) {
        Some(z) => Place {
            code: z.code.clone(),
            name: z.name_zh.clone(),
            in_zone: true,
        },
        None => Place {
            code: county_code.to_string(),
            name: county_name(county_code).to_string(),
            in_zone: false,
        },
    }
}

/// Counts of carriers of one kind by level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub kind_label: String,
    pub national: i64,
    pub provincial: i64,
    pub municipal: i64,
    pub unrated: i64,
    pub total: i64,
}

/// One year's incubatee figures (approved reports).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct YearRow {
    pub year: i64,
    pub incubatees: i64,
    pub employees: i64,
    pub high_level_talent: i64,
    pub patent_applications: i64,
    pub patent_grants: i64,
    pub revenue_k: i64,
    pub rd_spending_k: i64,
}

/// Everything the dashboard shows for a year and filters.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i64,
    pub carriers_total: i64,
    pub by_kind: Vec<KindRow>,
    /// (place, carriers), most first.
    pub by_place: Vec<(Place, i64)>,
    /// (chain name, carriers focusing on it).
    pub by_focus_chain: Vec<(String, i64)>,
    /// (chain name, incubatees), in the chains' order.
    pub incubatees_by_chain: Vec<(String, i64)>,
    /// The years up to `year` (at most five), stopping at the last year that has approved
    /// reports: a year nobody has reported yet is not drawn as a fall to zero.
    pub trend: Vec<YearRow>,
    pub places: Vec<Place>,
    /// Whether `year` has any approved yearly report; without one, the report-based figures
    /// (incubatees, talent, patents) are not there to show.
    pub has_reports: bool,
}

const TREND_YEARS: i64 = 5;

/// The year the statistics, the annual report and the yearly reports open on: the latest year
/// that has approved yearly reports, else last year.
pub async fn default_year(state: &App) -> Result<i64, AppError> {
    Ok(stats::latest_approved_year(&state.db)
        .await?
        .unwrap_or_else(|| crate::clock::this_year() - 1))
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.level.is_none() && self.place.is_none()
    }

    fn matches(&self, kind: &str, level: &Option<String>, place: &Place) -> bool {
        self.kind.is_none_or(|k| k.code() == kind)
            && self.level.is_none_or(|l| level_of(level) == Some(l))
            && self.place.as_ref().is_none_or(|p| *p == place.code)
    }
}

fn add(row: &mut YearRow, r: &YearFigures) {
    row.incubatees += r.incubatees;
    row.employees += r.employees;
    row.high_level_talent += r.high_level_talent;
    row.patent_applications += r.patent_applications;
    row.patent_grants += r.patent_grants;
    row.revenue_k += r.revenue_k;
    row.rd_spending_k += r.rd_spending_k;
}

fn level_of(code: &Option<String>) -> Option<Level> {
    code.as_deref().and_then(Level::parse)
}

/// What the dashboard and the annual report both start from: the reference lookups and every
/// carrier as it stood at the year's end, with its place.
struct Basis {
    lookups: std::sync::Arc<Lookups>,
    carriers: Vec<(CarrierFacts, Place)>,
}

impl Basis {
    async fn load(state: &App, year: i64) -> Result<Basis, AppError> {
        let lookups = Lookups::cached(state).await?;
        let carriers = stats::carriers(&state.db, year)
            .await?
            .into_iter()
            .map(|c| {
                let place = place_of(&lookups, c.zone_id, &c.county_code);
                (c, place)
            })
            .collect();
        Ok(Basis { lookups, carriers })
    }

    fn registered(&self) -> impl Iterator<Item = &(CarrierFacts, Place)> {
        self.carriers.iter().filter(|(c, _)| c.in_registry)
    }
}

pub async fn dashboard(state: &App, year: i64, f: &Filters) -> Result<Dashboard, AppError> {
    let basis = Basis::load(state, year).await?;
    dashboard_from(state, &basis, year, f).await
}

async fn dashboard_from(
    state: &App,
    basis: &Basis,
    year: i64,
    f: &Filters,
) -> Result<Dashboard, AppError> {
    let db = &state.db;
    let lookups = &basis.lookups;
    let mut by_kind: Vec<KindRow> = CarrierKind::ALL
        .iter()
        .map(|k| KindRow {
            kind: k.code().into(),
            kind_label: k.label(Lang::ZhCn).into(),
            ..Default::default()
        })
        .collect();
    let mut by_place: Vec<(Place, i64)> = Vec::new();
    let mut by_focus: HashMap<&str, i64> = HashMap::new();
    let mut places: Vec<Place> = Vec::new();
    let mut total = 0;
    for (c, place) in basis.registered() {
        if !places.contains(place) {
            places.push(place.clone());
        }
        if !f.matches(&c.kind, &c.level, place) {
            continue;
        }
        total += 1;
        if let Some(row) = by_kind.iter_mut().find(|r| r.kind == c.kind) {
            match level_of(&c.level) {
                Some(Level::National) => row.national += 1,
                Some(Level::Provincial) => row.provincial += 1,
                Some(Level::Municipal) => row.municipal += 1,
                None => row.unrated += 1,
            }
            row.total += 1;
        }
        match by_place.iter_mut().find(|(p, _)| p == place) {
            Some((_, n)) => *n += 1,
            None => by_place.push((place.clone(), 1)),
        }
        for ch in c.focus_chains.split(',').filter(|s| !s.is_empty()) {
            *by_focus.entry(ch).or_default() += 1;
        }
    }
    by_kind.retain(|r| r.total > 0);
    by_place.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.0.in_zone.cmp(&a.0.in_zone))
            .then(a.0.code.cmp(&b.0.code))
    });
    places.sort_by(|a, b| b.in_zone.cmp(&a.in_zone).then(a.code.cmp(&b.code)));

    // Incubatee figures from approved reports, summed in the database when nothing is filtered,
    // else per carrier and kept for the carriers that match (whether or not still registered).
    let per_carrier = !f.is_empty();
    let kept: HashSet<i64> = if per_carrier {
        basis
            .carriers
            .iter()
            .filter(|(c, p)| f.matches(&c.kind, &c.level, p))
            .map(|(c, _)| c.id)
            .collect()
    } else {
        HashSet::new()
    };
    let keep = |carrier_id: i64| !per_carrier || kept.contains(&carrier_id);
    let (chain_rows, year_rows) = tokio::try_join!(
        stats::chain_figures(db, year, per_carrier),
        stats::year_figures(db, year - TREND_YEARS + 1, year, per_carrier),
    )?;
    let mut incubatees: HashMap<&str, i64> = HashMap::new();
    for r in chain_rows.iter().filter(|r| keep(r.carrier_id)) {
        *incubatees.entry(r.chain_code.as_str()).or_default() += r.incubatees;
    }
    let mut trend: Vec<YearRow> = (year - TREND_YEARS + 1..=year)
        .map(|y| YearRow {
            year: y,
            ..Default::default()
        })
        .collect();
    for r in year_rows.iter().filter(|r| keep(r.carrier_id)) {
        if let Some(row) = trend.iter_mut().find(|t| t.year == r.year) {
            add(row, r);
        }
    }
    // The trend stops at the last year with approved reports (whichever carriers are kept).
    let last_reported = year_rows.iter().map(|r| r.year).max();
    trend.retain(|t| last_reported.is_some_and(|y| t.year <= y));
    let has_reports = year_rows.iter().any(|r| r.year == year);
    let chain_name = |code: &str| {
        lookups
            .chain(Some(code))
            .map(|c| c.name_zh.clone())
            .unwrap_or_else(|| "未分类".into())
    };
    let mut incubatees_by_chain: Vec<(String, i64)> = lookups
        .chains
        .iter()
        .map(|c| {
            (
                c.name_zh.clone(),
                incubatees.get(c.code.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    if let Some(n) = incubatees.get("") {
        incubatees_by_chain.push(("未分类".into(), *n));
    }
    let mut by_focus_chain: Vec<(String, i64)> = by_focus
        .into_iter()
        .map(|(c, n)| (chain_name(c), n))
        .collect();
    by_focus_chain.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Dashboard {
        year,
        carriers_total: total,
        by_kind,
        by_place,
        by_focus_chain,
        incubatees_by_chain,
        trend,
        places,
        has_reports,
    })
}

/// The annual summary for a year, with the figures it was written from.
#[derive(Debug, Clone, Serialize)]
pub struct Annual {
    pub report: AnnualReport,
    pub dashboard: Dashboard,
    pub innovation: Innovation,
    pub funds: Vec<(String, i64)>,
    pub lineages: Vec<(String, Vec<String>, Vec<String>, i64)>,
}

pub async fn annual(state: &App, year: i64) -> Result<Annual, AppError> {
    let db = &state.db;
    let basis = Basis::load(state, year).await?;
    let lookups = &basis.lookups;
    let unfiltered = Filters::default();
    let (dashboard, zone_rows, paths, spinoffs) = tokio::try_join!(
        dashboard_from(state, &basis, year, &unfiltered),
        async { Ok(stats::zone_enterprises(db).await?) },
        async { Ok(stats::spinoff_paths(db).await?) },
        async { Ok::<_, AppError>(stats::spinoffs(db).await?) },
    )?;

    // Carriers by kind, level and place, the way §一 lists them.
    let mut carriers: Vec<CarrierTally> = Vec::new();
    for (c, place) in basis.registered() {
        let Some(kind) = CarrierKind::parse(&c.kind) else {
            continue;
        };
        let level = level_of(&c.level);
        match carriers
            .iter_mut()
            .find(|t| t.kind == kind && t.level == level && t.place == place.name)
        {
            Some(t) => t.count += 1,
            None => carriers.push(CarrierTally {
                kind,
                level,
                place_order: if place.in_zone {
                    format!("0{}", place.code)
                } else {
                    place.code.clone()
                },
                place: place.name.clone(),
                in_zone: place.in_zone,
                count: 1,
            }),
        }
    }

    let zones = lookups
        .zones
        .iter()
        .filter(|z| z.active)
        .filter_map(|z| {
            let mut chains: Vec<(&str, i64)> = zone_rows
                .iter()
                .filter(|r| r.zone_id == z.id && !r.chain_code.is_empty())
                .map(|r| (r.chain_code.as_str(), r.enterprises))
                .collect();
            let enterprises: i64 = zone_rows
                .iter()
                .filter(|r| r.zone_id == z.id)
                .map(|r| r.enterprises)
                .sum();
            if enterprises == 0 && !carriers_in(&dashboard, &z.code) {
                return None;
            }
            chains.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let top_chains = chains
                .iter()
                .take(3)
                .filter_map(|(c, _)| lookups.chain(Some(c)).map(|ch| ch.name_zh.clone()))
                .collect();
            Some(ZoneFacts {
                name: z.name_zh.clone(),
                enterprises,
                top_chains,
            })
        })
        .collect();
    let chains: Vec<ChainTally> = dashboard
        .incubatees_by_chain
        .iter()
        .map(|(name, n)| ChainTally {
            name: name.clone(),
            incubatees: *n,
        })
        .collect();
    let this_year = dashboard
        .trend
        .iter()
        .find(|t| t.year == year)
        .copied()
        .unwrap_or_default();
    let innovation = Innovation {
        incubatees: this_year.incubatees,
        employees: this_year.employees,
        high_level_talent: this_year.high_level_talent,
        patent_applications: this_year.patent_applications,
        patent_grants: this_year.patent_grants,
    };
    // The capital counts what users recorded: the funds open to incubatees (a sub-fund only for
    // what its guidance fund did not put in), and the year's investments.
    let capital = super::capital::portfolio::capital_year(state, year).await?;
    let funds: Vec<(String, i64)> = capital
        .counted
        .iter()
        .map(|f| (f.name.clone(), f.capital_k))
        .collect();
    let funds_k = capital.capital_k;
    // Named funds first: the guidance funds the city names in its documents are the largest.
    let fund_names = capital
        .counted
        .iter()
        .filter(|f| !f.is_sub_fund)
        .map(|f| f.name.clone())
        .collect();
    let seed_carriers: Vec<&super::capital::portfolio::CarrierCapital> = capital
        .carriers
        .iter()
        .filter(|c| c.seed_fund_k > 0)
        .collect();
    let capital_tally = fruition_domain::annual::CapitalTally {
        investments: capital.investments,
        amount_fen: capital.invested_fen,
        incubatees: capital.incubatees,
        incubatees_financed: capital.incubatees_financed,
        seed_fund_carriers: seed_carriers.len() as i64,
        seed_fund_carriers_over_line: seed_carriers.iter().filter(|c| c.meets_seed_line).count()
            as i64,
    };

    // (parent id, the lineage so far)
    let mut lineages: Vec<(i64, Lineage)> = Vec::new();
    for s in spinoffs {
        if s.started_on
            .get(..4)
            .and_then(|y| y.parse::<i64>().ok())
            .is_some_and(|y| y > year)
        {
            continue;
        }
        let entry = match lineages.iter_mut().position(|l| l.0 == s.parent_id) {
            Some(i) => &mut lineages[i],
            None => {
                let path = paths
                    .iter()
                    .filter(|(p, _)| *p == s.parent_id)
                    .map(|(_, n)| n.clone())
                    .collect();
                lineages.push((
                    s.parent_id,
                    Lineage {
                        parent: s.parent_name.clone(),
                        path,
                        notable: Vec::new(),
                        companies: 0,
                    },
                ));
                lineages.last_mut().expect("just pushed")
            }
        };
        if s.became_enterprise {
            entry.1.companies += 1;
            if s.notable {
                entry.1.notable.push(s.project_name.clone());
            }
        }
    }
    let mut lineages: Vec<Lineage> = lineages
        .into_iter()
        .map(|(_, l)| l)
        .filter(|l| l.companies > 0)
        .collect();
    lineages.sort_by(|a, b| b.companies.cmp(&a.companies).then(a.parent.cmp(&b.parent)));
    let contracts = super::deals::tally(state, year).await?;
    let pilot = super::pilot::tally(state, year).await?;
    let credit = super::credit::target::year_tally(state, year).await?;
    let approved_years = stats::approved_years(&state.db).await?;
    let input = AnnualInput {
        year,
        city: state.settings.city_name.clone(),
        carriers,
        zones,
        chains,
        innovation,
        funds_k,
        fund_names,
        lineages: lineages.clone(),
        contracts,
        pilot,
        credit,
        capital: capital_tally,
        training: {
            let (courses, attendances) =
                fruition_store::alliance::training::year_tally(&state.db, year).await?;
            fruition_domain::annual::TrainingTally {
                courses,
                attendances,
            }
        },
        approved_years,
    };
    Ok(Annual {
        report: annual::write(&input),
        dashboard,
        innovation,
        funds,
        lineages: lineages
            .into_iter()
            .map(|l| (l.parent, l.path, l.notable, l.companies))
            .collect(),
    })
}

fn carriers_in(d: &Dashboard, zone_code: &str) -> bool {
    d.by_place
        .iter()
        .any(|(p, n)| p.code == zone_code && *n > 0)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct KindCount {
    #[schema(value_type = fruition_domain::carrier::CarrierKind)]
    pub kind: String,
    pub national: i64,
    pub provincial: i64,
    pub municipal: i64,
    pub unrated: i64,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NamedCount {
    pub code: Option<String>,
    pub name: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct YearFiguresView {
    pub year: i64,
    pub incubatees: i64,
    pub employees: i64,
    pub high_level_talent: i64,
    pub patent_applications: i64,
    pub patent_grants: i64,
    pub revenue_k: i64,
    pub rd_spending_k: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StatisticsView {
    pub year: i64,
    /// Carriers in the registry at the year's end (matching the filters).
    pub carriers: i64,
    pub by_kind: Vec<KindCount>,
    /// Zone first where a carrier is in one, else its county.
    pub by_place: Vec<NamedCount>,
    pub by_focus_chain: Vec<NamedCount>,
    /// Incubatees in approved reports, by industrial chain.
    pub incubatees_by_chain: Vec<NamedCount>,
    /// The years up to `year` (at most five) from approved reports, ending at the last year
    /// that has any.
    pub trend: Vec<YearFiguresView>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportView {
    pub year: i64,
    pub title: String,
    pub sections: Vec<SectionView>,
    /// The whole report as plain text.
    pub text: String,
}
