//! Reference data: the city's counties (GB/T 2260, embedded), functional zones and industrial
//! chains (kept by the bureau, seeded from `data/` on a new installation).

use fruition_domain::reference::{self, Division};
use fruition_domain::region::RegionCode;
use fruition_store::audit::AuditCtx;
use fruition_store::reference::{self as store, Chain, ChainInput, NewZone, Zone};
use fruition_store::{Db, Result};

use crate::AppState;

/// The city's code as configured (validated at start-up).
pub fn city(state: &AppState) -> RegionCode {
    RegionCode::parse(&state.settings.city_code)
        .unwrap_or_else(|_| RegionCode::parse("430200").expect("a valid literal code"))
}

/// The county-level units of the configured city.
pub fn counties(state: &AppState) -> Vec<&'static Division> {
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
