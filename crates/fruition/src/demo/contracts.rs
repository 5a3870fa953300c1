//! Demo technology contracts concluded outside the market (技术合同认定登记), registered from 2022
//! to 2026 in the same register as the market's deals: every type with real subject lines,
//! fictional parties (marked 演示), some of them outside Zhuzhou with the codes of other provinces'
//! divisions; a few submissions still await the office, and one was returned with a reason.
//! Synthetic data: the parties are not real organisations.

use fruition_domain::contract::{ContractSource, SubmissionStatus};
use fruition_domain::deal::ContractType;
use fruition_domain::tech_field::TechField;
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::contracts::{self as store, Content, File};
use fruition_store::deals::{self, NewContract};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SEED: u64 = 4_302_002_022;
const DAY_MS: i64 = 86_400_000;

/// A one-page PDF standing for a signed contract's scan.
const SIGNED_PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Subject lines by type, as contracts are named.
const SUBJECTS: [(ContractType, &[&str]); 5] = [
    (
        ContractType::Development,
        &[
            "轨道交通车辆牵引变流器碳化硅功率模块联合开发",
            "风电变桨系统永磁同步电机控制算法开发",
            "高性能硬质合金数控刀片涂层工艺开发",
            "氮化硅陶瓷轴承球批量成型工艺研究开发",
            "中小型航空发动机燃油泵试验台测控系统开发",
            "锂电池正极材料连续烧结窑炉节能改造技术开发",
            "医用内窥镜图像增强算法及软件开发",
        ],
    ),
    (
        ContractType::Transfer,
        &[
            "一种轨道车辆用减振橡胶件及其制备方法专利权转让",
            "高导热电子封装陶瓷基板制备技术转让",
            "废旧硬质合金回收再生工艺技术转让",
            "电瓷绝缘子釉料配方及烧成技术转让",
            "工业机器人关节减速器齿形修形技术转让",
        ],
    ),
    (
        ContractType::Licence,
        &[
            "轨道交通列车网络控制系统软件著作权许可使用",
            "新能源汽车电机控制器热管理专利实施许可",
            "微波介质陶瓷滤波器设计专利普通实施许可",
            "智能电网故障录波分析软件许可使用",
            "医用高分子导管表面改性专利独占实施许可",
        ],
    ),
    (
        ContractType::Consulting,
        &[
            "株洲动力谷产业园区数字化转型规划技术咨询",
            "陶瓷窑炉超低排放改造可行性论证技术咨询",
            "通用航空产业链招商技术路线研究咨询",
            "企业研发费用归集与高新技术企业认定技术咨询",
            "轨道交通装备出口认证技术咨询",
        ],
    ),
    (
        ContractType::Service,
        &[
            "牵引电机绝缘系统加速老化试验技术服务",
            "硬质合金产品金相检测与失效分析技术服务",
            "电子元器件可靠性筛选试验技术服务",
            "工业软件等级保护测评技术服务",
            "航空零部件无损检测技术服务",
            "新材料中试线工艺参数优化技术服务",
        ],
    ),
];

/// Fields by type, in the order of the subject lines above.
const FIELDS: [&[&str]; 5] = [
    &[
        "rail_transit",
        "new_energy",
        "cemented_carbide",
        "ceramics",
        "aviation",
        "new_energy",
        "medical_devices",
    ],
    &[
        "rail_transit",
        "electronic_information",
        "cemented_carbide",
        "ceramics",
        "advanced_manufacturing",
    ],
    &[
        "information_technology",
        "new_energy",
        "electronic_information",
        "information_technology",
        "medical_devices",
    ],
    &[
        "information_technology",
        "ceramics",
        "aviation",
        "advanced_manufacturing",
        "rail_transit",
    ],
    &[
        "rail_transit",
        "cemented_carbide",
        "electronic_information",
        "information_technology",
        "aviation",
        "new_materials",
    ],
];

/// Fictional parties in the city's counties (division, name).
const LOCAL: [(&str, &str); 10] = [
    ("430211", "株洲启明轨道电气技术有限公司（演示）"),
    ("430211", "株洲湘芯半导体材料研究院有限公司（演示）"),
    ("430204", "株洲石峰精工机械有限公司（演示）"),
    ("430203", "株洲荷塘先进陶瓷科技有限公司（演示）"),
    ("430202", "株洲芦淞航空零部件有限公司（演示）"),
    ("430281", "醴陵瓷谷电瓷电器有限公司（演示）"),
    ("430211", "株洲天元检测认证技术服务有限公司（演示）"),
    ("430223", "攸县新能源储能科技有限公司（演示）"),
    ("430211", "株洲高新区工业软件研究院（演示）"),
    ("430204", "株洲金钻硬质合金刀具有限公司（演示）"),
];

/// Fictional parties outside the city, with the divisions of their registration.
const OUTSIDE: [(&str, &str); 7] = [
    ("430100", "长沙岳麓智能装备研究院有限公司（演示）"),
    ("440300", "深圳南山新能源电控有限公司（演示）"),
    ("320500", "苏州工业园区精密制造有限公司（演示）"),
    ("110108", "北京海淀轨道交通信息技术有限公司（演示）"),
    ("310115", "上海浦东医疗器械科技有限公司（演示）"),
    ("420100", "武汉光谷电子信息有限公司（演示）"),
    ("510100", "成都天府航空动力科技有限公司（演示）"),
];

fn uscc(division: &str, n: usize) -> String {
    let first17 = format!("91{division}MA7{:06}", 31_000 + n);
    let c = fruition_domain::uscc::check_char(&first17).unwrap_or('0');
    format!("{first17}{c}")
}

/// The party list: local first (index < 10), then outside.
fn party(i: usize) -> (String, String, String) {
    if i < LOCAL.len() {
        let (d, n) = LOCAL[i];
        (n.to_string(), uscc(d, i), d.to_string())
    } else {
        let (d, n) = OUTSIDE[(i - LOCAL.len()) % OUTSIDE.len()];
        (n.to_string(), uscc(d, i), d.to_string())
    }
}

/// The demo enterprise, which submits some contracts itself (its login sees them).
pub struct Firm {
    pub org_id: i64,
    pub name: String,
    pub uscc: String,
}

/// Writes the submissions and registrations; returns how many were registered.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    bureau: i64,
    firm: &Firm,
    now: i64,
) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let today = fruition_app::clock::today();
    let mut registered = 0;
    let mut k = 0usize;
    // (year, how many registered that year)
    for (year, count) in [(2022, 6), (2023, 7), (2024, 8), (2025, 9), (2026, 8)] {
        for j in 0..count {
            k += 1;
            let (t, subjects) = SUBJECTS[k % 5];
            let s = (k / 5) % subjects.len();
            let title = format!("{}合同", subjects[s]);
            let chain = FIELDS[k % 5][s];
            // A seller and a buyer: one in three deals with a party outside the city.
            let seller_i = (k * 7) % LOCAL.len();
            let buyer_i = if k.is_multiple_of(3) {
                LOCAL.len() + k % OUTSIDE.len()
            } else {
                (seller_i + 1 + k % 5) % LOCAL.len()
            };
            let (mut seller, mut buyer) = (party(seller_i), party(buyer_i));
            if k % 6 == 1 {
                // The outside party sells to a local one.
                std::mem::swap(&mut seller, &mut buyer);
            }
            // The demo enterprise is a party to a few (as the buyer), so its login sees them.
            let by_firm = k % 8 == 2;
            if by_firm {
                buyer = (firm.name.clone(), firm.uscc.clone(), String::new());
            }
            let wan: i64 = match t {
                ContractType::Development => rng.random_range(50..480),
                ContractType::Transfer => rng.random_range(30..300),
                ContractType::Licence => rng.random_range(20..200),
                ContractType::Consulting => rng.random_range(5..45),
                ContractType::Service => rng.random_range(8..90),
            };
            let contract_fen = wan * 1_000_000 + rng.random_range(0..10) * 100_000;
            let share = match t {
                ContractType::Consulting | ContractType::Service => 100,
                _ => rng.random_range(70..=95),
            };
            let tech_fen = contract_fen / 100 * share;
            let month = 1 + (j * 12 / count) as u32;
            let signed_on = format!("{year}-{month:02}-{:02}", 3 + (k % 20));
            let registered_on = format!("{year}-{month:02}-{:02}", 8 + (k % 20));
            // This year's last ones wait for the office (and never a day in the future).
            let waiting = year == 2026 && j >= count - 3;
            if !waiting && registered_on > today {
                continue;
            }
            let content = Content {
                contract_type: t,
                title,
                seller_name: seller.0.clone(),
                seller_uscc: seller.1.clone(),
                seller_org_id: None,
                buyer_name: buyer.0.clone(),
                buyer_uscc: buyer.1.clone(),
                buyer_org_id: by_firm.then_some(firm.org_id),
                contract_amount_fen: contract_fen,
                tech_amount_fen: tech_fen,
                tech_field: TechField::of_chain(chain)
                    .unwrap_or(TechField::AdvancedManufacturing)
                    .code()
                    .to_string(),
                chain_code: Some(chain.to_string()),
                signed_on: signed_on.clone(),
                starts_on: signed_on.clone(),
                ends_on: format!("{}-{month:02}-{:02}", year + 1, 2 + (k % 20)),
            };
            let file = File {
                name: format!("技术合同{year}-{k:03}.pdf"),
                kind: "pdf".into(),
                bytes: SIGNED_PDF.to_vec(),
            };
            let submitter = if by_firm { firm.org_id } else { bureau };
            let submitted_at = if waiting {
                now - (count - j) as i64 * 2 * DAY_MS
            } else {
                registered_at_ms(&registered_on) - 5 * DAY_MS
            };
            let sub = store::create(tx, ctx, submitter, &content, &file, submitted_at).await?;
            if waiting {
                if j == count - 1 {
                    store::decide(
                        tx,
                        ctx,
                        sub.id,
                        SubmissionStatus::Submitted,
                        SubmissionStatus::Returned,
                        Some(
                            "合同文本缺少买方盖章页，技术交易额与价款条款不一致，请补正后重新提交",
                        ),
                    )
                    .await?;
                }
                continue;
            }
            let s = store::decide(
                tx,
                ctx,
                sub.id,
                SubmissionStatus::Submitted,
                SubmissionStatus::Recognised,
                None,
            )
            .await?;
            deals::enter(
                tx,
                ctx,
                &NewContract {
                    source: ContractSource::Submitted,
                    deal_id: None,
                    submission_id: Some(s.id),
                    city_code: "430200".into(),
                    registered_on: registered_on.clone(),
                    year,
                    contract_type: s.contract_type,
                    seller_org_id: s.seller_org_id,
                    seller_name: s.seller_name.clone(),
                    seller_uscc: Some(s.seller_uscc.clone()),
                    buyer_org_id: s.buyer_org_id,
                    buyer_name: s.buyer_name.clone(),
                    buyer_uscc: Some(s.buyer_uscc.clone()),
                    contract_amount_fen: s.contract_amount_fen,
                    tech_amount_fen: s.tech_amount_fen,
                    starts_on: s.starts_on.clone(),
                    ends_on: s.ends_on.clone(),
                    tech_field: s.tech_field.clone(),
                    chain_code: s.chain_code.clone(),
                    registration_no: None,
                },
            )
            .await?;
            registered += 1;
        }
    }
    Ok(registered)
}

/// Noon in China on an ISO day, as epoch ms (days before 1970 are not used here).
fn registered_at_ms(day: &str) -> i64 {
    fruition_domain::date::IsoDate::parse(day)
        .map(|d| d.days_since_epoch() * DAY_MS + 4 * 3_600_000)
        .unwrap_or(0)
}
