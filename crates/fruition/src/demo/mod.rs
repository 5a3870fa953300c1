//! The demo data set: a synthetic but plausible registry for 2020–2024 whose 2024 figures are the
//! ones the bureau's reply states (see `plan`), with one demo account per role (and one for the
//! partner guarantor besides the bank's); the market, pilot lines and knowledge-value credit loans
//! with the risk compensation pool in 2025 (`credit`) live on it.
//!
//! `fruition demo` and `fruition serve --demo` load it into a database that holds no carriers and
//! no enterprises. Everything is written through the store, in one transaction, with audit
//! entries by `system:demo`; reports are filed and approved as carriers and the bureau would.

mod alliance;
mod capital;
mod contracts;
pub mod credit;
mod evaluations;
mod market;
mod mentors;
pub mod names;
mod pilot;
pub mod plan;
mod services;
mod texts;

use std::time::{Duration, Instant};

use anyhow::Context;
use fruition_app::Settings;
use fruition_app::auth::password;
use fruition_app::session::DEMO_PASSWORD;
use fruition_domain::org::{OrgKind, Role};
use fruition_domain::report::{ReportStatus, ReviewAction};
use fruition_store::audit::AuditCtx;
use fruition_store::capital::funds::{self, NewFund};
use fruition_store::carriers::{self, CarrierProfile};
use fruition_store::enterprises::{self, EnterpriseProfile};
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::spinoffs::{self, NewProject};
use fruition_store::users::{self, NewUser};
use fruition_store::{Db, Tx, indicators, meta, reference, reports};

use crate::bootstrap;
use plan::{Outcome, Plan};

/// Why the demo data were not loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "数据库中已有载体或企业数据，演示数据只能载入空的数据库。\
         The database already holds carriers or enterprises; the demo data load only into an empty registry."
    )]
    NotEmpty,
    #[error(
        "演示数据需要功能区 {0}（株洲国家高新区），仅适用于株洲市（430200）。\
         The demo data need the functional zone {0} (株洲国家高新区); they are for 株洲市 (430200) only."
    )]
    NoZone(&'static str),
}

/// The demo service agency's user (株洲智桥知识产权代理有限公司).
pub const SERVICE_LOGIN: &str = "demo.service";

/// The demo accounts: (login, display name, role). The financiers work for the demo bank
/// (`demo.bank`), the partner guarantor (`demo.guarantor`) and the manager of 启航基金
/// (`demo.investor`).
pub const ACCOUNTS: [(&str, &str, Role); 10] = [
    ("demo.admin", "演示管理员", Role::BureauAdmin),
    ("demo.staff", "演示科技局工作人员", Role::BureauStaff),
    ("demo.carrier", "演示载体管理员", Role::CarrierManager),
    ("demo.enterprise", "演示企业用户", Role::EnterpriseUser),
    ("demo.institution", "演示高校用户", Role::InstitutionUser),
    ("demo.bank", "演示银行用户", Role::Financier),
    (credit::GUARANTOR_LOGIN, "演示担保机构用户", Role::Financier),
    (capital::INVESTOR_LOGIN, "演示投资机构用户", Role::Financier),
    (SERVICE_LOGIN, "演示服务机构用户", Role::ServiceProvider),
    ("demo.viewer", "演示只读用户", Role::Viewer),
];

/// What was loaded.
#[derive(Debug, Clone)]
pub struct Summary {
    pub carriers: usize,
    pub enterprises: usize,
    pub reports: usize,
    pub indicator_rows: usize,
    /// Published market listings.
    pub listings: usize,
    /// Pilot lines, instruments and testing services, and their bookings.
    pub resources: usize,
    pub bookings: usize,
    /// Knowledge-value credit applications, and the partner banks they went to.
    pub loans: usize,
    pub banks: usize,
    /// Investments by funds in enterprises.
    pub investments: usize,
    /// Startup mentors, and the enterprises they guided.
    pub mentors: usize,
    pub mentorships: usize,
    pub accounts: Vec<&'static str>,
    pub took: Duration,
}

impl Summary {
    /// What the command line prints.
    pub fn text(&self) -> String {
        format!(
            "已载入演示数据（合成数据）：载体 {} 家，企业 {} 家，年度报告 {} 份，企业指标 {} 条，科技要素市场信息 {} 条，中试线与仪器 {} 项（预约 {} 次），知识价值信用贷款申请 {} 笔（合作银行 {} 家），基金投资 {} 笔，创业导师 {} 位（辅导关系 {} 个），用时 {:.1} 秒。\n\
             Loaded the demo data (synthetic): {} carriers, {} enterprises, {} yearly reports, {} indicator rows, {} market listings, {} pilot lines and instruments ({} bookings), {} knowledge-value loan applications ({} partner banks), {} investments, {} startup mentors ({} mentoring relationships) in {:.1} s.\n\
             演示账户 Demo accounts: {}\n\
             密码 Password: {}",
            self.carriers,
            self.enterprises,
            self.reports,
            self.indicator_rows,
            self.listings,
            self.resources,
            self.bookings,
            self.loans,
            self.banks,
            self.investments,
            self.mentors,
            self.mentorships,
            self.took.as_secs_f64(),
            self.carriers,
            self.enterprises,
            self.reports,
            self.indicator_rows,
            self.listings,
            self.resources,
            self.bookings,
            self.loans,
            self.banks,
            self.investments,
            self.mentors,
            self.mentorships,
            self.took.as_secs_f64(),
            self.accounts.join(", "),
            DEMO_PASSWORD,
        )
    }
}

/// Loads the demo data into a migrated database with its reference data; refused
/// ([`DemoError::NotEmpty`]) when the registry already holds carriers or enterprises.
///
/// The rows are written at the times the data describe (a 2023 report filed in January 2024, a
/// deal's steps in order, a booking requested before its slot): the loader runs on the store's
/// story clock and sets it before each step ([`at`]); the audit log keeps the wall clock.
pub async fn load(db: &Db, settings: &Settings) -> anyhow::Result<Summary> {
    fruition_store::clock::with_story_clock(load_on_story_clock(db, settings)).await
}

/// Writes what follows as at `ms` (epoch milliseconds; never later than now).
pub(crate) fn at(ms: i64) {
    fruition_store::clock::set_story_time(Some(ms));
}

/// Writes what follows at the wall clock again.
pub(crate) fn at_now() {
    fruition_store::clock::set_story_time(None);
}

/// The epoch milliseconds of `minutes` after the start of `date` (`YYYY-MM-DD`) in China time.
pub(crate) fn ms_on(date: &str, minutes: i64) -> i64 {
    fruition_app::clock::parse_date_ms(date, false).unwrap_or(0) + minutes * 60_000
}

/// A day in milliseconds.
pub(crate) const fn day_ms() -> i64 {
    fruition_store::clock::DAY_MS
}

async fn load_on_story_clock(db: &Db, settings: &Settings) -> anyhow::Result<Summary> {
    let started = Instant::now();
    if !meta::registry_is_empty(db).await? {
        return Err(DemoError::NotEmpty.into());
    }
    let zone = reference::zones(db)
        .await?
        .into_iter()
        .find(|z| z.code == plan::ZONE_CODE)
        .ok_or(DemoError::NoZone(plan::ZONE_CODE))?;
    let ctx = AuditCtx::system("demo");
    let bureau = bootstrap::bureau(db, settings, &ctx).await?;
    let plan = plan::build();
    let credit_plan = credit::build(&plan);
    let hash = password::hash_outside_requests(DEMO_PASSWORD.to_string()).await?;
    // Today by the wall clock (the story clock moves below).
    let today = fruition_app::clock::today_date();

    let mut tx = db.begin().await?;
    let ids = write(&mut tx, &ctx, &plan, &credit_plan, zone.id, bureau, &hash)
        .await
        .context("writing the demo data")?;
    let listings = market::write(&mut tx, &ctx, &ids.listers, today)
        .await
        .context("writing the demo market")?;
    let pilot = pilot::write(&mut tx, &ctx, &ids.pilot, today)
        .await
        .context("writing the demo pilot lines")?;
    at_now();
    let credit = credit::write(&mut tx, &ctx, &plan, &credit_plan, &ids.credit)
        .await
        .context("writing the demo credit loans")?;
    let investments = capital::write(
        &mut tx,
        &ctx,
        &capital::build(&plan),
        &ids.funds,
        &ids.enterprises,
    )
    .await
    .context("writing the demo investments")?;
    let mentoring = mentors::write(
        &mut tx,
        &ctx,
        &plan,
        &ids.carriers,
        &ids.operators,
        &ids.enterprises,
        today,
    )
    .await
    .context("writing the demo mentors")?;
    mentors::write_campaign(
        &mut tx,
        &ctx,
        &plan,
        &ids.carriers,
        &ids.operators,
        &ids.enterprises,
        today,
    )
    .await
    .context("writing the demo campaign")?;
    at_now();
    services::write(&mut tx, &ctx, &ids.services, fruition_app::clock::now_ms())
        .await
        .context("writing the demo one-stop services")?;
    let firm = &plan.enterprises[plan.demo_enterprise];
    contracts::write(
        &mut tx,
        &ctx,
        bureau,
        &contracts::Firm {
            org_id: ids.listers.enterprise_org,
            name: firm.name.clone(),
            uscc: firm.uscc.clone(),
        },
        fruition_app::clock::now_ms(),
    )
    .await
    .context("writing the demo contracts registered from outside the market")?;
    meta::set_in(&mut tx, meta::DEMO, "true").await?;
    tx.commit().await?;
    // The carrier alliance, after everything else (its own transaction and seed).
    alliance::write(
        db,
        &ctx,
        &plan,
        &ids.carriers,
        &ids.listers.operators,
        bureau,
        today,
    )
    .await
    .context("writing the demo alliance")?;
    // The bureau's 2024 evaluation of the carriers, published in April 2025.
    at(ms_on("2025-04-15", 10 * 60));
    evaluations::write(db, &ctx)
        .await
        .context("writing the demo evaluation")?;
    at_now();
    Ok(Summary {
        carriers: ids.carriers.len(),
        enterprises: ids.enterprises.len(),
        reports: plan.reports.len(),
        indicator_rows: plan.reports.iter().map(|r| r.rows.len()).sum(),
        listings,
        resources: pilot.resources,
        bookings: pilot.bookings,
        loans: credit.loans,
        banks: credit.banks,
        investments,
        mentors: mentoring.mentors,
        mentorships: mentoring.mentorships,
        accounts: ACCOUNTS.iter().map(|a| a.0).collect(),
        took: started.elapsed(),
    })
}

struct Ids {
    carriers: Vec<i64>,
    operators: Vec<i64>,
    funds: Vec<i64>,
    enterprises: Vec<i64>,
    listers: market::Listers,
    pilot: pilot::Parties,
    credit: credit::Parties,
    services: services::Parties,
}

async fn org(tx: &mut Tx, ctx: &AuditCtx, kind: OrgKind, o: &plan::OrgPlan) -> anyhow::Result<i64> {
    let profile = OrgProfile {
        name: o.name.clone(),
        uscc: o.uscc.clone(),
        ..OrgProfile::default()
    };
    Ok(organisations::insert(tx, ctx, kind, &profile).await?.id)
}

async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    plan: &Plan,
    credit_plan: &credit::CreditPlan,
    zone_id: i64,
    bureau: i64,
    password_hash: &str,
) -> anyhow::Result<Ids> {
    // The registry as the platform took it on when it opened, in January 2020.
    const OPENED: &str = "2020-01-06";
    let after_opening = |date: &str, minutes: i64| ms_on(date.max(OPENED), minutes);
    at(ms_on(OPENED, 9 * 60));
    // Organisations.
    let mut operators = Vec::with_capacity(plan.operators.len());
    for o in &plan.operators {
        operators.push(org(tx, ctx, OrgKind::CarrierOperator, o).await?);
    }
    let mut institutions = Vec::new();
    for o in &plan.institutions {
        institutions.push(org(tx, ctx, OrgKind::Institution, o).await?);
    }
    // The real universities the reply names as partners: listed, with nothing invented theirs.
    for o in &plan.partners {
        org(tx, ctx, OrgKind::Institution, o).await?;
    }
    let mut investors = Vec::new();
    for o in &plan.investors {
        investors.push(org(tx, ctx, OrgKind::Investor, o).await?);
    }
    let mut agencies = Vec::new();
    for o in &plan.agencies {
        agencies.push(org(tx, ctx, OrgKind::ServiceAgency, o).await?);
    }
    let bank = org(tx, ctx, OrgKind::Bank, &plan.bank).await?;
    let guarantor = org(tx, ctx, OrgKind::Guarantor, &credit_plan.guarantor).await?;
    let demo_enterprise = &plan.enterprises[plan.demo_enterprise];
    let enterprise_org = org(
        tx,
        ctx,
        OrgKind::Enterprise,
        &plan::OrgPlan {
            name: demo_enterprise.name.clone(),
            uscc: Some(demo_enterprise.uscc.clone()),
        },
    )
    .await?;

    // Carriers and their ratings.
    let mut carrier_ids = Vec::with_capacity(plan.carriers.len());
    for c in &plan.carriers {
        let profile = CarrierProfile {
            name: c.name.clone(),
            kind: c.kind,
            operator_org_id: operators[c.operator],
            county_code: c.county.into(),
            zone_id: c.in_zone.then_some(zone_id),
            address: Some(c.address.clone()),
            floor_area_m2: Some(c.floor_area_m2),
            focus_chains: c.focus_chains.clone(),
            established_year: c.established_year,
        };
        let id = carriers::insert(tx, ctx, &profile).await?.id;
        for (level, year) in &c.ratings {
            let body = match level {
                fruition_domain::carrier::Level::National => "科学技术部",
                fruition_domain::carrier::Level::Provincial => "湖南省科学技术厅",
                fruition_domain::carrier::Level::Municipal => "株洲市科学技术局",
            };
            carriers::add_rating(tx, ctx, id, *level, *year, body, None).await?;
        }
        if let Some((on, reason)) = &c.revoked {
            at(after_opening(on, 10 * 60));
            carriers::set_revoked(tx, ctx, id, Some((on, reason))).await?;
        }
        carrier_ids.push(id);
        at(ms_on(OPENED, 9 * 60));
    }

    // Enterprises (parents before their spin-offs), each registered when it first entered a
    // carrier or was founded, whichever came first (at the platform's opening at the earliest).
    let mut first_seen: Vec<Option<&str>> = vec![None; plan.enterprises.len()];
    for s in &plan.spells {
        let seen = &mut first_seen[s.enterprise];
        if seen.is_none_or(|d| s.entered_on.as_str() < d) {
            *seen = Some(&s.entered_on);
        }
    }
    let mut enterprise_ids: Vec<i64> = Vec::with_capacity(plan.enterprises.len());
    for (i, e) in plan.enterprises.iter().enumerate() {
        let seen = match (first_seen[i], e.founded_on.as_deref()) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => OPENED,
        };
        at(after_opening(seen, 9 * 60 + (i % 480) as i64));
        let profile = EnterpriseProfile {
            uscc: e.uscc.clone(),
            name: e.name.clone(),
            founded_on: e.founded_on.clone(),
            county_code: e.county.into(),
            zone_id: e.in_zone.then_some(zone_id),
            chain_code: Some(e.chain.into()),
            industry_division: (!e.division.is_empty()).then(|| e.division.clone()),
            high_tech: e.high_tech,
            tech_sme: e.tech_sme,
            parent_id: e.parent.map(|p| enterprise_ids[p]),
            org_id: (i == plan.demo_enterprise).then_some(enterprise_org),
        };
        enterprise_ids.push(enterprises::insert(tx, ctx, &profile).await?.id);
    }

    // Incubation spells, each enterprise's in order.
    for s in &plan.spells {
        let carrier = &plan.carriers[s.carrier];
        let operator = operators[carrier.operator];
        at(after_opening(&s.entered_on, 10 * 60));
        let spell = enterprises::enter(
            tx,
            ctx,
            enterprise_ids[s.enterprise],
            carrier_ids[s.carrier],
            &s.entered_on,
            operator,
        )
        .await?;
        if let Some(x) = &s.exit {
            at(after_opening(&x.on, 16 * 60));
            enterprises::exit(
                tx,
                ctx,
                &spell,
                &x.on,
                x.kind,
                x.reason.as_deref(),
                operator,
            )
            .await?;
        }
    }

    // Yearly reports: filed in January of the next year, submitted a few days later, then
    // approved within weeks (or left waiting, or returned).
    for r in &plan.reports {
        let carrier = &plan.carriers[r.carrier];
        let operator = operators[carrier.operator];
        let spread = ((r.carrier * 7 + r.year as usize) % 20) as i64;
        let filed = ms_on(&format!("{}-01-05", r.year + 1), 9 * 60) + spread * day_ms();
        let submitted = filed + (1 + spread % 5) * day_ms() + 6 * 3_600_000;
        let decided = submitted + (5 + (spread * 3) % 35) * day_ms();
        at(filed);
        let report = reports::get_or_create(tx, ctx, carrier_ids[r.carrier], r.year).await?;
        reports::set_figures(tx, ctx, report.id, &r.figures).await?;
        for (e, v) in &r.rows {
            indicators::upsert(tx, ctx, enterprise_ids[*e], r.year, report.id, operator, v).await?;
        }
        at(submitted);
        reports::transition(
            tx,
            ctx,
            report.id,
            ReportStatus::Draft,
            ReportStatus::Submitted,
            ReviewAction::Submit,
            None,
        )
        .await?;
        at(decided);
        match r.outcome {
            Outcome::Approved => {
                reports::transition(
                    tx,
                    ctx,
                    report.id,
                    ReportStatus::Submitted,
                    ReportStatus::Approved,
                    ReviewAction::Approve,
                    None,
                )
                .await?;
            }
            Outcome::Returned => {
                reports::transition(
                    tx,
                    ctx,
                    report.id,
                    ReportStatus::Submitted,
                    ReportStatus::Returned,
                    ReviewAction::Return,
                    Some("请核实部分在孵企业的研发投入后重新提交。"),
                )
                .await?;
            }
            Outcome::Submitted => {}
        }
    }

    // Funds: the guidance funds before their sub-funds (the plan's order).
    let mut fund_ids: Vec<i64> = Vec::with_capacity(plan.funds.len());
    for f in &plan.funds {
        at(after_opening(
            &format!("{}-03-01", f.established_year),
            9 * 60,
        ));
        let manager = match f.carrier {
            Some(c) => operators[plan.carriers[c].operator],
            None => investors[f.manager],
        };
        let fund = NewFund {
            name: f.name.clone(),
            kind: f.kind,
            status: fruition_domain::fund::FundStatus::Investing,
            manager_org_id: Some(manager),
            parent_fund_id: f.parent.map(|(p, _)| fund_ids[p]),
            carrier_id: f.carrier.map(|c| carrier_ids[c]),
            size_k: f.size_k,
            paid_in_k: f.size_k * 3 / 5,
            government_k: f.government_k,
            from_parent_k: f.parent.map_or(0, |(_, from)| from),
            for_incubatees: f.for_incubatees,
            established_year: f.established_year,
            closed_year: None,
            chain_codes: Vec::new(),
        };
        fund_ids.push(funds::insert(tx, ctx, &fund).await?.id);
    }

    // Spin-off lineages.
    for l in &plan.lineages {
        let parent = enterprise_ids[l.parent];
        at(ms_on(OPENED, 11 * 60));
        spinoffs::set_stages(tx, ctx, parent, &l.stages).await?;
        for x in &l.projects {
            let Some((_, started_on)) = x.milestones.first() else {
                continue;
            };
            let project = NewProject {
                parent_id: parent,
                name: x.name.clone(),
                started_on: started_on.clone(),
                notable: x.notable,
            };
            at(after_opening(started_on, 11 * 60));
            let id = spinoffs::insert_project(tx, ctx, &project).await?.id;
            for (position, on) in x.milestones.iter().skip(1) {
                at(after_opening(on, 11 * 60));
                spinoffs::move_to(tx, ctx, id, *position, on).await?;
            }
            if let Some(e) = x.enterprise {
                spinoffs::link_enterprise(tx, ctx, id, Some(enterprise_ids[e])).await?;
            }
        }
    }

    // One account per role, and what follows, as they are loaded.
    at_now();
    for (login, display_name, role) in ACCOUNTS {
        let org_id = match role {
            Role::BureauAdmin | Role::BureauStaff | Role::Viewer => bureau,
            Role::CarrierManager => operators[plan.demo_operator],
            Role::EnterpriseUser => enterprise_org,
            Role::InstitutionUser => institutions[0],
            Role::Financier if login == credit::GUARANTOR_LOGIN => guarantor,
            Role::Financier if login == capital::INVESTOR_LOGIN => investors[0],
            Role::Financier => bank,
            Role::ServiceProvider => agencies[0],
        };
        let user = NewUser {
            org_id,
            login: login.into(),
            display_name: display_name.into(),
            role,
            is_manager: !matches!(role, Role::BureauStaff | Role::Viewer),
            password_hash: password_hash.to_string(),
            must_change_password: false,
            email: None,
            phone: None,
        };
        users::insert(tx, ctx, &user).await?;
    }
    // The market's fictional firms (they post needs and achievements, and book pilot lines).
    let mut firms = Vec::with_capacity(names::FIRMS.len());
    for (i, name) in names::FIRMS.iter().enumerate() {
        let o = plan::OrgPlan {
            name: (*name).into(),
            uscc: Some(market::demo_uscc(i as u64)),
        };
        firms.push(org(tx, ctx, OrgKind::Enterprise, &o).await?);
    }
    // The spin-off parents the seed names take part in the market under their own names.
    let mut named_firms = Vec::new();
    for l in &plan.lineages {
        let e = &plan.enterprises[l.parent];
        named_firms.push(
            org(
                tx,
                ctx,
                OrgKind::Enterprise,
                &plan::OrgPlan {
                    name: e.name.clone(),
                    uscc: Some(e.uscc.clone()),
                },
            )
            .await?,
        );
    }
    let pilot_bases = plan
        .carriers
        .iter()
        .zip(&carrier_ids)
        .filter(|(c, _)| {
            c.kind == fruition_domain::carrier::CarrierKind::PilotBase && c.revoked.is_none()
        })
        .map(|(c, id)| (*id, operators[c.operator]))
        .collect();
    let demo_carrier = plan
        .spells
        .iter()
        .find(|s| s.enterprise == plan.demo_enterprise && s.exit.is_none())
        .map(|s| carrier_ids[s.carrier]);
    let mut bookers = vec![enterprise_org];
    bookers.extend(firms.iter().take(3).copied());
    let pilot = pilot::Parties {
        pilot_bases,
        demo_operator: operators[plan.demo_operator],
        demo_carrier,
        institutions: institutions.clone(),
        bookers,
    };
    let mut requesters = vec![(enterprise_org, enterprise_ids[plan.demo_enterprise])];
    for (l, org) in plan.lineages.iter().zip(&named_firms) {
        requesters.push((*org, enterprise_ids[l.parent]));
    }
    let services = services::Parties {
        bureau,
        demo_operator: operators[plan.demo_operator],
        other_operator: operators[(plan.demo_operator + 1) % operators.len()],
        agencies: agencies.clone(),
        requesters,
        demo_carrier: plan
            .spells
            .iter()
            .find(|s| s.enterprise == plan.demo_enterprise && s.exit.is_none())
            .map(|s| {
                (
                    carrier_ids[s.carrier],
                    operators[plan.carriers[s.carrier].operator],
                )
            }),
    };
    let credit = credit::Parties {
        bank,
        bank_name: plan.bank.name.clone(),
        guarantor,
        enterprises: enterprise_ids.clone(),
        enterprise_org,
    };
    Ok(Ids {
        operators: operators.clone(),
        services,
        funds: fund_ids,
        credit,
        pilot,
        carriers: carrier_ids,
        enterprises: enterprise_ids,
        listers: market::Listers {
            bureau,
            institutions,
            operators,
            institution_names: plan.institutions.iter().map(|o| o.name.clone()).collect(),
            investors,
            bank,
            firms,
            enterprise_org,
        },
    })
}
