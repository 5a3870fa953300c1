//! Users: people who sign in, each belonging to one organisation.

use fruition_domain::audit::AuditAction;
use fruition_domain::authz::Actor;
use fruition_domain::org::{OrgKind, Role};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A user as everyone but the password check sees them: the password hash is never in here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub login: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub is_manager: bool,
    pub must_change_password: bool,
    pub active: bool,
    pub lang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_login_at: Option<i64>,
}

/// A signed-in user with the facts about their organisation that every request needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Principal {
    #[sqlx(flatten)]
    pub user: User,
    #[sqlx(try_from = "String")]
    pub org_kind: OrgKind,
    pub org_name: String,
    pub org_uscc: Option<String>,
    pub org_contact_name: Option<String>,
    pub org_contact_phone: Option<String>,
    pub org_contact_email: Option<String>,
    pub org_active: bool,
    pub org_created_at: i64,
    pub org_updated_at: i64,
    /// For an enterprise's users: the registry's record of their enterprise, if one is linked.
    pub own_enterprise_id: Option<i64>,
}

impl Principal {
    /// The user's organisation, as read with the user (no second query).
    pub fn organisation(&self) -> crate::organisations::Organisation {
        crate::organisations::Organisation {
            id: self.user.org_id,
            name: self.org_name.clone(),
            kind: self.org_kind,
            uscc: self.org_uscc.clone(),
            contact_name: self.org_contact_name.clone(),
            contact_phone: self.org_contact_phone.clone(),
            contact_email: self.org_contact_email.clone(),
            active: self.org_active,
            created_at: self.org_created_at,
            updated_at: self.org_updated_at,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            org_id: self.user.org_id,
            org_kind: self.org_kind,
            role: self.user.role,
            is_manager: self.user.is_manager,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub is_manager: bool,
    pub password_hash: String,
    pub must_change_password: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
}

macro_rules! user_columns {
    () => {
        "u.id, u.org_id, u.login, u.display_name, u.role, u.is_manager, u.must_change_password, u.active, \
     u.lang, u.email, u.phone, u.created_at, u.updated_at, u.last_login_at"
    };
}

/// The SELECT that yields a [`Principal`], to be completed with a FROM tail joining `users u`.
macro_rules! principal_select {
    () => {
        concat!(
            "SELECT ",
            user_columns!(),
            ", o.kind AS org_kind, o.name AS org_name, o.uscc AS org_uscc, o.contact_name AS org_contact_name, \
             o.contact_phone AS org_contact_phone, o.contact_email AS org_contact_email, o.active AS org_active, \
             o.created_at AS org_created_at, o.updated_at AS org_updated_at, \
             CASE WHEN o.kind = 'enterprise' THEN (SELECT MIN(e.id) FROM enterprises e WHERE e.org_id = u.org_id) END AS own_enterprise_id"
        )
    };
}
pub(crate) use {principal_select, user_columns};

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, n: &NewUser) -> Result<User> {
    let now = clock::now_ms();
    let sql = "INSERT INTO users (org_id, login, display_name, role, is_manager, password_hash, must_change_password, active, email, phone, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $9, $10, $10) RETURNING id";
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(sql)
        .bind(n.org_id)
        .bind(&n.login)
        .bind(&n.display_name)
        .bind(n.role.code())
        .bind(n.is_manager)
        .bind(&n.password_hash)
        .bind(n.must_change_password)
        .bind(&n.email)
        .bind(&n.phone)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let user = get_in(tx, id).await?;
    let change = Change {
        entity: "user",
        entity_id: id,
        org_id: Some(user.org_id),
        action: AuditAction::Create,
        before: None,
        after: Some(&user),
    };
    audit::record(tx, ctx, change).await?;
    Ok(user)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<User>> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, User>(sql).bind(id).fetch_optional(p).await)?)
}

pub(crate) async fn get_in(tx: &mut Tx, id: i64) -> Result<User> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, User>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// The user with this login and their password hash, for signing in.
pub async fn get_for_sign_in(db: &Db, login: &str) -> Result<Option<(Principal, String, bool)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        principal: Principal,
        password_hash: String,
        org_active: bool,
    }
    let sql = concat!(
        principal_select!(),
        ", u.password_hash, o.active AS org_active FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.login = $1"
    );
    let row = on_db!(db, p => sqlx::query_as::<_, Row>(sql).bind(login).fetch_optional(p).await)?;
    Ok(row.map(|r| (r.principal, r.password_hash, r.org_active)))
}

pub async fn get_by_login(db: &Db, login: &str) -> Result<Option<User>> {
    let sql = concat!(
        "SELECT ",
        user_columns!(),
        " FROM users u WHERE u.login = $1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, User>(sql).bind(login).fetch_optional(p).await)?)
}

pub async fn password_hash(db: &Db, id: i64) -> Result<String> {
    let hash: Option<String> = on_db!(db, p => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(id).fetch_optional(p).await)?;
    hash.ok_or(StoreError::NotFound)
}

pub async fn list_by_org(db: &Db, org_id: i64) -> Result<Vec<User>> {
    let sql = concat!(
        "SELECT ",
        user_columns!(),
        " FROM users u WHERE u.org_id = $1 ORDER BY u.login"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, User>(sql).bind(org_id).fetch_all(p).await)?)
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(
        on_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(p).await)?,
    )
}

/// Sets a new password hash. `must_change` marks a one-time password. Ends the user's other sessions
/// (all of them when `keep_session` is None).
pub async fn set_password(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    hash: &str,
    must_change: bool,
    keep_session: Option<&str>,
) -> Result<User> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(must_change)
        .bind(clock::now_ms())
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
        .bind(id)
        .bind(keep_session)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    let change = Change {
        entity: "user",
        entity_id: id,
        org_id: Some(after.org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// Activates or deactivates a user. Deactivation ends their sessions and revokes nothing else:
/// their API tokens stop working because the user is inactive.
pub async fn set_active(tx: &mut Tx, ctx: &AuditCtx, id: i64, active: bool) -> Result<User> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE users SET active = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(active)
        .bind(clock::now_ms())
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    if !active {
        on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let after = get_in(tx, id).await?;
    let change = Change {
        entity: "user",
        entity_id: id,
        org_id: Some(after.org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// The parts of their own account a user edits.
#[derive(Debug, Clone)]
pub struct Profile {
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: Option<String>,
}

pub async fn update_profile(tx: &mut Tx, ctx: &AuditCtx, id: i64, p: &Profile) -> Result<User> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE users SET display_name = $2, email = $3, phone = $4, lang = $5, updated_at = $6 WHERE id = $1")
        .bind(id)
        .bind(&p.display_name)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&p.lang)
        .bind(clock::now_ms())
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    let change = Change {
        entity: "user",
        entity_id: id,
        org_id: Some(after.org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

pub async fn record_sign_in(tx: &mut Tx, id: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1").bind(id).bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A user with their organisation's name, for lists across organisations.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UserWithOrg {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub user: User,
    pub org_name: String,
}

/// What to look for in the list of users; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// A fragment of the login or the name.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub org_id: Option<i64>,
}

/// Users the scope allows, with their organisation, ordered by organisation and login.
pub async fn search(
    db: &Db,
    scope: fruition_domain::authz::OrgScope,
    f: &UserFilter,
) -> Result<Vec<UserWithOrg>> {
    let own = match scope {
        fruition_domain::authz::OrgScope::All => None,
        fruition_domain::authz::OrgScope::Own(id) => Some(id),
    };
    let pattern =
        f.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", crate::organisations::escape_like(s)));
    let sql = concat!(
        "SELECT ",
        user_columns!(),
        ", o.name AS org_name FROM users u JOIN organisations o ON o.id = u.org_id \
         WHERE ($1 IS NULL OR u.org_id = $1) AND ($2 IS NULL OR u.org_id = $2) AND ($3 IS NULL OR u.role = $3) \
         AND ($4 IS NULL OR u.active = $4) AND ($5 IS NULL OR u.login LIKE $5 ESCAPE '\\' OR u.display_name LIKE $5 ESCAPE '\\') \
         ORDER BY o.name, u.login LIMIT 5000"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, UserWithOrg>(sql)
        .bind(own)
        .bind(f.org_id)
        .bind(f.role.map(|r| r.code()))
        .bind(f.active)
        .bind(&pattern)
        .fetch_all(p)
        .await)?)
}
