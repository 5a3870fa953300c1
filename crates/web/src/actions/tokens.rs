//! Personal API tokens: created on the account page, shown once, revocable.

use fruition_store::tokens::{self, ApiToken};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Ctx, Problems};
use crate::AppState;
use crate::auth::secret;
use crate::error::AppError;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenInput {
    /// What the token is for, e.g. "月度统计脚本"; 1–60 characters.
    pub name: String,
}

/// A new token: `token` is shown this once and never again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedToken {
    #[schema(value_type = crate::api::TokenView)]
    pub info: ApiToken,
    pub token: String,
}

pub async fn create(
    state: &AppState,
    ctx: &Ctx<'_>,
    input: &NewTokenInput,
) -> Result<CreatedToken, AppError> {
    let name = input.name.trim();
    let mut problems = Problems::default();
    let count = name.chars().count();
    if count == 0 {
        problems.push("name", "必填", "is required");
    } else if count > 60 || name.chars().any(char::is_control) {
        problems.push(
            "name",
            "名称须为 1–60 个字符，不含控制字符",
            "The name must be 1–60 characters without control characters",
        );
    }
    problems.into_result()?;
    let token = secret::new_token();
    let prefix: String = token.chars().take(8).collect();
    let me = &ctx.principal.user;
    let mut tx = state.db.begin().await?;
    let info = tokens::insert(
        &mut tx,
        &ctx.audit(),
        me.id,
        me.org_id,
        name,
        &secret::hash_token(&token),
        &prefix,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedToken { info, token })
}

pub async fn list(state: &AppState, ctx: &Ctx<'_>) -> Result<Vec<ApiToken>, AppError> {
    Ok(tokens::list_for_user(&state.db, ctx.principal.user.id).await?)
}

pub async fn revoke(state: &AppState, ctx: &Ctx<'_>, id: i64) -> Result<ApiToken, AppError> {
    let me = &ctx.principal.user;
    let mut tx = state.db.begin().await?;
    let token = tokens::revoke(&mut tx, &ctx.audit(), me.id, me.org_id, id).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(token)
}
