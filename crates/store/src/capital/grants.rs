//! 先投后股 projects: the bureau's grant to an enterprise (optionally through a fund it names),
//! milestones recorded while the project waits for its priced round, and the steps from the
//! trigger to conversion, registration, holding and exit or write-off.
//!
//! Every step is a conditional update on the status it expects, so two people taking a step at
//! once end in one success and a conflict on `status`; a milestone is added or achieved only
//! while the project takes milestones, checked by the statement that writes. Each write keeps
//! its audit entry (entity `equity_grant` or `equity_grant_milestone`) in the same transaction.

use fruition_domain::audit::AuditAction;
use fruition_domain::equity_grant::GrantStatus;
use fruition_domain::investment::Round;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A 先投后股 project with its enterprise and fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Grant {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    /// The enterprise's organisation on the platform, if it has one.
    pub enterprise_org_id: Option<i64>,
    pub title: String,
    pub fund_id: Option<i64>,
    pub fund_name: Option<String>,
    /// The manager of the named fund, who may take the project's steps.
    pub fund_manager_org_id: Option<i64>,
    pub amount_fen: i64,
    pub granted_on: String,
    pub discount_bp: i64,
    #[sqlx(try_from = "String")]
    pub status: GrantStatus,
    pub trigger_investment_id: Option<i64>,
    /// The fund that made the triggering investment (its investor, as a person reads it).
    pub trigger_fund_id: Option<i64>,
    pub trigger_fund_name: Option<String>,
    /// A round code (`fruition_domain::investment::Round`).
    pub trigger_round: Option<String>,
    pub triggered_on: Option<String>,
    /// The triggering round's post-money valuation.
    pub valuation_fen: Option<i64>,
    pub shares_before: Option<i64>,
    pub shares: Option<i64>,
    pub converted_on: Option<String>,
    pub registered_on: Option<String>,
    pub registration_no: Option<String>,
    /// An exit kind code (`fruition_domain::investment::ExitRoute`).
    pub exit_kind: Option<String>,
    pub exited_on: Option<String>,
    pub proceeds_fen: Option<i64>,
    pub counterparty: Option<String>,
    pub written_off_on: Option<String>,
    pub write_off_reason: Option<String>,
    pub liability_exempt: Option<bool>,
    pub exemption_note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! grant_select {
    () => {
        "SELECT g.id, g.enterprise_id, e.name AS enterprise_name, e.org_id AS enterprise_org_id, \
         g.title, g.fund_id, f.name AS fund_name, f.manager_org_id AS fund_manager_org_id, \
         g.amount_fen, g.granted_on, g.discount_bp, g.status, g.trigger_investment_id, \
         ti.fund_id AS trigger_fund_id, tf.name AS trigger_fund_name, g.trigger_round, g.triggered_on, g.valuation_fen, g.shares_before, g.shares, \
         g.converted_on, g.registered_on, g.registration_no, g.exit_kind, g.exited_on, \
         g.proceeds_fen, g.counterparty, g.written_off_on, g.write_off_reason, \
         g.liability_exempt, g.exemption_note, g.created_by, g.created_at, g.updated_at \
         FROM equity_grants g JOIN enterprises e ON e.id = g.enterprise_id \
         LEFT JOIN funds f ON f.id = g.fund_id \
         LEFT JOIN investments ti ON ti.id = g.trigger_investment_id \
         LEFT JOIN funds tf ON tf.id = ti.fund_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Grant>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Grant>(concat!(grant_select!(), " WHERE g.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Grant> {
    on_tx!(tx, c => sqlx::query_as::<_, Grant>(concat!(grant_select!(), " WHERE g.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Which projects to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct GrantFilter {
    /// Only projects this organisation may see: its own enterprise's, or its fund's.
    pub visible_to: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// Only projects naming a fund this organisation manages.
    pub fund_manager_org_id: Option<i64>,
    pub status: Option<GrantStatus>,
    pub limit: i64,
    pub offset: i64,
}

/// Projects, the newest first.
pub async fn list(db: &Db, f: &GrantFilter) -> Result<Vec<Grant>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Grant>(concat!(grant_select!(),
        " WHERE ($1 IS NULL OR e.org_id = $1 OR f.manager_org_id = $1) \
         AND ($2 IS NULL OR g.enterprise_id = $2) AND ($3 IS NULL OR f.manager_org_id = $3) \
         AND ($4 IS NULL OR g.status = $4) ORDER BY g.id DESC LIMIT $5 OFFSET $6"))
        .bind(f.visible_to)
        .bind(f.enterprise_id)
        .bind(f.fund_manager_org_id)
        .bind(f.status.map(|s| s.code()))
        .bind(if f.limit > 0 { f.limit.min(10_000) } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

/// A grant as the bureau makes it.
#[derive(Debug, Clone)]
pub struct NewGrant {
    pub enterprise_id: i64,
    pub title: String,
    pub fund_id: Option<i64>,
    pub amount_fen: i64,
    pub granted_on: String,
    pub discount_bp: i64,
}

pub async fn create(tx: &mut Tx, ctx: &AuditCtx, n: &NewGrant) -> Result<Grant> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO equity_grants (enterprise_id, title, fund_id, amount_fen, granted_on, discount_bp, \
         status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'granted', $7, $8, $8) RETURNING id")
        .bind(n.enterprise_id)
        .bind(&n.title)
        .bind(n.fund_id)
        .bind(n.amount_fen)
        .bind(&n.granted_on)
        .bind(n.discount_bp)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let grant = get_in(tx, id).await?;
    record(tx, ctx, None, &grant, AuditAction::Create).await?;
    Ok(grant)
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Grant>,
    after: &Grant,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "equity_grant",
            entity_id: after.id,
            org_id: after.enterprise_org_id,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// What a step writes besides the status (a field left `None` keeps its value).
#[derive(Debug, Clone, Default)]
pub struct StepFields {
    pub trigger_investment_id: Option<i64>,
    pub trigger_round: Option<Round>,
    pub triggered_on: Option<String>,
    pub valuation_fen: Option<i64>,
    pub shares_before: Option<i64>,
    pub shares: Option<i64>,
    pub converted_on: Option<String>,
    pub registered_on: Option<String>,
    pub registration_no: Option<String>,
    pub exit_kind: Option<String>,
    pub exited_on: Option<String>,
    pub proceeds_fen: Option<i64>,
    pub counterparty: Option<String>,
    pub written_off_on: Option<String>,
    pub write_off_reason: Option<String>,
    pub liability_exempt: Option<bool>,
    pub exemption_note: Option<String>,
}

/// Moves a project from `from` to `to`, writing `f`. Refused with a conflict on `status` when
/// the project is no longer in `from` (someone else took a step first).
pub async fn step(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: GrantStatus,
    to: GrantStatus,
    f: &StepFields,
) -> Result<Grant> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE equity_grants SET status = $3, \
         trigger_investment_id = COALESCE($4, trigger_investment_id), \
         trigger_round = COALESCE($5, trigger_round), triggered_on = COALESCE($6, triggered_on), \
         valuation_fen = COALESCE($7, valuation_fen), shares_before = COALESCE($8, shares_before), \
         shares = COALESCE($9, shares), converted_on = COALESCE($10, converted_on), \
         registered_on = COALESCE($11, registered_on), registration_no = COALESCE($12, registration_no), \
         exit_kind = COALESCE($13, exit_kind), exited_on = COALESCE($14, exited_on), \
         proceeds_fen = COALESCE($15, proceeds_fen), counterparty = COALESCE($16, counterparty), \
         written_off_on = COALESCE($17, written_off_on), write_off_reason = COALESCE($18, write_off_reason), \
         liability_exempt = COALESCE($19, liability_exempt), exemption_note = COALESCE($20, exemption_note), \
         updated_at = $21 \
         WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(f.trigger_investment_id)
        .bind(f.trigger_round.map(|r| r.code()))
        .bind(&f.triggered_on)
        .bind(f.valuation_fen)
        .bind(f.shares_before)
        .bind(f.shares)
        .bind(&f.converted_on)
        .bind(&f.registered_on)
        .bind(&f.registration_no)
        .bind(&f.exit_kind)
        .bind(&f.exited_on)
        .bind(f.proceeds_fen)
        .bind(&f.counterparty)
        .bind(&f.written_off_on)
        .bind(&f.write_off_reason)
        .bind(f.liability_exempt)
        .bind(&f.exemption_note)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// A priced financing round recorded by the investments code: what may trigger conversion.
#[derive(Debug, Clone)]
pub struct PricedRound {
    pub investment_id: i64,
    pub enterprise_id: i64,
    pub fund_id: i64,
    pub round: Round,
    pub invested_on: String,
    pub post_money_fen: i64,
}

/// Every `granted` project of the enterprise, granted on or before the round and not funded by
/// the round's own fund, moves to `triggered` with the round's investment, round, date and
/// valuation (an audit entry each). Returns the ids triggered. Meant to run inside the
/// transaction that records the investment; a project another request triggered meanwhile is
/// left as that request left it. A round that values the company, after the project's discount,
/// at no more than the grant could never convert it, so it leaves that project waiting for a
/// later round.
pub async fn trigger_on_investment(
    tx: &mut Tx,
    ctx: &AuditCtx,
    r: &PricedRound,
) -> Result<Vec<i64>> {
    if r.post_money_fen <= 0 || r.post_money_fen > fruition_domain::money::MAX_CAPITAL_FEN {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM equity_grants WHERE enterprise_id = $1 AND status = 'granted' \
         AND granted_on <= $2 AND (fund_id IS NULL OR fund_id <> $3) \
         AND amount_fen * 10000 < $4 * (10000 - discount_bp) ORDER BY id")
        .bind(r.enterprise_id)
        .bind(&r.invested_on)
        .bind(r.fund_id)
        .bind(r.post_money_fen)
        .fetch_all(c)
        .await)?;
    let fields = StepFields {
        trigger_investment_id: Some(r.investment_id),
        trigger_round: Some(r.round),
        triggered_on: Some(r.invested_on.clone()),
        valuation_fen: Some(r.post_money_fen),
        ..StepFields::default()
    };
    let mut triggered = Vec::with_capacity(ids.len());
    for id in ids {
        match step(
            tx,
            ctx,
            id,
            GrantStatus::Granted,
            GrantStatus::Triggered,
            &fields,
        )
        .await
        {
            Ok(_) => triggered.push(id),
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(triggered)
}

/// A milestone of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub id: i64,
    pub grant_id: i64,
    pub title: String,
    pub due_on: Option<String>,
    pub achieved_on: Option<String>,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

macro_rules! milestone_select {
    () => {
        "SELECT id, grant_id, title, due_on, achieved_on, note, created_by, created_at \
         FROM equity_grant_milestones"
    };
}

/// A project's milestones, by due date (undated last), then as added.
pub async fn milestones(db: &Db, grant_id: i64) -> Result<Vec<Milestone>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Milestone>(concat!(milestone_select!(),
        " WHERE grant_id = $1 ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id"))
        .bind(grant_id).fetch_all(p).await)?,
    )
}

async fn milestone_in(tx: &mut Tx, grant_id: i64, id: i64) -> Result<Option<Milestone>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, Milestone>(concat!(milestone_select!(),
        " WHERE id = $1 AND grant_id = $2"))
        .bind(id).bind(grant_id).fetch_optional(c).await)?,
    )
}

/// A milestone to record.
#[derive(Debug, Clone)]
pub struct NewMilestone {
    pub title: String,
    pub due_on: Option<String>,
    pub note: String,
}

/// Adds a milestone to a project that still takes them (granted or triggered); otherwise a
/// conflict on `status`, decided by the statement that writes.
pub async fn add_milestone(
    tx: &mut Tx,
    ctx: &AuditCtx,
    grant_id: i64,
    m: &NewMilestone,
) -> Result<Milestone> {
    let grant = get_in(tx, grant_id).await?;
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO equity_grant_milestones (grant_id, title, due_on, note, created_by, created_at) \
         SELECT g.id, $2, $3, $4, $5, $6 FROM equity_grants g \
         WHERE g.id = $1 AND g.status IN ('granted', 'triggered') RETURNING id")
        .bind(grant_id)
        .bind(&m.title)
        .bind(&m.due_on)
        .bind(&m.note)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_optional(c)
        .await)?;
    let Some(id) = id else {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    };
    let milestone = milestone_in(tx, grant_id, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    record_milestone(tx, ctx, &grant, None, &milestone, AuditAction::Create).await?;
    Ok(milestone)
}

/// Marks a milestone achieved on `achieved_on` (with a note, when given), while the project
/// still takes milestones. A milestone of another project is not found; one already achieved is
/// a conflict on `achieved_on`; a project past its milestones, a conflict on `status`.
pub async fn achieve_milestone(
    tx: &mut Tx,
    ctx: &AuditCtx,
    grant_id: i64,
    milestone_id: i64,
    achieved_on: &str,
    note: Option<&str>,
) -> Result<Milestone> {
    let grant = get_in(tx, grant_id).await?;
    let before = milestone_in(tx, grant_id, milestone_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE equity_grant_milestones SET achieved_on = $3, note = COALESCE($4, note) \
         WHERE id = $1 AND grant_id = $2 AND achieved_on IS NULL \
         AND EXISTS (SELECT 1 FROM equity_grants g WHERE g.id = $2 AND g.status IN ('granted', 'triggered'))")
        .bind(milestone_id)
        .bind(grant_id)
        .bind(achieved_on)
        .bind(note)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        let now = milestone_in(tx, grant_id, milestone_id).await?;
        let field = if now.is_some_and(|m| m.achieved_on.is_some()) {
            "achieved_on"
        } else {
            "status"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let after = milestone_in(tx, grant_id, milestone_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    record_milestone(tx, ctx, &grant, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

async fn record_milestone(
    tx: &mut Tx,
    ctx: &AuditCtx,
    grant: &Grant,
    before: Option<&Milestone>,
    after: &Milestone,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "equity_grant_milestone",
            entity_id: after.id,
            org_id: grant.enterprise_org_id,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}
