//! What a new installation needs: the bureau and its first administrator, and command-line
//! creation of administrators and API tokens.

use anyhow::Context;
use fruition_app::Settings;
use fruition_app::auth::{password, secret};
use fruition_domain::account::Login;
use fruition_domain::org::{OrgKind, Role};
use fruition_store::audit::AuditCtx;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::{self, NewUser};
use fruition_store::{Db, StoreError, tokens};

/// An account just created, with its one-time password.
#[derive(Debug)]
pub struct CreatedAccount {
    pub login: String,
    pub password: String,
}

/// The bureau's organisation, created on first use with the city's name.
pub async fn bureau(db: &Db, settings: &Settings, ctx: &AuditCtx) -> anyhow::Result<i64> {
    let orgs = organisations::list(
        db,
        fruition_domain::authz::OrgScope::All,
        Some(OrgKind::Bureau),
        None,
    )
    .await?;
    if let Some(org) = orgs.first() {
        return Ok(org.id);
    }
    let profile = OrgProfile {
        name: format!("{}科学技术局", settings.city_name),
        ..OrgProfile::default()
    };
    let mut tx = db.begin().await?;
    match organisations::insert(&mut tx, ctx, OrgKind::Bureau, &profile).await {
        Ok(org) => {
            tx.commit().await?;
            Ok(org.id)
        }
        // Another server created it at the same moment.
        Err(StoreError::Conflict { .. }) => {
            drop(tx);
            let orgs = organisations::list(
                db,
                fruition_domain::authz::OrgScope::All,
                Some(OrgKind::Bureau),
                None,
            )
            .await?;
            orgs.first()
                .map(|o| o.id)
                .context("the bureau organisation could not be created")
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates a bureau administrator with a one-time password.
pub async fn create_admin(
    db: &Db,
    settings: &Settings,
    login: &str,
) -> anyhow::Result<CreatedAccount> {
    let login = Login::parse(login).map_err(|e| anyhow::anyhow!("{}（{}）", e.zh, e.en))?;
    let ctx = AuditCtx::system("command-line");
    let org_id = bureau(db, settings, &ctx).await?;
    let one_time = secret::one_time_password();
    let hash = password::hash_outside_requests(one_time.clone()).await?;
    let new_user = NewUser {
        org_id,
        login: login.as_str().to_string(),
        display_name: "管理员".into(),
        role: Role::BureauAdmin,
        is_manager: true,
        password_hash: hash,
        must_change_password: true,
        email: None,
        phone: None,
    };
    let mut tx = db.begin().await?;
    match users::insert(&mut tx, &ctx, &new_user).await {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            anyhow::bail!("登录名 {} 已被使用 (login {} is taken)", login, login)
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(CreatedAccount {
        login: login.into_string(),
        password: one_time,
    })
}

/// On a database with no users: creates the first administrator, `admin`.
pub async fn first_admin(db: &Db, settings: &Settings) -> anyhow::Result<Option<CreatedAccount>> {
    if users::count(db).await? > 0 {
        return Ok(None);
    }
    match create_admin(db, settings, "admin").await {
        Ok(created) => Ok(Some(created)),
        // Another server on the same database got there first.
        Err(_) if users::count(db).await? > 0 => Ok(None),
        Err(e) => Err(e),
    }
}

/// Creates a personal API token for a user; returns the token, which works at once.
pub async fn create_token(db: &Db, login: &str, name: &str) -> anyhow::Result<String> {
    let user = users::get_by_login(db, login.trim())
        .await?
        .with_context(|| format!("no user with login {login}"))?;
    let token = secret::new_token();
    let prefix: String = token.chars().take(8).collect();
    let mut tx = db.begin().await?;
    tokens::insert(
        &mut tx,
        &AuditCtx::system("command-line"),
        user.id,
        user.org_id,
        name,
        &secret::hash_token(&token),
        &prefix,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Fills the reference tables (functional zones, industrial chains) with the city's defaults on a
/// new database; the bureau edits them afterwards.
pub async fn seed_reference(db: &Db, settings: &Settings) -> anyhow::Result<()> {
    let city = fruition_domain::region::RegionCode::parse(&settings.city_code)
        .map_err(|e| anyhow::anyhow!("city code: {}", e.en))?;
    fruition_app::reference::seed_defaults(db, &city).await?;
    Ok(())
}
