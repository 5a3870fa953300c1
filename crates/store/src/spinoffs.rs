//! Spin-offs (裂变孵化): a parent enterprise's ordered stage path (e.g. 科研立项 → 技术攻关 → …
//! → 新公司成型), its projects moving along that path with a dated milestone at each stage, and
//! the enterprise each project became.

use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock, enterprises};

/// One stage of a parent's path; positions count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Stage {
    pub id: i64,
    pub parent_id: i64,
    pub position: i64,
    pub name: String,
}

/// A spin-off project with the stage it has reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub parent_id: i64,
    pub parent_name: String,
    pub name: String,
    pub stage_position: i64,
    /// The name of the stage reached (None if the path no longer has that position).
    pub stage_name: Option<String>,
    /// When the current stage was reached.
    pub stage_reached_on: Option<String>,
    pub started_on: String,
    /// Named in the annual report.
    pub notable: bool,
    /// The enterprise the project became, once it is a company.
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A project as it starts.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub parent_id: i64,
    pub name: String,
    /// ISO date; the project is at the first stage from then.
    pub started_on: String,
    pub notable: bool,
}

/// The date a project reached a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub position: i64,
    pub stage_name: Option<String>,
    pub reached_on: String,
}

/// A parent enterprise with the size of its lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Parent {
    pub parent_id: i64,
    pub parent_name: String,
    pub stages: i64,
    pub projects: i64,
    /// Projects that became enterprises.
    pub companies: i64,
}

/// The stages of a parent's path, in order.
pub async fn stages(db: &Db, parent_id: i64) -> Result<Vec<Stage>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Stage>(
        "SELECT id, parent_id, position, name FROM spinoff_stages WHERE parent_id = $1 ORDER BY position")
        .bind(parent_id)
        .fetch_all(p)
        .await)?)
}

async fn stage_names_in(tx: &mut Tx, parent_id: i64) -> Result<Vec<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, String>(
        "SELECT name FROM spinoff_stages WHERE parent_id = $1 ORDER BY position")
        .bind(parent_id)
        .fetch_all(c)
        .await)?)
}

/// Sets (or replaces) a parent's stage path: `names` in order become positions 1, 2, …
/// Projects keep their positions; the caller decides what a shorter path means for them.
pub async fn set_stages(
    tx: &mut Tx,
    ctx: &AuditCtx,
    parent_id: i64,
    names: &[String],
) -> Result<Vec<Stage>> {
    let parent = enterprises::get_in(tx, parent_id).await?;
    let before = stage_names_in(tx, parent_id).await?;
    on_tx!(tx, c => sqlx::query("DELETE FROM spinoff_stages WHERE parent_id = $1")
        .bind(parent_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let now = clock::now_ms();
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let stage = on_tx!(tx, c => sqlx::query_as::<_, Stage>(
            "INSERT INTO spinoff_stages (parent_id, position, name, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, parent_id, position, name")
            .bind(parent_id)
            .bind(i as i64 + 1)
            .bind(name)
            .bind(now)
            .fetch_one(c)
            .await)?;
        out.push(stage);
    }
    let after: Vec<String> = out.iter().map(|s| s.name.clone()).collect();
    audit::record(
        tx,
        ctx,
        Change {
            entity: "spinoff_path",
            entity_id: parent_id,
            org_id: parent.org_id,
            action: if before.is_empty() {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            before: (!before.is_empty()).then_some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(out)
}

macro_rules! project_select {
    () => {
        "SELECT s.id, s.parent_id, p.name AS parent_name, s.name, s.stage_position, g.name AS stage_name, \
         (SELECT m.reached_on FROM spinoff_milestones m WHERE m.project_id = s.id AND m.position = s.stage_position) AS stage_reached_on, \
         s.started_on, s.notable, s.enterprise_id, e.name AS enterprise_name, s.created_at, s.updated_at \
         FROM spinoff_projects s JOIN enterprises p ON p.id = s.parent_id \
         LEFT JOIN spinoff_stages g ON g.parent_id = s.parent_id AND g.position = s.stage_position \
         LEFT JOIN enterprises e ON e.id = s.enterprise_id"
    };
}

/// A parent's projects in the order they started, each with its current stage.
pub async fn projects(db: &Db, parent_id: i64) -> Result<Vec<Project>> {
    let sql = concat!(
        project_select!(),
        " WHERE s.parent_id = $1 ORDER BY s.started_on, s.id"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Project>(sql).bind(parent_id).fetch_all(p).await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Project>> {
    let sql = concat!(project_select!(), " WHERE s.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Project>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Project> {
    let sql = concat!(project_select!(), " WHERE s.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Project>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// The stages a project has reached, with their dates.
pub async fn milestones(db: &Db, project_id: i64) -> Result<Vec<Milestone>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Milestone>(
        "SELECT m.position, g.name AS stage_name, m.reached_on FROM spinoff_milestones m \
         JOIN spinoff_projects s ON s.id = m.project_id \
         LEFT JOIN spinoff_stages g ON g.parent_id = s.parent_id AND g.position = m.position \
         WHERE m.project_id = $1 ORDER BY m.position")
        .bind(project_id)
        .fetch_all(p)
        .await)?)
}

/// Enterprises with a stage path or projects, by name, with the size of their lineage.
pub async fn parents(db: &Db) -> Result<Vec<Parent>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Parent>(
        "SELECT e.id AS parent_id, e.name AS parent_name, \
         (SELECT COUNT(*) FROM spinoff_stages g WHERE g.parent_id = e.id) AS stages, \
         (SELECT COUNT(*) FROM spinoff_projects s WHERE s.parent_id = e.id) AS projects, \
         (SELECT COUNT(*) FROM spinoff_projects s WHERE s.parent_id = e.id AND s.enterprise_id IS NOT NULL) AS companies \
         FROM enterprises e \
         WHERE EXISTS (SELECT 1 FROM spinoff_stages g WHERE g.parent_id = e.id) \
            OR EXISTS (SELECT 1 FROM spinoff_projects s WHERE s.parent_id = e.id) \
         ORDER BY e.name, e.id")
        .fetch_all(p)
        .await)?)
}

async fn record_project(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Project>,
    after: &Project,
) -> Result<()> {
    let org_id = enterprises::get_in(tx, after.parent_id).await?.org_id;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "spinoff_project",
            entity_id: after.id,
            org_id,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

async fn upsert_milestone(tx: &mut Tx, project_id: i64, position: i64, on: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO spinoff_milestones (project_id, position, reached_on, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (project_id, position) DO UPDATE SET reached_on = excluded.reached_on")
        .bind(project_id)
        .bind(position)
        .bind(on)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Starts a project at its parent's first stage, reached on `started_on`. A second project of
/// the same name under the same parent is refused (409 on `name`).
pub async fn insert_project(tx: &mut Tx, ctx: &AuditCtx, p: &NewProject) -> Result<Project> {
    // The parent must exist.
    enterprises::get_in(tx, p.parent_id).await?;
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO spinoff_projects (parent_id, name, stage_position, started_on, notable, created_at, updated_at) \
         VALUES ($1, $2, 1, $3, $4, $5, $5) RETURNING id")
        .bind(p.parent_id)
        .bind(&p.name)
        .bind(&p.started_on)
        .bind(p.notable)
        .bind(now)
        .fetch_one(c)
        .await)
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict { .. } => StoreError::Conflict {
            field: "name".into(),
        },
        other => other,
    })?;
    upsert_milestone(tx, id, 1, &p.started_on).await?;
    let project = get_in(tx, id).await?;
    record_project(tx, ctx, AuditAction::Create, None, &project).await?;
    Ok(project)
}

/// Moves a project to a stage of its parent's path, reached on a date (the milestone; a stage
/// reached again gets the new date). A position the path does not have is `NotFound`.
pub async fn move_to(
    tx: &mut Tx,
    ctx: &AuditCtx,
    project_id: i64,
    position: i64,
    reached_on: &str,
) -> Result<Project> {
    let before = get_in(tx, project_id).await?;
    let exists: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM spinoff_stages WHERE parent_id = $1 AND position = $2")
        .bind(before.parent_id)
        .bind(position)
        .fetch_optional(c)
        .await)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    on_tx!(tx, c => sqlx::query("UPDATE spinoff_projects SET stage_position = $2, updated_at = $3 WHERE id = $1")
        .bind(project_id)
        .bind(position)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    upsert_milestone(tx, project_id, position, reached_on).await?;
    let after = get_in(tx, project_id).await?;
    record_project(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Links a project to the enterprise it became (or unlinks it with `None`).
pub async fn link_enterprise(
    tx: &mut Tx,
    ctx: &AuditCtx,
    project_id: i64,
    enterprise_id: Option<i64>,
) -> Result<Project> {
    let before = get_in(tx, project_id).await?;
    if let Some(e) = enterprise_id {
        enterprises::get_in(tx, e).await?;
    }
    on_tx!(tx, c => sqlx::query("UPDATE spinoff_projects SET enterprise_id = $2, updated_at = $3 WHERE id = $1")
        .bind(project_id)
        .bind(enterprise_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, project_id).await?;
    record_project(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}
