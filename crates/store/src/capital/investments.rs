//! Investments by funds in enterprises, and exits. Recording an investment adds to the fund's
//! `invested_fen` by a conditional update that never passes the fund's size, adds to the fund's
//! position in the enterprise, and — when it carries a valuation — re-marks every position in
//! that enterprise; an exit takes cost out of a position by a conditional update that never
//! passes what is left. A round with a valuation triggers the enterprise's 先投后股 projects
//! waiting for one (`grants::trigger_on_investment`). All in the caller's transaction.

use fruition_domain::audit::AuditAction;
use fruition_domain::investment::{ExitRoute, Instrument, Position, Round, Tranche};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Investment {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    pub manager_org_id: Option<i64>,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub enterprise_org_id: Option<i64>,
    pub chain_code: Option<String>,
    #[sqlx(try_from = "String")]
    pub round: Round,
    #[sqlx(try_from = "String")]
    pub instrument: Instrument,
    pub amount_fen: i64,
    pub invested_on: String,
    pub post_money_fen: Option<i64>,
    pub deal_id: Option<i64>,
    pub note: String,
    pub created_at: i64,
}

const INVESTMENT_SELECT: &str = "SELECT i.id, i.fund_id, f.name AS fund_name, f.manager_org_id, \
     i.enterprise_id, e.name AS enterprise_name, e.org_id AS enterprise_org_id, e.chain_code, i.round, \
     i.instrument, i.amount_fen, i.invested_on, i.post_money_fen, i.deal_id, i.note, i.created_at \
     FROM investments i JOIN funds f ON f.id = i.fund_id JOIN enterprises e ON e.id = i.enterprise_id";

/// An investment as the investor records it.
#[derive(Debug, Clone)]
pub struct NewInvestment {
    pub fund_id: i64,
    pub enterprise_id: i64,
    pub round: Round,
    pub instrument: Instrument,
    pub amount_fen: i64,
    pub invested_on: String,
    pub post_money_fen: Option<i64>,
    pub deal_id: Option<i64>,
    pub note: String,
}

/// Which investments to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct InvestmentFilter {
    pub fund_id: Option<i64>,
    /// Funds managed by this organisation.
    pub manager_org_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// Enterprises of this organisation.
    pub enterprise_org_id: Option<i64>,
    pub year: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Investment>> {
    let sql = format!("{INVESTMENT_SELECT} WHERE i.id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Investment>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Investment> {
    let sql = format!("{INVESTMENT_SELECT} WHERE i.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Investment>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Investments, the latest first.
pub async fn list(db: &Db, f: &InvestmentFilter) -> Result<Vec<Investment>> {
    let sql = format!(
        "{INVESTMENT_SELECT} WHERE ($1 IS NULL OR i.fund_id = $1) AND ($2 IS NULL OR f.manager_org_id = $2) \
         AND ($3 IS NULL OR i.enterprise_id = $3) AND ($4 IS NULL OR e.org_id = $4) \
         AND ($5 IS NULL OR i.invested_on LIKE $5) \
         ORDER BY i.invested_on DESC, i.id DESC LIMIT $6 OFFSET $7"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Investment>(sqlx::AssertSqlSafe(sql))
        .bind(f.fund_id)
        .bind(f.manager_org_id)
        .bind(f.enterprise_id)
        .bind(f.enterprise_org_id)
        .bind(f.year.map(|y| format!("{y}-%")))
        .bind(if f.limit > 0 { f.limit.min(10_000) } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

/// Records an investment. Refused with a conflict on `status` when the fund no longer invests
/// (exiting or closed), on `amount_fen` when it would take the fund past its size — both checked
/// by the statement that adds to the fund's invested total.
pub async fn record(tx: &mut Tx, ctx: &AuditCtx, n: &NewInvestment) -> Result<Investment> {
    let now = clock::now_ms();
    let added = on_tx!(tx, c => sqlx::query(
        "UPDATE funds SET invested_fen = invested_fen + $2, updated_at = $3 \
         WHERE id = $1 AND status IN ('raising', 'investing') AND invested_fen + $2 <= size_k * 100000")
        .bind(n.fund_id)
        .bind(n.amount_fen)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if added == 0 {
        let status: Option<String> = on_tx!(tx, c => sqlx::query_scalar("SELECT status FROM funds WHERE id = $1")
            .bind(n.fund_id).fetch_optional(c).await)?;
        let field = match status.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("raising" | "investing") => "amount_fen",
            Some(_) => "status",
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO investments (fund_id, enterprise_id, round, instrument, amount_fen, invested_on, \
         post_money_fen, deal_id, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
        .bind(n.fund_id)
        .bind(n.enterprise_id)
        .bind(n.round.code())
        .bind(n.instrument.code())
        .bind(n.amount_fen)
        .bind(&n.invested_on)
        .bind(n.post_money_fen)
        .bind(n.deal_id)
        .bind(&n.note)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO fund_positions (fund_id, enterprise_id, invested_fen, in_chain) \
         SELECT $1, $2, $3, EXISTS (SELECT 1 FROM enterprises e JOIN chains ch ON ch.code = e.chain_code \
         AND ch.active WHERE e.id = $2) WHERE TRUE \
         ON CONFLICT (fund_id, enterprise_id) DO UPDATE SET \
         invested_fen = fund_positions.invested_fen + excluded.invested_fen, written_off = FALSE")
        .bind(n.fund_id)
        .bind(n.enterprise_id)
        .bind(n.amount_fen)
        .execute(c)
        .await
        .map(|_| ()))?;
    revalue(tx, n.enterprise_id).await?;
    if let Some(post_money_fen) = n.post_money_fen {
        // A market-priced round triggers the enterprise's 先投后股 projects waiting for one.
        super::grants::trigger_on_investment(
            tx,
            ctx,
            &super::grants::PricedRound {
                investment_id: id,
                enterprise_id: n.enterprise_id,
                fund_id: n.fund_id,
                round: n.round,
                invested_on: n.invested_on.clone(),
                post_money_fen,
            },
        )
        .await?;
    }
    let inv = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "investment",
            entity_id: id,
            org_id: inv.manager_org_id,
            action: AuditAction::Create,
            before: None,
            after: Some(&inv),
        },
    )
    .await?;
    Ok(inv)
}

/// The latest valuation recorded for an enterprise (the latest investment with one).
async fn latest_valuation(tx: &mut Tx, enterprise_id: i64) -> Result<Option<i64>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT post_money_fen FROM investments WHERE enterprise_id = $1 AND post_money_fen IS NOT NULL \
         ORDER BY invested_on DESC, id DESC LIMIT 1")
        .bind(enterprise_id)
        .fetch_optional(c)
        .await)?)
}

/// Re-marks every fund's position in an enterprise to its latest valuation (a handful of rows:
/// the funds in one enterprise), writing those whose value changed.
async fn revalue(tx: &mut Tx, enterprise_id: i64) -> Result<()> {
    let latest = latest_valuation(tx, enterprise_id).await?;
    let tranches: Vec<(i64, i64, Option<i64>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT fund_id, amount_fen, post_money_fen FROM investments WHERE enterprise_id = $1")
        .bind(enterprise_id)
        .fetch_all(c)
        .await)?;
    let positions: Vec<(i64, i64, i64, bool, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT fund_id, exited_cost_fen, proceeds_fen, written_off, value_fen FROM fund_positions WHERE enterprise_id = $1")
        .bind(enterprise_id)
        .fetch_all(c)
        .await)?;
    for (fund_id, exited_cost_fen, proceeds_fen, written_off, was) in positions {
        let p = Position {
            tranches: tranches
                .iter()
                .filter(|(f, _, _)| *f == fund_id)
                .map(|(_, a, v)| Tranche {
                    amount_fen: *a,
                    post_money_fen: *v,
                })
                .collect(),
            exited_cost_fen,
            proceeds_fen,
            written_off,
        };
        let value = p.unrealised_fen(latest);
        if value == was {
            // Without a new valuation only the written position changes.
            continue;
        }
        on_tx!(tx, c => sqlx::query(
            "UPDATE fund_positions SET value_fen = $3 WHERE fund_id = $1 AND enterprise_id = $2")
            .bind(fund_id)
            .bind(enterprise_id)
            .bind(value)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Exit {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    #[sqlx(try_from = "String")]
    pub kind: ExitRoute,
    pub exited_on: String,
    pub cost_fen: i64,
    pub proceeds_fen: i64,
    pub note: String,
    pub created_at: i64,
}

const EXIT_SELECT: &str = "SELECT x.id, x.fund_id, f.name AS fund_name, x.enterprise_id, e.name AS enterprise_name, \
     x.kind, x.exited_on, x.cost_fen, x.proceeds_fen, x.note, x.created_at \
     FROM investment_exits x JOIN funds f ON f.id = x.fund_id JOIN enterprises e ON e.id = x.enterprise_id";

/// An exit as the investor records it; `cost_fen` `None` exits all that is left.
#[derive(Debug, Clone)]
pub struct NewExit {
    pub fund_id: i64,
    pub enterprise_id: i64,
    pub kind: ExitRoute,
    pub exited_on: String,
    pub cost_fen: Option<i64>,
    pub proceeds_fen: i64,
    pub note: String,
}

/// Records an exit. 404 when the fund holds nothing in the enterprise; a conflict on `cost_fen`
/// when it would take out more than is left (checked by the statement that writes, so two
/// exits at once never take out more than the position).
pub async fn exit(tx: &mut Tx, ctx: &AuditCtx, n: &NewExit) -> Result<Exit> {
    let held: Option<(i64, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT invested_fen, exited_cost_fen FROM fund_positions WHERE fund_id = $1 AND enterprise_id = $2")
        .bind(n.fund_id)
        .bind(n.enterprise_id)
        .fetch_optional(c)
        .await)?;
    let (invested, exited) = held.ok_or(StoreError::NotFound)?;
    let cost = n.cost_fen.unwrap_or(invested - exited);
    let conflict = || StoreError::Conflict {
        field: "cost_fen".into(),
    };
    if cost <= 0 {
        return Err(conflict());
    }
    let write_off = n.kind == ExitRoute::WriteOff;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE fund_positions SET exited_cost_fen = exited_cost_fen + $3, proceeds_fen = proceeds_fen + $4, \
         written_off = CASE WHEN $5 AND exited_cost_fen + $3 = invested_fen THEN TRUE ELSE written_off END \
         WHERE fund_id = $1 AND enterprise_id = $2 AND exited_cost_fen + $3 <= invested_fen")
        .bind(n.fund_id)
        .bind(n.enterprise_id)
        .bind(cost)
        .bind(n.proceeds_fen)
        .bind(write_off)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict());
    }
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO investment_exits (fund_id, enterprise_id, kind, exited_on, cost_fen, proceeds_fen, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(n.fund_id)
        .bind(n.enterprise_id)
        .bind(n.kind.code())
        .bind(&n.exited_on)
        .bind(cost)
        .bind(n.proceeds_fen)
        .bind(&n.note)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    revalue(tx, n.enterprise_id).await?;
    let sql = format!("{EXIT_SELECT} WHERE x.id = $1");
    let x = on_tx!(tx, c => sqlx::query_as::<_, Exit>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(c).await)?;
    let manager: Option<i64> = on_tx!(tx, c => sqlx::query_scalar("SELECT manager_org_id FROM funds WHERE id = $1")
        .bind(n.fund_id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "investment_exit",
            entity_id: id,
            org_id: manager,
            action: AuditAction::Create,
            before: None,
            after: Some(&x),
        },
    )
    .await?;
    Ok(x)
}

/// Exits from a fund's positions (or in an enterprise), the latest first.
pub async fn exits(db: &Db, fund_id: Option<i64>, enterprise_id: Option<i64>) -> Result<Vec<Exit>> {
    let sql = format!(
        "{EXIT_SELECT} WHERE ($1 IS NULL OR x.fund_id = $1) AND ($2 IS NULL OR x.enterprise_id = $2) \
         ORDER BY x.exited_on DESC, x.id DESC LIMIT 1000"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Exit>(sqlx::AssertSqlSafe(sql))
        .bind(fund_id).bind(enterprise_id).fetch_all(p).await)?,
    )
}
