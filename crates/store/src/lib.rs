//! Fruition's database: one [`Db`] over a SQLite or a PostgreSQL pool, the migrations of both,
//! and one repository module per capability. SQL lives here and nowhere else.
//!
//! Every query is written once, with `$1` placeholders that both engines accept, and run on
//! whichever pool is configured through the [`on_db!`] and [`on_tx!`] macros.

pub mod alliance;
pub mod applications;
pub mod audit;
pub mod billing;
pub mod bulk;
pub mod campaigns;
pub mod capital;
pub mod carriers;
pub mod clock;
pub mod contracts;
pub mod credit;
mod db;
pub mod deals;
pub mod enterprises;
pub mod evaluations;
pub mod imports;
pub mod indicators;
pub mod market;
pub mod matching;
pub mod mentors;
pub mod meta;
pub mod organisations;
pub mod pilot;
pub mod queue;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod services;
pub mod sessions;
pub mod spinoffs;
pub mod stats;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod vouchers;

pub use db::{Backend, Db, SchemaStatus, SqliteTx, Tx, WRITE_WAIT, writes};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; `field` names the column the user chose.
    #[error("{field} is already taken")]
    Conflict { field: String },
    /// A row the caller named does not exist.
    #[error("not found")]
    NotFound,
    /// The database was written by a newer version of Fruition.
    #[error(
        "数据库的结构版本（{db}）比本程序支持的版本（{binary}）新，请升级 fruition 程序后再启动。\
         The database schema version ({db}) is newer than this binary supports ({binary}); upgrade fruition."
    )]
    SchemaTooNew { db: i64, binary: i64 },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A write waited longer than [`WRITE_WAIT`] for its turn (SQLite).
    #[error("the database is busy: a write waited too long for its turn")]
    Busy,
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = err {
            return StoreError::NotFound;
        }
        if let Some(db_err) = err.as_database_error()
            && db_err.kind() == sqlx::error::ErrorKind::UniqueViolation
        {
            return StoreError::Conflict {
                field: conflicting_column(db_err),
            };
        }
        StoreError::Database(err)
    }
}

/// The column a unique violation is about: PostgreSQL names the constraint
/// (`users_login_key`, by our naming `<table>_<column>_key`), SQLite names the column in its
/// message (`UNIQUE constraint failed: users.login`).
fn conflicting_column(err: &dyn sqlx::error::DatabaseError) -> String {
    if let Some(constraint) = err.constraint() {
        if let Some(table) = err.table() {
            let rest = constraint.strip_prefix(table).unwrap_or(constraint);
            let rest = rest.trim_start_matches('_');
            return rest.strip_suffix("_key").unwrap_or(rest).to_string();
        }
        return constraint.to_string();
    }
    let msg = err.message();
    msg.rsplit(':')
        .next()
        .and_then(|cols| cols.split(',').next())
        .and_then(|col| col.trim().split('.').nth(1))
        .unwrap_or("value")
        .to_string()
}

pub type Result<T> = std::result::Result<T, StoreError>;
