//! The connection to the database: a SQLite or a PostgreSQL pool behind one type.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Result, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database: an embedded SQLite file or a PostgreSQL server. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either engine. Dropped without [`Tx::commit`], it rolls back.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// How long a write waits for its turn on SQLite before it is refused as busy
/// ([`StoreError::Busy`]); the same bound as SQLite's own busy timeout for other processes.
pub const WRITE_WAIT: Duration = Duration::from_secs(10);

/// A SQLite file takes one writer at a time. The writers of this process queue for it here,
/// first come first served, before they begin: the one whose turn it is finds the file's write
/// lock free, and the others wait on the queue instead of sleeping and retrying in SQLite's busy
/// handler (whose growing sleeps, up to 100 ms each, made the slow tail of concurrent writes).
/// Writers of other processes on the same file (the command line) still meet the busy timeout.
/// One queue per database file, shared by every pool of this process that opens it.
type Turns = Arc<Mutex<()>>;

fn turns_of(pool: &SqlitePool) -> Turns {
    static QUEUES: LazyLock<std::sync::Mutex<HashMap<PathBuf, Turns>>> =
        LazyLock::new(Default::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    queues.entry(file).or_default().clone()
}

/// Waits for this process's turn to write to the SQLite file of `pool`, at most [`WRITE_WAIT`].
pub(crate) async fn writer_turn(pool: &SqlitePool) -> Result<OwnedMutexGuard<()>> {
    tokio::time::timeout(WRITE_WAIT, turns_of(pool).lock_owned())
        .await
        .map_err(|_| StoreError::Busy)
}

/// A SQLite write transaction holding this process's turn to write. It reads as the
/// connection (`&mut **t`). Dropped without [`Tx::commit`], it rolls back and then gives the
/// turn to the next writer, so the next one never finds the file still locked.
pub struct SqliteTx {
    tx: Option<sqlx::Transaction<'static, Sqlite>>,
    turn: Option<OwnedMutexGuard<()>>,
}

impl Deref for SqliteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.tx.as_ref().expect("a transaction until commit")
    }
}

impl DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.tx.as_mut().expect("a transaction until commit")
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let (Some(tx), turn) = (self.tx.take(), self.turn.take()) else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    let _ = tx.rollback().await;
                    drop(turn);
                });
            }
            // No runtime (the process is ending): sqlx rolls back when the connection is next used.
            Err(_) => drop((tx, turn)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the schema stands against the migrations this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The newest migration applied to the database (0 for an empty one).
    pub db_version: i64,
    /// The newest migration this binary knows.
    pub binary_version: i64,
    /// Migrations of this binary not yet applied.
    pub pending: usize,
}

impl SchemaStatus {
    pub fn is_current(&self) -> bool {
        self.pending == 0 && self.db_version <= self.binary_version
    }
}

/// How many writes this process has made, on any database: a committed transaction or a single
/// writing statement counts one. A cache of what the database says (a session's look-up, the
/// zones and chains) keeps an answer only while this count stands still, so whatever this process
/// writes is seen on the very next read; what other processes write, only when the cache's entry
/// expires.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// The count of this process's writes so far (see [`WRITES`]). Read it before the read whose
/// answer is kept: a write that lands meanwhile moves it on, and the kept answer is then stale.
pub fn writes() -> u64 {
    WRITES.load(Ordering::Acquire)
}

/// Counts a write, after it has committed. (The bulk loads of `bulk`, which fill a database
/// before it serves, are not counted.)
pub(crate) fn wrote() {
    WRITES.fetch_add(1, Ordering::AcqRel);
}

/// Runs `$body` with `$p` bound to the pool of whichever engine `$db` is.
macro_rules! on_db {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_db;

/// Runs the single writing statement `$body` outside a transaction, with `$c` bound to a
/// connection (SQLite: after waiting for this process's turn to write, see [`Tx`]) or the pool
/// (PostgreSQL). The enclosing function answers `Result<_, StoreError>`.
macro_rules! on_write {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(pool) => {
                let turn = $crate::db::writer_turn(pool).await?;
                let mut conn = pool.acquire().await?;
                let $c = &mut *conn;
                let out = $body;
                drop(turn);
                $crate::db::wrote();
                out
            }
            $crate::Db::Postgres($c) => {
                let out = $body;
                $crate::db::wrote();
                out
            }
        }
    };
}
pub(crate) use on_write;

/// Runs `$body` with `$c` bound to the connection of the transaction `$tx`.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Db {
    /// Opens (creating if needed) the SQLite database at `path`: WAL journal, foreign keys on.
    pub async fn open_sqlite(path: &Path) -> Result<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // A local file cannot go stale: skip the ping (a round trip to the connection's thread)
            // that would otherwise precede every query.
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    /// Connects to a PostgreSQL server by URL (`postgres://user:password@host/db`).
    pub async fn connect_postgres(url: &str, max_connections: u32) -> Result<Db> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Db::Sqlite(_) => &SQLITE_MIGRATIONS,
            Db::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Compares the applied migrations with the ones this binary carries.
    pub async fn schema_status(&self) -> Result<SchemaStatus> {
        let migrator = self.migrator();
        let binary_version = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Vec<i64> = match on_db!(self, p => sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version"
        )
        .fetch_all(p)
        .await)
        {
            Ok(v) => v,
            // No migration table yet: an empty database.
            Err(sqlx::Error::Database(_)) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let db_version = applied.iter().copied().max().unwrap_or(0);
        let pending = migrator
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .count();
        Ok(SchemaStatus {
            db_version,
            binary_version,
            pending,
        })
    }

    /// Applies pending migrations; refuses a database that a newer binary has migrated.
    pub async fn migrate(&self) -> Result<SchemaStatus> {
        let status = self.schema_status().await?;
        if status.db_version > status.binary_version {
            return Err(StoreError::SchemaTooNew {
                db: status.db_version,
                binary: status.binary_version,
            });
        }
        let migrator = self.migrator();
        on_db!(self, p => migrator.run(p).await)?;
        self.schema_status().await
    }

    /// Applies the migrations up to `version` only: for tests that put rows into an older schema
    /// and check that a later migration keeps them.
    #[doc(hidden)]
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        on_db!(self, p => self.migrator().run_to(version, p).await)?;
        Ok(())
    }

    /// Begins a write transaction. On SQLite it first waits for this process's turn to write
    /// (first come first served, at most [`WRITE_WAIT`], then [`StoreError::Busy`]) and takes
    /// the write lock at once (`BEGIN IMMEDIATE`), so two writers queue instead of failing when
    /// one upgrades a read lock, and never sleep in SQLite's busy handler waiting for each other.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => {
                let turn = writer_turn(p).await?;
                let tx = p.begin_with("BEGIN IMMEDIATE").await?;
                Tx::Sqlite(SqliteTx {
                    tx: Some(tx),
                    turn: Some(turn),
                })
            }
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Answers whether the database is reachable.
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `target` while it is in use.
    pub async fn backup_sqlite(&self, target: &Path) -> Result<()> {
        match self {
            Db::Sqlite(p) => {
                let target = target.to_string_lossy().to_string();
                sqlx::query("VACUUM INTO $1").bind(target).execute(p).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Database(sqlx::Error::Configuration(
                "backup writes SQLite databases; back up PostgreSQL with pg_dump (docs/operations.md)".into(),
            ))),
        }
    }

    /// Table and column names of the schema, sorted (for the test that keeps both engines alike).
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = match self {
            Db::Sqlite(p) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
                     ORDER BY 1, 2",
                )
                .fetch_all(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' \
                     ORDER BY 1, 2",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(rows)
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(mut t) => {
                if let Some(tx) = t.tx.take() {
                    tx.commit().await?;
                }
                // The turn passes to the next writer when `t` is dropped, after the commit.
            }
            Tx::Postgres(t) => t.commit().await?,
        }
        wrote();
        Ok(())
    }
}
