//! Spin-off lineages (裂变孵化): a parent enterprise defines its own ordered stage path; its
//! projects move through it with dates; at the last stage a project becomes an enterprise linked
//! to its parent.

use fruition_domain::authz::Action;
use fruition_domain::date::IsoDate;
use fruition_store::enterprises::{self, Enterprise};
use fruition_store::spinoffs::{self, Milestone, Parent, Project, Stage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::enterprises::EnterpriseInput;
use super::reference::Lookups;
use super::{Ctx, Problems};
use crate::App;
use crate::error::AppError;

/// A parent's lineage: its path, and each project with its milestones.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    pub parent: Enterprise,
    pub stages: Vec<Stage>,
    pub projects: Vec<(Project, Vec<Milestone>)>,
    pub can_manage: bool,
}

/// Parents with a path or projects (everyone signed in may browse lineages).
pub async fn parents(state: &App) -> Result<Vec<Parent>, AppError> {
    Ok(spinoffs::parents(&state.db).await?)
}

async fn parent(state: &App, id: i64) -> Result<Enterprise, AppError> {
    enterprises::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn manage(ctx: &Ctx<'_>, parent: &Enterprise) -> Result<(), AppError> {
    ctx.require(Action::ManageSpinoffs {
        parent_org_id: parent.org_id,
    })
}

pub async fn lineage(state: &App, ctx: &Ctx<'_>, parent_id: i64) -> Result<Lineage, AppError> {
    let parent = parent(state, parent_id).await?;
    let mut projects = Vec::new();
    for p in spinoffs::projects(&state.db, parent_id).await? {
        let m = spinoffs::milestones(&state.db, p.id).await?;
        projects.push((p, m));
    }
    let stages = spinoffs::stages(&state.db, parent_id).await?;
    // A lineage (a path or projects) is for everyone signed in to browse; an enterprise that has
    // none is only an enterprise's record, seen by those who may see that enterprise.
    if stages.is_empty() && projects.is_empty() {
        ctx.require(Action::ViewEnterprise {
            related_orgs: enterprises::related_orgs(&state.db, parent_id).await?,
        })?;
    }
    Ok(Lineage {
        can_manage: manage(ctx, &parent).is_ok(),
        stages,
        projects,
        parent,
    })
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PathInput {
    /// The stages in order, e.g. ["科研立项", "技术攻关", "产品研发", "事业部发展", "新公司成型"]; the last is
    /// the one at which a project becomes a company.
    pub stages: Vec<String>,
}

/// Defines (or redefines) a parent's stage path.
pub async fn set_path(
    state: &App,
    ctx: &Ctx<'_>,
    parent_id: i64,
    input: &PathInput,
) -> Result<Vec<Stage>, AppError> {
    let parent = parent(state, parent_id).await?;
    manage(ctx, &parent)?;
    let names: Vec<String> = input
        .stages
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut p = Problems::default();
    if !(2..=12).contains(&names.len()) {
        p.push("stages", "路径须有 2–12 个阶段", "A path has 2–12 stages");
    }
    if names.iter().any(|n| n.chars().count() > 30) {
        p.push(
            "stages",
            "每个阶段名称最多 30 字",
            "Each stage name is at most 30 characters",
        );
    }
    let mut seen = names.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != names.len() {
        p.push("stages", "阶段名称不能重复", "Stage names must differ");
    }
    let furthest = spinoffs::projects(&state.db, parent_id)
        .await?
        .iter()
        .map(|p| p.stage_position)
        .max()
        .unwrap_or(0);
    if (names.len() as i64) < furthest {
        p.push(
            "stages",
            &format!("已有项目到达第 {furthest} 个阶段，路径不能更短"),
            &format!("A project has reached stage {furthest}; the path cannot be shorter"),
        );
    }
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let stages = spinoffs::set_stages(&mut tx, &ctx.audit(), parent_id, &names).await?;
    tx.commit().await?;
    Ok(stages)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub name: String,
    /// YYYY-MM-DD: the project is at the first stage from then.
    pub started_on: String,
    /// Named in the annual report.
    #[serde(default)]
    pub notable: bool,
}

pub async fn start(
    state: &App,
    ctx: &Ctx<'_>,
    parent_id: i64,
    input: &ProjectInput,
) -> Result<Project, AppError> {
    let parent = parent(state, parent_id).await?;
    manage(ctx, &parent)?;
    let mut p = Problems::default();
    let name = input.name.trim();
    if !(2..=60).contains(&name.chars().count()) {
        p.push(
            "name",
            "项目名称须为 2–60 字",
            "The project name must be 2–60 characters",
        );
    }
    let on = p.check(IsoDate::parse_field(&input.started_on, "started_on"));
    if spinoffs::stages(&state.db, parent_id).await?.is_empty() {
        p.push("stages", "请先定义孵化路径", "Define the stage path first");
    }
    p.into_result()?;
    let Some(on) = on else {
        return Err(AppError::Invalid(vec![]));
    };
    let new = spinoffs::NewProject {
        parent_id,
        name: name.into(),
        started_on: on.to_string(),
        notable: input.notable,
    };
    let mut tx = state.db.begin().await?;
    let project = spinoffs::insert_project(&mut tx, &ctx.audit(), &new).await?;
    tx.commit().await?;
    Ok(project)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceInput {
    /// The stage reached (1-based position in the path).
    pub position: i64,
    /// YYYY-MM-DD.
    pub reached_on: String,
    /// At the last stage: the company the project became.
    #[serde(default)]
    pub enterprise: Option<EnterpriseInput>,
}

/// Moves a project to a later stage; at the last stage it becomes an enterprise whose parent is the lineage's parent.
pub async fn advance(
    state: &App,
    ctx: &Ctx<'_>,
    project_id: i64,
    input: &AdvanceInput,
) -> Result<Project, AppError> {
    let project = spinoffs::get(&state.db, project_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parent = parent(state, project.parent_id).await?;
    manage(ctx, &parent)?;
    let stages = spinoffs::stages(&state.db, project.parent_id).await?;
    let last = stages.len() as i64;
    let mut p = Problems::default();
    let on = p.check(IsoDate::parse_field(&input.reached_on, "reached_on"));
    if input.position <= project.stage_position || input.position > last {
        p.push("position", "请选择后续的阶段", "Choose a later stage");
    }
    let milestones = spinoffs::milestones(&state.db, project_id).await?;
    if let (Some(on), Some(prev)) = (on, milestones.last())
        && on.to_string() < prev.reached_on
    {
        p.push(
            "reached_on",
            "日期不能早于上一阶段",
            "The date cannot be before the previous stage",
        );
    }
    if input.position == last && input.enterprise.is_none() {
        p.push(
            "enterprise",
            "到达最后阶段须登记新公司",
            "Register the new company at the last stage",
        );
    }
    p.into_result()?;
    let Some(on) = on else {
        return Err(AppError::Invalid(vec![]));
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    if input.position == last
        && let Some(e) = &input.enterprise
    {
        let lookups = Lookups::cached(state).await?;
        let mut checked = super::enterprises::check(state, &mut tx, &lookups, e).await?;
        checked.profile.parent_id = Some(parent.id);
        let company = enterprises::insert(&mut tx, &audit, &checked.profile).await?;
        spinoffs::link_enterprise(&mut tx, &audit, project_id, Some(company.id)).await?;
    }
    let project =
        spinoffs::move_to(&mut tx, &audit, project_id, input.position, &on.to_string()).await?;
    tx.commit().await?;
    Ok(project)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct ParentView {
    pub parent_id: i64,
    pub parent_name: String,
    pub stages: i64,
    pub projects: i64,
    pub companies: i64,
}

impl From<Parent> for ParentView {
    fn from(p: Parent) -> Self {
        ParentView {
            parent_id: p.parent_id,
            parent_name: p.parent_name,
            stages: p.stages,
            projects: p.projects,
            companies: p.companies,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub stage_position: i64,
    pub stage_name: Option<String>,
    pub stage_reached_on: Option<String>,
    pub started_on: String,
    pub notable: bool,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
}

impl From<Project> for ProjectView {
    fn from(p: Project) -> Self {
        ProjectView {
            id: p.id,
            name: p.name,
            stage_position: p.stage_position,
            stage_name: p.stage_name,
            stage_reached_on: p.stage_reached_on,
            started_on: p.started_on,
            notable: p.notable,
            enterprise_id: p.enterprise_id,
            enterprise_name: p.enterprise_name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LineageView {
    pub parent_id: i64,
    pub parent_name: String,
    pub stages: Vec<String>,
    pub projects: Vec<ProjectView>,
}
