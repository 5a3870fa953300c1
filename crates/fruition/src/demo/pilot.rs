//! The demo's pilot lines and shared instruments: the pilot bases' lines, the universities'
//! instruments and the demo operator's own, with a year of bookings — used and billed after use,
//! paid (some in part with innovation vouchers, some late, a few overdue now), cancelled and
//! declined ones, and requests still to come — the vouchers the bureau issued, and the
//! reimbursement claims of the owners, paid or waiting. Reproducible: the same seed gives the
//! same year, counted back from the day it is loaded.

use fruition_domain::billing::BillKind;
use fruition_domain::date::IsoDate;
use fruition_domain::pilot::{self, BookingStatus, ResourceInput, ResourceSpec, Unit};
use fruition_domain::voucher::{ClaimStatus, VoucherTerms};
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::billing::{self, NewBill, NewPayment};
use fruition_store::pilot::{self as store, NewBooking};
use fruition_store::vouchers::{self, Spend};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{at as write_at, day_ms, ms_on};

const SEED: u64 = 4_302_202_605;

/// Who offers and who books.
pub struct Parties {
    /// Pilot-base carriers with their operators: (carrier, operator organisation).
    pub pilot_bases: Vec<(i64, i64)>,
    /// The demo carrier manager's organisation, and the carrier incubating the demo enterprise.
    pub demo_operator: i64,
    pub demo_carrier: Option<i64>,
    pub institutions: Vec<i64>,
    /// Enterprises that book: the demo enterprise first, then some of the market's fictional firms.
    pub bookers: Vec<i64>,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub resources: usize,
    pub bookings: usize,
    pub bills: usize,
    pub vouchers: usize,
    pub claims: usize,
}

/// (kind, name, capabilities, unit, batch hours, price 元, safety notes).
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

const BASE_LINES: &[Line] = &[
    (
        "pilot_line",
        "碳化硅功率模块封装中试线",
        "双面银烧结、真空回流焊与塑封，月产能 2000 只；可做 1200V/600A 模块小批量试制。",
        "hour",
        1,
        "800",
        "进入洁净区须穿戴防静电服，操作人员须经基地培训并持上岗证。",
    ),
    (
        "pilot_line",
        "硬质合金涂层中试炉",
        "PVD/CVD 涂层，单炉 3000 片数控刀片；提供涂层厚度与结合力检测。",
        "batch",
        8,
        "5000",
        "高温高压设备，须由基地工程师操作，用户不得自行开炉。",
    ),
    (
        "testing",
        "轨道交通牵引电机型式试验台",
        "1.5 MW 对拖试验，温升、效率与振动噪声测试，出具 CMA 检测报告。",
        "day",
        1,
        "12000",
        "试验期间须有用户方技术人员在场，遵守高压电气安全规程。",
    ),
    (
        "pilot_line",
        "陶瓷电容流延成型中试线",
        "流延、叠层、烧结一体化中试，适合 MLCC 与 LTCC 新配方验证。",
        "day",
        1,
        "6000",
        "使用有机溶剂，须通过危化品安全培训。",
    ),
    (
        "pilot_line",
        "航空发动机叶片修复中试线",
        "激光熔覆与精密磨削修复，配三坐标测量。",
        "hour",
        1,
        "1500",
        "激光作业区须佩戴防护眼镜，操作人员须持特种作业证。",
    ),
    (
        "testing",
        "新能源汽车电池包安全测试舱",
        "针刺、挤压、热失控与盐雾测试，适用 60 kWh 以下电池包。",
        "day",
        1,
        "9000",
        "测试前须提交电池包安全数据表，测试时人员不得进入舱内。",
    ),
    (
        "pilot_line",
        "IGBT模块动态参数测试与老化线",
        "动态开关参数、短路耐受与高温反偏老化，最大测试电流 3600A。",
        "day",
        1,
        "7000",
        "高压测试区须两人以上在场，非授权人员不得进入。",
    ),
    (
        "pilot_line",
        "粉末冶金闸片压制烧结中试线",
        "混料、压制、加压烧结与机加工一体，适合新配方闸片小批量试制。",
        "batch",
        8,
        "4500",
        "烧结炉运行期间禁止打开炉门，粉尘区须佩戴防尘口罩。",
    ),
    (
        "testing",
        "永磁同步电机温升与效率测试台",
        "额定功率 500 kW 以下电机的温升、效率与转矩脉动测试。",
        "day",
        1,
        "8000",
        "旋转部件周边须设防护罩，试验时人员须在控制室操作。",
    ),
    (
        "pilot_line",
        "钛合金激光增材制造中试线",
        "选区激光熔化与热等静压后处理，成形尺寸 400×400×500 mm。",
        "hour",
        1,
        "1200",
        "金属粉末须按防爆要求存放，操作时须佩戴防护面罩。",
    ),
    (
        "pilot_line",
        "锂电正极材料烧结中试线",
        "辊道窑连续烧结，年产能 50 吨，可做高镍与磷酸锰铁锂配方验证。",
        "batch",
        8,
        "6500",
        "高温区域须佩戴隔热手套，原料粉体须密闭转运。",
    ),
    (
        "testing",
        "列车网络控制系统联调试验台",
        "多功能车辆总线与以太网列车骨干网联调，支持半实物仿真。",
        "day",
        1,
        "5000",
        "试验台接入用户设备前须提交接口说明与安全评估。",
    ),
    (
        "pilot_line",
        "电子陶瓷低温共烧中试线",
        "LTCC 生瓷带叠压、共烧与金属化，适合微波组件基板试制。",
        "day",
        1,
        "5500",
        "使用有机溶剂，须通过危化品安全培训。",
    ),
    (
        "pilot_line",
        "硬质合金棒材挤压中试线",
        "挤压成形、脱蜡与低压烧结，适合小直径棒材新牌号验证。",
        "batch",
        8,
        "4800",
        "烧结设备须由基地工程师操作，用户不得自行开炉。",
    ),
    (
        "testing",
        "医疗器械生物相容性预评价实验室",
        "细胞毒性、致敏与刺激预试验，出具预评价报告。",
        "day",
        1,
        "3000",
        "进入实验室须更换洁净服，样品须附材料成分说明。",
    ),
    (
        "pilot_line",
        "氢燃料电池电堆组装测试线",
        "膜电极组装、电堆压装与 100 kW 以下电堆性能测试。",
        "day",
        1,
        "9500",
        "氢气区域严禁明火，须佩戴便携式氢气检测仪。",
    ),
    (
        "testing",
        "航空零部件无损检测中心",
        "工业 CT、超声相控阵与荧光渗透检测，适合叶片与锻件。",
        "hour",
        1,
        "1100",
        "射线检测期间须撤离辐射控制区，遵守辐射安全规定。",
    ),
    (
        "pilot_line",
        "工业机器人集成验证线",
        "六轴机器人、视觉定位与柔性夹具集成验证，支持产线节拍仿真。",
        "hour",
        1,
        "700",
        "机器人运行时人员不得进入安全围栏内。",
    ),
];

const INSTRUMENTS: &[Line] = &[
    (
        "instrument",
        "场发射扫描电子显微镜",
        "分辨率 0.8 nm，配能谱仪，可做断口与涂层截面分析。",
        "hour",
        1,
        "600",
        "首次使用须参加仪器培训；样品须干燥、无磁性。",
    ),
    (
        "instrument",
        "X 射线衍射仪",
        "物相定性定量、残余应力与织构分析。",
        "hour",
        1,
        "400",
        "辐射设备，须遵守辐射安全规定，不得擅自打开防护门。",
    ),
    (
        "instrument",
        "电感耦合等离子体质谱仪",
        "痕量元素分析，检出限 ppt 级。",
        "hour",
        1,
        "900",
        "须由仪器管理员操作；强酸样品须提前申报。",
    ),
    (
        "instrument",
        "透射电子显微镜",
        "点分辨率 0.19 nm，可做晶体结构、界面与纳米析出相分析。",
        "hour",
        1,
        "1500",
        "须由仪器管理员操作；样品制备须提前预约。",
    ),
    (
        "instrument",
        "同步热分析仪",
        "室温至 1500℃ 热重与差示扫描量热同步分析。",
        "hour",
        1,
        "300",
        "高温测试结束须待炉体冷却后取样。",
    ),
    (
        "instrument",
        "液相色谱-质谱联用仪",
        "药物杂质与代谢物定性定量分析。",
        "hour",
        1,
        "800",
        "流动相须为色谱纯，生物样品须灭活后送检。",
    ),
];

fn spec(l: &Line, discount: Option<(i64, i64)>, prepay: bool) -> anyhow::Result<ResourceSpec> {
    let (kind, name, capabilities, unit, batch_hours, price, notes) = *l;
    let workdays = unit == "hour";
    ResourceSpec::parse(&ResourceInput {
        kind: kind.into(),
        name: name.into(),
        capabilities: capabilities.into(),
        place: if kind == "instrument" {
            "校本部分析测试中心".into()
        } else {
            "株洲高新区中试基地".into()
        },
        unit: unit.into(),
        batch_hours: Some(batch_hours),
        price: price.into(),
        incubatee_discount_pct: discount.map(|(_, pct)| pct),
        discount_carrier_id: discount.map(|(c, _)| c),
        open_days: if workdays {
            vec![1, 2, 3, 4, 5]
        } else {
            Vec::new()
        },
        open_from: Some(if workdays { 8 } else { 0 }),
        open_to: Some(if workdays { 18 } else { 24 }),
        cancel_hours: Some(24),
        horizon_days: None,
        safety_notes: notes.into(),
        prepay_if_overdue: prepay,
        listing_id: None,
    })
    .map_err(|e| anyhow::anyhow!("a demo resource is invalid: {e:?}"))
}

/// Writes the resources, a year of their use, vouchers and claims.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    p: &Parties,
    today: IsoDate,
) -> anyhow::Result<Written> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut w = Written::default();

    // The resources and their owners.
    let mut resources: Vec<store::Resource> = Vec::new();
    let demo_discount = p.demo_carrier.map(|c| (c, 20));
    // Each line and instrument has one owner: the demo operator the first two lines, every
    // other pilot base's operator two more, each institution two instruments.
    let created = ms_on(&today.plus_days(-360).to_string(), 9 * 60);
    write_at(created);
    for (i, l) in BASE_LINES.iter().take(2).enumerate() {
        let s = spec(l, demo_discount, i == 0)?;
        resources.push(store::create(tx, ctx, p.demo_operator, &s).await?);
    }
    let mut seen = vec![p.demo_operator];
    for (n, (carrier, operator)) in p.pilot_bases.iter().enumerate() {
        if seen.contains(operator) {
            continue;
        }
        seen.push(*operator);
        for k in 0..2 {
            let i = 2 + (seen.len() - 2) * 2 + k;
            let mut s = spec(
                &BASE_LINES[i % BASE_LINES.len()],
                Some((*carrier, 15)),
                false,
            )?;
            if i >= BASE_LINES.len() {
                s.name = format!("{}（{}号线）", s.name, i / BASE_LINES.len() + 1);
            }
            let _ = n;
            resources.push(store::create(tx, ctx, *operator, &s).await?);
        }
    }
    for (n, inst) in p.institutions.iter().enumerate() {
        for k in 0..2 {
            let i = n * 2 + k;
            let mut s = spec(&INSTRUMENTS[i % INSTRUMENTS.len()], None, false)?;
            if i >= INSTRUMENTS.len() {
                s.name = format!("{}（{}号机）", s.name, i / INSTRUMENTS.len() + 1);
            }
            resources.push(store::create(tx, ctx, *inst, &s).await?);
        }
    }
    w.resources = resources.len();

    // Vouchers: every booking enterprise got one about ten months ago, the demo enterprise a
    // second this month.
    let mut held: Vec<(i64, vouchers::Voucher)> = Vec::new();
    for (i, org) in p.bookers.iter().enumerate() {
        let issued = today.plus_days(-300);
        write_at(ms_on(&issued.to_string(), 9 * 60));
        let terms = VoucherTerms {
            org_id: *org,
            face_fen: if i == 0 { 3_000_000 } else { 2_000_000 },
            valid_from: issued,
            valid_to: issued.plus_days(365),
            share_pct: 50,
            yearly_cap_fen: 5_000_000,
            kinds: fruition_domain::billing::BillSubject::ALL.to_vec(),
        };
        held.push((*org, vouchers::issue(tx, ctx, &terms, issued).await?));
        w.vouchers += 1;
    }

    // A year of bookings, resource by resource, each after the last.
    let first = pilot::slot_of_date(today.plus_days(-330));
    let last = pilot::slot_of_date(today.plus_days(30));
    let now = pilot::slot_of_date(today);
    let mut claims_due: Vec<i64> = Vec::new();
    for r in &resources {
        let rules = r.rules();
        let mut at = first + rng.random_range(0..72);
        while at < last {
            // The next open start for the unit.
            let units = match r.unit {
                Unit::Hour => rng.random_range(2..=6),
                Unit::Day => rng.random_range(1..=3),
                Unit::Batch => rng.random_range(1..=2),
            };
            let start = match r.unit {
                Unit::Day => at - at.rem_euclid(24) + 24,
                _ => at - at.rem_euclid(24) + 24 + rules.open_from,
            };
            at = start + 24 * rng.random_range(2..=6);
            let Ok((start, end)) = rules.window(start, units) else {
                continue;
            };
            let booker = *p.bookers.choose(&mut rng).expect("bookers");
            if booker == r.owner_org_id {
                continue;
            }
            let incubatee = p.demo_carrier.is_some()
                && r.discount_carrier_id == p.demo_carrier
                && booker == p.bookers[0];
            let unit_price = pilot::unit_price(r.price_fen, r.incubatee_discount_pct, incubatee);
            // Requested two days to two weeks before the slot, answered within hours.
            let requested = pilot::ms_of_slot(start)
                - rng.random_range(2..=14) * day_ms()
                - rng.random_range(1..=8) * 3_600_000;
            write_at(requested);
            let b = store::request(
                tx,
                ctx,
                &NewBooking {
                    resource_id: r.id,
                    owner_org_id: r.owner_org_id,
                    booker_org_id: booker,
                    start_slot: start,
                    end_slot: end,
                    units,
                    unit_price_fen: unit_price,
                    incubatee,
                    prepayment: false,
                    purpose: PURPOSES.choose(&mut rng).expect("purposes").to_string(),
                    safety_accepted: true,
                },
            )
            .await?;
            w.bookings += 1;
            let roll = rng.random_range(0..100);
            write_at(requested + 3 * 3_600_000);
            if start > now {
                // To come: requested, or already confirmed.
                if roll < 60 {
                    store::set_status(
                        tx,
                        ctx,
                        b.id,
                        &[BookingStatus::Requested],
                        BookingStatus::Confirmed,
                        None,
                    )
                    .await?;
                }
                continue;
            }
            if roll < 6 {
                store::set_status(
                    tx,
                    ctx,
                    b.id,
                    &[BookingStatus::Requested],
                    BookingStatus::Declined,
                    Some("该时段设备检修，建议改约下周"),
                )
                .await?;
                continue;
            }
            if roll < 12 {
                store::set_status(
                    tx,
                    ctx,
                    b.id,
                    &[BookingStatus::Requested],
                    BookingStatus::Cancelled,
                    Some("样品未按期到货"),
                )
                .await?;
                continue;
            }
            store::set_status(
                tx,
                ctx,
                b.id,
                &[BookingStatus::Requested],
                BookingStatus::Confirmed,
                None,
            )
            .await?;
            let used = if roll % 5 == 0 {
                (units - 1).max(1)
            } else {
                units
            };
            write_at(pilot::ms_of_slot(end) + 3_600_000);
            store::record_use(tx, ctx, b.id, BookingStatus::Used, used, None).await?;
            let done = pilot::date_of_slot(end);
            if done >= today {
                continue;
            }
            store::set_status(
                tx,
                ctx,
                b.id,
                &[BookingStatus::Used],
                BookingStatus::Billed,
                None,
            )
            .await?;
            let (extra_fen, extra_note) = if roll % 4 == 0 {
                (
                    rng.random_range(2..=20) * 5_000,
                    Some("耗材与样品制备".to_string()),
                )
            } else {
                (0, None)
            };
            let bill = billing::issue(
                tx,
                ctx,
                &NewBill {
                    booking_id: b.id,
                    kind: BillKind::AfterUse,
                    units: used,
                    unit_price_fen: unit_price,
                    extra_fen,
                    extra_note,
                    issued_on: done,
                    due_on: done.plus_days(30),
                },
            )
            .await?;
            w.bills += 1;
            // Paid within three weeks, a few late, some not yet (overdue when the due date passed).
            let paid_on = done.plus_days(if roll < 20 {
                45
            } else {
                rng.random_range(3..=21)
            });
            if roll < 16 || paid_on > today {
                continue;
            }
            write_at(ms_on(&paid_on.to_string(), 10 * 60));
            let amount = bill.amount_fen;
            let voucher = held
                .iter()
                .find(|(o, v)| *o == booker && v.balance_fen > 0)
                .map(|(_, v)| v.clone());
            let voucher_part = match &voucher {
                Some(v)
                    if roll % 3 == 0
                        && paid_on >= IsoDate::parse(&v.valid_from).unwrap_or(today) =>
                {
                    let spent =
                        vouchers::year_spent_in(tx, booker, i64::from(paid_on.year())).await?;
                    (amount / 2)
                        .min(v.balance_fen)
                        .min(v.yearly_cap_fen - spent)
                        .max(0)
                }
                _ => 0,
            };
            let (_, payment) = billing::pay(
                tx,
                ctx,
                &NewPayment {
                    bill_id: bill.id,
                    org_id: booker,
                    cash_fen: amount - voucher_part,
                    voucher: (voucher_part > 0)
                        .then(|| (voucher.as_ref().expect("voucher").id, voucher_part)),
                    voucher_share_pct: voucher.as_ref().map_or(100, |v| v.share_pct),
                    reference: Some("银行转账"),
                    paid_on,
                },
            )
            .await?;
            if voucher_part > 0 {
                let v = voucher.expect("voucher");
                vouchers::spend(
                    tx,
                    ctx,
                    &Spend {
                        voucher_id: v.id,
                        amount_fen: voucher_part,
                        bill_id: bill.id,
                        payment_id: payment.id,
                        owner_org_id: r.owner_org_id,
                        year: i64::from(paid_on.year()),
                    },
                )
                .await?;
                if let Some(h) = held.iter_mut().find(|(_, h)| h.id == v.id) {
                    h.1.balance_fen -= voucher_part;
                }
                if !claims_due.contains(&r.owner_org_id) {
                    claims_due.push(r.owner_org_id);
                }
            }
        }
    }

    // Owners with vouchers' payments have claimed them back: one claim paid, one waiting for the
    // bureau, one approved and to be paid, in turn.
    write_at(ms_on(&today.to_string(), 9 * 60));
    for (i, owner) in claims_due.iter().enumerate() {
        let claim = vouchers::submit_claim(tx, ctx, *owner, today).await?;
        w.claims += 1;
        let paid = i % 3 == 0;
        if i % 3 == 1 {
            continue;
        }
        vouchers::decide_claim(
            tx,
            ctx,
            claim.id,
            ClaimStatus::Submitted,
            ClaimStatus::Approved,
            None,
            None,
        )
        .await?;
        if paid {
            vouchers::decide_claim(
                tx,
                ctx,
                claim.id,
                ClaimStatus::Approved,
                ClaimStatus::Paid,
                None,
                Some((today, "株科财拨〔创新券〕")),
            )
            .await?;
        }
    }
    // The demo enterprise's second voucher, this month.
    let terms = VoucherTerms {
        org_id: p.bookers[0],
        face_fen: 1_000_000,
        valid_from: today.plus_days(-5),
        valid_to: today.plus_days(360),
        share_pct: 30,
        yearly_cap_fen: 5_000_000,
        kinds: fruition_domain::billing::BillSubject::ALL.to_vec(),
    };
    vouchers::issue(tx, ctx, &terms, today.plus_days(-5)).await?;
    w.vouchers += 1;
    Ok(w)
}

const PURPOSES: &[&str] = &[
    "新品小批量试制",
    "工艺参数验证",
    "型式试验送检",
    "客户验收样品制备",
    "失效分析",
    "新材料配方验证",
    "可靠性摸底测试",
];
