//! Personal API tokens: created on the account page, shown once, revocable.

use crate::clock::rfc3339;
use fruition_store::tokens::{self, ApiToken};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Ctx, Problems};
use crate::App;
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
    pub info: TokenView,
    pub token: String,
}

pub async fn create(
    state: &App,
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
    Ok(CreatedToken {
        info: info.into(),
        token,
    })
}

pub async fn list(state: &App, ctx: &Ctx<'_>) -> Result<Vec<ApiToken>, AppError> {
    Ok(tokens::list_for_user(&state.db, ctx.principal.user.id).await?)
}

pub async fn revoke(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ApiToken, AppError> {
    let me = &ctx.principal.user;
    let mut tx = state.db.begin().await?;
    let token = tokens::revoke(&mut tx, &ctx.audit(), me.id, me.org_id, id).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(token)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// The token's first 8 characters.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        }
    }
}
