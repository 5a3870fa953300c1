//! Facts about this installation, kept in the database (so every app server agrees): whether it
//! holds demo data.

use crate::db::{on_db, on_tx, on_write};
use crate::{Db, Result, Tx};

pub const DEMO: &str = "demo";

pub async fn get(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(
        on_db!(db, p => sqlx::query_scalar("SELECT value FROM instance_meta WHERE key = $1").bind(key).fetch_optional(p).await)?,
    )
}

pub async fn set(db: &Db, key: &str, value: &str) -> Result<()> {
    on_write!(db, c => sqlx::query("INSERT INTO instance_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// [`set`] inside a transaction (so a fact is committed with the data it is about).
pub async fn set_in(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO instance_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether the registry holds no carriers and no enterprises (the demo data loads only then).
pub async fn registry_is_empty(db: &Db) -> Result<bool> {
    let held: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM carriers) + (SELECT COUNT(*) FROM enterprises)")
        .fetch_one(p)
        .await)?;
    Ok(held == 0)
}

/// Whether the database holds the synthetic demo data set.
pub async fn is_demo(db: &Db) -> Result<bool> {
    Ok(get(db, DEMO).await?.as_deref() == Some("true"))
}
