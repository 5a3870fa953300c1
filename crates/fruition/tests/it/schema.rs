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

/// Migration 22 gives listings, submissions and the register a technical field from their chain
/// (the default mapping), moves the register's totals by chain to the dimension `chain` and
/// counts `field` by technical field; SQLite rebuilds `contract_submissions` (the chain is now
/// optional) and keeps its rows and the register's key to them.
#[tokio::test]
async fn sqlite_backfills_tech_fields_from_chains() {
    let dir = crate::support::tempfile_dir::TempDir::new();
    let db = Db::open_sqlite(&dir.path().join("fields.db"))
        .await
        .expect("open");
    db.migrate_to(21).await.expect("migrations up to 21");
    let Db::Sqlite(pool) = &db else {
        unreachable!("a SQLite database")
    };
    let mut c = pool.acquire().await.expect("connection");
    // Rows of the older schema, without the organisations they name.
    for sql in [
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO listings (id, kind, org_id, title, summary, chain_code, status, created_at, updated_at) \
         VALUES (1, 'achievement', 9, '牵引变流器', '摘要', 'rail_transit', 'published', 1, 1), \
         (2, 'need', 9, '陶瓷', '摘要', 'ceramics', 'published', 1, 1), \
         (3, 'achievement', 9, '自定产业链', '摘要', 'bureau_added', 'draft', 1, 1)",
        "INSERT INTO contract_submissions (id, status, contract_type, title, seller_name, seller_uscc, buyer_name, buyer_uscc, \
         contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on, file_name, file_type, file_size, file_bytes, \
         submitter_org_id, submitted_at, created_at, updated_at) \
         VALUES (5, 'recognised', 'development', '医疗影像合同', 'A', 'X', 'B', 'Y', 100, 80, 'medical_devices', '2024-01-01', \
         '2024-01-01', '2024-12-31', 'a.pdf', 'pdf', 3, X'252150', 9, 1, 1, 1)",
        "INSERT INTO tech_contracts (id, source, submission_id, registration_no, year, serial, registered_on, contract_type, \
         seller_name, buyer_name, contract_amount_fen, tech_amount_fen, starts_on, ends_on, chain_code, registered_at, updated_at) \
         VALUES (7, 'submitted', 5, '4302002024000001', 2024, 1, '2024-01-05', 'development', 'A', 'B', 100, 80, \
         '2024-01-01', '2024-12-31', 'medical_devices', 1, 1)",
        "INSERT INTO contract_totals VALUES (2024, 'field', 'medical_devices', 1, 100, 80)",
        "INSERT INTO saved_searches (id, user_id, name, query, created_at) \
         VALUES (4, 9, '轨道', '{\"q\":\"\",\"kind\":null,\"field\":\"rail_transit\",\"county\":null}', 1)",
        "PRAGMA foreign_keys = ON",
    ] {
        sqlx::query(sql).execute(&mut *c).await.expect(sql);
    }
    drop(c);
    db.migrate().await.expect("the later migrations");
    let fields: Vec<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, tech_field, chain_code FROM listings ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("listings");
    assert_eq!(
        fields,
        vec![
            (
                1,
                Some("modern_transport".into()),
                Some("rail_transit".into())
            ),
            (2, Some("new_materials".into()), Some("ceramics".into())),
            (3, None, Some("bureau_added".into())),
        ]
    );
    let sub: (Option<String>, Option<String>, Vec<u8>) = sqlx::query_as(
        "SELECT tech_field, chain_code, file_bytes FROM contract_submissions WHERE id = 5",
    )
    .fetch_one(pool)
    .await
    .expect("the submission is kept");
    assert_eq!(
        sub,
        (
            Some("biomedicine".into()),
            Some("medical_devices".into()),
            b"%!P".to_vec()
        )
    );
    let parent: String = sqlx::query_scalar(
        "SELECT \"table\" FROM pragma_foreign_key_list('tech_contracts') WHERE \"from\" = 'submission_id'",
    )
    .fetch_one(pool)
    .await
    .expect("the register's key");
    assert_eq!(parent, "contract_submissions");
    let field: Option<String> =
        sqlx::query_scalar("SELECT tech_field FROM tech_contracts WHERE id = 7")
            .fetch_one(pool)
            .await
            .expect("the registration");
    assert_eq!(field.as_deref(), Some("biomedicine"));
    let totals: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT dimension, code, contracts FROM contract_totals WHERE year = 2024 ORDER BY dimension",
    )
    .fetch_all(pool)
    .await
    .expect("totals");
    assert_eq!(
        totals,
        vec![
            ("chain".into(), "medical_devices".into(), 1),
            ("field".into(), "biomedicine".into(), 1),
        ]
    );
    let query: String = sqlx::query_scalar("SELECT query FROM saved_searches WHERE id = 4")
        .fetch_one(pool)
        .await
        .expect("the saved search");
    assert!(query.contains("\"chain\":\"rail_transit\""), "{query}");
    let chain_required: i64 = sqlx::query_scalar(
        "SELECT \"notnull\" FROM pragma_table_info('contract_submissions') WHERE name = 'chain_code'",
    )
    .fetch_one(pool)
    .await
    .expect("the column");
    assert_eq!(chain_required, 0, "a submission's chain is optional");
}
