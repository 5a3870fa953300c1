//! Investments as investors record them — one at a time, from a deal on the fund's capital
//! listing, or a workbook of many (all rows or none, every bad row listed) — and exits from
//! positions. The fund's manager (and the bureau) records; the enterprise invested in sees its
//! own. Every limit (the fund's size, what is left of a position) is checked by the statement
//! that writes, inside the transaction.

use fruition_domain::authz::Action;
use fruition_domain::date::IsoDate;
use fruition_domain::deal::DealStatus;
use fruition_domain::investment::{self, ExitRoute, Instrument, Round};
use fruition_domain::lang::Lang;
use fruition_domain::market::ListingKind;
use fruition_domain::money::{self, MAX_CAPITAL_FEN};
use fruition_domain::org::OrgKind;
use fruition_domain::uscc::Uscc;
use fruition_sheets::{Column, ReadOptions, RowError, Value};
use fruition_store::StoreError;
use fruition_store::capital::funds::{self as funds_store, Fund};
use fruition_store::capital::investments::{
    self as store, Exit, Investment, InvestmentFilter, NewExit, NewInvestment,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{capital_label, refused};
use crate::clock::{rfc3339, today, today_date};
use crate::error::{AppError, Problem};
use crate::import::{ImportError, checked_header, read_upload, sheet_failed};
use crate::input::{invalid, page, problem};
use crate::{App, Ctx};

/// An investment as its fund's manager, the enterprise and the bureau see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvestmentView {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    pub manager_org_id: Option<i64>,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub chain_code: Option<String>,
    pub round: Round,
    pub round_label: String,
    pub instrument: Instrument,
    pub instrument_label: String,
    pub amount_fen: i64,
    /// `1500.00 万元`.
    pub amount: String,
    pub invested_on: String,
    pub post_money_fen: Option<i64>,
    pub post_money: Option<String>,
    /// The deal on the fund's capital listing this investment concluded.
    pub deal_id: Option<i64>,
    pub note: String,
    pub recorded_at: String,
}

impl InvestmentView {
    pub fn new(i: Investment) -> InvestmentView {
        InvestmentView {
            round_label: i.round.label(Lang::ZhCn).into(),
            instrument_label: i.instrument.label(Lang::ZhCn).into(),
            amount: capital_label(i.amount_fen),
            post_money: i.post_money_fen.map(capital_label),
            recorded_at: rfc3339(i.created_at),
            id: i.id,
            fund_id: i.fund_id,
            fund_name: i.fund_name,
            manager_org_id: i.manager_org_id,
            enterprise_id: i.enterprise_id,
            enterprise_name: i.enterprise_name,
            chain_code: i.chain_code,
            round: i.round,
            instrument: i.instrument,
            amount_fen: i.amount_fen,
            invested_on: i.invested_on,
            post_money_fen: i.post_money_fen,
            deal_id: i.deal_id,
            note: i.note,
        }
    }
}

/// An exit from a position.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvestmentExitView {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub kind: ExitRoute,
    pub kind_label: String,
    pub exited_on: String,
    /// The part of the cost exited.
    pub cost_fen: i64,
    pub proceeds_fen: i64,
    pub proceeds: String,
    pub note: String,
}

impl InvestmentExitView {
    pub fn new(x: Exit) -> InvestmentExitView {
        InvestmentExitView {
            kind_label: x.kind.label(Lang::ZhCn).into(),
            proceeds: capital_label(x.proceeds_fen),
            id: x.id,
            fund_id: x.fund_id,
            fund_name: x.fund_name,
            enterprise_id: x.enterprise_id,
            enterprise_name: x.enterprise_name,
            kind: x.kind,
            exited_on: x.exited_on,
            cost_fen: x.cost_fen,
            proceeds_fen: x.proceeds_fen,
            note: x.note,
        }
    }
}

/// An investment as the investor records it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentInput {
    pub fund_id: i64,
    /// The registry enterprise invested in (or give `deal_id` and it is the deal's other party).
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[schema(value_type = Round)]
    pub round: String,
    /// Default `equity`.
    #[serde(default)]
    #[schema(value_type = Option<Instrument>)]
    pub instrument: Option<String>,
    /// Fen.
    pub amount_fen: i64,
    /// YYYY-MM-DD, not after today.
    pub invested_on: String,
    /// The round's post-money valuation in fen, when known.
    #[serde(default)]
    pub post_money_fen: Option<i64>,
    /// The deal on the fund's capital listing this investment concludes.
    #[serde(default)]
    pub deal_id: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An exit as the investor records it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentExitInput {
    pub fund_id: i64,
    pub enterprise_id: i64,
    #[schema(value_type = ExitRoute)]
    pub kind: String,
    /// YYYY-MM-DD, not after today.
    pub exited_on: String,
    /// The part of the cost exited, fen; absent: everything still held.
    #[serde(default)]
    pub cost_fen: Option<i64>,
    /// What the exit brought, fen (0 for a write-off).
    #[serde(default)]
    pub proceeds_fen: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// Which investments to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvestmentQuery {
    #[serde(default)]
    pub fund_id: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Investments the caller may see: the bureau every one; an enterprise's users those in their
/// enterprise; anyone else those of the funds their organisation manages.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    q: &InvestmentQuery,
) -> Result<Vec<InvestmentView>, AppError> {
    if let Some(y) = q.year
        && !(1949..=2200).contains(&y)
    {
        return Err(problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let (limit, offset) = page(q.limit, q.offset, 200, 1000)?;
    let me = ctx.principal.user.org_id;
    let bureau = ctx
        .require(Action::ViewPortfolio {
            manager_org_id: None,
        })
        .is_ok();
    let enterprise = ctx.principal.org_kind == OrgKind::Enterprise;
    let f = InvestmentFilter {
        fund_id: q.fund_id,
        manager_org_id: (!bureau && !enterprise).then_some(me),
        enterprise_id: q.enterprise_id,
        enterprise_org_id: (!bureau && enterprise).then_some(me),
        year: q.year,
        limit,
        offset,
    };
    Ok(store::list(&state.db, &f)
        .await?
        .into_iter()
        .map(InvestmentView::new)
        .collect())
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<InvestmentView, AppError> {
    let i = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewInvestment {
        manager_org_id: i.manager_org_id,
        enterprise_org_id: i.enterprise_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(InvestmentView::new(i))
}

/// The fund, when the caller keeps it (404 when it may not even see its portfolio).
async fn kept_fund(state: &App, ctx: &Ctx<'_>, fund_id: i64) -> Result<Fund, AppError> {
    let fund = funds_store::get(&state.db, fund_id)
        .await?
        .ok_or_else(|| problem("fund_id", "没有这个基金", "There is no such fund"))?;
    ctx.require(Action::KeepFund {
        manager_org_id: fund.manager_org_id,
    })?;
    Ok(fund)
}

fn day(field: &'static str, s: &str) -> Result<IsoDate, Problem> {
    let d = IsoDate::parse_field(s.trim(), field).map_err(Problem::from)?;
    if d > today_date() || d.year() < 1990 {
        return Err(Problem {
            field: field.into(),
            zh: "日期不能晚于今天，也不能早于 1990 年".into(),
            en: "The date cannot be after today or before 1990".into(),
        });
    }
    Ok(d)
}

/// Records an investment.
pub async fn record(
    state: &App,
    ctx: &Ctx<'_>,
    input: &InvestmentInput,
) -> Result<InvestmentView, AppError> {
    let fund = kept_fund(state, ctx, input.fund_id).await?;
    let mut problems: Vec<Problem> = Vec::new();
    let round = Round::parse(&input.round);
    if round.is_none() {
        problems.push(Problem {
            field: "round".into(),
            zh: "未知的融资轮次".into(),
            en: "Unknown round".into(),
        });
    }
    let instrument = match input.instrument.as_deref().filter(|s| !s.is_empty()) {
        None => Some(Instrument::Equity),
        Some(s) => {
            let i = Instrument::parse(s);
            if i.is_none() {
                problems.push(Problem {
                    field: "instrument".into(),
                    zh: "未知的投资工具".into(),
                    en: "Unknown instrument".into(),
                });
            }
            i
        }
    };
    if let Err(e) = investment::check_amounts(input.amount_fen, input.post_money_fen) {
        problems.extend(e.into_iter().map(Problem::from));
    }
    let on = match day("invested_on", &input.invested_on) {
        Ok(d) => Some(d),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    if let Some(d) = on
        && i64::from(d.year()) < fund.established_year
    {
        problems.push(Problem {
            field: "invested_on".into(),
            zh: format!("投资日期早于基金设立年份（{}年）", fund.established_year),
            en: format!(
                "The day is before the fund was established ({})",
                fund.established_year
            ),
        });
    }
    let mut deal_status = None;
    let enterprise_id = match (input.deal_id, input.enterprise_id) {
        (Some(deal_id), given) => match deal_enterprise(state, &fund, deal_id).await {
            Ok((e, status)) if given.is_none() || given == Some(e) => {
                deal_status = Some(status);
                Some(e)
            }
            Ok(_) => {
                problems.push(Problem {
                    field: "enterprise_id".into(),
                    zh: "企业与洽谈的另一方不一致".into(),
                    en: "The enterprise is not the deal's other party".into(),
                });
                None
            }
            Err(p) => {
                problems.push(p);
                None
            }
        },
        (None, Some(e)) => match fruition_store::enterprises::get(&state.db, e).await? {
            Some(_) => Some(e),
            None => {
                problems.push(Problem {
                    field: "enterprise_id".into(),
                    zh: "没有这家企业".into(),
                    en: "There is no such enterprise".into(),
                });
                None
            }
        },
        (None, None) => {
            problems.push(Problem {
                field: "enterprise_id".into(),
                zh: "须指定被投资企业".into(),
                en: "The enterprise invested in is required".into(),
            });
            None
        }
    };
    let note = input.note.as_deref().unwrap_or("").trim().to_string();
    if note.chars().count() > 500 {
        problems.push(Problem {
            field: "note".into(),
            zh: "备注不超过 500 字".into(),
            en: "The note is at most 500 characters".into(),
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (Some(round), Some(instrument), Some(on), Some(enterprise_id)) =
        (round, instrument, on, enterprise_id)
    else {
        return Err(invalid(Vec::new()));
    };
    let new = NewInvestment {
        fund_id: fund.id,
        enterprise_id,
        round,
        instrument,
        amount_fen: input.amount_fen,
        invested_on: on.to_string(),
        post_money_fen: input.post_money_fen,
        deal_id: input.deal_id,
        note,
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let inv = store::record(&mut tx, &audit, &new)
        .await
        .map_err(|e| over_size(e, &fund))?;
    if let (Some(deal_id), Some(from)) = (input.deal_id, deal_status) {
        // The capital deal is concluded by the investment, in the same transaction.
        fruition_store::deals::set_status(
            &mut tx,
            &audit,
            deal_id,
            from,
            DealStatus::Fulfilled,
            Some("已形成投资记录"),
            false,
        )
        .await
        .map_err(refused)?;
    }
    tx.commit().await?;
    Ok(InvestmentView::new(inv))
}

/// The store's refusal, saying how much of the fund is left when the size is the reason.
fn over_size(e: StoreError, fund: &Fund) -> AppError {
    match e {
        StoreError::Conflict { field } if field == "amount_fen" => AppError::Conflict {
            zh: format!(
                "超过基金规模：基金规模 {}，已投资 {}",
                capital_label(fund.size_fen()),
                capital_label(fund.invested_fen)
            ),
            en: format!(
                "This passes the fund's size: size {} yuan, invested {} yuan",
                money::yuan(fund.size_fen()),
                money::yuan(fund.invested_fen)
            ),
            field,
        },
        StoreError::Conflict { field } if field == "status" => AppError::Conflict {
            field,
            zh: "基金已进入退出期或已清算，不能新增投资".into(),
            en: "The fund is exiting or closed: it makes no new investments".into(),
        },
        other => refused(other),
    }
}

/// The enterprise a deal on the fund's capital listing is with, and the deal's status: the deal
/// is on a capital listing of the fund's manager, still open, and its other party is an
/// enterprise.
async fn deal_enterprise(
    state: &App,
    fund: &Fund,
    deal_id: i64,
) -> Result<(i64, DealStatus), Problem> {
    let bad = |zh: &str, en: &str| Problem {
        field: "deal_id".into(),
        zh: zh.into(),
        en: en.into(),
    };
    let deal = fruition_store::deals::get(&state.db, deal_id)
        .await
        .map_err(|_| bad("读取洽谈失败", "Could not read the deal"))?
        .ok_or_else(|| bad("没有这个洽谈", "There is no such deal"))?;
    if deal.listing_kind != ListingKind::Capital || Some(deal.owner_org_id) != fund.manager_org_id {
        return Err(bad(
            "只能由本基金管理人发布的资本类需求对接记录投资",
            "Only a deal on a capital listing of the fund's manager ends in its investment",
        ));
    }
    if fruition_domain::deal::concluded_by_investment(deal.listing_kind, deal.status).is_none() {
        return Err(bad(
            "该洽谈已结束，不能据此记录投资",
            "The deal is closed: it cannot end in an investment",
        ));
    }
    let enterprise: Option<i64> = fruition_store::enterprises::list(
        &state.db,
        &fruition_store::enterprises::EnterpriseFilter {
            org_id: Some(deal.initiator_org_id),
            ..Default::default()
        },
    )
    .await
    .ok()
    .and_then(|rows| rows.first().map(|e| e.enterprise.id));
    enterprise.map(|e| (e, deal.status)).ok_or_else(|| {
        bad(
            "洽谈的另一方不是登记在册的企业",
            "The deal's other party is not a registered enterprise",
        )
    })
}

/// Records an exit from a position.
pub async fn exit(
    state: &App,
    ctx: &Ctx<'_>,
    input: &InvestmentExitInput,
) -> Result<InvestmentExitView, AppError> {
    let fund = kept_fund(state, ctx, input.fund_id).await?;
    let mut problems: Vec<Problem> = Vec::new();
    let kind = ExitRoute::parse(&input.kind);
    if kind.is_none() {
        problems.push(Problem {
            field: "kind".into(),
            zh: "未知的退出方式".into(),
            en: "Unknown kind of exit".into(),
        });
    }
    let on = match day("exited_on", &input.exited_on) {
        Ok(d) => Some(d),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    if let Some(c) = input.cost_fen
        && !(1..=MAX_CAPITAL_FEN).contains(&c)
    {
        problems.push(Problem {
            field: "cost_fen".into(),
            zh: "退出成本应大于零".into(),
            en: "The cost exited is above zero".into(),
        });
    }
    if !(0..=MAX_CAPITAL_FEN).contains(&input.proceeds_fen) {
        problems.push(Problem {
            field: "proceeds_fen".into(),
            zh: "退出所得不能为负，且不超过 1 万亿元".into(),
            en: "The proceeds are not negative and at most 1 trillion yuan".into(),
        });
    } else if kind == Some(ExitRoute::WriteOff) && input.proceeds_fen != 0 {
        problems.push(Problem {
            field: "proceeds_fen".into(),
            zh: "核销没有退出所得，请填 0 或改选清算".into(),
            en: "A write-off brings nothing: give 0, or record a liquidation".into(),
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (Some(kind), Some(on)) = (kind, on) else {
        return Err(invalid(Vec::new()));
    };
    let new = NewExit {
        fund_id: fund.id,
        enterprise_id: input.enterprise_id,
        kind,
        exited_on: on.to_string(),
        cost_fen: input.cost_fen,
        proceeds_fen: input.proceeds_fen,
        note: input
            .note
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(500)
            .collect(),
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let x = store::exit(&mut tx, &audit, &new)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => problem(
                "enterprise_id",
                "本基金没有投资这家企业",
                "The fund holds nothing in this enterprise",
            ),
            other => refused(other),
        })?;
    tx.commit().await?;
    Ok(InvestmentExitView::new(x))
}

/// Exits of a fund the caller may see the portfolio of.
pub async fn exits(
    state: &App,
    ctx: &Ctx<'_>,
    fund_id: i64,
) -> Result<Vec<InvestmentExitView>, AppError> {
    let fund = funds_store::get(&state.db, fund_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewPortfolio {
        manager_org_id: fund.manager_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(store::exits(&state.db, Some(fund_id), None)
        .await?
        .into_iter()
        .map(InvestmentExitView::new)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The investors' workbook
// ---------------------------------------------------------------------------------------------

/// The template's data sheet.
pub const SHEET_NAME: &str = "投资明细";

/// The most rows one workbook may carry.
pub const MAX_ROWS: usize = 20_000;

const COLUMNS: [Column; 8] = [
    Column {
        key: "fund",
        zh: "基金名称",
        en: "Fund",
        required: true,
        hint_zh: "本机构管理的基金，与平台登记的名称一致",
    },
    Column {
        key: "uscc",
        zh: "被投企业统一社会信用代码",
        en: "Enterprise USCC",
        required: true,
        hint_zh: "18 位，企业须已在平台登记",
    },
    Column {
        key: "round",
        zh: "轮次",
        en: "Round",
        required: true,
        hint_zh: "种子轮、天使轮、Pre-A轮、A轮、B轮、C轮、D轮及以后、战略投资、Pre-IPO",
    },
    Column {
        key: "instrument",
        zh: "投资工具",
        en: "Instrument",
        required: false,
        hint_zh: "股权 或 可转债/可转股，空白为股权",
    },
    Column {
        key: "amount",
        zh: "投资金额（元）",
        en: "Amount (yuan)",
        required: true,
        hint_zh: "元，最多两位小数",
    },
    Column {
        key: "invested_on",
        zh: "投资日期",
        en: "Invested on",
        required: true,
        hint_zh: "如 2024-06-30，不能晚于今天",
    },
    Column {
        key: "post_money",
        zh: "投后估值（元）",
        en: "Post-money valuation (yuan)",
        required: false,
        hint_zh: "元，不知道可留空",
    },
    Column {
        key: "note",
        zh: "备注",
        en: "Note",
        required: false,
        hint_zh: "不超过 500 字",
    },
];

pub fn columns() -> &'static [Column] {
    &COLUMNS
}

/// The .xlsx template with an example row.
pub fn template() -> Result<Vec<u8>, AppError> {
    let example = vec![
        Value::Text("演示创业投资基金01".into()),
        Value::Text("91430200MA4L000000".into()),
        Value::Text("A轮".into()),
        Value::Text("股权".into()),
        Value::Text("15000000.00".into()),
        Value::Text("2024-06-30".into()),
        Value::Text("150000000.00".into()),
        Value::Text(String::new()),
    ];
    fruition_sheets::template_xlsx(SHEET_NAME, columns(), &[example]).map_err(sheet_failed)
}

/// A round as typed: its code or its label in either language.
pub fn round_of(text: &str) -> Option<Round> {
    let t = text.trim();
    Round::ALL.iter().copied().find(|r| {
        r.code().eq_ignore_ascii_case(t)
            || r.label(Lang::ZhCn) == t
            || r.label(Lang::En).eq_ignore_ascii_case(t)
    })
}

fn instrument_of(text: &str) -> Option<Instrument> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Instrument::Equity);
    }
    Instrument::ALL.iter().copied().find(|i| {
        i.code().eq_ignore_ascii_case(t)
            || i.label(Lang::ZhCn) == t
            || i.label(Lang::ZhCn).split('/').any(|p| p == t)
            || i.label(Lang::En).eq_ignore_ascii_case(t)
    })
}

/// What a workbook wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvestmentImportSummary {
    pub rows: usize,
    pub amount_fen: i64,
    pub amount: String,
    pub enterprises: usize,
}

/// Imports an investor's workbook: every row checked alone, then all written in one transaction
/// against the funds' sizes; any bad row and nothing is written.
pub async fn import<B>(
    state: &App,
    ctx: &Ctx<'_>,
    bytes: B,
    filename: &str,
) -> Result<InvestmentImportSummary, ImportError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let me = ctx.principal.user.org_id;
    // Those who may manage funds at all (the bureau, investors, carrier operators).
    ctx.require(Action::RegisterFund {
        manager_org_id: Some(me),
    })?;
    let bureau = ctx
        .require(Action::ViewPortfolio {
            manager_org_id: None,
        })
        .is_ok();
    let funds = funds_store::list(&state.db).await?;
    let options = ReadOptions {
        max_rows: MAX_ROWS,
        ..ReadOptions::default()
    };
    let table = read_upload(bytes, filename, options, |_| {}).await?;
    let h = checked_header(&table, columns())?;
    let today = today();
    let mut errors: Vec<RowError> = Vec::new();
    let mut parsed: Vec<(usize, NewInvestment, String)> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let before = errors.len();
        let fund_name = h.get(row, "fund").as_text();
        let fund = funds
            .iter()
            .find(|f| f.name == fund_name.trim() && (bureau || f.manager_org_id == Some(me)));
        if fund.is_none() {
            errors.push(h.error(
                row,
                "fund",
                "本机构没有登记这个名称的基金",
                "Your organisation keeps no fund of this name",
            ));
        }
        let uscc_text = h.get(row, "uscc").as_text();
        let enterprise = match Uscc::parse(uscc_text.trim()) {
            Ok(u) => {
                match fruition_store::enterprises::find_by_uscc(&state.db, u.as_str()).await? {
                    Some(e) => Some(e.id),
                    None => {
                        errors.push(h.error(
                            row,
                            "uscc",
                            "平台上没有登记这家企业",
                            "No enterprise with this code is registered",
                        ));
                        None
                    }
                }
            }
            Err(e) => {
                errors.push(h.error(row, "uscc", e.zh, e.en));
                None
            }
        };
        let round = round_of(&h.get(row, "round").as_text());
        if round.is_none() {
            errors.push(h.error(
                row,
                "round",
                "未知的轮次（种子轮、天使轮、Pre-A轮、A轮、B轮、C轮、D轮及以后、战略投资、Pre-IPO）",
                "Unknown round",
            ));
        }
        let instrument = instrument_of(&h.get(row, "instrument").as_text());
        if instrument.is_none() {
            errors.push(h.error(
                row,
                "instrument",
                "投资工具应为 股权 或 可转债",
                "The instrument is equity or convertible",
            ));
        }
        let amount = match money::parse_yuan_up_to(
            "amount",
            &h.get(row, "amount").as_text(),
            MAX_CAPITAL_FEN,
        ) {
            Ok(0) => {
                errors.push(h.error(
                    row,
                    "amount",
                    "投资金额应大于零",
                    "The amount is above zero",
                ));
                None
            }
            Ok(f) => Some(f),
            Err(e) => {
                errors.push(h.error(row, "amount", e.zh, e.en));
                None
            }
        };
        let post_text = h.get(row, "post_money").as_text();
        let post = if post_text.trim().is_empty() {
            Some(None)
        } else {
            match money::parse_yuan_up_to("post_money", &post_text, MAX_CAPITAL_FEN) {
                Ok(v) if amount.is_none_or(|a| v >= a) && v > 0 => Some(Some(v)),
                Ok(_) => {
                    errors.push(h.error(
                        row,
                        "post_money",
                        "投后估值不能低于投资金额",
                        "The valuation is at least the amount",
                    ));
                    None
                }
                Err(e) => {
                    errors.push(h.error(row, "post_money", e.zh, e.en));
                    None
                }
            }
        };
        let on = match h.get(row, "invested_on").as_date() {
            Ok(d) if d.to_string() <= today && d.to_string().as_str() >= "1990-01-01" => {
                Some(d.to_string())
            }
            Ok(_) => {
                errors.push(h.error(
                    row,
                    "invested_on",
                    "投资日期不能晚于今天，也不能早于 1990 年",
                    "The day cannot be after today or before 1990",
                ));
                None
            }
            Err(p) => {
                errors.push(h.problem(row, "invested_on", &p));
                None
            }
        };
        let note: String = h.get(row, "note").as_text().trim().to_string();
        if note.chars().count() > 500 {
            errors.push(h.error(row, "note", "备注不超过 500 字", "At most 500 characters"));
        }
        if errors.len() == before
            && let (Some(fund), Some(e), Some(r), Some(i), Some(a), Some(p), Some(on)) =
                (fund, enterprise, round, instrument, amount, post, on)
        {
            parsed.push((
                row.number,
                NewInvestment {
                    fund_id: fund.id,
                    enterprise_id: e,
                    round: r,
                    instrument: i,
                    amount_fen: a,
                    invested_on: on,
                    post_money_fen: p,
                    deal_id: None,
                    note,
                },
                fund_name,
            ));
        }
    }
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let column = |key: &str| {
        COLUMNS
            .iter()
            .find(|c| c.key == key)
            .map_or("", |c| c.zh)
            .to_string()
    };
    for (number, n, fund_name) in &parsed {
        if let Err(e) = store::record(&mut tx, &audit, n).await {
            let (key, zh, en) = match e {
                StoreError::Conflict { field } if field == "amount_fen" => (
                    "amount",
                    "累计投资额超过基金规模（含本文件前面各行）",
                    "The fund's total invested passes its size (counting the rows above)",
                ),
                StoreError::Conflict { .. } => (
                    "fund",
                    "基金已进入退出期或已清算，不能新增投资",
                    "The fund is exiting or closed",
                ),
                other => return Err(other.into()),
            };
            errors.push(RowError {
                row: *number,
                column: column(key),
                value: if key == "fund" {
                    fund_name.clone()
                } else {
                    money::yuan(n.amount_fen)
                },
                zh: zh.into(),
                en: en.into(),
            });
        }
    }
    if !errors.is_empty() {
        // Dropped without commit: nothing of the file is kept.
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    tx.commit().await?;
    let amount: i64 = parsed.iter().map(|(_, n, _)| n.amount_fen).sum();
    let mut enterprises: Vec<i64> = parsed.iter().map(|(_, n, _)| n.enterprise_id).collect();
    enterprises.sort_unstable();
    enterprises.dedup();
    Ok(InvestmentImportSummary {
        rows: parsed.len(),
        amount_fen: amount,
        amount: capital_label(amount),
        enterprises: enterprises.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_and_instruments_read_as_typed() {
        assert_eq!(round_of("A轮"), Some(Round::A));
        assert_eq!(round_of(" pre_a "), Some(Round::PreA));
        assert_eq!(round_of("Series B"), Some(Round::B));
        assert_eq!(round_of("E轮"), None);
        assert_eq!(instrument_of(""), Some(Instrument::Equity));
        assert_eq!(instrument_of("可转债"), Some(Instrument::Convertible));
        assert_eq!(instrument_of("期权"), None);
    }
}
