//! Need-collection campaigns: the campaign and its chains, the firms each carrier asked and the
//! needs it collected (each a market listing, written by `market::insert` in the same
//! transaction), and each carrier's coverage in one grouped pass per table.
//!
//! A firm is asked once per campaign (`campaign_contacts_enterprise_key`): asking it again
//! updates what came of it. Each write keeps its audit entry in the same transaction.

use fruition_domain::audit::AuditAction;
use fruition_domain::campaign::{CampaignStatus, ContactOutcome, Coverage};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A campaign with its chains (codes, in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub opens_on: String,
    pub deadline: String,
    #[sqlx(try_from = "String")]
    pub status: CampaignStatus,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    #[sqlx(skip)]
    pub chains: Vec<String>,
}

macro_rules! campaign_select {
    () => {
        "SELECT id, title, theme, opens_on, deadline, status, created_by, created_at, updated_at \
         FROM need_campaigns"
    };
}

fn with_chains(mut list: Vec<Campaign>, chains: &[(i64, String)]) -> Vec<Campaign> {
    for c in &mut list {
        c.chains = chains
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, code)| code.clone())
            .collect();
    }
    list
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Campaign>> {
    let c: Option<Campaign> = on_db!(db, p => sqlx::query_as::<_, Campaign>(concat!(campaign_select!(), " WHERE id = $1"))
        .bind(id).fetch_optional(p).await)?;
    let Some(c) = c else { return Ok(None) };
    let chains: Vec<(i64, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT campaign_id, chain_code FROM need_campaign_chains WHERE campaign_id = $1 ORDER BY chain_code")
        .bind(id).fetch_all(p).await)?;
    Ok(with_chains(vec![c], &chains).pop())
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Campaign> {
    let mut c: Campaign = on_tx!(tx, c => sqlx::query_as::<_, Campaign>(concat!(campaign_select!(), " WHERE id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)?;
    c.chains = on_tx!(tx, x => sqlx::query_scalar(
        "SELECT chain_code FROM need_campaign_chains WHERE campaign_id = $1 ORDER BY chain_code")
        .bind(id).fetch_all(x).await)?;
    Ok(c)
}

/// Campaigns, the latest deadline first; `status` narrows.
pub async fn list(
    db: &Db,
    status: Option<CampaignStatus>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Campaign>> {
    let list: Vec<Campaign> = on_db!(db, p => sqlx::query_as::<_, Campaign>(concat!(campaign_select!(),
        " WHERE ($1 IS NULL OR status = $1) ORDER BY deadline DESC, id DESC LIMIT $2 OFFSET $3"))
        .bind(status.map(|s| s.code()))
        .bind(limit)
        .bind(offset)
        .fetch_all(p).await)?;
    // The chains of the same page of campaigns, in one query.
    let chains: Vec<(i64, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT campaign_id, chain_code FROM need_campaign_chains WHERE campaign_id IN \
         (SELECT id FROM need_campaigns WHERE ($1 IS NULL OR status = $1) \
          ORDER BY deadline DESC, id DESC LIMIT $2 OFFSET $3) ORDER BY campaign_id, chain_code")
        .bind(status.map(|s| s.code()))
        .bind(limit)
        .bind(offset)
        .fetch_all(p).await)?;
    Ok(with_chains(list, &chains))
}

/// What the bureau writes.
#[derive(Debug, Clone)]
pub struct CampaignFields {
    pub title: String,
    pub theme: String,
    pub opens_on: String,
    pub deadline: String,
    pub chains: Vec<String>,
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Campaign>,
    after: &Campaign,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "need_campaign",
            entity_id: after.id,
            org_id: None,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

async fn set_chains(tx: &mut Tx, id: i64, chains: &[String]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM need_campaign_chains WHERE campaign_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    for code in chains {
        on_tx!(tx, c => sqlx::query("INSERT INTO need_campaign_chains (campaign_id, chain_code) VALUES ($1, $2)")
            .bind(id).bind(code).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

pub async fn create(tx: &mut Tx, ctx: &AuditCtx, f: &CampaignFields) -> Result<Campaign> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO need_campaigns (title, theme, opens_on, deadline, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $6) RETURNING id")
        .bind(&f.title)
        .bind(&f.theme)
        .bind(&f.opens_on)
        .bind(&f.deadline)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c).await)?;
    set_chains(tx, id, &f.chains).await?;
    let after = get_in(tx, id).await?;
    record(tx, ctx, None, &after, AuditAction::Create).await?;
    Ok(after)
}

/// Replaces what the bureau wrote (while the campaign is open: refused with a conflict on
/// `status` once closed).
pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, f: &CampaignFields) -> Result<Campaign> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE need_campaigns SET title = $2, theme = $3, opens_on = $4, deadline = $5, updated_at = $6 \
         WHERE id = $1 AND status = 'open'")
        .bind(id)
        .bind(&f.title)
        .bind(&f.theme)
        .bind(&f.opens_on)
        .bind(&f.deadline)
        .bind(clock::now_ms())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    set_chains(tx, id, &f.chains).await?;
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// Closes an open campaign (a conflict on `status` when it already is).
pub async fn close(tx: &mut Tx, ctx: &AuditCtx, id: i64) -> Result<Campaign> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE need_campaigns SET status = 'closed', updated_at = $2 WHERE id = $1 AND status = 'open'")
        .bind(id).bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// A firm a carrier asked, with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub id: i64,
    pub campaign_id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    #[sqlx(try_from = "String")]
    pub outcome: ContactOutcome,
    pub note: String,
    pub asked_on: String,
    pub recorded_by: Option<i64>,
    pub updated_at: i64,
}

macro_rules! contact_select {
    () => {
        "SELECT k.id, k.campaign_id, k.carrier_id, c.name AS carrier_name, k.enterprise_id, \
         e.name AS enterprise_name, k.outcome, k.note, k.asked_on, k.recorded_by, k.updated_at \
         FROM campaign_contacts k JOIN carriers c ON c.id = k.carrier_id \
         JOIN enterprises e ON e.id = k.enterprise_id"
    };
}

/// The firms asked in a campaign, by carrier then firm; `operator_org_id` narrows to the
/// carriers one operator runs.
pub async fn contacts(
    db: &Db,
    campaign_id: i64,
    operator_org_id: Option<i64>,
) -> Result<Vec<Contact>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Contact>(concat!(contact_select!(),
        " WHERE k.campaign_id = $1 AND ($2 IS NULL OR c.operator_org_id = $2) ORDER BY c.name, e.name"))
        .bind(campaign_id).bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// What a carrier records about a firm it asked.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub campaign_id: i64,
    pub carrier_id: i64,
    pub enterprise_id: i64,
    pub outcome: ContactOutcome,
    pub note: String,
    pub asked_on: String,
}

/// Records that a firm was asked (or what came of asking it again): one row per firm and
/// campaign. A firm whose need was collected stays so when asked again.
pub async fn ask(tx: &mut Tx, ctx: &AuditCtx, n: &NewContact) -> Result<Contact> {
    let now = clock::now_ms();
    let before: Option<Contact> = on_tx!(tx, c => sqlx::query_as::<_, Contact>(concat!(contact_select!(),
        " WHERE k.campaign_id = $1 AND k.enterprise_id = $2"))
        .bind(n.campaign_id).bind(n.enterprise_id).fetch_optional(c).await)?;
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO campaign_contacts (campaign_id, carrier_id, enterprise_id, outcome, note, asked_on, recorded_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (campaign_id, enterprise_id) DO UPDATE SET \
         outcome = CASE WHEN campaign_contacts.outcome = 'need_collected' THEN campaign_contacts.outcome ELSE excluded.outcome END, \
         note = excluded.note, asked_on = excluded.asked_on, carrier_id = excluded.carrier_id, \
         recorded_by = excluded.recorded_by, updated_at = excluded.updated_at \
         RETURNING id")
        .bind(n.campaign_id)
        .bind(n.carrier_id)
        .bind(n.enterprise_id)
        .bind(n.outcome.code())
        .bind(&n.note)
        .bind(&n.asked_on)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c).await)?;
    let after: Contact = on_tx!(tx, c => sqlx::query_as::<_, Contact>(concat!(contact_select!(), " WHERE k.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "campaign_contact",
            entity_id: id,
            org_id: None,
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            before: before.as_ref(),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// A need collected in a campaign, with its listing's title and status and how far the market
/// took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CollectedNeed {
    pub id: i64,
    pub campaign_id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub listing_id: i64,
    pub title: String,
    pub listing_status: String,
    /// Deals started on the listing.
    pub deals: i64,
    /// Deals that reached agreement (agreed, registered, fulfilled).
    pub agreed: i64,
    pub collected_at: i64,
}

macro_rules! need_select {
    () => {
        "SELECT n.id, n.campaign_id, n.carrier_id, c.name AS carrier_name, n.enterprise_id, \
         e.name AS enterprise_name, n.listing_id, l.title, l.status AS listing_status, \
         (SELECT COUNT(*) FROM deals d WHERE d.listing_id = n.listing_id) AS deals, \
         (SELECT COUNT(*) FROM deals d WHERE d.listing_id = n.listing_id \
            AND d.status IN ('agreed', 'registered', 'fulfilled')) AS agreed, \
         n.collected_at \
         FROM campaign_needs n JOIN carriers c ON c.id = n.carrier_id \
         JOIN enterprises e ON e.id = n.enterprise_id JOIN listings l ON l.id = n.listing_id"
    };
}

/// The needs collected in a campaign, the newest first; `operator_org_id` narrows.
pub async fn needs(
    db: &Db,
    campaign_id: i64,
    operator_org_id: Option<i64>,
) -> Result<Vec<CollectedNeed>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, CollectedNeed>(concat!(need_select!(),
        " WHERE n.campaign_id = $1 AND ($2 IS NULL OR c.operator_org_id = $2) ORDER BY n.id DESC"))
        .bind(campaign_id).bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// Links a listing just written to the campaign it was collected in, and records the firm as
/// asked with its need collected.
pub async fn collect(
    tx: &mut Tx,
    ctx: &AuditCtx,
    campaign_id: i64,
    carrier_id: i64,
    enterprise_id: i64,
    listing_id: i64,
    asked_on: &str,
) -> Result<CollectedNeed> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO campaign_needs (campaign_id, carrier_id, enterprise_id, listing_id, collected_by, collected_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(campaign_id)
        .bind(carrier_id)
        .bind(enterprise_id)
        .bind(listing_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c).await)?;
    ask(
        tx,
        ctx,
        &NewContact {
            campaign_id,
            carrier_id,
            enterprise_id,
            outcome: ContactOutcome::NeedCollected,
            note: String::new(),
            asked_on: asked_on.into(),
        },
    )
    .await?;
    let after: CollectedNeed = on_tx!(tx, c => sqlx::query_as::<_, CollectedNeed>(concat!(need_select!(), " WHERE n.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "campaign_need",
            entity_id: id,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// A carrier's coverage in a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarrierCoverage {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub coverage: CoverageRow,
}

/// [`Coverage`] as stored figures (serialisable).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub incubatees: i64,
    pub asked: i64,
    pub needs: i64,
    pub matched: i64,
    pub deals: i64,
}

impl From<CoverageRow> for Coverage {
    fn from(r: CoverageRow) -> Coverage {
        Coverage {
            incubatees: r.incubatees,
            asked: r.asked,
            needs: r.needs,
            matched: r.matched,
            deals: r.deals,
        }
    }
}

/// Every active carrier's coverage in a campaign that ran from `opens_on` to `deadline`:
/// its incubatees in that window (a spell overlapping it), the firms asked, the needs collected,
/// matched (a deal started) and agreed. One grouped query per figure; `operator_org_id` narrows.
pub async fn coverage(
    db: &Db,
    campaign_id: i64,
    opens_on: &str,
    deadline: &str,
    operator_org_id: Option<i64>,
) -> Result<Vec<CarrierCoverage>> {
    let carriers: Vec<(i64, String, i64)> = on_db!(db, p => sqlx::query_as(
        "SELECT id, name, operator_org_id FROM carriers WHERE status <> 'revoked' \
         AND ($1 IS NULL OR operator_org_id = $1) ORDER BY name")
        .bind(operator_org_id).fetch_all(p).await)?;
    let incubatees: Vec<(i64, i64)> = on_db!(db, p => sqlx::query_as(
        "SELECT carrier_id, COUNT(DISTINCT enterprise_id) FROM incubations \
         WHERE entered_on <= $2 AND (exited_on IS NULL OR exited_on >= $1) GROUP BY carrier_id")
        .bind(opens_on).bind(deadline).fetch_all(p).await)?;
    let asked: Vec<(i64, i64)> = on_db!(db, p => sqlx::query_as(
        "SELECT carrier_id, COUNT(*) FROM campaign_contacts WHERE campaign_id = $1 GROUP BY carrier_id")
        .bind(campaign_id).fetch_all(p).await)?;
    let needs: Vec<(i64, i64, i64, i64)> = on_db!(db, p => sqlx::query_as(
        "SELECT n.carrier_id, COUNT(*), \
         SUM(CASE WHEN EXISTS (SELECT 1 FROM deals d WHERE d.listing_id = n.listing_id) THEN 1 ELSE 0 END), \
         SUM(CASE WHEN EXISTS (SELECT 1 FROM deals d WHERE d.listing_id = n.listing_id \
             AND d.status IN ('agreed', 'registered', 'fulfilled')) THEN 1 ELSE 0 END) \
         FROM campaign_needs n WHERE n.campaign_id = $1 GROUP BY n.carrier_id")
        .bind(campaign_id).fetch_all(p).await)?;
    let of = |rows: &[(i64, i64)], id: i64| rows.iter().find(|r| r.0 == id).map_or(0, |r| r.1);
    Ok(carriers
        .into_iter()
        .map(|(id, name, operator)| {
            let n = needs.iter().find(|r| r.0 == id);
            CarrierCoverage {
                carrier_id: id,
                carrier_name: name,
                operator_org_id: operator,
                coverage: CoverageRow {
                    incubatees: of(&incubatees, id),
                    asked: of(&asked, id),
                    needs: n.map_or(0, |r| r.1),
                    matched: n.map_or(0, |r| r.2),
                    deals: n.map_or(0, |r| r.3),
                },
            }
        })
        .collect())
}

/// The firms a carrier incubated while the campaign ran (a spell overlapping the window), by
/// name: those it may ask.
pub async fn askable(
    db: &Db,
    carrier_id: i64,
    opens_on: &str,
    deadline: &str,
) -> Result<Vec<(i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT DISTINCT e.id, e.name FROM incubations i JOIN enterprises e ON e.id = i.enterprise_id \
         WHERE i.carrier_id = $1 AND i.entered_on <= $3 AND (i.exited_on IS NULL OR i.exited_on >= $2) \
         ORDER BY e.name")
        .bind(carrier_id).bind(opens_on).bind(deadline).fetch_all(p).await)?)
}

/// The organisations operating a carrier not revoked: those a new campaign is told to.
pub async fn operators(db: &Db) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT DISTINCT operator_org_id FROM carriers WHERE status <> 'revoked' ORDER BY operator_org_id")
        .fetch_all(p).await)?)
}
