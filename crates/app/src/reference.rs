//! Reference data: the city's counties (GB/T 2260, embedded), functional zones and industrial
//! chains (kept by the bureau, seeded from `data/` on a new installation).

use fruition_domain::reference::{self, Division};
use fruition_domain::region::RegionCode;
use fruition_store::audit::AuditCtx;
use fruition_store::reference::{self as store, Chain, ChainInput, NewZone, Zone};
use fruition_store::{Db, Result};

use std::sync::Arc;

use crate::App;
use serde::Serialize;
use utoipa::ToSchema;

/// The city's code as configured (validated at start-up).
pub fn city(state: &App) -> RegionCode {
    RegionCode::parse(&state.settings.city_code)
        .unwrap_or_else(|_| RegionCode::parse("430200").expect("a valid literal code"))
}

/// The county-level units of the configured city.
pub fn counties(state: &App) -> Vec<&'static Division> {
    reference::counties_of(&city(state))
}

/// The name of a county-level unit by code ("" when unknown).
pub fn county_name(code: &str) -> &'static str {
    RegionCode::parse(code)
        .ok()
        .and_then(|c| reference::division(&c))
        .map(|d| d.name)
        .unwrap_or("")
}

/// Fills empty zone and chain tables with the defaults for the city. Safe to run on every start.
pub async fn seed_defaults(db: &Db, city: &RegionCode) -> Result<()> {
    let ctx = AuditCtx::system("reference-data");
    if store::zones(db).await?.is_empty() {
        let mut tx = db.begin().await?;
        for z in reference::default_zones(city) {
            let zone = NewZone {
                code: z.code.into(),
                name_zh: z.name_zh.into(),
                name_en: z.name_en.into(),
                county_code: z.county.as_str().into(),
            };
            store::insert_zone(&mut tx, &ctx, &zone).await?;
        }
        tx.commit().await?;
    }
    if store::chains(db).await?.is_empty() {
        let mut tx = db.begin().await?;
        for (i, ch) in reference::default_chains().iter().enumerate() {
            let input = ChainInput {
                code: ch.code.into(),
                name_zh: ch.name_zh.into(),
                name_en: ch.name_en.into(),
                divisions: ch.divisions.join(","),
                sort_order: i as i64 + 1,
                active: true,
            };
            store::insert_chain(&mut tx, &ctx, &input).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Zones and chains, read together for forms and reports.
pub struct Lookups {
    pub zones: Vec<Zone>,
    pub chains: Vec<Chain>,
}

impl Lookups {
    pub async fn load(db: &Db) -> Result<Lookups> {
        Ok(Lookups {
            zones: store::zones(db).await?,
            chains: store::chains(db).await?,
        })
    }

    /// The zones and chains as [`Lookups::load`] reads them, kept for the next requests until
    /// this process writes or two seconds pass (`crate::fresh`): every listing a page shows
    /// needs them for its labels.
    pub async fn cached(state: &App) -> Result<Arc<Lookups>> {
        if let Some(kept) = state.lookups.get(&()) {
            return Ok(kept);
        }
        let writes = fruition_store::writes();
        let read = Arc::new(Lookups::load(&state.db).await?);
        state.lookups.put((), writes, read.clone());
        Ok(read)
    }

    pub fn zone(&self, id: Option<i64>) -> Option<&Zone> {
        id.and_then(|id| self.zones.iter().find(|z| z.id == id))
    }

    pub fn chain(&self, code: Option<&str>) -> Option<&Chain> {
        code.and_then(|c| self.chains.iter().find(|ch| ch.code == c))
    }

    /// A chain by code or by Chinese or English name.
    pub fn find_chain(&self, input: &str) -> Option<&Chain> {
        let s = input.trim();
        self.chains
            .iter()
            .find(|ch| ch.code == s || ch.name_zh == s || ch.name_en.eq_ignore_ascii_case(s))
    }

    /// A zone by code or name.
    pub fn find_zone(&self, input: &str) -> Option<&Zone> {
        let s = input.trim();
        self.zones
            .iter()
            .find(|z| z.code == s || z.name_zh == s || z.name_en.eq_ignore_ascii_case(s))
    }
}

/// A functional zone the bureau adds.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    /// A short identifier: lower-case letters, digits and `_`, e.g. `ll_ceramics`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The county-level unit it lies in (code or name).
    pub county: String,
}

fn check_code(p: &mut super::Problems, code: &str) {
    let ok = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        p.push(
            "code",
            "代码须为 2–32 个小写字母、数字或下划线",
            "The code must be 2–32 lower-case letters, digits or underscores",
        );
    }
}

fn check_names(p: &mut super::Problems, zh: &str, en: &str) {
    if !(2..=50).contains(&zh.trim().chars().count()) {
        p.push(
            "name_zh",
            "中文名称须为 2–50 字",
            "The Chinese name must be 2–50 characters",
        );
    }
    if !(2..=100).contains(&en.trim().chars().count()) {
        p.push(
            "name_en",
            "英文名称须为 2–100 个字符",
            "The English name must be 2–100 characters",
        );
    }
}

pub async fn create_zone(
    state: &App,
    ctx: &super::Ctx<'_>,
    input: &ZoneInput,
) -> std::result::Result<Zone, crate::error::AppError> {
    ctx.require(fruition_domain::authz::Action::EditReference)?;
    let mut p = super::Problems::default();
    check_code(&mut p, input.code.trim());
    check_names(&mut p, &input.name_zh, &input.name_en);
    let county = p.check(reference::parse_county_in(&city(state), &input.county));
    p.into_result()?;
    let Some(county) = county else {
        return Err(crate::error::AppError::Invalid(vec![]));
    };
    let zone = NewZone {
        code: input.code.trim().into(),
        name_zh: input.name_zh.trim().into(),
        name_en: input.name_en.trim().into(),
        county_code: county.code.as_str().into(),
    };
    let mut tx = state.db.begin().await?;
    let zone = store::insert_zone(&mut tx, &ctx.audit(), &zone).await?;
    tx.commit().await?;
    Ok(zone)
}

/// An industrial chain the bureau adds or edits.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainEdit {
    /// A short identifier (lower-case letters, digits, `_`); fixed once created.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// GB/T 4754-2017 division codes (two digits) or section letters.
    pub divisions: Vec<String>,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn chain_input(p: &mut super::Problems, input: &ChainEdit) -> ChainInput {
    check_code(p, input.code.trim());
    check_names(p, &input.name_zh, &input.name_en);
    let mut divisions: Vec<String> = Vec::new();
    for d in input
        .divisions
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
    {
        let expanded: Vec<String> = match d.chars().next() {
            Some(c) if d.len() == 1 && c.is_ascii_uppercase() => reference::industry_divisions()
                .iter()
                .filter(|x| x.section == c)
                .map(|x| x.code.to_string())
                .collect(),
            _ => reference::industry_division(d)
                .map(|x| vec![x.code.to_string()])
                .unwrap_or_default(),
        };
        if expanded.is_empty() {
            p.push(
                "divisions",
                &format!("“{d}”不是 GB/T 4754-2017 的门类或大类代码"),
                &format!("“{d}” is not a GB/T 4754-2017 section or division"),
            );
        }
        for x in expanded {
            if !divisions.contains(&x) {
                divisions.push(x);
            }
        }
    }
    if divisions.is_empty() {
        p.push(
            "divisions",
            "请至少填写一个行业大类",
            "Give at least one industry division",
        );
    }
    divisions.sort();
    ChainInput {
        code: input.code.trim().into(),
        name_zh: input.name_zh.trim().into(),
        name_en: input.name_en.trim().into(),
        divisions: divisions.join(","),
        sort_order: input.sort_order,
        active: input.active,
    }
}

pub async fn create_chain(
    state: &App,
    ctx: &super::Ctx<'_>,
    input: &ChainEdit,
) -> std::result::Result<Chain, crate::error::AppError> {
    ctx.require(fruition_domain::authz::Action::EditReference)?;
    let mut p = super::Problems::default();
    let chain = chain_input(&mut p, input);
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let chain = store::insert_chain(&mut tx, &ctx.audit(), &chain).await?;
    tx.commit().await?;
    Ok(chain)
}

pub async fn update_chain(
    state: &App,
    ctx: &super::Ctx<'_>,
    id: i64,
    input: &ChainEdit,
) -> std::result::Result<Chain, crate::error::AppError> {
    ctx.require(fruition_domain::authz::Action::EditReference)?;
    let mut p = super::Problems::default();
    let chain = chain_input(&mut p, input);
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let chain = store::update_chain(&mut tx, &ctx.audit(), id, &chain).await?;
    tx.commit().await?;
    Ok(chain)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct CountyView {
    /// GB/T 2260 code.
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ZoneView {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The county-level unit the zone lies in.
    pub county_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChainView {
    pub id: i64,
    pub sort_order: i64,
    pub active: bool,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// GB/T 4754-2017 divisions the chain maps to.
    pub divisions: Vec<String>,
}

impl From<Chain> for ChainView {
    fn from(c: Chain) -> Self {
        ChainView {
            id: c.id,
            sort_order: c.sort_order,
            active: c.active,
            divisions: c
                .divisions
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            code: c.code,
            name_zh: c.name_zh,
            name_en: c.name_en,
        }
    }
}

impl From<Zone> for ZoneView {
    fn from(z: Zone) -> Self {
        ZoneView {
            id: z.id,
            code: z.code,
            name_zh: z.name_zh,
            name_en: z.name_en,
            county_code: z.county_code,
        }
    }
}
