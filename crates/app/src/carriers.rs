//! Carriers: the bureau registers, rates and revokes; carrier managers keep their own profile.

use fruition_domain::FieldError;
use fruition_domain::account::OrgName;
use fruition_domain::authz::Action;
use fruition_domain::carrier::{CarrierKind, Level};
use fruition_domain::date::IsoDate;
use fruition_domain::org::OrgKind;
use fruition_domain::reference;
use fruition_store::carriers::{self, Carrier, CarrierFilter, CarrierProfile, RatingRow};
use fruition_store::organisations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{Lookups, city};
use super::{Ctx, Problems};
use crate::App;
use crate::clock::rfc3339;
use crate::error::AppError;
use fruition_domain::carrier::CarrierStatus;

/// A carrier's profile as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierInput {
    pub name: String,
    #[schema(value_type = fruition_domain::carrier::CarrierKind)]
    pub kind: String,
    /// The organisation that operates the carrier (a carrier operator or an institution).
    pub operator_org_id: i64,
    /// The county-level unit: a GB/T 2260 code (430211) or its name (天元区).
    pub county: String,
    /// A functional zone's code or name (株洲国家高新区), or empty.
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub floor_area_m2: Option<i64>,
    /// Chain codes or names the carrier focuses on.
    #[serde(default)]
    pub focus_chains: Vec<String>,
    pub established_year: i64,
}

/// A carrier with its rating history and the names of its place.
#[derive(Debug, Clone, Serialize)]
pub struct CarrierDetail {
    pub carrier: Carrier,
    pub ratings: Vec<RatingRow>,
    pub county_name: &'static str,
    pub zone_name: Option<String>,
}

pub async fn list(
    state: &App,
    _ctx: &Ctx<'_>,
    year: i64,
    filter: &CarrierFilter,
) -> Result<Vec<Carrier>, AppError> {
    Ok(carriers::list(&state.db, year, filter).await?)
}

pub async fn get(state: &App, _ctx: &Ctx<'_>, id: i64) -> Result<CarrierDetail, AppError> {
    let carrier = carriers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ratings = carriers::ratings(&state.db, id).await?;
    let lookups = Lookups::cached(state).await?;
    Ok(CarrierDetail {
        county_name: super::reference::county_name(&carrier.county_code),
        zone_name: lookups.zone(carrier.zone_id).map(|z| z.name_zh.clone()),
        carrier,
        ratings,
    })
}

async fn validate(state: &App, input: &CarrierInput) -> Result<CarrierProfile, AppError> {
    let mut p = Problems::default();
    let name = p.check(OrgName::parse(&input.name));
    let kind = CarrierKind::parse(input.kind.trim());
    if kind.is_none() {
        p.push("kind", "请选择载体类型", "Choose the kind of carrier");
    }
    match organisations::get(&state.db, input.operator_org_id).await? {
        Some(org) if matches!(org.kind, OrgKind::CarrierOperator | OrgKind::Institution) => {}
        Some(_) => p.push(
            "operator_org_id",
            "运营主体须为载体运营机构或高校院所",
            "The operator must be a carrier operator or an institution",
        ),
        None => p.push("operator_org_id", "运营主体不存在", "No such operator"),
    }
    let county = p.check(reference::parse_county_in(&city(state), &input.county));
    let lookups = Lookups::cached(state).await?;
    let zone_id = match input
        .zone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(z) => match lookups.find_zone(z) {
            Some(zone) => {
                if county.is_some_and(|c| c.code.as_str() != zone.county_code) {
                    p.push(
                        "zone",
                        &format!(
                            "{}位于{}，与所选区县不符",
                            zone.name_zh,
                            super::reference::county_name(&zone.county_code)
                        ),
                        &format!(
                            "{} lies in {}, not in the chosen county",
                            zone.name_en, zone.county_code
                        ),
                    );
                }
                Some(zone.id)
            }
            None => {
                p.push("zone", "没有这个功能区", "No such functional zone");
                None
            }
        },
    };
    if input
        .floor_area_m2
        .is_some_and(|a| !(0..=10_000_000).contains(&a))
    {
        p.push(
            "floor_area_m2",
            "场地面积应在 0–10,000,000 平方米之间",
            "The floor area must be 0–10,000,000 m²",
        );
    }
    let mut chains = Vec::new();
    for ch in input
        .focus_chains
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        match lookups.find_chain(ch) {
            Some(c) if !chains.contains(&c.code) => chains.push(c.code.clone()),
            Some(_) => {}
            None => p.push(
                "focus_chains",
                &format!("没有产业链“{ch}”"),
                &format!("No industrial chain “{ch}”"),
            ),
        }
    }
    let this_year = crate::clock::this_year();
    if !(1949..=this_year + 1).contains(&input.established_year) {
        p.push(
            "established_year",
            "成立年份无效",
            "The year established is not valid",
        );
    }
    p.into_result()?;
    let (Some(name), Some(kind), Some(county)) = (name, kind, county) else {
        return Err(AppError::Invalid(vec![]));
    };
    Ok(CarrierProfile {
        name: name.into_string(),
        kind,
        operator_org_id: input.operator_org_id,
        county_code: county.code.as_str().to_string(),
        zone_id,
        address: input
            .address
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        floor_area_m2: input.floor_area_m2,
        focus_chains: chains.join(","),
        established_year: input.established_year,
    })
}

pub async fn create(state: &App, ctx: &Ctx<'_>, input: &CarrierInput) -> Result<Carrier, AppError> {
    ctx.require(Action::RegisterCarrier)?;
    let profile = validate(state, input).await?;
    let mut tx = state.db.begin().await?;
    let carrier = carriers::insert(&mut tx, &ctx.audit(), &profile).await?;
    tx.commit().await?;
    Ok(carrier)
}

pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CarrierInput,
) -> Result<Carrier, AppError> {
    let existing = carriers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::UpdateCarrier {
        operator_org_id: existing.operator_org_id,
    })?;
    let is_bureau = ctx.require(Action::RegisterCarrier).is_ok();
    if !is_bureau
        && (input.operator_org_id != existing.operator_org_id
            || input.kind.trim() != existing.kind.code())
    {
        return Err(AppError::invalid(FieldError::new(
            "operator_org_id",
            "bureau_only",
            "载体类型和运营主体由科技局变更",
            "Only the bureau changes a carrier's kind or operator",
        )));
    }
    let profile = validate(state, input).await?;
    let mut tx = state.db.begin().await?;
    let carrier = carriers::update(&mut tx, &ctx.audit(), id, &profile).await?;
    tx.commit().await?;
    Ok(carrier)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// `national`, `provincial` or `municipal`.
    #[schema(value_type = fruition_domain::carrier::Level)]
    pub level: String,
    pub year_granted: i64,
    /// 认定单位, e.g. 科学技术部, 湖南省科学技术厅.
    pub granting_body: String,
    #[serde(default)]
    pub document_no: Option<String>,
}

pub async fn rate(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &RatingInput,
) -> Result<RatingRow, AppError> {
    ctx.require(Action::RegisterCarrier)?;
    let carrier = carriers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let level = Level::parse(input.level.trim());
    if level.is_none() {
        p.push("level", "请选择级别", "Choose the level");
    }
    if input.year_granted < carrier.established_year || input.year_granted > 2200 {
        p.push(
            "year_granted",
            "认定年份不能早于载体成立年份",
            "The year granted cannot be before the carrier was established",
        );
    }
    let body = input.granting_body.trim();
    if body.chars().count() < 2 || body.chars().count() > 100 {
        p.push(
            "granting_body",
            "请填写认定单位（2–100 字）",
            "Give the granting body (2–100 characters)",
        );
    }
    p.into_result()?;
    let Some(level) = level else {
        return Err(AppError::Invalid(vec![]));
    };
    let doc = input
        .document_no
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut tx = state.db.begin().await?;
    let row = carriers::add_rating(
        &mut tx,
        &ctx.audit(),
        id,
        level,
        input.year_granted,
        body,
        doc,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    /// The day the carrier was revoked (YYYY-MM-DD); empty with `restore` to restore it.
    #[serde(default)]
    pub revoked_on: String,
    #[serde(default)]
    pub reason: String,
    /// Restore a revoked carrier instead.
    #[serde(default)]
    pub restore: bool,
}

pub async fn revoke(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &RevokeInput,
) -> Result<Carrier, AppError> {
    ctx.require(Action::RegisterCarrier)?;
    carriers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx;
    let carrier = if input.restore {
        tx = state.db.begin().await?;
        carriers::set_revoked(&mut tx, &ctx.audit(), id, None).await?
    } else {
        let mut p = Problems::default();
        let on = p.check(IsoDate::parse_field(&input.revoked_on, "revoked_on"));
        let reason = input.reason.trim();
        if reason.chars().count() < 2 {
            p.push("reason", "请填写撤销原因", "Give the reason for revoking");
        }
        p.into_result()?;
        let Some(on) = on else {
            return Err(AppError::Invalid(vec![]));
        };
        tx = state.db.begin().await?;
        carriers::set_revoked(&mut tx, &ctx.audit(), id, Some((&on.to_string(), reason))).await?
    };
    tx.commit().await?;
    Ok(carrier)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct CarrierView {
    pub id: i64,
    pub name: String,
    pub kind: CarrierKind,
    pub operator_org_id: i64,
    pub operator_name: String,
    /// GB/T 2260 county-level code.
    pub county_code: String,
    pub county_name: String,
    pub zone_id: Option<i64>,
    pub address: Option<String>,
    pub floor_area_m2: Option<i64>,
    pub focus_chains: Vec<String>,
    pub established_year: i64,
    pub status: CarrierStatus,
    pub revoked_on: Option<String>,
    pub revoked_reason: Option<String>,
    /// The level that holds (in the year asked for; now by default).
    pub level: Option<Level>,
    pub updated_at: String,
}

impl From<Carrier> for CarrierView {
    fn from(c: Carrier) -> Self {
        CarrierView {
            level: c.level(),
            county_name: crate::reference::county_name(&c.county_code).to_string(),
            focus_chains: c
                .focus_chains
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            id: c.id,
            name: c.name,
            kind: c.kind,
            operator_org_id: c.operator_org_id,
            operator_name: c.operator_name,
            county_code: c.county_code,
            zone_id: c.zone_id,
            address: c.address,
            floor_area_m2: c.floor_area_m2,
            established_year: c.established_year,
            status: c.status,
            revoked_on: c.revoked_on,
            revoked_reason: c.revoked_reason,
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RatingView {
    pub id: i64,
    pub level: Level,
    pub year_granted: i64,
    pub granting_body: String,
    pub document_no: Option<String>,
}

impl From<RatingRow> for RatingView {
    fn from(r: RatingRow) -> Self {
        RatingView {
            id: r.id,
            level: r.level,
            year_granted: r.year_granted,
            granting_body: r.granting_body,
            document_no: r.document_no,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CarrierDetailView {
    pub carrier: CarrierView,
    pub ratings: Vec<RatingView>,
    pub zone_name: Option<String>,
}
