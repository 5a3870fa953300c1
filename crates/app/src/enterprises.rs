//! Enterprises: registered by the bureau or by the carrier that incubates them; their incubation
//! spells; who may see their figures.

use fruition_domain::FieldError;
use fruition_domain::account::OrgName;
use fruition_domain::authz::{Action, OrgScope, org_scope};
use fruition_domain::date::IsoDate;
use fruition_domain::org::OrgKind;
use fruition_domain::reference;
use fruition_domain::region::RegionCode;
use fruition_domain::uscc::Uscc;
use fruition_store::enterprises::{
    self, Enterprise, EnterpriseFilter, EnterpriseProfile, EnterpriseRow, Incubation,
};
use fruition_store::indicators::{self, IndicatorRow};
use fruition_store::{Tx, carriers, organisations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{Lookups, city};
use super::{Ctx, Problems};
use crate::App;
use crate::error::{AppError, Problem};
use fruition_domain::indicators::Indicators;

/// An enterprise's profile as a form, the API or an imported row gives it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    /// 统一社会信用代码 (GB 32100), checked.
    pub uscc: String,
    pub name: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub founded_on: Option<String>,
    /// A county-level code (430211) or name (天元区).
    pub county: String,
    /// A functional zone's code or name, or empty.
    #[serde(default)]
    pub zone: Option<String>,
    /// The industrial chain's code or name (先进制造).
    #[serde(default)]
    pub chain: Option<String>,
    /// A GB/T 4754-2017 division code (two digits).
    #[serde(default)]
    pub industry_division: Option<String>,
    #[serde(default)]
    pub high_tech: bool,
    #[serde(default)]
    pub tech_sme: bool,
    /// The parent enterprise's USCC, for a spin-off or subsidiary.
    #[serde(default)]
    pub parent_uscc: Option<String>,
}

/// A profile that passed the checks, with the warnings to show (a failed check of the embedded
/// organisation code is a warning, not a rejection).
pub struct Checked {
    pub profile: EnterpriseProfile,
    pub warnings: Vec<FieldError>,
}

/// The checks of a profile that need no database (all but the parent and the enterprise's own
/// organisation): every problem is in the returned list, each naming its field (`uscc`, `name`,
/// `founded_on`, `county`, `zone`, `chain`, `industry_division`). An import runs them on every row.
pub fn check_profile(
    city: &RegionCode,
    lookups: &Lookups,
    input: &EnterpriseInput,
) -> Result<Checked, Vec<Problem>> {
    let mut p = Problems::default();
    let checked = check_fields(&mut p, city, lookups, input);
    match checked {
        Some(c) if p.0.is_empty() => Ok(c),
        _ => Err(p.0),
    }
}

fn check_fields(
    p: &mut Problems,
    city: &RegionCode,
    lookups: &Lookups,
    input: &EnterpriseInput,
) -> Option<Checked> {
    let uscc = p.check(Uscc::parse(&input.uscc));
    let warnings = uscc.as_ref().map(|u| u.warnings()).unwrap_or_default();
    let name = p.check(OrgName::parse(&input.name));
    let founded_on = p
        .optional(input.founded_on.as_deref(), |s| {
            IsoDate::parse_field(s, "founded_on")
        })
        .map(|d| d.to_string());
    let county = p.check(reference::parse_county_in(city, &input.county));
    let zone_id = match input
        .zone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(z) => match lookups.find_zone(z) {
            Some(zone) if county.is_none_or(|c| c.code.as_str() == zone.county_code) => {
                Some(zone.id)
            }
            Some(zone) => {
                p.push(
                    "zone",
                    &format!("{}不在所填区县内", zone.name_zh),
                    &format!("{} is not in the county given", zone.name_en),
                );
                None
            }
            None => {
                p.push(
                    "zone",
                    &format!("没有功能区“{z}”"),
                    &format!("No functional zone “{z}”"),
                );
                None
            }
        },
    };
    let chain_code = match input
        .chain
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(c) => match lookups.find_chain(c) {
            Some(ch) => Some(ch.code.clone()),
            None => {
                p.push(
                    "chain",
                    &format!("没有产业链“{c}”"),
                    &format!("No industrial chain “{c}”"),
                );
                None
            }
        },
    };
    let industry_division = match input
        .industry_division
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(d) => match reference::industry_division(d) {
            Some(div) => Some(div.code.to_string()),
            None => {
                p.push(
                    "industry_division",
                    &format!("“{d}”不是 GB/T 4754-2017 的行业大类代码"),
                    &format!("“{d}” is not a GB/T 4754-2017 division"),
                );
                None
            }
        },
    };
    Some(Checked {
        profile: EnterpriseProfile {
            uscc: uscc?.as_str().to_string(),
            name: name?.into_string(),
            founded_on,
            county_code: county?.code.as_str().to_string(),
            zone_id,
            chain_code,
            industry_division,
            high_tech: input.high_tech,
            tech_sme: input.tech_sme,
            parent_id: None,
            org_id: None,
        },
        warnings,
    })
}

/// Checks an enterprise's profile. Reads what it needs from the transaction, so an import can
/// check many rows against what it has already written.
pub async fn check(
    state: &App,
    tx: &mut Tx,
    lookups: &Lookups,
    input: &EnterpriseInput,
) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let checked = check_fields(&mut p, &city(state), lookups, input);
    let parent_id = match input
        .parent_uscc
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => match Uscc::parse(code) {
            Err(e) => {
                p.check::<()>(Err(e.for_field("parent_uscc")));
                None
            }
            Ok(code) => match enterprises::find_by_uscc_in(tx, code.as_str()).await? {
                Some(parent) => Some(parent.id),
                None => {
                    p.push(
                        "parent_uscc",
                        "母公司尚未登记",
                        "The parent enterprise is not registered",
                    );
                    None
                }
            },
        },
    };
    p.into_result()?;
    let Some(mut checked) = checked else {
        return Err(AppError::Invalid(vec![]));
    };
    // The enterprise's own organisation, when one with the same code has joined the platform.
    checked.profile.org_id = organisations::find_by_uscc(&state.db, &checked.profile.uscc)
        .await?
        .filter(|o| o.kind == OrgKind::Enterprise)
        .map(|o| o.id);
    checked.profile.parent_id = parent_id;
    Ok(checked)
}

/// Enterprises the actor may list: all for the bureau; a carrier operator's current incubatees;
/// an enterprise's own record.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    mut filter: EnterpriseFilter,
) -> Result<Vec<EnterpriseRow>, AppError> {
    let actor = ctx.principal.actor();
    if org_scope(&actor) != OrgScope::All {
        match actor.org_kind {
            OrgKind::CarrierOperator | OrgKind::Institution => {
                filter.operator_org_id = Some(actor.org_id)
            }
            _ => filter.org_id = Some(actor.org_id),
        }
    }
    Ok(enterprises::list(&state.db, &filter).await?)
}

/// An enterprise with its spells and yearly figures.
#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseDetail {
    pub enterprise: Enterprise,
    pub incubations: Vec<Incubation>,
    pub indicators: Vec<IndicatorRow>,
    pub parent: Option<Enterprise>,
    pub can_edit: bool,
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<EnterpriseDetail, AppError> {
    let enterprise = enterprises::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let related_orgs = enterprises::related_orgs(&state.db, id).await?;
    ctx.require(Action::ViewEnterprise {
        related_orgs: related_orgs.clone(),
    })?;
    let parent = match enterprise.parent_id {
        Some(pid) => enterprises::get(&state.db, pid).await?,
        None => None,
    };
    let incubations = enterprises::incubations(&state.db, id).await?;
    let related_orgs = editors(state, &enterprise, &incubations).await?;
    Ok(EnterpriseDetail {
        indicators: indicators::for_enterprise(&state.db, id).await?,
        can_edit: ctx
            .require(Action::UpdateEnterprise { related_orgs })
            .is_ok(),
        incubations,
        parent,
        enterprise,
    })
}

/// The organisations whose users may change an enterprise: its own, and the operator of the
/// carrier where it incubates now. A carrier it has left still sees its history, but no longer
/// changes it.
async fn editors(
    state: &App,
    enterprise: &Enterprise,
    incubations: &[Incubation],
) -> Result<Vec<i64>, AppError> {
    let mut orgs: Vec<i64> = enterprise.org_id.into_iter().collect();
    if let Some(open) = incubations.iter().find(|i| i.exited_on.is_none())
        && let Some(carrier) = carriers::get(&state.db, open.carrier_id).await?
    {
        orgs.push(carrier.operator_org_id);
    }
    Ok(orgs)
}

/// Where a new enterprise enters incubation, if it does.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnterpriseInput {
    pub enterprise: EnterpriseInput,
    /// The carrier it enters (its managers may register it), with the date.
    #[serde(default)]
    pub carrier_id: Option<i64>,
    #[serde(default)]
    pub entered_on: Option<String>,
}

/// Registers an enterprise; with a carrier, opens its first incubation spell there.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    profile: &EnterpriseInput,
    carrier: Option<(i64, &str)>,
) -> Result<(Enterprise, Vec<FieldError>), AppError> {
    let operator = match carrier {
        Some((carrier_id, _)) => {
            let c = carriers::get(&state.db, carrier_id)
                .await?
                .ok_or(AppError::NotFound)?;
            ctx.require(Action::AddIncubatee {
                operator_org_id: c.operator_org_id,
            })?;
            Some(c.operator_org_id)
        }
        None => {
            ctx.require(Action::UpdateEnterprise {
                related_orgs: vec![],
            })?;
            None
        }
    };
    let entered = match carrier {
        Some((_, on)) => Some(IsoDate::parse_field(on, "entered_on").map_err(AppError::invalid)?),
        None => None,
    };
    let lookups = Lookups::cached(state).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let checked = check(state, &mut tx, &lookups, profile).await?;
    let enterprise = enterprises::insert(&mut tx, &audit, &checked.profile).await?;
    if let (Some((carrier_id, _)), Some(on), Some(op)) = (carrier, entered, operator) {
        enterprises::enter(
            &mut tx,
            &audit,
            enterprise.id,
            carrier_id,
            &on.to_string(),
            op,
        )
        .await?;
    }
    tx.commit().await?;
    Ok((enterprise, checked.warnings))
}

pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &EnterpriseInput,
) -> Result<(Enterprise, Vec<FieldError>), AppError> {
    let existing = enterprises::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let incubations = enterprises::incubations(&state.db, id).await?;
    ctx.require(Action::UpdateEnterprise {
        related_orgs: editors(state, &existing, &incubations).await?,
    })?;
    let lookups = Lookups::cached(state).await?;
    let mut tx = state.db.begin().await?;
    let mut checked = check(state, &mut tx, &lookups, input).await?;
    if checked.profile.parent_id == Some(id) {
        return Err(AppError::invalid(FieldError::new(
            "parent_uscc",
            "self_parent",
            "企业不能是自己的母公司",
            "An enterprise cannot be its own parent",
        )));
    }
    checked.profile.org_id = existing.org_id.or(checked.profile.org_id);
    let enterprise = enterprises::update(&mut tx, &ctx.audit(), id, &checked.profile).await?;
    tx.commit().await?;
    Ok((enterprise, checked.warnings))
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterInput {
    pub carrier_id: i64,
    /// YYYY-MM-DD.
    pub entered_on: String,
}

/// Opens an incubation spell (refused while another is open).
pub async fn enter(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &EnterInput,
) -> Result<Incubation, AppError> {
    enterprises::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let carrier = carriers::get(&state.db, input.carrier_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(FieldError::new(
                "carrier_id",
                "unknown",
                "没有这个载体",
                "No such carrier",
            ))
        })?;
    ctx.require(Action::AddIncubatee {
        operator_org_id: carrier.operator_org_id,
    })?;
    let on = IsoDate::parse_field(&input.entered_on, "entered_on").map_err(AppError::invalid)?;
    let mut tx = state.db.begin().await?;
    if let Some(open) = enterprises::open_incubation_in(&mut tx, id).await? {
        return Err(AppError::Conflict {
            field: "carrier_id".into(),
            zh: format!("该企业正在{}孵化，须先办理毕业或离开", open.carrier_name),
            en: format!(
                "The enterprise is incubating at {}; close that spell first",
                open.carrier_name
            ),
        });
    }
    let spell = enterprises::enter(
        &mut tx,
        &ctx.audit(),
        id,
        carrier.id,
        &on.to_string(),
        carrier.operator_org_id,
    )
    .await?;
    tx.commit().await?;
    Ok(spell)
}

/// How an incubation spell ended: `graduated` (毕业) or `left` (离开).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExitKind {
    Graduated,
    Left,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitInput {
    /// YYYY-MM-DD.
    pub exited_on: String,
    /// `graduated` (毕业) or `left` (离开).
    #[schema(value_type = ExitKind)]
    pub kind: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Closes the open spell: graduated or left, on a date, for a reason.
pub async fn exit(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ExitInput,
) -> Result<Incubation, AppError> {
    let mut p = Problems::default();
    let on = p.check(IsoDate::parse_field(&input.exited_on, "exited_on"));
    if !matches!(input.kind.as_str(), "graduated" | "left") {
        p.push("kind", "请选择毕业或离开", "Choose graduated or left");
    }
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if input.kind == "left" && reason.is_none() {
        p.push("reason", "离开须填写原因", "Give the reason for leaving");
    }
    p.into_result()?;
    let Some(on) = on else {
        return Err(AppError::Invalid(vec![]));
    };
    let mut tx = state.db.begin().await?;
    let spell = enterprises::open_incubation_in(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let carrier = carriers::get(&state.db, spell.carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::UpdateCarrier {
        operator_org_id: carrier.operator_org_id,
    })?;
    if on.to_string() < spell.entered_on {
        return Err(AppError::invalid(FieldError::new(
            "exited_on",
            "before_entry",
            "离开日期早于入孵日期",
            "The exit date is before the entry date",
        )));
    }
    let spell = enterprises::exit(
        &mut tx,
        &ctx.audit(),
        &spell,
        &on.to_string(),
        &input.kind,
        reason,
        carrier.operator_org_id,
    )
    .await?;
    tx.commit().await?;
    Ok(spell)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct EnterpriseView {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub founded_on: Option<String>,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub chain_code: Option<String>,
    pub industry_division: Option<String>,
    pub high_tech: bool,
    pub tech_sme: bool,
    pub parent_id: Option<i64>,
    /// The carrier where it is incubating now.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
}

impl From<EnterpriseRow> for EnterpriseView {
    fn from(r: EnterpriseRow) -> Self {
        let mut v = EnterpriseView::from(r.enterprise);
        v.carrier_id = r.carrier_id;
        v.carrier_name = r.carrier_name;
        v
    }
}

impl From<Enterprise> for EnterpriseView {
    fn from(e: Enterprise) -> Self {
        EnterpriseView {
            id: e.id,
            uscc: e.uscc,
            name: e.name,
            founded_on: e.founded_on,
            county_code: e.county_code,
            zone_id: e.zone_id,
            chain_code: e.chain_code,
            industry_division: e.industry_division,
            high_tech: e.high_tech,
            tech_sme: e.tech_sme,
            parent_id: e.parent_id,
            carrier_id: None,
            carrier_name: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncubationView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub entered_on: String,
    pub exited_on: Option<String>,
    /// `graduated` or `left`.
    #[schema(value_type = Option<ExitKind>)]
    pub exit_kind: Option<String>,
    pub exit_reason: Option<String>,
}

impl From<Incubation> for IncubationView {
    fn from(i: Incubation) -> Self {
        IncubationView {
            id: i.id,
            carrier_id: i.carrier_id,
            carrier_name: i.carrier_name,
            entered_on: i.entered_on,
            exited_on: i.exited_on,
            exit_kind: i.exit_kind,
            exit_reason: i.exit_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct YearFigures {
    pub year: i64,
    pub report_id: Option<i64>,
    pub indicators: Indicators,
}

impl From<IndicatorRow> for YearFigures {
    fn from(r: IndicatorRow) -> Self {
        YearFigures {
            year: r.year,
            report_id: r.report_id,
            indicators: r.indicators(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDetailView {
    pub enterprise: EnterpriseView,
    pub incubations: Vec<IncubationView>,
    pub years: Vec<YearFigures>,
}

/// A saved enterprise with the warnings its code raised (e.g. the embedded organisation code's check).
#[derive(Serialize, ToSchema)]
pub struct SavedEnterprise {
    pub enterprise: EnterpriseView,
    pub warnings: Vec<String>,
}
