//! The demo's investments, 2020–2024 (synthetic): funds invest in incubatees of the year's
//! approved reports — the carriers with a seed fund of their own in about one incubatee in eight
//! (so the national incubators with a seed fund of 500万元 or more pass both national lines and
//! the one with 300万元 does not), the others in about one in fifty — through seed, angel, A, B
//! and C rounds with post-money valuations, follow-ons in later years re-marking earlier
//! positions; a few transfers, a buy-back and two write-offs in 2023–2024. The demo enterprise has
//! one investment, by a fund the demo investor's organisation manages.
//!
//! Two 先投后股 projects at different stages: the demo enterprise's, granted in 2023 through
//! 启航基金, triggered by its A round in 2024, converted at that round's valuation less 20 % and
//! registered (held); and a second incubatee's, granted in 2024 with one milestone reached and
//! one to come, waiting for its first priced round.
//!
//! Planned in memory first (pure, from the registry's plan and a fixed seed; each fund within its
//! size), then written through the store, which checks every limit again.

use std::collections::HashMap;

use fruition_domain::date::IsoDate;
use fruition_domain::fund::FundKind;
use fruition_domain::investment::{ExitRoute, Instrument, Round};
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::capital::grants::{self, NewGrant, NewMilestone, StepFields};
use fruition_store::capital::investments::{self, NewExit, NewInvestment};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::plan::{Outcome, Plan};

const SEED: u64 = 0x0CA9_17A1;
const WAN: i64 = 10_000 * 100;

/// The login of the demo investor, a user of the manager of 启航基金.
pub const INVESTOR_LOGIN: &str = "demo.investor";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedInvestment {
    /// Index into [`Plan::funds`].
    pub fund: usize,
    /// Index into [`Plan::enterprises`].
    pub enterprise: usize,
    pub round: Round,
    pub instrument: Instrument,
    pub amount_fen: i64,
    pub on: IsoDate,
    pub post_money_fen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedExit {
    pub fund: usize,
    pub enterprise: usize,
    pub kind: ExitRoute,
    pub on: IsoDate,
    /// `None`: all that is left.
    pub cost_fen: Option<i64>,
    pub proceeds_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CapitalPlan {
    pub investments: Vec<PlannedInvestment>,
    pub exits: Vec<PlannedExit>,
    /// The 先投后股 projects: (enterprise, fund named, the project's words and figures).
    pub grants: Vec<PlannedGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedGrant {
    pub enterprise: usize,
    /// Index into [`Plan::funds`].
    pub fund: Option<usize>,
    pub title: &'static str,
    pub amount_fen: i64,
    pub granted_on: &'static str,
    pub discount_bp: i64,
    /// (title, due, achieved)
    pub milestones: Vec<(&'static str, &'static str, Option<&'static str>)>,
    /// Converted (with the shares before conversion) and registered after its trigger.
    pub convert: Option<(i64, &'static str, &'static str)>,
}

fn round_after(prior: usize, rng: &mut StdRng) -> (Round, i64, i64) {
    // The round and its amount's range in 万元.
    let (round, low, high) = match prior {
        0 if rng.random_range(0..2) == 0 => (Round::Seed, 100, 300),
        0 => (Round::Angel, 200, 500),
        1 if rng.random_range(0..3) == 0 => (Round::PreA, 500, 1_000),
        1 => (Round::A, 800, 2_000),
        2 => (Round::B, 2_000, 5_000),
        _ => (Round::C, 5_000, 10_000),
    };
    (round, low, high)
}

/// Plans the investments and exits (pure).
pub fn build(plan: &Plan) -> CapitalPlan {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut out = CapitalPlan::default();
    // Fen left in each fund: size_k × 1000 元 × 100 分.
    let mut left: Vec<i64> = plan.funds.iter().map(|f| f.size_k * 100_000).collect();
    let mut rounds_of: HashMap<usize, usize> = HashMap::new();
    let seed_fund_of: HashMap<usize, usize> = plan
        .funds
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.carrier.map(|c| (c, i)))
        .collect();
    // The funds that invest directly: open to incubatees, not a guidance fund, not a carrier's.
    let general: Vec<usize> = plan
        .funds
        .iter()
        .enumerate()
        .filter(|(_, f)| f.for_incubatees && f.kind != FundKind::Guidance && f.carrier.is_none())
        .map(|(i, _)| i)
        .collect();
    for year in 2020..=2024 {
        for r in plan
            .reports
            .iter()
            .filter(|r| r.year == year && r.outcome == Outcome::Approved)
        {
            let own = seed_fund_of
                .get(&r.carrier)
                .copied()
                .filter(|f| plan.funds[*f].established_year <= year);
            let share = if own.is_some() { 8 } else { 50 };
            for (e, _) in &r.rows {
                if rng.random_range(0..share) != 0 {
                    continue;
                }
                let prior = rounds_of.get(e).copied().unwrap_or(0);
                let (round, low, high) = round_after(prior, &mut rng);
                let on = IsoDate::parse(&format!(
                    "{year}-{:02}-{:02}",
                    rng.random_range(1..=12),
                    rng.random_range(1..=28)
                ))
                .expect("a valid day");
                // The carrier's own seed fund takes the first small rounds of its incubatees.
                let (fund, amount) = match own {
                    Some(f) if prior == 0 && left[f] >= 100 * WAN => {
                        (f, rng.random_range(50..=100).min(left[f] / WAN) * WAN)
                    }
                    _ => {
                        let open: Vec<usize> = general
                            .iter()
                            .copied()
                            .filter(|f| plan.funds[*f].established_year <= year)
                            .collect();
                        let f = open[rng.random_range(0..open.len())];
                        (f, rng.random_range(low..=high) * WAN)
                    }
                };
                if amount <= 0 || amount > left[fund] {
                    continue;
                }
                left[fund] -= amount;
                *rounds_of.entry(*e).or_default() += 1;
                let post =
                    (rng.random_range(0..10) != 0).then(|| amount * rng.random_range(5..=12));
                out.investments.push(PlannedInvestment {
                    fund,
                    enterprise: *e,
                    round,
                    instrument: if rng.random_range(0..10) == 0 {
                        Instrument::Convertible
                    } else {
                        Instrument::Equity
                    },
                    amount_fen: amount,
                    on,
                    post_money_fen: post,
                });
            }
        }
    }
    // The demo enterprise's A round by 株洲瑞晟创业投资基金 (its manager is the demo investor's).
    let venture01 = plan
        .funds
        .iter()
        .position(|f| f.name == "株洲瑞晟创业投资基金")
        .expect("the venture fund");
    out.investments.push(PlannedInvestment {
        fund: venture01,
        enterprise: plan.demo_enterprise,
        round: Round::A,
        instrument: Instrument::Equity,
        amount_fen: 1_500 * WAN,
        on: IsoDate::parse("2024-08-16").expect("day"),
        post_money_fen: Some(12_000 * WAN),
    });
    out.investments.sort_by_key(|i| i.on);
    // 先投后股: the demo enterprise's project (its A round above triggers it) and an incubatee's
    // with no investment at all, still waiting for a priced round.
    let qihang = plan.funds.iter().position(|f| f.name == "启航基金");
    out.grants.push(PlannedGrant {
        enterprise: plan.demo_enterprise,
        fund: qihang,
        title: "车规级IGBT模块封装工艺中试项目",
        amount_fen: 300 * WAN,
        granted_on: "2023-03-15",
        discount_bp: 2_000,
        milestones: vec![
            ("完成封装产线中试验证", "2023-12-31", Some("2023-11-28")),
            ("取得首家整车企业送样认证", "2024-06-30", Some("2024-05-20")),
        ],
        convert: Some((10_000_000, "2024-10-15", "2024-11-20")),
    });
    let waiting = plan
        .reports
        .iter()
        .filter(|r| r.year == 2024 && r.outcome == Outcome::Approved)
        .flat_map(|r| r.rows.iter().map(|(e, _)| *e))
        .find(|e| {
            *e != plan.demo_enterprise && !out.investments.iter().any(|i| i.enterprise == *e)
        });
    if let Some(e) = waiting {
        out.grants.push(PlannedGrant {
            enterprise: e,
            fund: None,
            title: "高性能硬质合金涂层刀具产业化项目",
            amount_fen: 200 * WAN,
            granted_on: "2024-04-01",
            discount_bp: 1_500,
            milestones: vec![
                ("完成涂层工艺小批量试制", "2024-10-31", Some("2024-10-30")),
                ("建成年产50万片涂层刀片示范线", "2025-06-30", None),
            ],
            convert: None,
        });
    }
    // Exits from positions opened in 2020–2021: transfers at a gain, a buy-back at cost plus
    // interest, two write-offs.
    let mut early: Vec<(usize, usize, i64)> = Vec::new();
    for i in out.investments.iter().filter(|i| i.on.year() <= 2021) {
        if !early
            .iter()
            .any(|(f, e, _)| *f == i.fund && *e == i.enterprise)
        {
            early.push((i.fund, i.enterprise, i.amount_fen));
        }
    }
    for (n, (fund, enterprise, cost)) in early.iter().take(9).enumerate() {
        let (kind, cost_fen, proceeds_fen, on) = match n {
            0..=4 => (
                ExitRoute::Transfer,
                Some(cost / 2),
                cost / 2 * (20 + n as i64 * 5) / 10,
                "2023-09-28",
            ),
            5 | 6 => (ExitRoute::BuyBack, None, cost * 12 / 10, "2024-06-30"),
            _ => (ExitRoute::WriteOff, None, 0, "2024-12-20"),
        };
        out.exits.push(PlannedExit {
            fund: *fund,
            enterprise: *enterprise,
            kind,
            on: IsoDate::parse(on).expect("day"),
            cost_fen,
            proceeds_fen,
        });
    }
    out
}

/// Writes the plan through the store (every limit checked again); returns the investments
/// written. The 先投后股 projects are granted first, so the investments trigger them as the
/// store does for any recorded round.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    p: &CapitalPlan,
    fund_ids: &[i64],
    enterprise_ids: &[i64],
) -> anyhow::Result<usize> {
    let mut grant_ids = Vec::new();
    // Each written on its own day (the story clock): a grant when granted, a milestone when met,
    // an investment when made, an exit when done.
    let on_day = |d: &str| super::at(super::ms_on(d, 10 * 60));
    for g in &p.grants {
        on_day(g.granted_on);
        let grant = grants::create(
            tx,
            ctx,
            &NewGrant {
                enterprise_id: enterprise_ids[g.enterprise],
                title: g.title.into(),
                fund_id: g.fund.map(|f| fund_ids[f]),
                amount_fen: g.amount_fen,
                granted_on: g.granted_on.into(),
                discount_bp: g.discount_bp,
            },
        )
        .await?;
        for (title, due, achieved) in &g.milestones {
            let m = grants::add_milestone(
                tx,
                ctx,
                grant.id,
                &NewMilestone {
                    title: (*title).into(),
                    due_on: Some((*due).into()),
                    note: String::new(),
                },
            )
            .await?;
            if let Some(on) = achieved {
                on_day(on);
                grants::achieve_milestone(tx, ctx, grant.id, m.id, on, None).await?;
            }
        }
        grant_ids.push(grant.id);
    }
    for i in &p.investments {
        on_day(&i.on.to_string());
        investments::record(
            tx,
            ctx,
            &NewInvestment {
                fund_id: fund_ids[i.fund],
                enterprise_id: enterprise_ids[i.enterprise],
                round: i.round,
                instrument: i.instrument,
                amount_fen: i.amount_fen,
                invested_on: i.on.to_string(),
                post_money_fen: i.post_money_fen,
                deal_id: None,
                note: String::new(),
            },
        )
        .await?;
    }
    for x in &p.exits {
        on_day(&x.on.to_string());
        investments::exit(
            tx,
            ctx,
            &NewExit {
                fund_id: fund_ids[x.fund],
                enterprise_id: enterprise_ids[x.enterprise],
                kind: x.kind,
                exited_on: x.on.to_string(),
                cost_fen: x.cost_fen,
                proceeds_fen: x.proceeds_fen,
                note: String::new(),
            },
        )
        .await?;
    }
    for (g, id) in p.grants.iter().zip(&grant_ids) {
        let Some((shares_before, converted_on, registered_on)) = g.convert else {
            continue;
        };
        let grant = grants::get_in(tx, *id).await?;
        let valuation = grant
            .valuation_fen
            .ok_or_else(|| anyhow::anyhow!("the demo project was not triggered"))?;
        let c = fruition_domain::equity_grant::convert(
            grant.amount_fen,
            valuation,
            grant.discount_bp,
            shares_before,
        )
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        use fruition_domain::equity_grant::GrantStatus::{Converted, Held, Triggered};
        on_day(converted_on);
        grants::step(
            tx,
            ctx,
            *id,
            Triggered,
            Converted,
            &StepFields {
                shares_before: Some(shares_before),
                shares: Some(c.shares),
                converted_on: Some(converted_on.into()),
                ..StepFields::default()
            },
        )
        .await?;
        on_day(registered_on);
        grants::step(
            tx,
            ctx,
            *id,
            Converted,
            Held,
            &StepFields {
                registered_on: Some(registered_on.into()),
                registration_no: Some("株市监变登字〔2024〕第1120号（演示）".into()),
                ..StepFields::default()
            },
        )
        .await?;
    }
    super::at_now();
    Ok(p.investments.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_the_same_every_time_and_within_each_fund() {
        let plan = super::super::plan::build();
        let a = build(&plan);
        assert_eq!(a, build(&plan));
        for (i, f) in plan.funds.iter().enumerate() {
            let invested: i64 = a
                .investments
                .iter()
                .filter(|x| x.fund == i)
                .map(|x| x.amount_fen)
                .sum();
            assert!(invested <= f.size_k * 100_000, "{}", f.name);
            assert!(
                a.investments
                    .iter()
                    .filter(|x| x.fund == i)
                    .all(|x| i64::from(x.on.year()) >= f.established_year)
            );
        }
        for year in 2020..=2024 {
            let n = a
                .investments
                .iter()
                .filter(|x| i64::from(x.on.year()) == year)
                .count();
            assert!(n >= 20, "{year}: {n}");
        }
        assert!(
            a.investments
                .iter()
                .any(|x| x.enterprise == plan.demo_enterprise)
        );
        assert_eq!(
            a.exits
                .iter()
                .filter(|x| x.kind == ExitRoute::WriteOff)
                .count(),
            2
        );
    }
}
