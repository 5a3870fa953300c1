//! The demo's living market: a few hundred listings of every kind, from the seed's universities
//! (by name) and plainly synthetic demo firms, written from the vocabulary of Zhuzhou's
//! industries (`fruition_search::Vocabulary`). Reproducible: the same seed gives the same market.

use fruition_domain::market::{Details, ListingKind, ListingStatus};
use fruition_domain::org::OrgKind;
use fruition_search::Vocabulary;
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::market::{self, ListingFields};
use fruition_store::organisations::{self, OrgProfile};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

const SEED: u64 = 4302_2025;

/// The organisations that list: the bureau, the universities, the carrier operators, the
/// investors and the bank, and the demo's firms.
pub struct Listers {
    pub bureau: i64,
    pub institutions: Vec<i64>,
    pub operators: Vec<i64>,
    pub financiers: Vec<i64>,
    pub enterprise_org: i64,
    /// Firms the seed names (the spin-off parents), by their real names.
    pub named_firms: Vec<i64>,
}

const COUNTIES: [&str; 5] = ["430211", "430202", "430203", "430204", "430281"];

/// Writes the market; returns how many listings were published.
pub async fn write(tx: &mut Tx, ctx: &AuditCtx, l: &Listers) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let vocabulary = Vocabulary::builtin();
    let (topics, general, function) = (
        &vocabulary.topics,
        &vocabulary.general,
        &vocabulary.function,
    );
    // Plainly synthetic firms that post needs and achievements, one per chain they work in.
    let mut firms = l.named_firms.clone();
    firms.push(l.enterprise_org);
    for (i, name) in [
        "演示轨道装备科技有限公司",
        "演示新材料科技有限公司",
        "演示航空部件有限公司",
        "演示新能源科技有限公司",
        "演示医疗器械有限公司",
        "演示电子信息技术有限公司",
        "演示智能制造有限公司",
        "演示数字科技有限公司",
    ]
    .iter()
    .enumerate()
    {
        let profile = OrgProfile {
            name: (*name).into(),
            uscc: Some(demo_uscc(i as u64)),
            ..OrgProfile::default()
        };
        firms.push(
            organisations::insert(tx, ctx, OrgKind::Enterprise, &profile)
                .await?
                .id,
        );
    }
    let pick = |rng: &mut StdRng, words: &[&str]| -> String {
        words.choose(rng).map(|w| w.to_string()).unwrap_or_default()
    };
    let mut published = 0;
    // (listing, kind, owner) of what is published, for the deals.
    let mut open: Vec<(i64, ListingKind, i64)> = Vec::new();
    for (ti, topic) in topics.iter().enumerate() {
        let w = |rng: &mut StdRng| pick(rng, &topic.words);
        let g = |rng: &mut StdRng| pick(rng, general);
        let f = |rng: &mut StdRng| pick(rng, function);
        let sentence = |rng: &mut StdRng| {
            format!(
                "{}{}{}{}{}，{}{}{}。",
                f(rng),
                w(rng),
                g(rng),
                f(rng),
                w(rng),
                g(rng),
                w(rng),
                g(rng)
            )
        };
        let paragraph =
            |rng: &mut StdRng, n: usize| (0..n).map(|_| sentence(rng)).collect::<String>();
        let firm = firms[ti % firms.len()];
        let institution = l.institutions[ti % l.institutions.len()];
        // (kind, owner, title)
        let mut plan: Vec<(ListingKind, i64, String)> = vec![
            (
                ListingKind::Achievement,
                institution,
                format!("{}{}关键技术", w(&mut rng), w(&mut rng)),
            ),
            (
                ListingKind::Achievement,
                firm,
                format!("{}{}成套技术", w(&mut rng), w(&mut rng)),
            ),
            (
                ListingKind::Achievement,
                institution,
                format!("基于{}的{}", w(&mut rng), w(&mut rng)),
            ),
            (
                ListingKind::Need,
                firm,
                format!("寻求{}{}解决方案", w(&mut rng), w(&mut rng)),
            ),
            (
                ListingKind::Need,
                firms[(ti + 3) % firms.len()],
                format!("{}{}技术攻关需求", w(&mut rng), g(&mut rng)),
            ),
        ];
        match ti % 4 {
            0 => plan.push((
                ListingKind::Instrument,
                l.operators[ti % l.operators.len()],
                format!("{}中试线（{}）", topic.name, w(&mut rng)),
            )),
            1 => plan.push((
                ListingKind::Expert,
                institution,
                format!("{}方向专家（演示）", topic.name),
            )),
            2 => plan.push((
                ListingKind::Service,
                l.operators[ti % l.operators.len()],
                format!("{}检测与技术服务", topic.name),
            )),
            _ => plan.push((
                ListingKind::Capital,
                l.financiers[ti % l.financiers.len()],
                format!("{}领域早期项目投资", topic.name),
            )),
        }
        for (i, (kind, org, title)) in plan.into_iter().enumerate() {
            let trl = match kind {
                ListingKind::Achievement => Some(rng.random_range(4..=9)),
                ListingKind::Need => Some(rng.random_range(5..=8)),
                _ => None,
            };
            let mut details = Details::default();
            let modes = match kind {
                ListingKind::Achievement => {
                    details.inventors = vec!["（演示）张教授".into(), "（演示）李博士".into()];
                    ["licence", "transfer", "joint_development", "pay_after_use"]
                        [rng.random_range(0..4)]
                    .to_string()
                }
                ListingKind::Need => {
                    details.indicators = Some(paragraph(&mut rng, 1));
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
                ListingKind::Capital => {
                    details.preferences = Some(format!(
                        "偏好{}领域天使轮至A轮项目，单笔投资500万元至3000万元。",
                        topic.name
                    ));
                    String::new()
                }
                ListingKind::Policy => String::new(),
            };
            let fields = ListingFields {
                title: title.chars().take(100).collect(),
                summary: paragraph(&mut rng, 2).chars().take(500).collect(),
                body: paragraph(&mut rng, 6),
                chain_code: topic.chain_code().map(str::to_string),
                county_code: Some(COUNTIES[(ti + i) % COUNTIES.len()].to_string()),
                trl,
                price_k: match kind {
                    ListingKind::Expert => None,
                    _ if rng.random_bool(0.3) => None,
                    _ => Some(rng.random_range(10..2_000) * 10),
                },
                modes,
                deadline: (kind == ListingKind::Need)
                    .then(|| format!("2027-{:02}-28", rng.random_range(1..=12))),
                details: serde_json::to_string(&details)?,
                fund_id: None,
            };
            let listing = market::insert(tx, ctx, kind, org, &fields).await?;
            // Most are published; a few stay drafts for their owners to find.
            if (ti + i) % 9 != 0 {
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
    deals(tx, ctx, &mut rng, &open, &firms, &l.institutions).await?;
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
/// a couple withdrawn. Enterprises ask for achievements; universities answer needs.
async fn deals(
    tx: &mut Tx,
    ctx: &AuditCtx,
    rng: &mut StdRng,
    open: &[(i64, ListingKind, i64)],
    firms: &[i64],
    institutions: &[i64],
) -> anyhow::Result<()> {
    use fruition_domain::date::IsoDate;
    use fruition_domain::deal::{ContractOutcome, ContractType, DealStatus, Terms};
    use fruition_store::deals::{self, NewDeal, Registration};

    let candidates: Vec<&(i64, ListingKind, i64)> = open
        .iter()
        .filter(|(_, k, _)| matches!(k, ListingKind::Achievement | ListingKind::Need))
        .step_by(4)
        .take(30)
        .collect();
    for (n, (listing, kind, owner)) in candidates.into_iter().enumerate() {
        let (initiator, seller, buyer) = if *kind == ListingKind::Need {
            let uni = institutions[n % institutions.len()];
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
        let (deal, _) = deals::open(
            tx,
            ctx,
            &NewDeal {
                listing_id: *listing,
                owner_org_id: *owner,
                initiator_org_id: initiator,
                seller_org_id: seller,
                buyer_org_id: buyer,
            },
            "您好，我们对这项信息很感兴趣，希望进一步了解技术细节和合作方式。（演示）",
        )
        .await?;
        deals::add_message(
            tx,
            ctx,
            deal.id,
            *owner,
            "欢迎洽谈，可先安排技术交流，再商定合同条款。（演示）",
        )
        .await?;
        let stage = n % 10;
        if stage < 2 {
            continue; // talking
        }
        if stage == 9 {
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
            continue;
        }
        let amount = rng.random_range(20..300) * 10;
        let year = if stage < 6 { 2025 } else { 2026 };
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
        let (_, t) = deals::propose(tx, ctx, deal.id, seller, &terms).await?;
        if stage == 2 {
            continue; // terms on the table
        }
        deals::accept(tx, ctx, deal.id, t.id).await?;
        if stage == 3 {
            continue; // agreed, waiting for the registrar
        }
        let month = 2 + (n % 9) as u8;
        let registered_on = if year == 2026 {
            format!("2026-{:02}-15", month.min(10))
        } else {
            format!("2025-{month:02}-15")
        };
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
        match stage {
            4 => {
                deals::record_outcome(
                    tx,
                    ctx,
                    deal.id,
                    ContractOutcome::Fulfilled,
                    &format!("{year}-11-20"),
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
                    &format!("{year}-11-20"),
                    Some("中试验证未达到合同约定指标，双方协商终止"),
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A valid code for a demo firm (a synthetic organisation code; checked like any other).
fn demo_uscc(n: u64) -> String {
    let body = format!("914302119{:08}", 90_000_000 + n);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}
