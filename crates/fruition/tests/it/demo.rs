//! The demo data set: loaded into a fresh database it reproduces the figures of the bureau's
//! reply for 2024 (checked here with SQL and through the store), its accounts sign in without a
//! password change, a second load is refused, and two loads come out the same.

use std::collections::BTreeMap;
use std::time::Instant;

use fruition::demo::{self, DemoError, plan};
use fruition_app::session::DEMO_PASSWORD;
use fruition_app::{App, Settings};
use fruition_domain::org::Role;
use fruition_store::capital::funds;
use fruition_store::enterprises::{self, EnterpriseFilter};
use fruition_store::{Db, carriers, indicators, meta, reports, spinoffs, stats, users};
use fruition_web::{AppState, WebSettings};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::support::{TestApp, on_both, tempfile_dir::TempDir};

/// Runs a query on either engine and returns every row.
async fn all<T>(db: &Db, sql: &'static str) -> Vec<T>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    match db {
        Db::Sqlite(p) => sqlx::query_as::<_, T>(sql).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as::<_, T>(sql).fetch_all(p).await,
    }
    .unwrap_or_else(|e| panic!("{e}: {sql}"))
}

async fn one<T>(db: &Db, sql: &'static str) -> T
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    all::<T>(db, sql).await.into_iter().next().expect("a row")
}

async fn load(db: &Db) -> demo::Summary {
    let started = Instant::now();
    let summary = demo::load(db, &Settings::default())
        .await
        .expect("the demo loads");
    eprintln!(
        "demo load on {:?}: {:.1} s ({} enterprises, {} indicator rows)",
        db.backend(),
        started.elapsed().as_secs_f64(),
        summary.enterprises,
        summary.indicator_rows
    );
    summary
}

on_both!(the_demo_reproduces_the_figures_of_2024);

async fn the_demo_reproduces_the_figures_of_2024(app: TestApp) {
    let db = &app.db;
    assert!(!meta::is_demo(db).await.expect("meta"));
    load(db).await;
    assert!(meta::is_demo(db).await.expect("meta"));

    // §一(一)(二): 69 carriers at the end of 2024, by place, kind and level then.
    let rows: Vec<(String, String, Option<String>, i64)> = all(
        db,
        "SELECT place, kind, level, COUNT(*) FROM ( \
           SELECT COALESCE(z.code, c.county_code) AS place, c.kind, \
             (SELECT r.level FROM carrier_ratings r WHERE r.carrier_id = c.id AND r.year_granted <= 2024 \
              ORDER BY r.year_granted DESC, r.level_rank DESC LIMIT 1) AS level \
           FROM carriers c LEFT JOIN zones z ON z.id = c.zone_id \
           WHERE c.established_year <= 2024 AND (c.revoked_on IS NULL OR c.revoked_on > '2024-12-31')) x \
         GROUP BY place, kind, level",
    )
    .await;
    let mut got: Vec<(String, String, String, i64)> = rows
        .into_iter()
        .map(|(p, k, l, n)| (p, k, l.unwrap_or_default(), n))
        .collect();
    got.sort();
    let mut expected: Vec<(String, String, String, i64)> = [
        ("zz_hitech", "incubator", "national", 4),
        ("zz_hitech", "incubator", "provincial", 3),
        ("zz_hitech", "incubator", "municipal", 3),
        ("zz_hitech", "maker_space", "national", 7),
        ("zz_hitech", "maker_space", "provincial", 8),
        ("zz_hitech", "pilot_base", "provincial", 6),
        ("430204", "incubator", "provincial", 3),
        ("430204", "maker_space", "national", 1),
        ("430204", "maker_space", "provincial", 8),
        ("430204", "pilot_base", "provincial", 2),
        ("430281", "incubator", "municipal", 4),
        ("430281", "maker_space", "municipal", 3),
        ("430203", "maker_space", "provincial", 5),
        ("430202", "science_park", "provincial", 1),
        ("430202", "maker_space", "provincial", 3),
        ("430223", "incubator", "municipal", 2),
        ("430223", "maker_space", "municipal", 2),
        ("430224", "incubator", "municipal", 2),
        ("430224", "maker_space", "municipal", 1),
        ("430225", "maker_space", "municipal", 1),
    ]
    .into_iter()
    .map(|(p, k, l, n)| (p.to_string(), k.to_string(), l.to_string(), n))
    .collect();
    expected.sort();
    assert_eq!(got, expected);
    // The zone is in 天元区, and the statistics count the same.
    let zone_county: Vec<(String,)> = all(
        db,
        "SELECT DISTINCT county_code FROM carriers WHERE zone_id IS NOT NULL",
    )
    .await;
    assert_eq!(zone_county, vec![("430211".to_string(),)]);
    let total =
        |carriers: &[stats::CarrierFacts]| carriers.iter().filter(|c| c.in_registry).count();
    let mut counts = [0usize; 5];
    for (i, year) in (2020..=2024).enumerate() {
        counts[i] = total(&stats::carriers(db, year).await.expect("stats"));
    }
    assert_eq!(counts[4], 69);
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "the registry grows: {counts:?}"
    );
    assert!(
        counts[0] < 69,
        "carriers were established 2021–2023: {counts:?}"
    );
    // One carrier was revoked in 2022 (with its reason) and is not counted from then.
    let revoked: Vec<(String, Option<String>, Option<String>)> = all(
        db,
        "SELECT status, revoked_on, revoked_reason FROM carriers WHERE revoked_on IS NOT NULL",
    )
    .await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].0, "revoked");
    assert!(
        revoked[0]
            .1
            .as_deref()
            .is_some_and(|d| d.starts_with("2022-"))
    );
    assert!(revoked[0].2.as_deref().is_some_and(|r| !r.is_empty()));
    // Rating histories: some carriers climbed from municipal through provincial to national.
    let (climbers,): (i64,) = one(
        db,
        "SELECT COUNT(*) FROM carriers c WHERE (SELECT COUNT(DISTINCT r.level) FROM carrier_ratings r WHERE r.carrier_id = c.id) = 3",
    )
    .await;
    assert!(climbers >= 2, "{climbers}");

    // §一(三): 2,300 incubatees in approved 2024 reports, by chain, and their sums.
    let chains: Vec<(Option<String>, i64)> = all(
        db,
        "SELECT e.chain_code, COUNT(*) FROM enterprise_indicators x JOIN carrier_reports r ON r.id = x.report_id \
         JOIN enterprises e ON e.id = x.enterprise_id WHERE r.year = 2024 AND r.status = 'approved' GROUP BY e.chain_code",
    )
    .await;
    let chains: BTreeMap<String, i64> = chains
        .into_iter()
        .map(|(c, n)| (c.expect("every incubatee has a chain"), n))
        .collect();
    assert_eq!(chains["advanced_manufacturing"], 805);
    assert_eq!(chains["rail_transit"], 500);
    assert_eq!(chains["new_materials"], 420);
    assert_eq!(chains["information_technology"], 330);
    let small = [
        "new_energy",
        "electronic_information",
        "medical_devices",
        "aviation",
        "ceramics",
        "cemented_carbide",
    ];
    assert!(small.iter().all(|c| chains.get(*c).is_some_and(|n| *n > 0)));
    assert_eq!(small.iter().map(|c| chains[*c]).sum::<i64>(), 245);
    assert_eq!(chains.values().sum::<i64>(), 2_300);
    let sums: (i64, i64, i64, i64, i64) = one(
        db,
        "SELECT COUNT(*), CAST(SUM(x.employees) AS BIGINT), CAST(SUM(x.high_level_talent) AS BIGINT), \
         CAST(SUM(x.patent_applications) AS BIGINT), CAST(SUM(x.patent_grants) AS BIGINT) \
         FROM enterprise_indicators x JOIN carrier_reports r ON r.id = x.report_id WHERE r.year = 2024 AND r.status = 'approved'",
    )
    .await;
    assert_eq!(sums, (2_300, 34_870, 318, 3_046, 1_062));
    // The approved reports' rollups (what the statistics read) say the same.
    let rolled: (i64, i64, i64, i64, i64) = one(
        db,
        "SELECT CAST(SUM(u.incubatees) AS BIGINT), CAST(SUM(u.employees) AS BIGINT), CAST(SUM(u.high_level_talent) AS BIGINT), \
         CAST(SUM(u.patent_applications) AS BIGINT), CAST(SUM(u.patent_grants) AS BIGINT) \
         FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id WHERE r.year = 2024 AND r.status = 'approved'",
    )
    .await;
    assert_eq!(rolled, sums);
    // Earlier years: fewer incubatees and smaller sums, growing towards 2024.
    let trend: Vec<(i64, i64, i64, i64)> = all(
        db,
        "SELECT r.year, CAST(SUM(u.incubatees) AS BIGINT), CAST(SUM(u.employees) AS BIGINT), CAST(SUM(u.patent_applications) AS BIGINT) \
         FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id WHERE r.status = 'approved' GROUP BY r.year ORDER BY r.year",
    )
    .await;
    assert_eq!(
        trend.iter().map(|t| t.0).collect::<Vec<_>>(),
        vec![2020, 2021, 2022, 2023, 2024]
    );
    assert!(
        trend
            .windows(2)
            .all(|w| w[0].1 < w[1].1 && w[0].2 < w[1].2 && w[0].3 < w[1].3),
        "{trend:?}"
    );
    // Some 2024 reports still wait for the bureau (not counted), and every report holds exactly
    // the carrier's incubatees of its year, with figures that pass the checks.
    let all_reports = reports::list(db, None, None, None).await.expect("reports");
    let waiting = all_reports
        .iter()
        .filter(|r| r.status != fruition_domain::report::ReportStatus::Approved)
        .count();
    assert!(waiting > 0 && waiting < 5, "{waiting}");
    for r in &all_reports {
        let rows = indicators::for_report(db, r.id).await.expect("rows");
        for row in &rows {
            let errors = row.indicators().errors();
            assert!(
                errors.is_empty(),
                "{} {}: {errors:?}",
                row.enterprise_name,
                r.year
            );
        }
        let mut held: Vec<i64> = rows.iter().map(|x| x.enterprise_id).collect();
        held.sort();
        let mut expected: Vec<i64> = enterprises::incubatees_in_year(db, r.carrier_id, r.year)
            .await
            .expect("incubatees")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        expected.sort();
        assert_eq!(held, expected, "{} {}", r.carrier_name, r.year);
        let review = reports::reviews(db, r.id).await.expect("reviews");
        assert!(!review.is_empty());
    }
    // Spells: some graduated, some left with a reason; no one left without saying why.
    let exits: Vec<(Option<String>, i64, i64)> = all(
        db,
        "SELECT exit_kind, COUNT(*), CAST(SUM(CASE WHEN exit_reason IS NULL THEN 0 ELSE 1 END) AS BIGINT) FROM incubations GROUP BY exit_kind",
    )
    .await;
    let exits: BTreeMap<String, (i64, i64)> = exits
        .into_iter()
        .map(|(k, n, r)| (k.unwrap_or_else(|| "open".into()), (n, r)))
        .collect();
    assert!(
        exits["graduated"].0 > 100 && exits["left"].0 > 50,
        "{exits:?}"
    );
    assert_eq!(
        exits["left"].0, exits["left"].1,
        "every departure has a reason"
    );
    let (moved,): (i64,) = one(
        db,
        "SELECT COUNT(*) FROM (SELECT enterprise_id FROM incubations GROUP BY enterprise_id HAVING COUNT(*) > 1) x",
    )
    .await;
    assert!(moved > 0, "some enterprises came back to another carrier");

    // §一(二): the zone's enterprises, led by new energy, electronic information, medical devices.
    let zone = stats::zone_enterprises(db).await.expect("zone");
    let in_zone: i64 = zone.iter().map(|z| z.enterprises).sum();
    assert!((1_500..1_600).contains(&in_zone), "{in_zone}");
    let mut ranked: Vec<(i64, String)> = zone
        .iter()
        .map(|z| (z.enterprises, z.chain_code.clone()))
        .collect();
    ranked.sort_by(|a, b| b.cmp(a));
    let top: Vec<&str> = ranked.iter().take(3).map(|(_, c)| c.as_str()).collect();
    assert_eq!(
        top,
        vec!["new_energy", "electronic_information", "medical_devices"]
    );
    assert!(ranked[0].0 > ranked[1].0 && ranked[1].0 > ranked[2].0 && ranked[2].0 > ranked[3].0);

    // §一(四): funds open to incubatees, established by 2024, a sub-fund counting only what its
    // guidance fund did not put in: 10,350,000 千元.
    let all_funds = funds::list(db).await.expect("funds");
    let open: Vec<&funds::Fund> = all_funds
        .iter()
        .filter(|f| f.for_incubatees && f.established_year <= 2024)
        .collect();
    assert_eq!(
        open.iter().map(|f| f.size_k - f.from_parent_k).sum::<i64>(),
        10_350_000
    );
    let names: Vec<&str> = open.iter().take(2).map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["北斗产业基金", "启航基金"]);
    assert!(all_funds.iter().all(|f| f.manager_name.is_some()));
    assert!(
        open.iter()
            .filter(|f| f.parent_fund_id.is_some())
            .all(|f| f.parent_name.as_deref() == Some("北斗产业基金")
                || f.parent_name.as_deref() == Some("启航基金")),
        "the named funds' sub-funds"
    );

    // §一(五): the three spin-off lineages.
    let parents = spinoffs::parents(db).await.expect("parents");
    let mut lineages: Vec<(String, i64, i64, i64)> = parents
        .iter()
        .map(|p| (p.parent_name.clone(), p.stages, p.projects, p.companies))
        .collect();
    lineages.sort();
    assert_eq!(
        lineages,
        vec![
            ("中车株洲电力机车研究所有限公司".to_string(), 5, 14, 12),
            ("中车株洲电机有限公司".to_string(), 7, 9, 8),
            ("株洲宏达电子股份有限公司".to_string(), 4, 6, 6),
        ]
    );
    for p in &parents {
        let stages: Vec<String> = spinoffs::stages(db, p.parent_id)
            .await
            .expect("stages")
            .into_iter()
            .map(|s| s.name)
            .collect();
        let projects = spinoffs::projects(db, p.parent_id).await.expect("projects");
        let notable: Vec<&str> = projects
            .iter()
            .filter(|x| x.notable)
            .map(|x| x.name.as_str())
            .collect();
        let (path, named): (&[&str], &[&str]) = match p.parent_name.as_str() {
            "中车株洲电力机车研究所有限公司" => (
                &[
                    "科研立项",
                    "技术攻关",
                    "产品研发",
                    "事业部发展",
                    "新公司成型",
                ],
                &["时代新材", "中车电动", "时代电气", "风电公司", "半导体公司"],
            ),
            "中车株洲电机有限公司" => (
                &[
                    "技术挖掘研究",
                    "产业技术调研",
                    "技术团队及项目组搭建",
                    "关键研发项目实施",
                    "产业化平台化技术实施",
                    "事业部化自主运行",
                    "成立公司",
                ],
                &["中车尚驱", "中车尚驰"],
            ),
            _ => (
                &["遴选", "共创", "培育", "共享"],
                &[
                    "宏达陶电",
                    "宏达磁电",
                    "宏达电通",
                    "宏达恒芯",
                    "展芯半导体",
                    "华毅微波",
                ],
            ),
        };
        assert_eq!(stages, path);
        assert_eq!(notable, named);
        for x in &projects {
            let milestones = spinoffs::milestones(db, x.id).await.expect("milestones");
            assert_eq!(milestones.len() as i64, x.stage_position, "{}", x.name);
            assert!(
                milestones
                    .windows(2)
                    .all(|w| w[0].reached_on < w[1].reached_on)
            );
            if x.enterprise_id.is_some() {
                assert_eq!(x.stage_position, path.len() as i64, "{}", x.name);
                assert_eq!(x.stage_name.as_deref(), path.last().copied());
            }
        }
        let children = enterprises::list(
            db,
            &EnterpriseFilter {
                parent_id: Some(p.parent_id),
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .expect("children");
        assert_eq!(children.len() as i64, p.companies);
    }

    // The demo accounts: one per role, ready to use.
    for (login, _, role) in demo::ACCOUNTS {
        let user = users::get_by_login(db, login)
            .await
            .expect("user")
            .unwrap_or_else(|| panic!("{login}"));
        assert_eq!(user.role, role);
        assert!(!user.must_change_password, "{login}");
    }
    let carrier_user = users::get_by_login(db, "demo.carrier")
        .await
        .expect("user")
        .expect("user");
    let run = carriers::list(
        db,
        carriers::CURRENT,
        &carriers::CarrierFilter {
            operator_org_id: Some(carrier_user.org_id),
            ..Default::default()
        },
    )
    .await
    .expect("carriers");
    assert!(
        run.len() >= 2 && run.iter().any(|c| c.zone_id.is_some()),
        "{run:?}"
    );
    let ent_user = users::get_by_login(db, "demo.enterprise")
        .await
        .expect("user")
        .expect("user");
    let linked: Vec<(i64, i64)> = all(
        db,
        "SELECT e.org_id, COUNT(*) FROM enterprises e JOIN enterprise_indicators x ON x.enterprise_id = e.id \
         JOIN carrier_reports r ON r.id = x.report_id WHERE e.org_id IS NOT NULL AND r.year = 2024 AND r.status = 'approved' GROUP BY e.org_id",
    )
    .await;
    // The demo enterprise user's organisation is one 2024 incubatee; the others linked to an
    // organisation are the credit demo's borrowers, one enterprise each.
    assert!(linked.contains(&(ent_user.org_id, 1)), "{linked:?}");
    assert!(linked.iter().all(|(_, n)| *n == 1), "{linked:?}");
    let institution = users::get_by_login(db, "demo.institution")
        .await
        .expect("user")
        .expect("user");
    let org = fruition_store::organisations::get(db, institution.org_id)
        .await
        .expect("org")
        .expect("org");
    assert_eq!(org.name, "湘渌理工学院");
    let entries = fruition_store::audit::list(
        db,
        &fruition_store::audit::AuditFilter {
            actor_login: Some("system:demo".into()),
            limit: 5,
            ..Default::default()
        },
    )
    .await
    .expect("audit");
    assert_eq!(entries.len(), 5, "the demo's writes are audited");

    // The bureau's 2024 evaluation of every carrier with an approved 2024 report, published,
    // with two adjustments and their reasons.
    let rounds: Vec<(i64, String)> = all(db, "SELECT year, status FROM evaluation_rounds").await;
    assert_eq!(rounds, vec![(2024, "published".to_string())]);
    let (evaluated, adjusted): (i64, i64) = one(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN adjustment_reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM evaluation_results",
    )
    .await;
    let (approved,): (i64,) = one(
        db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM carrier_reports WHERE year = 2024 AND status = 'approved'",
    )
    .await;
    assert_eq!(evaluated, approved);
    assert_eq!(adjusted, 2);

    // The database holds exactly the plan.
    let names: Vec<(String,)> = all(db, "SELECT name FROM enterprises ORDER BY id").await;
    let planned: Vec<(String,)> = plan::build()
        .enterprises
        .into_iter()
        .map(|e| (e.name,))
        .collect();
    assert_eq!(names, planned);

    // The annual report written from these figures reads as §一 of the bureau's reply.
    let (status, annual) = app
        .admin(
            reqwest::Method::GET,
            "/api/v1/annual-report?year=2024",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{annual}");
    let text = annual["text"].as_str().expect("text");
    for expected in [
        "截至2024年底，株洲市共有各级双创孵化载体69家",
        "省级以上孵化器10家，其中国家级孵化器4家，省级孵化器6家",
        "省级中试基地8家",
        "省级以上众创空间32家，其中国家级众创空间8家，省级众创空间24家",
        "此外还有一家省级大学科技园",
        "已经累计引进企业1500多家，涉及新能源、电子信息、医疗器械等众多领域",
        "株洲国家高新区范围内已有市级以上科技成果转化平台31家，其中国家级科技企业孵化器4家，国家级众创空间7家，省级中试基地6家",
        "石峰区14家，醴陵市7家，芦淞区5家，荷塘区4家，攸县4家，茶陵县3家，炎陵县1家",
        "轨道交通、新材料、信息技术、先进制造等4个领域在孵企业数量达到2000多家",
        "先进制造领域在孵企业数量最多，占全部在孵企业比重约35%",
        "从业人员约3.5万人，其中市级以上高层次人才300余人",
        "专利申请数达3000多件，专利授权数1000余件",
        "创业投资基金规模达到100亿元以上",
        "启航基金",
        "北斗产业基金",
        "通过“科研立项-技术攻关-产品研发-事业部发展-新公司成型”的发展路径，先后成功孵化出时代新材、中车电动、时代电气、风电公司、半导体公司等10多家新公司",
        "先后成功孵化出中车尚驱、中车尚驰等8家新公司",
        "宏达陶电、宏达磁电、宏达电通、宏达恒芯、展芯半导体、华毅微波等6家新公司",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    // The year's investments are worded from the recorded ones.
    assert!(text.contains("2024年，平台登记各类基金投资企业"), "{text}");
    assert!(
        text.contains("6家载体设立种子基金，其中3家达到500万元以上"),
        "{text}"
    );
    let (status, capital) = app
        .admin(
            reqwest::Method::GET,
            "/api/v1/capital/statistics?year=2024",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{capital}");
    assert_eq!(capital["capital_k"], 10_350_000, "{capital}");
    let carriers = capital["carriers"].as_array().cloned().unwrap_or_default();
    let seeded: Vec<&serde_json::Value> = carriers
        .iter()
        .filter(|c| c["seed_fund_k"].as_i64() > Some(0))
        .collect();
    assert_eq!(seeded.len(), 6, "{capital}");
    // The national incubators with a seed fund reach the lines mostly by their own seed fund's
    // investments; the one with 300万元 misses the seed fund line.
    assert!(
        seeded
            .iter()
            .any(|c| c["meets_seed_line"] == true && c["meets_financed_line"] == true),
        "{capital}"
    );
    assert!(
        seeded
            .iter()
            .any(|c| c["seed_fund_k"] == 3_000 && c["meets_seed_line"] == false),
        "{capital}"
    );
    assert!(capital["investments"].as_i64() > Some(20), "{capital}");
    // Two 先投后股 projects: one held after its conversion, one waiting for a priced round.
    let (status, grants) = app
        .admin(reqwest::Method::GET, "/api/v1/capital/grants", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{grants}");
    let mut states: Vec<&str> = grants
        .as_array()
        .map(|g| g.iter().filter_map(|x| x["status"].as_str()).collect())
        .unwrap_or_default();
    states.sort_unstable();
    assert_eq!(states, ["granted", "held"], "{grants}");

    reads_like_a_real_city(db).await;

    // A second load is refused, and nothing changes.
    let err = demo::load(db, &Settings::default())
        .await
        .expect_err("refused");
    assert!(
        matches!(err.downcast_ref::<DemoError>(), Some(DemoError::NotEmpty)),
        "{err:#}"
    );
    assert!(err.to_string().contains("演示数据只能载入空的数据库"));
    let again: Vec<(String,)> = all(db, "SELECT name FROM enterprises ORDER BY id").await;
    assert_eq!(again.len(), names.len());

    // A server on this database shows the banner and offers the demo accounts; they sign in
    // without being sent to change their password.
    let settings = Settings {
        demo: meta::is_demo(db).await.expect("meta"),
        ..Settings::default()
    };
    let running = fruition::server::start(
        AppState::new(App::new(db.clone(), settings), WebSettings::default()),
        "127.0.0.1:0",
    )
    .await
    .expect("start");
    let base = format!("http://{}", running.addr);
    for (i, login) in ["demo.admin", "demo.enterprise"].into_iter().enumerate() {
        let browser = app.browser();
        let page = browser
            .get(format!("{base}/sign-in"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        if i == 0 {
            assert!(page.contains("demo-banner"), "{page}");
            for (login, _, _) in demo::ACCOUNTS {
                assert!(page.contains(login), "{login} offered");
            }
            assert!(page.contains(DEMO_PASSWORD));
        }
        let token = crate::pages::form_token(&page);
        let res = browser
            .post(format!("{base}/sign-in"))
            .form(&[
                ("login", login),
                ("password", DEMO_PASSWORD),
                ("csrf_token", token.as_str()),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{login}");
        assert_eq!(
            res.headers()[LOCATION],
            "/",
            "{login} needs no password change"
        );
        let home = browser.get(format!("{base}/")).send().await.expect("get");
        assert_eq!(home.status(), StatusCode::OK, "{login}");
        let html = home.text().await.expect("html");
        assert!(html.contains("demo-banner"));
    }
    let bank = users::get_by_login(db, "demo.bank")
        .await
        .expect("user")
        .expect("user");
    assert_eq!(bank.role, Role::Financier);

    // A living market: every kind published, found in Chinese, needs with suggestions.
    let client = reqwest::Client::new();
    let token = &app.admin_token;
    let get = |path: String| {
        let client = client.clone();
        let base = base.clone();
        async move {
            client
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .expect("get")
                .json::<serde_json::Value>()
                .await
                .expect("json")
        }
    };
    for kind in [
        "achievement",
        "need",
        "service",
        "instrument",
        "expert",
        "capital",
        "policy",
    ] {
        let found = get(format!("/api/v1/listings?kind={kind}")).await;
        assert!(found["total"].as_u64() > Some(0), "{kind}: {found}");
    }
    let all = get("/api/v1/listings?per_page=1".into()).await;
    assert!(
        all["total"].as_u64() >= Some(250),
        "a few hundred: {}",
        all["total"]
    );
    let found =
        get("/api/v1/listings?q=%E7%89%B5%E5%BC%95%E5%8F%98%E6%B5%81%E5%99%A8".into()).await;
    assert!(found["total"].as_u64() > Some(0), "牵引变流器: {found}");
    assert!(
        found["hits"][0]["title_html"]
            .to_string()
            .contains("<mark>")
    );
    let need =
        get("/api/v1/listings?kind=need&per_page=1".into()).await["hits"][0]["listing"]["id"]
            .as_i64()
            .expect("a need");
    let matches = get(format!("/api/v1/listings/{need}/matches")).await;
    assert!(
        matches.as_array().is_some_and(|m| !m.is_empty() && !m[0]["reasons"].as_array().is_none_or(Vec::is_empty)),
        "a demo need has suggestions with reasons: {matches}"
    );
    // Deals at every step, and contracts registered in 2025 that the statistics count.
    let deals = get("/api/v1/deals".into()).await;
    let statuses: std::collections::BTreeSet<&str> = deals
        .as_array()
        .expect("deals")
        .iter()
        .filter_map(|d| d["status"].as_str())
        .collect();
    for s in [
        "negotiating",
        "agreed",
        "registered",
        "fulfilled",
        "terminated",
        "withdrawn",
    ] {
        assert!(statuses.contains(s), "a deal {s}: {statuses:?}");
    }
    let contracts = get("/api/v1/contract-statistics?year=2025".into()).await;
    assert!(
        contracts["total"]["contracts"].as_i64() > Some(0)
            && contracts["total"]["contract_amount_fen"].as_i64() > Some(0),
        "{contracts}"
    );
    // Contracts concluded outside the market, registered every year from 2022 in the same
    // register; some with a party outside the city; a few awaiting the office, one returned.
    for year in 2022..=2025 {
        let k = get(format!("/api/v1/contract-statistics?year={year}")).await;
        let submitted = k["by_source"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["code"] == "submitted"))
            .and_then(|r| r["contracts"].as_i64())
            .unwrap_or(0);
        assert!(submitted >= 5, "{year}: {k}");
        let outside = k["by_side"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter(|r| r["code"].as_str().is_some_and(|c| c.ends_with("_outside")))
                    .count()
            })
            .unwrap_or(0);
        assert!(outside > 0, "{year}: {k}");
        // 技术交易额 is plausible: a few hundred 万元 to a few thousand a year.
        let tech = k["total"]["tech_amount_fen"].as_i64().unwrap_or(0);
        assert!((100_000_000..5_000_000_000).contains(&tech), "{year}: {k}");
    }
    let waiting = get("/api/v1/contract-submissions?status=submitted".into()).await;
    assert_eq!(waiting.as_array().map(Vec::len), Some(2), "{waiting}");
    let returned = get("/api/v1/contract-submissions?status=returned".into()).await;
    assert!(
        returned[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("盖章页")),
        "{returned}"
    );
    // Pilot lines and instruments with a year of use: bookings at every step, bills paid in
    // part with vouchers, an overdue one, claims paid and waiting; the statistics and the
    // annual report of the year count them.
    let resources = get("/api/v1/resources".into()).await;
    let kinds: std::collections::BTreeSet<&str> = resources
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert_eq!(kinds.len(), 3, "lines, instruments and testing: {kinds:?}");
    let bookings = get("/api/v1/bookings?side=all".into()).await;
    let statuses: std::collections::BTreeSet<&str> = bookings
        .as_array()
        .expect("bookings")
        .iter()
        .filter_map(|b| b["status"].as_str())
        .collect();
    for s in ["requested", "confirmed", "declined", "cancelled", "billed"] {
        assert!(statuses.contains(s), "a booking {s}: {statuses:?}");
    }
    let overdue = get("/api/v1/bills?overdue=true".into()).await;
    assert!(
        overdue.as_array().is_some_and(|b| !b.is_empty()),
        "an overdue bill"
    );
    let claims = get("/api/v1/voucher-claims".into()).await;
    let statuses: std::collections::BTreeSet<&str> = claims
        .as_array()
        .expect("claims")
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert!(
        statuses.contains("paid") && statuses.contains("submitted"),
        "{statuses:?}"
    );
    let year = fruition_app::clock::this_year();
    let pilot = get(format!("/api/v1/pilot-statistics?year={year}")).await;
    assert!(pilot["totals"]["bookings"].as_i64() > Some(0), "{pilot}");
    assert!(pilot["vouchers_spent_fen"].as_i64() > Some(0), "{pilot}");
    let annual = get(format!("/api/v1/annual-report?year={year}")).await;
    assert!(annual.to_string().contains("中试线和大型仪器"), "{annual}");
    // Mentors: every approved 2024 report's mentor figure is what the records give, so no
    // report is flagged; the demo carrier's mentors guide incubatees now.
    let by_carrier = get("/api/v1/mentoring-statistics?year=2024".into()).await;
    let rows = by_carrier.as_array().expect("rows");
    assert!(rows.len() >= 10, "{by_carrier}");
    let reports: Vec<(i64, Option<i64>)> = self::all(
        db,
        "SELECT carrier_id, mentors FROM carrier_reports WHERE year = 2024 AND status = 'approved' ORDER BY carrier_id",
    )
    .await;
    for r in rows {
        let carrier = r["carrier_id"].as_i64();
        let figure = reports
            .iter()
            .find(|x| Some(x.0) == carrier)
            .and_then(|x| x.1);
        assert_eq!(r["mentors"].as_i64(), figure, "{r}");
    }
    let now = get(format!("/api/v1/mentorships?year={year}")).await;
    assert!(now.as_array().is_some_and(|v| v.len() >= 3), "{now}");
    // A need-collection campaign is running, with the demo carrier's visits and three needs
    // published in the market.
    let campaigns = get("/api/v1/campaigns".into()).await;
    let running_campaign = campaigns
        .as_array()
        .expect("campaigns")
        .iter()
        .find(|c| c["takes_needs"] == true)
        .cloned()
        .expect("a campaign running");
    let d = get(format!("/api/v1/campaigns/{}", running_campaign["id"])).await;
    assert_eq!(d["needs"].as_array().map(Vec::len), Some(3), "{d}");
    assert_eq!(d["total"]["asked"].as_i64(), Some(7), "{d}");
    running.task.abort();
}

type EnterpriseRow = (String, String, Option<String>, Option<String>, Option<i64>);
type SpellRow = (i64, i64, String, Option<String>, Option<String>);
type YearRow = (i64, i64, i64, i64, i64, i64, i64);
type ReportRow = (i64, i64, String, Option<i64>, Option<i64>);
type LoanRow = (
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

/// What two loads must agree on: every name and code, the spells, the figures by year, and the
/// credit year (loans, the pool's ledger, each bank's ratio).
async fn fingerprint(db: &Db) -> String {
    let enterprises: Vec<EnterpriseRow> = all(
        db,
        "SELECT name, uscc, chain_code, founded_on, parent_id FROM enterprises ORDER BY id",
    )
    .await;
    let carriers: Vec<(String, String, String, i64, String)> = all(
        db,
        "SELECT name, kind, county_code, established_year, focus_chains FROM carriers ORDER BY id",
    )
    .await;
    let spells: Vec<SpellRow> = all(
        db,
        "SELECT enterprise_id, carrier_id, entered_on, exited_on, exit_reason FROM incubations ORDER BY id",
    )
    .await;
    let figures: Vec<YearRow> = all(
        db,
        "SELECT year, COUNT(*), CAST(SUM(employees) AS BIGINT), CAST(SUM(revenue_k) AS BIGINT), CAST(SUM(patent_applications) AS BIGINT), \
         CAST(SUM(patent_grants) AS BIGINT), CAST(SUM(valid_ip) AS BIGINT) FROM enterprise_indicators GROUP BY year ORDER BY year",
    )
    .await;
    let reports: Vec<ReportRow> = all(
        db,
        "SELECT carrier_id, year, status, staff, graduated_in_year FROM carrier_reports ORDER BY id",
    )
    .await;
    let loans: Vec<LoanRow> = all(
        db,
        "SELECT e.name, b.name, l.status, l.amount_fen, l.disbursed_on, l.principal_repaid_fen, l.recovered_fen \
         FROM loans l JOIN enterprises e ON e.id = l.enterprise_id JOIN organisations b ON b.id = l.bank_org_id ORDER BY l.id",
    )
    .await;
    let ledger: Vec<(i64, i64, String)> = all(
        db,
        "SELECT account_id, amount_fen, value_date FROM ledger_entries ORDER BY id",
    )
    .await;
    let risk: Vec<(String, i64, String)> = all(
        db,
        "SELECT o.name, r.npl_bp, r.level FROM credit_bank_risk r JOIN organisations o ON o.id = r.bank_org_id ORDER BY o.name",
    )
    .await;
    format!(
        "{enterprises:?}\n{carriers:?}\n{spells:?}\n{figures:?}\n{reports:?}\n{loans:?}\n{ledger:?}\n{risk:?}"
    )
}

async fn fresh_sqlite(dir: &TempDir, name: &str) -> Db {
    let db = Db::open_sqlite(&dir.path().join(name)).await.expect("open");
    db.migrate().await.expect("migrate");
    fruition::bootstrap::seed_reference(&db, &Settings::default())
        .await
        .expect("reference");
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_is_the_same_in_two_fresh_databases() {
    let dir = TempDir::new();
    let first = fresh_sqlite(&dir, "first.db").await;
    let second = fresh_sqlite(&dir, "second.db").await;
    let a = load(&first).await;
    let b = load(&second).await;
    assert_eq!(
        (a.carriers, a.enterprises, a.reports, a.indicator_rows),
        (b.carriers, b.enterprises, b.reports, b.indicator_rows)
    );
    let (fa, fb) = (fingerprint(&first).await, fingerprint(&second).await);
    assert!(fa.len() > 100_000, "a substantial data set");
    assert!(fa == fb, "two loads differ");
}

/// `fruition demo` loads once and refuses the second time; `serve --demo` then just serves the
/// demo database, saying so on every page.
#[test]
fn the_demo_from_the_command_line() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = TempDir::new();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_fruition"))
            .arg("--data")
            .arg(dir.path())
            .args(args)
            .env_remove("FRUITION_DATABASE_URL")
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let started = Instant::now();
    let (ok, out, err) = run(&["demo"]);
    eprintln!(
        "fruition demo (debug build, SQLite): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("demo.admin") && out.contains(DEMO_PASSWORD),
        "{out}"
    );
    let (ok, out, err) = run(&["demo"]);
    assert!(!ok, "a second load is refused: {out}");
    assert!(err.contains("演示数据只能载入空的数据库"), "{err}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_fruition"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env_remove("FRUITION_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let done = line.contains("http://");
        seen.push(line);
        if done {
            break;
        }
    }
    let text = seen.join("\n");
    let addr = text
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string);
    let page = addr.as_ref().map(|addr| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            reqwest::get(format!("http://{addr}/sign-in"))
                .await
                .expect("get")
                .text()
                .await
                .expect("html")
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(!text.contains("已载入演示数据"), "not loaded twice: {text}");
    assert!(
        !text.contains("一次性密码"),
        "no first administrator on a demo database: {text}"
    );
    let page = page.unwrap_or_else(|| panic!("no address in {text}"));
    assert!(
        page.contains("demo-banner") && page.contains("demo.viewer"),
        "{page}"
    );
}

/// Whether `text` says a word twice in a row ("技术技术"): a run of two to six Chinese characters
/// followed at once by itself.
fn doubled_word(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for n in 2..=6 {
        for w in chars.windows(2 * n) {
            if w[..n] == w[n..] && w[..n].iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
                return Some(w[..n].iter().collect());
            }
        }
    }
    None
}

/// A name that reads as a numbered placeholder (演示众创空间01, 演示企业0001有限公司).
fn placeholder(name: &str) -> bool {
    name.find("演示").is_some_and(|at| {
        let digits: Vec<bool> = name[at..].chars().map(|c| c.is_ascii_digit()).collect();
        digits.windows(2).any(|w| w[0] && w[1])
    })
}

/// What a visitor of the demo notices: listings that read as sentences, plausible names used
/// once, nothing invented credited to a real university or company, a bank that lends, rows
/// with the times of the story they tell, and deals for the demo enterprise and the demo bank.
async fn reads_like_a_real_city(db: &Db) {
    // Listing texts: no word said twice, no county name spliced into a technical term.
    const COUNTIES: [&str; 9] = [
        "荷塘区",
        "芦淞区",
        "石峰区",
        "天元区",
        "渌口区",
        "醴陵市",
        "攸县",
        "茶陵县",
        "炎陵县",
    ];
    let texts: Vec<(String, String, String, String)> = all(
        db,
        "SELECT kind, title, summary, body FROM listings WHERE kind IN ('achievement', 'need', 'expert', 'service', 'instrument') ORDER BY id",
    )
    .await;
    assert!(texts.len() > 200, "{}", texts.len());
    for (kind, title, summary, body) in &texts {
        for t in [title, summary, body] {
            assert_eq!(doubled_word(t), None, "{kind}: {t}");
            assert!(!COUNTIES.iter().any(|c| t.contains(c)), "{kind}: {t}");
        }
    }
    assert_eq!(
        doubled_word("提高全碳化硅模块技术技术"),
        Some("技术".into())
    );

    // Names: no numbered placeholders; a pilot line or instrument under one owner only.
    let names: Vec<(String,)> = all(
        db,
        "SELECT name FROM organisations UNION ALL SELECT name FROM carriers \
         UNION ALL SELECT name FROM enterprises UNION ALL SELECT name FROM resources \
         UNION ALL SELECT name FROM funds",
    )
    .await;
    assert!(names.len() > 1_000);
    let bad: Vec<&String> = names
        .iter()
        .map(|n| &n.0)
        .filter(|n| placeholder(n))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(
        placeholder("演示众创空间01（芦淞区）") && !placeholder("株洲高新区轨道交通产业孵化器")
    );
    let carriers: Vec<(String,)> = all(db, "SELECT name FROM carriers ORDER BY id").await;
    assert!(
        carriers
            .iter()
            .any(|c| c.0 == "株洲高新区轨道交通产业孵化器" || c.0.starts_with("株洲高新区")),
        "{carriers:?}"
    );
    let repeated: Vec<(String, i64)> = all(
        db,
        "SELECT name, COUNT(DISTINCT owner_org_id) FROM resources GROUP BY name HAVING COUNT(DISTINCT owner_org_id) > 1",
    )
    .await;
    assert!(repeated.is_empty(), "{repeated:?}");
    let twice: Vec<(String, i64)> = all(
        db,
        "SELECT name, COUNT(*) FROM carriers GROUP BY name HAVING COUNT(*) > 1",
    )
    .await;
    assert!(twice.is_empty(), "{twice:?}");

    // Nothing invented belongs to a real university or company.
    const REAL: [&str; 9] = [
        "中南大学",
        "武汉大学",
        "湖南大学",
        "湖南工业大学",
        "国防科技大学",
        "中车",
        "时代电气",
        "时代新材",
        "宏达",
    ];
    let owners: Vec<(String, String)> = all(
        db,
        "SELECT l.kind, o.name FROM listings l JOIN organisations o ON o.id = l.org_id \
         WHERE l.kind IN ('achievement', 'need', 'expert', 'instrument', 'service') \
         UNION ALL SELECT 'resource', o.name FROM resources r JOIN organisations o ON o.id = r.owner_org_id \
         UNION ALL SELECT 'deal', o.name FROM deals d JOIN organisations o ON o.id IN (d.seller_org_id, d.buyer_org_id)",
    )
    .await;
    let credited: Vec<&(String, String)> = owners
        .iter()
        .filter(|(_, o)| REAL.iter().any(|r| o.contains(r)))
        .collect();
    assert!(credited.is_empty(), "{credited:?}");

    // The bank lends: its offers in the market are loans; equity offers are investors'.
    let offers: Vec<(String, String)> = all(
        db,
        "SELECT o.kind, l.title FROM listings l JOIN organisations o ON o.id = l.org_id WHERE l.kind = 'capital'",
    )
    .await;
    assert!(offers.iter().any(|(k, _)| k == "bank"), "{offers:?}");
    for (kind, title) in &offers {
        assert_eq!(kind == "bank", title.contains("贷款"), "{kind}: {title}");
        assert!(kind != "bank" || !title.contains("投资"), "{title}");
    }
    let bank_funds: Vec<(String,)> = all(
        db,
        "SELECT f.name FROM funds f JOIN organisations o ON o.id = f.manager_org_id WHERE o.kind = 'bank'",
    )
    .await;
    assert!(bank_funds.is_empty(), "{bank_funds:?}");

    // Times: nothing in the future; a report filed after its year and decided after it was
    // submitted; a booking requested before its slot; a deal's steps in order; the reports of
    // five years filed over five years.
    let now = fruition_app::clock::now_ms() + 60_000;
    let future: Vec<(String, i64)> = all(
        db,
        "SELECT 'report', MAX(created_at) FROM carrier_reports UNION ALL SELECT 'deal', MAX(created_at) FROM deals \
         UNION ALL SELECT 'booking', MAX(created_at) FROM bookings UNION ALL SELECT 'listing', MAX(created_at) FROM listings \
         UNION ALL SELECT 'loan', MAX(created_at) FROM loans UNION ALL SELECT 'bill', MAX(created_at) FROM bills",
    )
    .await;
    for (what, max) in &future {
        assert!(*max <= now, "{what} created in the future: {max} > {now}");
    }
    let reports: Vec<(i64, i64, Option<i64>, Option<i64>)> = all(
        db,
        "SELECT year, created_at, submitted_at, decided_at FROM carrier_reports",
    )
    .await;
    let mut filed_in = std::collections::BTreeSet::new();
    for (year, created, submitted, decided) in &reports {
        let next_year = fruition_app::clock::parse_date_ms(&format!("{}-01-01", year + 1), false)
            .expect("date");
        assert!(
            *created >= next_year,
            "a {year} report filed in its own year"
        );
        assert!(
            submitted.is_some_and(|s| s > *created),
            "{year}: {created} {submitted:?}"
        );
        assert!(
            decided.is_none_or(|d| Some(d) > *submitted),
            "{year}: {submitted:?} {decided:?}"
        );
        filed_in.insert(fruition_app::clock::china_date(*created).year());
    }
    assert!(filed_in.len() >= 5, "{filed_in:?}");
    let early: (i64,) = one(
        db,
        "SELECT COUNT(*) FROM bookings WHERE created_at >= start_slot * 3600000 - 8 * 3600000",
    )
    .await;
    assert_eq!(early.0, 0, "bookings requested after their slot began");
    let disorder: (i64,) = one(
        db,
        "SELECT COUNT(*) FROM deals d WHERE EXISTS (SELECT 1 FROM deal_messages m WHERE m.deal_id = d.id AND m.created_at < d.created_at) \
         OR EXISTS (SELECT 1 FROM deal_terms t WHERE t.deal_id = d.id AND (t.created_at <= d.created_at OR t.accepted_at < t.created_at)) \
         OR EXISTS (SELECT 1 FROM tech_contracts k WHERE k.deal_id = d.id AND k.registered_at <= d.created_at) \
         OR EXISTS (SELECT 1 FROM listings l WHERE l.id = d.listing_id AND l.created_at >= d.created_at)",
    )
    .await;
    assert_eq!(disorder.0, 0, "deal steps out of order");
    let loans_late: (i64,) = one(
        db,
        "SELECT COUNT(*) FROM loans WHERE disbursed_on IS NOT NULL AND created_at > decided_at",
    )
    .await;
    assert_eq!(loans_late.0, 0);

    // The demo enterprise has deals at several steps; the demo bank applications to decide.
    let ent = users::get_by_login(db, "demo.enterprise")
        .await
        .expect("user")
        .expect("user");
    let mut states: Vec<(String,)> = all(
        db,
        "SELECT d.status FROM deals d JOIN users u ON u.login = 'demo.enterprise' \
         WHERE u.org_id IN (d.buyer_org_id, d.seller_org_id, d.initiator_org_id, d.owner_org_id)",
    )
    .await;
    states.sort();
    states.dedup();
    let states: Vec<&str> = states.iter().map(|s| s.0.as_str()).collect();
    for s in ["negotiating", "agreed"] {
        assert!(
            states.contains(&s),
            "demo.enterprise ({}) has a deal {s}: {states:?}",
            ent.org_id
        );
    }
    assert!(states.len() >= 3, "{states:?}");
    let waiting: (i64,) = one(
        db,
        "SELECT COUNT(*) FROM loans l JOIN users u ON u.login = 'demo.bank' AND u.org_id = l.bank_org_id WHERE l.status = 'applied'",
    )
    .await;
    assert!(waiting.0 > 0, "demo.bank has applications to decide");
}
