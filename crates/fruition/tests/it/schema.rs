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

/// SQLite rebuilds `bills` in migration 16 (a bill may now be for a service request instead of a
/// booking): a database's bills and their payments are kept, the payments still point at their
/// bills, and a bill for neither a booking nor a request is refused.
#[tokio::test]
async fn sqlite_keeps_bills_through_their_rebuild() {
    let dir = crate::support::tempfile_dir::TempDir::new();
    let db = Db::open_sqlite(&dir.path().join("bills.db"))
        .await
        .expect("open");
    db.migrate_to(15).await.expect("migrations up to 15");
    let Db::Sqlite(pool) = &db else {
        unreachable!("a SQLite database")
    };
    let mut c = pool.acquire().await.expect("connection");
    // Rows of an older schema, without the organisations and bookings they name.
    for sql in [
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO bills (id, booking_id, resource_id, resource_kind, owner_org_id, payer_org_id, kind, units, \
         unit_price_fen, amount_fen, paid_fen, voucher_fen, issued_on, due_on, year, created_at, updated_at) \
         VALUES (7, 3, 2, 'instrument', 1, 2, 'after_use', 2, 50000, 100000, 40000, 10000, '2026-03-01', '2026-03-31', 2026, 1, 1)",
        "INSERT INTO bill_payments (id, bill_id, cash_fen, voucher_fen, paid_on, org_id, created_at) \
         VALUES (9, 7, 40000, 10000, '2026-03-05', 2, 1)",
        "PRAGMA foreign_keys = ON",
    ] {
        sqlx::query(sql).execute(&mut *c).await.expect(sql);
    }
    drop(c);
    db.migrate().await.expect("the later migrations");
    let row: (i64, Option<i64>, i64, i64, bool, Option<i64>) = sqlx::query_as(
        "SELECT amount_fen, booking_id, paid_fen, voucher_fen, vouchers_accepted, service_request_id FROM bills WHERE id = 7",
    )
    .fetch_one(pool)
    .await
    .expect("the bill is kept");
    assert_eq!(row, (100_000, Some(3), 40_000, 10_000, true, None));
    let parent: String = sqlx::query_scalar(
        "SELECT \"table\" FROM pragma_foreign_key_list('bill_payments') WHERE \"from\" = 'bill_id'",
    )
    .fetch_one(pool)
    .await
    .expect("the payment's key");
    assert_eq!(parent, "bills");
    let paid: i64 = sqlx::query_scalar("SELECT cash_fen FROM bill_payments WHERE bill_id = 7")
        .fetch_one(pool)
        .await
        .expect("the payment is kept");
    assert_eq!(paid, 40_000);
    let neither = sqlx::query(
        "INSERT INTO bills (resource_kind, owner_org_id, payer_org_id, kind, units, unit_price_fen, amount_fen, \
         issued_on, due_on, year, created_at, updated_at) \
         VALUES ('service', 1, 2, 'after_use', 1, 100, 100, '2026-03-01', '2026-03-31', 2026, 1, 1)",
    )
    .execute(pool)
    .await;
    assert!(neither.is_err(), "a bill for nothing is refused");
    let fk_on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .expect("pragma");
    assert_eq!(fk_on, 1, "foreign keys are on again after the rebuild");
}
