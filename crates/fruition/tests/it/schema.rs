//! The SQLite and PostgreSQL schemas have the same tables and columns.

use fruition_store::Db;

use crate::support::{TestApp, postgres_url};

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite = TestApp::sqlite().await;
    let lite = sqlite.db.schema_columns().await.expect("sqlite columns");
    assert!(
        lite.iter().any(|(t, c)| t == "users" && c == "login"),
        "the SQLite schema was read"
    );
    let Some(_) = postgres_url() else {
        eprintln!("SKIPPED on PostgreSQL: FRUITION_TEST_DATABASE_URL is not set");
        return;
    };
    let Some(pg) = TestApp::postgres().await else {
        return;
    };
    let pg_cols = pg.db.schema_columns().await.expect("postgres columns");
    let only_sqlite: Vec<_> = lite.iter().filter(|c| !pg_cols.contains(c)).collect();
    let only_pg: Vec<_> = pg_cols.iter().filter(|c| !lite.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_pg:?}"
    );
    let _ = Db::backend(&pg.db);
}
