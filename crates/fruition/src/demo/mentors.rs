//! The demo's startup mentors (synthetic people): every carrier with an approved 2024 report
//! keeps as many mentors as that report counts, each of whom guided one of the carrier's 2024
//! incubatees through 2024 with two to four sessions — so the mentor figure of every 2024 report
//! is the one the records give. The demo carrier manager's operator also has three mentors
//! guiding incubatees now.
//!
//! And one need-collection campaign running today (the bureau's, for the rail-transit and
//! new-materials chains): the demo carrier has asked some of its incubatees, three of whom told
//! it a need, published in the market.

use fruition_domain::campaign::ContactOutcome;
use fruition_domain::date::IsoDate;
use fruition_domain::market::{ListingKind, ListingStatus};
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::campaigns::{self, CampaignFields, NewContact};
use fruition_store::market::{self, ListingFields};
use fruition_store::mentors::{self, MentorFields};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::plan::{Outcome, Plan};

const SEED: u64 = 0x3E47_0125;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "邓", "曹", "彭",
];
const GIVEN: &[&str] = &[
    "建华", "志强", "秀英", "海燕", "立新", "晓东", "文杰", "丽娟", "国平", "卫东", "红梅", "振宇",
    "雪松", "明辉", "静怡", "德胜", "春林", "亚楠", "光耀", "慧敏", "新民", "一鸣",
];
/// (title, employer, guides on, chain code).
const PROFILES: &[(&str, &str, &str, &str)] = &[
    (
        "教授级高级工程师",
        "株洲市某轨道交通装备企业",
        "牵引传动系统研发与产品工程化",
        "rail_transit",
    ),
    (
        "副教授",
        "湖南工业大学",
        "先进陶瓷材料制备与中试放大",
        "new_materials",
    ),
    (
        "注册会计师",
        "株洲市某会计师事务所",
        "财务规范、股权架构与税务筹划",
        "",
    ),
    ("投资总监", "某创业投资管理公司", "商业计划书与股权融资", ""),
    (
        "专利代理师",
        "株洲智桥知识产权代理有限公司",
        "专利挖掘、布局与知识产权贯标",
        "",
    ),
    (
        "高级工程师",
        "株洲市某航空动力企业",
        "航空发动机零部件精密制造",
        "aviation",
    ),
    (
        "律师",
        "湖南楚衡律师事务所株洲分所",
        "合同管理与劳动用工合规",
        "",
    ),
    (
        "研究员",
        "某国家级企业技术中心",
        "功率半导体器件与模块封装",
        "advanced_manufacturing",
    ),
    (
        "高级经济师",
        "株洲市某产业园运营公司",
        "市场开拓与政府项目申报",
        "",
    ),
    (
        "高级工程师",
        "株洲市某硬质合金企业",
        "硬质合金与工具材料",
        "new_materials",
    ),
];
const TOPICS: &[&str] = &[
    "商业计划书梳理与路演辅导",
    "产品工程化与中试方案论证",
    "首轮融资估值与投资条款解读",
    "知识产权布局与专利申请策略",
    "财务制度建立与研发费用归集",
    "高新技术企业认定材料准备",
    "市场定位与首批客户开拓",
    "团队股权激励方案设计",
];

fn mentor(rng: &mut StdRng, n: usize) -> MentorFields {
    let (title, employer, expertise, chain) = PROFILES[rng.random_range(0..PROFILES.len())];
    MentorFields {
        name: format!(
            "{}{}",
            SURNAMES[n % SURNAMES.len()],
            GIVEN[(n / SURNAMES.len() + n * 7) % GIVEN.len()]
        ),
        title: title.into(),
        employer: employer.into(),
        expertise: expertise.into(),
        chain_code: Some(chain.to_string()).filter(|c| !c.is_empty()),
        phone: Some(format!("1390733{:04}", n % 10_000)),
        email: None,
        active: true,
    }
}

/// What was written: mentors, relationships.
pub struct Written {
    pub mentors: usize,
    pub mentorships: usize,
}

/// Writes the mentors, their 2024 relationships and sessions, and the demo operator's current
/// ones. `carriers`, `operators` and `enterprises` are the written ids by plan index.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    plan: &Plan,
    carriers: &[i64],
    operators: &[i64],
    enterprises: &[i64],
    today: IsoDate,
) -> anyhow::Result<Written> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut n = 0usize;
    let mut ships = 0usize;
    for report in plan
        .reports
        .iter()
        .filter(|r| r.year == 2024 && r.outcome == Outcome::Approved)
    {
        let wanted = report.figures.mentors.unwrap_or(0).max(0) as usize;
        let firms: Vec<usize> = report.rows.iter().map(|(e, _)| *e).collect();
        if wanted == 0 || firms.is_empty() {
            continue;
        }
        let carrier = &plan.carriers[report.carrier];
        let operator = operators[carrier.operator];
        for i in 0..wanted {
            let m = mentors::create(tx, ctx, operator, &mentor(&mut rng, n)).await?;
            n += 1;
            let firm = enterprises[firms[i % firms.len()]];
            let start = format!(
                "2024-{:02}-{:02}",
                rng.random_range(1..=6),
                rng.random_range(1..=28)
            );
            let s = mentors::start(tx, ctx, m.id, firm, carriers[report.carrier], &start).await?;
            ships += 1;
            for k in 0..rng.random_range(2..=4) {
                let month = (7 + k * 2).min(12);
                let day = format!("2024-{month:02}-{:02}", rng.random_range(1..=28));
                let minutes = [60, 90, 120, 150][rng.random_range(0..4)];
                let topic = TOPICS[rng.random_range(0..TOPICS.len())];
                mentors::add_session(tx, ctx, s.id, &day, minutes, topic).await?;
            }
            mentors::end(tx, ctx, s.id, "2024-12-31").await?;
        }
    }
    // The demo operator's current mentoring: three mentors, each with an incubatee it has now.
    let demo_operator = operators[plan.demo_operator];
    let current: Vec<(usize, usize)> = plan
        .spells
        .iter()
        .filter(|s| plan.carriers[s.carrier].operator == plan.demo_operator && s.exit.is_none())
        .map(|s| (s.enterprise, s.carrier))
        .take(3)
        .collect();
    for (e, c) in current {
        let m = mentors::create(tx, ctx, demo_operator, &mentor(&mut rng, n)).await?;
        n += 1;
        let start = today.plus_days(-120).to_string();
        let s = mentors::start(tx, ctx, m.id, enterprises[e], carriers[c], &start).await?;
        ships += 1;
        for k in 0..3 {
            let day = today.plus_days(-100 + k * 30).to_string();
            let topic = TOPICS[rng.random_range(0..TOPICS.len())];
            mentors::add_session(tx, ctx, s.id, &day, 90, topic).await?;
        }
    }
    Ok(Written {
        mentors: n,
        mentorships: ships,
    })
}

/// Three needs the demo carrier heard: (title, summary, indicators, chain).
const NEEDS: &[(&str, &str, &str, &str)] = &[
    (
        "轨道车辆制动盘热裂纹在线检测",
        "企业生产的轨道车辆制动盘在型式试验中出现热裂纹，现有离线探伤效率低，希望合作开发可在产线上使用的在线检测方法。",
        "检出0.5毫米以上裂纹，单件检测时间不超过60秒",
        "rail_transit",
    ),
    (
        "氮化硅陶瓷球烧结致密度提升",
        "企业已具备氮化硅陶瓷球小批量生产能力，但气压烧结后致密度波动较大，希望与高校院所合作优化烧结工艺。",
        "相对密度不低于99.5%，批次波动小于0.2%",
        "new_materials",
    ),
    (
        "牵引电机轴承绝缘涂层寿命评估",
        "企业为牵引电机配套绝缘轴承，需要建立涂层在电蚀工况下的加速寿命试验与评估方法，用于产品定型。",
        "形成可复现的加速试验规程，评估结果与实际寿命偏差不超过20%",
        "rail_transit",
    ),
];

/// The running campaign, with the demo carrier's visits and the needs it collected.
pub async fn write_campaign(
    tx: &mut Tx,
    ctx: &AuditCtx,
    plan: &Plan,
    carriers: &[i64],
    operators: &[i64],
    enterprises: &[i64],
    today: IsoDate,
) -> anyhow::Result<usize> {
    let opens_on = today.plus_days(-20).to_string();
    let deadline = today.plus_days(25).to_string();
    super::at(super::ms_on(&opens_on, 9 * 60));
    let c = campaigns::create(
        tx,
        ctx,
        &CampaignFields {
            title: format!("{}年度在孵企业技术需求征集（演示）", today.year()),
            theme: "请各孵化载体逐户走访在孵企业，重点了解轨道交通和新材料领域企业在产品研发、中试放大和质量提升中遇到的技术难题，\
                    如实填报需求，由平台向高校院所和服务机构推送对接。"
                .into(),
            opens_on: opens_on.clone(),
            deadline,
            chains: vec!["new_materials".into(), "rail_transit".into()],
        },
    )
    .await?;
    // The demo carrier's incubatees now: the first three tell a need, the next four have none.
    let firms: Vec<(usize, usize)> = plan
        .spells
        .iter()
        .filter(|s| plan.carriers[s.carrier].operator == plan.demo_operator && s.exit.is_none())
        .map(|s| (s.enterprise, s.carrier))
        .take(7)
        .collect();
    let mut collected = 0;
    for (i, (e, carrier)) in firms.iter().enumerate() {
        let asked_on = today.plus_days(-15 + i as i64).to_string();
        if let Some((title, summary, indicators, chain)) = NEEDS.get(i) {
            // Published under the firm's own organisation when it has one, as the action does.
            let own_org =
                fruition_store::enterprises::find_by_uscc_in(tx, &plan.enterprises[*e].uscc)
                    .await?
                    .and_then(|x| x.org_id);
            let owner = own_org.unwrap_or(operators[plan.carriers[*carrier].operator]);
            let fields = ListingFields {
                title: (*title).into(),
                summary: (*summary).into(),
                body: String::new(),
                tech_field: fruition_domain::tech_field::TechField::of_chain(chain)
                    .map(|f| f.code().to_string()),
                chain_code: Some((*chain).into()),
                county_code: None,
                trl: Some(5),
                price_k: Some([300, 500, 800][i]),
                modes: "commissioned,joint_development".into(),
                deadline: Some(today.plus_days(120).to_string()),
                details: serde_json::json!({ "indicators": indicators }).to_string(),
                fund_id: None,
            };
            super::at(super::ms_on(&asked_on, 15 * 60));
            let l = market::insert(tx, ctx, ListingKind::Need, owner, &fields).await?;
            market::set_status(
                tx,
                ctx,
                l.id,
                ListingStatus::Draft,
                ListingStatus::Published,
                None,
            )
            .await?;
            campaigns::collect(
                tx,
                ctx,
                c.id,
                carriers[*carrier],
                enterprises[*e],
                l.id,
                &asked_on,
            )
            .await?;
            collected += 1;
        } else {
            campaigns::ask(
                tx,
                ctx,
                &NewContact {
                    campaign_id: c.id,
                    carrier_id: carriers[*carrier],
                    enterprise_id: enterprises[*e],
                    outcome: if i % 4 == 0 {
                        ContactOutcome::Declined
                    } else {
                        ContactOutcome::NoNeed
                    },
                    note: if i % 4 == 0 {
                        "企业负责人出差，暂不填报".into()
                    } else {
                        "现有技术能满足生产需要，年内暂无外部技术需求".into()
                    },
                    asked_on,
                },
            )
            .await?;
        }
    }
    Ok(collected)
}
