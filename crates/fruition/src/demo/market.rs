//! The demo's living market: a few hundred listings of every kind, one topic of Zhuzhou's
//! industries at a time (`fruition_search::Vocabulary`), their texts grammatical sentences from
//! per-topic templates (`texts`), posted by fictional firms and institutions (never by the real
//! universities and companies the reply names), the bank's loan products and the investors'
//! offers, and deals at every step — the demo enterprise's among them. Listings were posted in
//! 2024 and deals opened after them, each step after the last (the story clock, `super::at`).
//! Reproducible: the same seed gives the same market.

use fruition_domain::date::IsoDate;
use fruition_domain::market::{Details, ListingKind, ListingStatus};
use fruition_domain::tech_field::TechField;
use fruition_search::Vocabulary;
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::market::{self, ListingFields};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::texts::{Words, has_doubled_word};
use super::{at, day_ms};

const SEED: u64 = 4302_2025;

/// The organisations that list: the bureau, the fictional institutions, the carrier operators,
/// the investors and the bank, and the fictional firms with the demo enterprise.
pub struct Listers {
    pub bureau: i64,
    pub institutions: Vec<i64>,
    /// Their names, in the same order (for the experts' affiliation).
    pub institution_names: Vec<String>,
    pub operators: Vec<i64>,
    pub investors: Vec<i64>,
    pub bank: i64,
    pub enterprise_org: i64,
    /// The fictional firms that post needs and achievements (besides the demo enterprise).
    pub firms: Vec<i64>,
}

const COUNTIES: [&str; 5] = ["430211", "430202", "430203", "430204", "430281"];

const INVENTORS: [&str; 12] = [
    "周明远",
    "陈思齐",
    "刘卫东",
    "黄晓岚",
    "谭建华",
    "彭志刚",
    "罗文静",
    "易海峰",
    "曾立新",
    "贺雅琴",
    "龙振宇",
    "邓慧敏",
];

/// The bank's loan products: (title, summary, preferences).
const LOANS: [(&str, &str, &str); 3] = [
    (
        "知识价值信用贷款",
        "面向科技型中小企业的纯信用贷款，以知识产权、研发投入和人才等知识价值评价结果授信，无需抵押担保，纳入株洲市风险补偿资金池。",
        "单户授信最高1000万元，期限1至3年，利率不高于一年期LPR加50个基点；按评价等级核定额度。",
    ),
    (
        "知识产权质押融资贷款",
        "以企业已授权的发明专利、实用新型专利或商标专用权质押，评估后发放流动资金贷款。",
        "单户额度50万元至2000万元，期限最长3年；质押物评估费用由银行承担。",
    ),
    (
        "中试与首台套项目贷款",
        "支持企业在中试基地开展中试验证和首台套产品试制，按项目进度分期放款，先用后还。",
        "单个项目最高3000万元，期限最长5年，可设12个月宽限期；优先支持在孵企业。",
    ),
];

/// Whatever a listing says: its title, summary, body and the need's indicators.
struct Text {
    title: String,
    summary: String,
    body: String,
    indicators: Option<String>,
}

impl Text {
    fn fine(&self) -> bool {
        [&self.title, &self.summary, &self.body]
            .iter()
            .all(|t| !has_doubled_word(t))
            && self
                .indicators
                .as_deref()
                .is_none_or(|t| !has_doubled_word(t))
    }
}

/// Writes the market; returns how many listings were published.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    l: &Listers,
    today: IsoDate,
) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let vocabulary = Vocabulary::builtin();
    let mut firms = l.firms.clone();
    firms.push(l.enterprise_org);
    let mut published = 0;
    // (listing, kind, owner) of what is published, for the deals.
    let mut open: Vec<(i64, ListingKind, i64)> = Vec::new();
    // Listings went up between March and August 2024, one after the other.
    let first_day = super::ms_on("2024-03-01", 9 * 60);
    let mut posted = 0_i64;
    for (ti, topic) in vocabulary.topics.iter().enumerate() {
        let firm = firms[ti % firms.len()];
        let institution = ti % l.institutions.len();
        let finance = topic.chain == "fin";
        let service = topic.chain == "svc";
        // (kind, owner)
        let plan: Vec<(ListingKind, i64)> = if finance {
            vec![
                (ListingKind::Capital, l.bank),
                (ListingKind::Capital, l.bank),
                (ListingKind::Capital, l.bank),
                (ListingKind::Capital, l.investors[0]),
                (ListingKind::Capital, l.investors[1 % l.investors.len()]),
                (ListingKind::Capital, l.investors[2 % l.investors.len()]),
            ]
        } else if service {
            (0..6)
                .map(|k| {
                    (
                        ListingKind::Service,
                        l.operators[(ti + k) % l.operators.len()],
                    )
                })
                .collect()
        } else {
            let mut plan = vec![
                (ListingKind::Achievement, l.institutions[institution]),
                (ListingKind::Achievement, firm),
                (ListingKind::Achievement, l.institutions[institution]),
                (ListingKind::Need, firm),
                (ListingKind::Need, firms[(ti + 3) % firms.len()]),
            ];
            plan.push(match ti % 4 {
                0 => (ListingKind::Instrument, l.operators[ti % l.operators.len()]),
                1 => (ListingKind::Expert, l.institutions[institution]),
                2 => (ListingKind::Service, l.operators[ti % l.operators.len()]),
                _ => (ListingKind::Capital, l.investors[ti % l.investors.len()]),
            });
            plan
        };
        let mut loans = LOANS.iter();
        for (i, (kind, org)) in plan.into_iter().enumerate() {
            let trl = match kind {
                ListingKind::Achievement => Some(rng.random_range(4..=9)),
                ListingKind::Need => Some(rng.random_range(5..=8)),
                _ => None,
            };
            let mut details = Details::default();
            // Drawn again until no word is said twice in a row (a few tries at most).
            let mut text = None;
            for _ in 0..50 {
                let w = Words::draw(&mut rng, &topic.name, topic.chain, &topic.words);
                let t = match kind {
                    ListingKind::Achievement => {
                        let (summary, body) = w.achievement_text(&mut rng);
                        Text {
                            title: w.achievement_title(&mut rng, i == 0),
                            summary,
                            body,
                            indicators: None,
                        }
                    }
                    ListingKind::Need => {
                        let (summary, body, indicators) = w.need_text(&mut rng);
                        Text {
                            title: w.need_title(&mut rng),
                            summary,
                            body,
                            indicators: Some(indicators),
                        }
                    }
                    ListingKind::Expert => {
                        let name = &l.institution_names[institution];
                        let (summary, body) = w.expert_text(&mut rng, name);
                        Text {
                            title: format!(
                                "{}：{}方向专家",
                                INVENTORS[(ti / 4) % INVENTORS.len()],
                                topic.name
                            ),
                            summary,
                            body,
                            indicators: None,
                        }
                    }
                    ListingKind::Instrument => {
                        let (summary, body) = w.service_text(&mut rng);
                        Text {
                            title: format!("{}中试验证平台", topic.name),
                            summary,
                            body,
                            indicators: None,
                        }
                    }
                    ListingKind::Service => {
                        let (summary, body) = w.service_text(&mut rng);
                        Text {
                            title: if service {
                                format!("{}服务", w.first())
                            } else {
                                format!("{}检测与技术服务", topic.name)
                            },
                            summary,
                            body,
                            indicators: None,
                        }
                    }
                    ListingKind::Capital if org == l.bank => {
                        let (title, summary, preferences) =
                            loans.next().copied().unwrap_or(LOANS[0]);
                        details.preferences = Some(preferences.into());
                        Text {
                            title: title.into(),
                            summary: summary.into(),
                            body: format!(
                                "{summary}由合作银行受理、审批和放款，企业可通过平台在线申请，评价结果和授信进度可随时查询。"
                            ),
                            indicators: None,
                        }
                    }
                    ListingKind::Capital | ListingKind::Policy => {
                        let field = if finance {
                            ["轨道交通与先进制造", "新材料与新能源", "电子信息与生物医药"][i % 3]
                        } else {
                            &topic.name
                        };
                        details.preferences = Some(format!(
                            "偏好{field}领域天使轮至A轮项目，单笔投资500万元至3000万元。"
                        ));
                        Text {
                            title: format!("{field}早期项目股权投资"),
                            summary: format!(
                                "重点投资{field}领域具有核心技术的初创企业，可提供投后管理和产业资源对接。"
                            ),
                            body: format!(
                                "重点投资{field}领域具有核心技术的初创企业，可提供投后管理和产业资源对接。项目须有明确的技术路线和团队，优先考虑在孵企业和已获科技型中小企业评价的企业。"
                            ),
                            indicators: None,
                        }
                    }
                };
                if t.fine() {
                    text = Some(t);
                    break;
                }
            }
            let text = text.ok_or_else(|| anyhow::anyhow!("no listing text for {}", topic.name))?;
            let modes = match kind {
                ListingKind::Achievement => {
                    let k = rng.random_range(0..INVENTORS.len());
                    details.inventors = vec![
                        INVENTORS[k].to_string(),
                        INVENTORS[(k + 5) % INVENTORS.len()].to_string(),
                    ];
                    ["licence", "transfer", "joint_development", "pay_after_use"]
                        [rng.random_range(0..4)]
                    .to_string()
                }
                ListingKind::Need => {
                    details.indicators = text.indicators.clone();
                    ["commissioned", "joint_development", "transfer"][rng.random_range(0..3)]
                        .to_string()
                }
                ListingKind::Expert => {
                    details.expert_title = Some("教授".into());
                    String::new()
                }
                ListingKind::Instrument | ListingKind::Service => {
                    details.unit = Some(["小时", "天", "批次"][rng.random_range(0..3)].into());
                    String::new()
                }
                ListingKind::Capital | ListingKind::Policy => String::new(),
            };
            let fields = ListingFields {
                title: text.title.chars().take(100).collect(),
                summary: text.summary.chars().take(500).collect(),
                body: text.body,
                tech_field: topic_field(topic, kind).map(|f| f.code().to_string()),
                chain_code: topic.chain_code().map(str::to_string),
                county_code: Some(COUNTIES[(ti + i) % COUNTIES.len()].to_string()),
                trl,
                price_k: match kind {
                    ListingKind::Expert | ListingKind::Capital => None,
                    _ if rng.random_bool(0.3) => None,
                    _ => Some(rng.random_range(10..2_000) * 10),
                },
                modes,
                deadline: (kind == ListingKind::Need)
                    .then(|| format!("2027-{:02}-28", rng.random_range(1..=12))),
                details: serde_json::to_string(&details)?,
                fund_id: None,
            };
            // About one listing every half day, from March 2024 on.
            posted += 1;
            at(first_day + posted * day_ms() / 2 + rng.random_range(0..4 * 60) * 60_000);
            let listing = market::insert(tx, ctx, kind, org, &fields).await?;
            // Most are published (an hour later); a few stay drafts for their owners to find.
            if (ti + i) % 9 != 0 {
                at(first_day + posted * day_ms() / 2 + 5 * 3_600_000);
                market::set_status(
                    tx,
                    ctx,
                    listing.id,
                    ListingStatus::Draft,
                    ListingStatus::Published,
                    None,
                )
                .await?;
                published += 1;
                open.push((listing.id, kind, org));
            }
        }
    }
    deals(tx, ctx, &mut rng, &open, &firms, l, today).await?;
    // The bureau's policies, which the seed names.
    for (title, summary, on) in [
        (
            "株洲市知识价值信用贷款风险补偿资金管理办法",
            "对合作银行向科技型中小企业发放的知识价值信用贷款，按规定比例给予风险补偿。",
            "2024-03-15",
        ),
        (
            "株洲市科技创新券实施细则",
            "企业使用中试基地、大型科学仪器和科技服务，可使用科技创新券抵扣部分费用，先用后付。",
            "2024-06-01",
        ),
        (
            "株洲市中试平台建设支持政策",
            "支持建设面向产业的中试基地和中试平台，对新认定的中试基地给予建设补助。",
            "2025-01-10",
        ),
    ] {
        let details = Details {
            issuing_body: Some("株洲市科学技术局".into()),
            issued_on: Some(on.into()),
            applies_to: Some("在株洲市注册的科技型企业、孵化载体和中试基地".into()),
            ..Details::default()
        };
        let fields = ListingFields {
            title: title.into(),
            summary: summary.into(),
            body: summary.into(),
            details: serde_json::to_string(&details)?,
            ..ListingFields::default()
        };
        // Posted on the platform a few days after it was issued.
        at(super::ms_on(on, 3 * 24 * 60 + 10 * 60));
        let listing = market::insert(tx, ctx, ListingKind::Policy, l.bureau, &fields).await?;
        market::set_status(
            tx,
            ctx,
            listing.id,
            ListingStatus::Draft,
            ListingStatus::Published,
            None,
        )
        .await?;
        published += 1;
    }
    Ok(published)
}

/// Deals at every step: some only talking, some with terms on the table, some agreed and waiting
/// for the registrar, contracts registered in 2025 and 2026 (some fulfilled, one terminated) and
/// a couple withdrawn. Enterprises ask for achievements; institutions answer needs; the demo
/// enterprise has deals of its own at each step. Each step is written at its own time: a deal
/// registered on a day was opened two to four months before, one still talking a few weeks ago.
async fn deals(
    tx: &mut Tx,
    ctx: &AuditCtx,
    rng: &mut StdRng,
    open: &[(i64, ListingKind, i64)],
    firms: &[i64],
    l: &Listers,
    today: IsoDate,
) -> anyhow::Result<()> {
    let candidates: Vec<&(i64, ListingKind, i64)> = open
        .iter()
        .filter(|(_, k, _)| matches!(k, ListingKind::Achievement | ListingKind::Need))
        .step_by(4)
        .take(30)
        .collect();
    let taken: Vec<i64> = candidates.iter().map(|c| c.0).collect();
    for (n, (listing, kind, owner)) in candidates.into_iter().enumerate() {
        let (initiator, seller, buyer) = if *kind == ListingKind::Need {
            let uni = l.institutions[n % l.institutions.len()];
            (uni, uni, *owner)
        } else {
            let firm = firms
                .iter()
                .copied()
                .find(|f| *f != *owner && (*f as usize + n).is_multiple_of(3))
                .unwrap_or(firms[0]);
            (firm, *owner, firm)
        };
        if initiator == *owner {
            continue;
        }
        let party = Party {
            listing: *listing,
            owner: *owner,
            initiator,
            seller,
            buyer,
        };
        deal(tx, ctx, rng, &party, n, n % 10, today).await?;
    }
    // The demo enterprise's own: achievements it asked about (talking, terms on the table,
    // agreed, registered and fulfilled), and an institution answering one of its needs.
    let me = l.enterprise_org;
    let asked: Vec<&(i64, ListingKind, i64)> = open
        .iter()
        .filter(|(id, k, o)| *k == ListingKind::Achievement && *o != me && !taken.contains(id))
        .skip(3)
        .step_by(7)
        .take(4)
        .collect();
    for (k, ((listing, _, owner), stage)) in asked.into_iter().zip([0, 2, 3, 4]).enumerate() {
        let party = Party {
            listing: *listing,
            owner: *owner,
            initiator: me,
            seller: *owner,
            buyer: me,
        };
        deal(tx, ctx, rng, &party, 40 + k, stage, today).await?;
    }
    if let Some((listing, _, _)) = open
        .iter()
        .find(|(id, k, o)| *k == ListingKind::Need && *o == me && !taken.contains(id))
    {
        let uni = l.institutions[0];
        let party = Party {
            listing: *listing,
            owner: me,
            initiator: uni,
            seller: uni,
            buyer: me,
        };
        deal(tx, ctx, rng, &party, 50, 2, today).await?;
    }
    Ok(())
}

struct Party {
    listing: i64,
    owner: i64,
    initiator: i64,
    seller: i64,
    buyer: i64,
}

/// One deal taken to `stage`: 0–1 talking, 2 terms on the table, 3 agreed, 4–8 registered
/// (4 fulfilled, 8 terminated), 9 withdrawn.
async fn deal(
    tx: &mut Tx,
    ctx: &AuditCtx,
    rng: &mut StdRng,
    p: &Party,
    n: usize,
    stage: usize,
    today: IsoDate,
) -> anyhow::Result<()> {
    use fruition_domain::deal::{ContractOutcome, ContractType, DealStatus, Terms};
    use fruition_store::deals::{self, NewDeal, Registration};

    let day = day_ms();
    let today_ms = super::ms_on(&today.to_string(), 0);
    // When the contract is registered (stages 4–8), and so when the talking began.
    let year: i64 = if stage < 6 { 2025 } else { 2026 };
    let month = 2 + (n % 9) as u8;
    let registered_on = if year == 2026 {
        format!("2026-{:02}-15", month.min(10))
    } else {
        format!("2025-{month:02}-15")
    };
    let opened = match stage {
        4..=8 => super::ms_on(&registered_on, 10 * 60) - rng.random_range(60..120) * day,
        9 => today_ms - rng.random_range(90..150) * day,
        _ => today_ms - rng.random_range(20..60) * day,
    };
    at(opened);
    let (deal, _) = deals::open(
        tx,
        ctx,
        &NewDeal {
            listing_id: p.listing,
            owner_org_id: p.owner,
            initiator_org_id: p.initiator,
            seller_org_id: p.seller,
            buyer_org_id: p.buyer,
        },
        "您好，我们对这项信息很感兴趣，希望进一步了解技术细节和合作方式。",
    )
    .await?;
    at(opened + day + 2 * 3_600_000);
    deals::add_message(
        tx,
        ctx,
        deal.id,
        p.owner,
        "欢迎洽谈，可先安排技术交流，再商定合同条款。",
    )
    .await?;
    if stage < 2 {
        return Ok(()); // talking
    }
    if stage == 9 {
        at(opened + 20 * day);
        deals::set_status(
            tx,
            ctx,
            deal.id,
            DealStatus::Negotiating,
            DealStatus::Withdrawn,
            Some("双方未能就价格达成一致"),
            false,
        )
        .await?;
        return Ok(());
    }
    let amount = rng.random_range(20..300) * 10;
    let terms = Terms {
        contract_type: [
            ContractType::Licence,
            ContractType::Transfer,
            ContractType::Development,
            ContractType::Service,
        ][n % 4],
        contract_amount_k: amount,
        tech_amount_k: amount * 8 / 10,
        starts_on: IsoDate::new(year as u16, 3, 1).unwrap_or(IsoDate::end_of_year(year as u16)),
        ends_on: IsoDate::end_of_year(year as u16 + 1),
    };
    at(opened + 10 * day);
    let (_, t) = deals::propose(tx, ctx, deal.id, p.seller, &terms).await?;
    if stage == 2 {
        return Ok(()); // terms on the table
    }
    at(opened + 16 * day);
    deals::accept(tx, ctx, deal.id, t.id).await?;
    if stage == 3 {
        return Ok(()); // agreed, waiting for the registrar
    }
    at(super::ms_on(&registered_on, 10 * 60));
    deals::register(
        tx,
        ctx,
        deal.id,
        &Registration {
            city_code: "430200".into(),
            registered_on: registered_on.clone(),
            year,
            terms_id: Some(t.id),
        },
    )
    .await?;
    let outcome_on = format!("{year}-11-20");
    at(super::ms_on(&outcome_on, 15 * 60));
    match stage {
        4 => {
            deals::record_outcome(
                tx,
                ctx,
                deal.id,
                ContractOutcome::Fulfilled,
                &outcome_on,
                None,
            )
            .await?;
        }
        8 => {
            deals::record_outcome(
                tx,
                ctx,
                deal.id,
                ContractOutcome::Terminated,
                &outcome_on,
                Some("中试验证未达到合同约定指标，双方协商终止"),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// A valid code for a demo firm (a synthetic organisation code; checked like any other).
pub fn demo_uscc(n: u64) -> String {
    let body = format!("914302119{:08}", 90_000_000 + n);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A topic's technical field: its chain's default field, else the field of what it is about
/// (environmental protection, agriculture, light industry's machinery); a kind that must name
/// a field and has none of those counts as urban construction and social development (finance,
/// incubation services).
fn topic_field(topic: &fruition_search::vocabulary::Topic, kind: ListingKind) -> Option<TechField> {
    topic
        .chain_code()
        .and_then(TechField::of_chain)
        .or(match topic.chain {
            "env" => Some(TechField::Environment),
            "agri" => Some(TechField::Agriculture),
            "light" | "mach" => Some(TechField::AdvancedManufacturing),
            _ => None,
        })
        .or(kind
            .needs_tech_field()
            .then_some(TechField::UrbanDevelopment))
}
