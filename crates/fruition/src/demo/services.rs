//! The demo's one-stop services (synthetic, 演示数据): a catalogue of about twenty services from
//! the bureau, the demo carrier's operator and another operator, and the four service agencies
//! (the first is demo.service's), and a year of requests from the demo enterprise and the seed's
//! named firms in every state — waiting, overdue, accepted, in progress, declined with a reason,
//! withdrawn, completed and rated — plus general requests to the carrier incubating the demo
//! enterprise. Reproducible: the same seed gives the same year, counted back from `now`.

use fruition_domain::date::IsoDate;
use fruition_domain::service::{GENERAL_RESPONSE_HOURS, HOUR_MS, ServiceAudience, ServiceCategory};
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::billing::{self as bills, NewPayment, NewServiceBill};
use fruition_store::services::{self as store, NewRequest, ServiceTerms, StepFields};
use fruition_store::vouchers::{self, Spend};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use fruition_domain::service::ServiceRequestStatus as S;

const SEED: u64 = 4_302_202_613;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Who offers and who asks.
pub struct Parties {
    pub bureau: i64,
    /// The demo carrier manager's organisation, and another carrier operator.
    pub demo_operator: i64,
    pub other_operator: i64,
    /// The four agencies; the first is demo.service's.
    pub agencies: Vec<i64>,
    /// Enterprises that ask: (organisation, registry enterprise); the demo enterprise first.
    pub requesters: Vec<(i64, i64)>,
    /// The carrier incubating the demo enterprise now, with its operator.
    pub demo_carrier: Option<(i64, i64)>,
}

/// Who offers a service: the bureau, the demo operator, another operator, or agency `n`.
#[derive(Clone, Copy)]
enum By {
    Bureau,
    DemoOperator,
    OtherOperator,
    Agency(usize),
}

/// (provider, category, title, description, materials, steps, response hours, price 元, vouchers, for incubatees only).
type Offer = (
    By,
    ServiceCategory,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    i64,
    i64,
    bool,
    bool,
);

use ServiceCategory as C;

const OFFERS: &[Offer] = &[
    (
        By::Bureau,
        C::Policy,
        "高新技术企业认定政策解读（演示）",
        "科技局工作人员解读高新技术企业认定条件、研发费用归集口径和申报时间节点，并对企业自评结果给出意见。本条为演示数据。",
        &["企业基本情况表", "近三年研发费用明细"],
        &["受理", "政策解读", "自评意见反馈"],
        48,
        0,
        false,
        false,
    ),
    (
        By::Bureau,
        C::ProjectApplication,
        "市级科技计划项目申报辅导（演示）",
        "针对株洲市科技计划（重点研发、成果转化类）项目，辅导企业梳理技术路线、经费预算和考核指标。本条为演示数据。",
        &["项目申报书初稿", "营业执照复印件"],
        &["受理", "申报书审阅", "修改意见反馈"],
        72,
        0,
        false,
        false,
    ),
    (
        By::Bureau,
        C::Financing,
        "知识价值信用贷款对接（演示）",
        "为科技型中小企业对接合作银行的知识价值信用贷款，介绍授信条件与风险补偿政策。本条为演示数据。",
        &["企业信用评价授权书"],
        &["受理", "银行对接", "授信反馈"],
        72,
        0,
        false,
        false,
    ),
    (
        By::DemoOperator,
        C::Mentoring,
        "创业导师一对一辅导（演示）",
        "孵化器签约创业导师就商业模式、股权结构和融资路演提供一对一辅导，仅面向本载体在孵企业。本条为演示数据。",
        &["商业计划书"],
        &["预约导师", "辅导", "辅导纪要"],
        24,
        0,
        false,
        true,
    ),
    (
        By::DemoOperator,
        C::Registration,
        "工商注册与变更代办（演示）",
        "代办企业设立、地址变更、经营范围变更等工商登记事项，在孵企业免费。本条为演示数据。",
        &["股东身份证复印件", "住所使用证明"],
        &["材料预审", "网上提交", "领取执照"],
        24,
        0,
        false,
        false,
    ),
    (
        By::DemoOperator,
        C::Recruitment,
        "高校毕业生招聘对接（演示）",
        "对接驻株高校就业指导中心，组织专场招聘和实习生推荐。本条为演示数据。",
        &["岗位需求表"],
        &["需求确认", "发布岗位", "推荐候选人"],
        48,
        0,
        false,
        false,
    ),
    (
        By::OtherOperator,
        C::Policy,
        "入驻与房租补贴政策咨询（演示）",
        "解答入驻条件、房租减免和孵化期补贴政策。本条为演示数据。",
        &[],
        &["受理", "答复"],
        24,
        0,
        false,
        false,
    ),
    (
        By::OtherOperator,
        C::Testing,
        "电子元器件可靠性测试（演示）",
        "提供高低温循环、湿热和振动试验，出具测试报告。本条为演示数据。",
        &["样品", "测试要求说明"],
        &["样品接收", "试验", "出具报告"],
        48,
        3_500,
        true,
        false,
    ),
    (
        By::Agency(0),
        C::IntellectualProperty,
        "发明专利申请代理（演示）",
        "专利代理师完成技术交底、检索、撰写和提交，并答复审查意见，官费另计。本条为演示数据。",
        &["技术交底书", "营业执照复印件"],
        &["技术交底", "专利检索", "撰写申请文件", "提交申请"],
        24,
        4_500,
        true,
        false,
    ),
    (
        By::Agency(0),
        C::IntellectualProperty,
        "实用新型专利申请代理（演示）",
        "实用新型专利的撰写与提交，平均 5 个工作日完成定稿。本条为演示数据。",
        &["技术交底书"],
        &["技术交底", "撰写申请文件", "提交申请"],
        24,
        1_800,
        true,
        false,
    ),
    (
        By::Agency(0),
        C::IntellectualProperty,
        "专利检索与分析报告（演示）",
        "面向研发立项的专利检索、技术路线和侵权风险分析。本条为演示数据。",
        &["检索需求说明"],
        &["需求确认", "检索", "出具报告"],
        48,
        3_000,
        true,
        false,
    ),
    (
        By::Agency(0),
        C::IntellectualProperty,
        "商标注册代理（演示）",
        "商标查询、分类建议与注册申请。本条为演示数据。",
        &["商标图样", "营业执照复印件"],
        &["商标查询", "提交申请"],
        24,
        800,
        false,
        false,
    ),
    (
        By::Agency(1),
        C::Accounting,
        "小微企业代理记账（演示）",
        "建账、记账、月度纳税申报与财务报表，按月收费。本条为演示数据。",
        &["营业执照复印件", "银行开户许可证"],
        &["签订委托协议", "建账", "首月申报"],
        8,
        1_800,
        false,
        false,
    ),
    (
        By::Agency(1),
        C::Accounting,
        "研发费用加计扣除专项辅导（演示）",
        "研发项目立项、辅助账设置与加计扣除申报辅导。本条为演示数据。",
        &["研发项目立项资料", "费用明细账"],
        &["资料审阅", "辅助账设置", "申报辅导"],
        24,
        5_000,
        true,
        false,
    ),
    (
        By::Agency(2),
        C::Legal,
        "技术合同法律审查（演示）",
        "审查技术开发、转让、许可合同的权属、费用与违约条款。本条为演示数据。",
        &["合同文本"],
        &["受理", "审查", "出具审查意见"],
        24,
        2_000,
        true,
        false,
    ),
    (
        By::Agency(2),
        C::Legal,
        "股权激励方案法律咨询（演示）",
        "为初创企业设计期权池与股权激励方案，提示税务与法律风险。本条为演示数据。",
        &["公司章程", "股东名册"],
        &["需求访谈", "方案设计", "交付方案"],
        48,
        8_000,
        false,
        false,
    ),
    (
        By::Agency(3),
        C::Testing,
        "产品电磁兼容预测试（演示）",
        "在正式认证前进行传导与辐射发射预测试，定位超标频点。本条为演示数据。",
        &["样品", "产品说明书"],
        &["样品接收", "预测试", "出具报告"],
        48,
        6_000,
        true,
        false,
    ),
    (
        By::Agency(3),
        C::Testing,
        "材料成分分析（演示）",
        "金属与高分子材料成分分析，5 个工作日出具报告。本条为演示数据。",
        &["样品"],
        &["样品接收", "分析", "出具报告"],
        24,
        1_200,
        true,
        false,
    ),
    (
        By::Agency(3),
        C::Other,
        "实验室建设咨询（演示）",
        "企业研发实验室的规划、设备选型与资质建设咨询。本条为演示数据。",
        &[],
        &["需求访谈", "出具方案"],
        72,
        0,
        false,
        false,
    ),
];

const NEEDS: &[&str] = &[
    "公司新研发的产品需要尽快办理，希望本月内完成，请联系我们的技术负责人。（演示数据）",
    "我们是一家成立两年的科技型中小企业，首次办理此类事项，希望得到全程指导。（演示数据）",
    "今年计划申报高新技术企业，需要提前准备相关材料，请协助梳理。（演示数据）",
    "新产品即将量产，需要在上市前完成这项工作，时间比较紧。（演示数据）",
    "去年已经办理过一次，今年有新的项目需要继续委托。（演示数据）",
];

const DECLINES: &[&str] = &[
    "本月排期已满，请下月初重新申请。（演示数据）",
    "所需材料不全，请补齐营业执照和技术资料后再申请。（演示数据）",
    "该事项不在本服务范围内，建议选择相应类别的服务。（演示数据）",
];

const COMMENTS: &[&str] = &[
    "响应及时，专业细致。",
    "办理顺利，沟通顺畅。",
    "比预期慢了几天，但结果满意。",
    "服务很好，下次还会委托。",
    "",
];

/// Writes the catalogue and a year of requests; returns how many requests.
pub async fn write(tx: &mut Tx, ctx: &AuditCtx, p: &Parties, now: i64) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(SEED);
    // The catalogue: (id, provider, category, response hours, steps, price, vouchers, incubatees).
    let mut services = Vec::new();
    for (by, category, title, description, materials, steps, hours, price, vouchers, incubatees) in
        OFFERS
    {
        let provider = match by {
            By::Bureau => p.bureau,
            By::DemoOperator => p.demo_operator,
            By::OtherOperator => p.other_operator,
            By::Agency(n) => p.agencies[*n],
        };
        let terms = ServiceTerms {
            category: *category,
            title: (*title).into(),
            description: (*description).into(),
            audience: if *incubatees {
                ServiceAudience::Incubatees
            } else {
                ServiceAudience::Anyone
            },
            audience_chains: String::new(),
            materials: materials.join("\n"),
            response_hours: *hours,
            steps: steps.join("\n"),
            price_fen: price * 100,
            voucher_payable: *vouchers,
        };
        let s = store::create_service(tx, ctx, provider, &terms).await?;
        services.push((
            s.id,
            provider,
            *category,
            *hours,
            *steps,
            price * 100,
            *vouchers,
            *incubatees,
        ));
    }
    let mut written = 0;
    // About 320 requests over the year; the demo enterprise asks a fifth of them.
    for i in 0..320 {
        let requester = if i % 5 == 0 || p.requesters.len() == 1 {
            p.requesters[0]
        } else {
            *p.requesters[1..].choose(&mut rng).expect("requesters")
        };
        // A general request to the demo carrier now and then (from the demo enterprise).
        let general = i % 40 == 0 && requester == p.requesters[0] && p.demo_carrier.is_some();
        // demo.service's services are asked most.
        let pick = if rng.random_range(0..100) < 35 {
            rng.random_range(8..12)
        } else {
            rng.random_range(0..services.len())
        };
        let (sid, provider, category, hours, steps, price, vouchers_ok, incubatees) =
            services[pick];
        if incubatees && requester != p.requesters[0] {
            continue;
        }
        let age_days = rng.random_range(0..365);
        let requested_at = now - age_days * DAY_MS - rng.random_range(0..DAY_MS);
        let (n, hours, steps) = if general {
            let (carrier, operator) = p.demo_carrier.expect("carrier");
            (
                NewRequest {
                    service_id: None,
                    provider_org_id: operator,
                    requester_org_id: requester.0,
                    enterprise_id: Some(requester.1),
                    carrier_id: Some(carrier),
                    category: ServiceCategory::Policy,
                    need: "想了解今年孵化期补贴和场地减免政策的申请条件。（演示数据）".into(),
                    response_hours: GENERAL_RESPONSE_HOURS,
                    steps: Vec::new(),
                    requested_at,
                },
                GENERAL_RESPONSE_HOURS,
                &[][..],
            )
        } else {
            (
                NewRequest {
                    service_id: Some(sid),
                    provider_org_id: provider,
                    requester_org_id: requester.0,
                    enterprise_id: Some(requester.1),
                    carrier_id: None,
                    category,
                    need: (*NEEDS.choose(&mut rng).expect("needs")).into(),
                    response_hours: hours,
                    steps: steps.iter().map(|s| (*s).to_string()).collect(),
                    requested_at,
                },
                hours,
                steps,
            )
        };
        let r = store::create_request(tx, ctx, &n).await?;
        written += 1;
        let due = requested_at + hours * HOUR_MS;
        // Still waiting: the fresh ones, and a few overdue (demo.service's queue keeps some).
        let waits = due > now
            || (age_days < 20 && rng.random_range(0..100) < 40)
            || (provider == p.agencies[0] && age_days < 60 && rng.random_range(0..100) < 15);
        if waits {
            continue;
        }
        // The answer: mostly within the promise, some late.
        let answer_ms = if rng.random_range(0..100) < 85 {
            hours * HOUR_MS * rng.random_range(5..95) / 100
        } else {
            hours * HOUR_MS * rng.random_range(110..300) / 100
        };
        let answered_at = (requested_at + answer_ms).min(now);
        let roll = rng.random_range(0..100);
        if roll < 5 {
            store::step(
                tx,
                ctx,
                r.id,
                S::Requested,
                S::Withdrawn,
                &StepFields::default(),
                answered_at,
            )
            .await?;
            continue;
        }
        if roll < 17 {
            let f = StepFields {
                answered_at: Some(answered_at),
                decline_reason: Some((*DECLINES.choose(&mut rng).expect("declines")).into()),
                ..StepFields::default()
            };
            store::step(tx, ctx, r.id, S::Requested, S::Declined, &f, answered_at).await?;
            continue;
        }
        let f = StepFields {
            answered_at: Some(answered_at),
            ..StepFields::default()
        };
        store::step(tx, ctx, r.id, S::Requested, S::Accepted, &f, answered_at).await?;
        // Some recent ones are accepted and not yet started.
        if age_days < 20 && rng.random_range(0..100) < 35 {
            continue;
        }
        // The steps, a day or two apart; recent requests stop part way.
        let mut at = answered_at;
        let mut all_done = true;
        for (k, _) in steps.iter().enumerate() {
            at += rng.random_range(HOUR_MS..2 * DAY_MS);
            if at >= now || (age_days < 10 && k > 0 && rng.random_range(0..2) == 0) {
                all_done = false;
                break;
            }
            store::record_step(
                tx,
                ctx,
                r.id,
                k as i64 + 1,
                "已按要求办理。（演示数据）",
                at,
            )
            .await?;
        }
        if !all_done || age_days < 3 {
            continue;
        }
        let completed_at = (at + rng.random_range(HOUR_MS..DAY_MS)).min(now);
        let from = if steps.is_empty() {
            S::Accepted
        } else {
            S::InProgress
        };
        // A general request to the carrier is free.
        let price = if general { 0 } else { price };
        let f = StepFields {
            completed_at: Some(completed_at),
            charge_fen: Some(price),
            ..StepFields::default()
        };
        store::step(tx, ctx, r.id, from, S::Completed, &f, completed_at).await?;
        if price > 0 {
            let bill = (r.id, requester.0, provider, price, vouchers_ok);
            bill_service(tx, ctx, bill, completed_at, now, &mut rng).await?;
        }
        if rng.random_range(0..100) < 75 {
            let stars = *[5, 5, 5, 4, 4, 3, 2].choose(&mut rng).expect("stars");
            let comment = *COMMENTS.choose(&mut rng).expect("comments");
            let rated_at = (completed_at + rng.random_range(HOUR_MS..3 * DAY_MS)).min(now);
            store::rate(tx, ctx, r.id, stars, comment, rated_at).await?;
        }
    }
    Ok(written)
}

/// A completed priced request's bill, issued on the day it was completed: paid within three weeks
/// when that is past (half by an innovation voucher where the service takes them and the firm
/// holds one with room), else still open — so demo.service has voucher spends to claim back.
async fn bill_service(
    tx: &mut Tx,
    ctx: &AuditCtx,
    (request_id, payer, provider, price, vouchers_ok): (i64, i64, i64, i64, bool),
    completed_at: i64,
    now: i64,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let issued_on = fruition_app::clock::china_date(completed_at);
    let today = fruition_app::clock::china_date(now);
    let bill = bills::issue_for_service(
        tx,
        ctx,
        &NewServiceBill {
            request_id,
            amount_fen: price,
            vouchers_accepted: vouchers_ok,
            issued_on,
            due_on: issued_on.plus_days(30),
        },
    )
    .await?;
    let paid_on = issued_on.plus_days(rng.random_range(2..=21));
    if paid_on > today || rng.random_range(0..100) < 10 {
        return Ok(());
    }
    let year = i64::from(paid_on.year());
    let mut voucher = None;
    if vouchers_ok {
        let spent = vouchers::year_spent_in(tx, payer, year).await?;
        for v in vouchers::spendable_in(tx, payer).await? {
            let valid = IsoDate::parse(&v.valid_from).is_ok_and(|d| d <= paid_on)
                && IsoDate::parse(&v.valid_to).is_ok_and(|d| d >= paid_on);
            let part = fruition_domain::money::percent_of(price, v.share_pct)
                .min(v.balance_fen)
                .min(v.yearly_cap_fen - spent);
            if valid && part > 0 {
                voucher = Some((v, part));
                break;
            }
        }
    }
    let part = voucher.as_ref().map_or(0, |(_, p)| *p);
    let (_, payment) = bills::pay(
        tx,
        ctx,
        &NewPayment {
            bill_id: bill.id,
            org_id: payer,
            cash_fen: price - part,
            voucher: voucher.as_ref().map(|(v, p)| (v.id, *p)),
            voucher_share_pct: voucher.as_ref().map_or(100, |(v, _)| v.share_pct),
            reference: Some("银行转账"),
            paid_on,
        },
    )
    .await?;
    if let Some((v, part)) = voucher {
        vouchers::spend(
            tx,
            ctx,
            &Spend {
                voucher_id: v.id,
                amount_fen: part,
                bill_id: bill.id,
                payment_id: payment.id,
                owner_org_id: provider,
                year,
            },
        )
        .await?;
    }
    Ok(())
}
