//! Technology contracts concluded anywhere (技术合同认定登记): a party — or the registration office
//! on its behalf — submits a contract with its signed file; the office recognises it (it enters
//! the same register, numbered in the same serials, as market deals), returns it with a reason
//! (the submitter fixes it and resubmits) or refuses it with a reason. The submitter is told of
//! each decision in its inbox.
//!
//! Who: a party's users who can write (its USCC is the seller's or the buyer's) and the bureau's
//! administrators and staff submit; the bureau decides (`Action::RegisterContracts`). The
//! bureau, the submitter and the parties on the platform see a submission; anyone else gets 404.

use fruition_domain::authz::Action;
use fruition_domain::contract::{
    self as domain, ContractSource, FILE_MAX_BYTES, ReviewStep, Submission as Checked,
    SubmissionInput as DomainInput, SubmissionStatus,
};
use fruition_domain::deal::{ContractType, REASON_MAX};
use fruition_domain::lang::Lang;
use fruition_domain::market;
use fruition_domain::tech_field::TechField;
use fruition_sheets::{Column, ReadOptions, RowError, Value};
use fruition_store::contracts::{self as store, Content, File, Submission, SubmissionFilter};
use fruition_store::deals::{self as register, NewContract};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::deals::ContractView;
use super::reference::Lookups;
use super::{Ctx, Problems};
use crate::App;
use crate::clock::{rfc3339, today};
use crate::error::{AppError, Problem};
use crate::import::{ImportError, checked_header, sheet_failed};

/// A submitted contract as the office and the parties see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractSubmissionView {
    pub id: i64,
    pub status: SubmissionStatus,
    pub status_label: String,
    pub contract_type: ContractType,
    pub contract_type_label: String,
    pub title: String,
    pub seller_name: String,
    pub seller_uscc: String,
    pub seller_in_city: bool,
    pub buyer_name: String,
    pub buyer_uscc: String,
    pub buyer_in_city: bool,
    /// 合同成交额, fen.
    pub contract_amount_fen: i64,
    /// 技术交易额, fen.
    pub tech_amount_fen: i64,
    /// The technical field (national classification) and its Chinese name.
    #[schema(value_type = Option<fruition_domain::tech_field::TechField>)]
    pub field: Option<String>,
    pub field_name: Option<String>,
    /// The industrial chain, when given, and its name.
    pub chain: Option<String>,
    pub chain_name: Option<String>,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub file_name: String,
    pub file_size: i64,
    /// Where the signed file is downloaded.
    pub file_url: String,
    pub submitter_org_id: i64,
    pub submitter_name: String,
    /// RFC 3339.
    pub submitted_at: String,
    /// Why the office returned or refused it.
    pub reason: Option<String>,
    pub reviewed_at: Option<String>,
    /// The register's entry once recognised.
    pub contract: Option<ContractView>,
    /// What the caller may do now: recognise, return, refuse (the office), resubmit (the
    /// submitter, after a return).
    pub steps: Vec<ReviewStep>,
    #[serde(skip)]
    pub submitted_ms: i64,
}

impl ContractSubmissionView {
    pub fn may(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.code() == step)
    }
}

/// A contract to submit (or resubmit after a return).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractSubmissionInput {
    /// development | transfer | licence | consulting | service (技术开发 / 转让 / 许可 / 咨询 / 服务).
    #[serde(default)]
    #[schema(value_type = fruition_domain::deal::ContractType)]
    pub contract_type: String,
    /// The contract's name, at most 200 characters.
    #[serde(default)]
    pub title: String,
    /// 技术输出方 (卖方) and its 18-character USCC.
    #[serde(default)]
    pub seller_name: String,
    #[serde(default)]
    pub seller_uscc: String,
    /// 技术吸纳方 (买方); one of the two parties may be registered outside the city.
    #[serde(default)]
    pub buyer_name: String,
    #[serde(default)]
    pub buyer_uscc: String,
    /// 合同成交额 in fen, more than 0.
    #[serde(default)]
    pub contract_amount_fen: Option<i64>,
    /// 技术交易额 in fen, at most the contract amount.
    #[serde(default)]
    pub tech_amount_fen: Option<i64>,
    /// The technical field of the national classification: its code, or its name or a short
    /// name (农业, 生物医药, 新材料, …).
    #[serde(default)]
    #[schema(value_type = fruition_domain::tech_field::TechField)]
    pub tech_field: String,
    /// One of the city's industrial chains, by code or name (`GET /api/v1/reference/chains`);
    /// optional.
    #[serde(default)]
    pub chain_code: String,
    /// YYYY-MM-DD, not in the future.
    #[serde(default)]
    pub signed_on: String,
    /// The contract's term, YYYY-MM-DD.
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// The signed contract's file name.
    #[serde(default)]
    pub file_name: String,
    /// The signed contract (PDF, JPEG or PNG, at most 10 MB), base64. Required to submit;
    /// optional to resubmit (the returned file is kept).
    #[serde(default)]
    pub file_base64: Option<String>,
}

/// The office's decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractDecisionInput {
    /// recognise | return | refuse.
    #[serde(default)]
    /// Called `step` like every state change's verb (`decision` is still read).
    #[serde(alias = "decision")]
    #[schema(value_type = fruition_domain::contract::ReviewStep)]
    pub step: String,
    /// Required to return or refuse.
    #[serde(default)]
    pub reason: Option<String>,
    /// The day of registration when recognising (YYYY-MM-DD; default today, never in the
    /// future); its year numbers the contract.
    #[serde(default)]
    pub registered_on: Option<String>,
}

fn steps(ctx: &Ctx<'_>, s: &Submission) -> Vec<ReviewStep> {
    let office = ctx.require(Action::RegisterContracts).is_ok();
    let submitter = ctx.principal.user.org_id == s.submitter_org_id
        && ctx.require(Action::SubmitContract { party: true }).is_ok();
    ReviewStep::ALL
        .iter()
        .copied()
        .filter(|step| s.status.after(*step).is_some())
        .filter(|step| match step {
            ReviewStep::Resubmit => submitter || office,
            _ => office,
        })
        .collect()
}

async fn view(
    state: &App,
    ctx: &Ctx<'_>,
    s: Submission,
) -> Result<ContractSubmissionView, AppError> {
    let lookups = Lookups::cached(state).await?;
    let contract = if s.status == SubmissionStatus::Recognised {
        register::contract_of_submission(&state.db, s.id)
            .await?
            .map(|k| ContractView::new(k, &lookups, &state.settings.city_code))
    } else {
        None
    };
    Ok(view_with(state, ctx, s, &lookups, contract))
}

fn view_with(
    state: &App,
    ctx: &Ctx<'_>,
    s: Submission,
    lookups: &Lookups,
    contract: Option<ContractView>,
) -> ContractSubmissionView {
    let city = state.settings.city_code.as_str();
    let inside = |u: &str| u.get(2..8).is_some_and(|d| domain::in_city(d, city));
    ContractSubmissionView {
        steps: steps(ctx, &s),
        id: s.id,
        status_label: s.status.label(Lang::ZhCn).into(),
        status: s.status,
        contract_type_label: s.contract_type.label(Lang::ZhCn).into(),
        contract_type: s.contract_type,
        title: s.title,
        seller_in_city: inside(&s.seller_uscc),
        seller_name: s.seller_name,
        seller_uscc: s.seller_uscc,
        buyer_in_city: inside(&s.buyer_uscc),
        buyer_name: s.buyer_name,
        buyer_uscc: s.buyer_uscc,
        contract_amount_fen: s.contract_amount_fen,
        tech_amount_fen: s.tech_amount_fen,
        field_name: crate::listing::field_name(s.tech_field.as_deref()),
        field: s.tech_field,
        chain_name: lookups
            .chain(s.chain_code.as_deref())
            .map(|c| c.name_zh.clone()),
        chain: s.chain_code,
        signed_on: s.signed_on,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        file_name: s.file_name,
        file_size: s.file_size,
        file_url: format!("/api/v1/contract-submissions/{}/file", s.id),
        submitter_org_id: s.submitter_org_id,
        submitter_name: s.submitter_name,
        submitted_at: rfc3339(s.submitted_at),
        submitted_ms: s.submitted_at,
        reason: s.reason,
        reviewed_at: s.reviewed_at.map(rfc3339),
        contract,
    }
}

pub(crate) async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Submission, AppError> {
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewContractSubmission {
        related_orgs: s.related_orgs(),
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(s)
}

/// One submission.
pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ContractSubmissionView, AppError> {
    let s = visible(state, ctx, id).await?;
    view(state, ctx, s).await
}

/// The signed file: (name, media type, bytes).
pub async fn file(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<(String, &'static str, Vec<u8>), AppError> {
    visible(state, ctx, id).await?;
    // A past registration imported from a workbook has no file.
    let (name, kind, bytes) = store::file(&state.db, id)
        .await?
        .filter(|(_, _, b)| !b.is_empty())
        .ok_or(AppError::NotFound)?;
    let mime = fruition_domain::attachment::AttachmentKind::parse(&kind)
        .map_or("application/octet-stream", |k| k.media_type(""));
    Ok((name, mime, bytes))
}

/// The caller's organisation's submissions (the bureau: every one; `status=submitted` lists
/// those awaiting the office, the oldest first).
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    status: Option<SubmissionStatus>,
) -> Result<Vec<ContractSubmissionView>, AppError> {
    let org_id = (!ctx.sees_all()).then_some(ctx.principal.user.org_id);
    let (rows, lookups) = tokio::try_join!(
        async {
            Ok::<_, AppError>(
                store::list(
                    &state.db,
                    &SubmissionFilter {
                        org_id,
                        status,
                        limit: 1000,
                    },
                )
                .await?,
            )
        },
        async { Ok(Lookups::cached(state).await?) },
    )?;
    Ok(rows
        .into_iter()
        .map(|s| view_with(state, ctx, s, &lookups, None))
        .collect())
}

/// Checks a submission as typed (every problem at once, each naming its field), against the
/// city and the reference data. The file is checked apart.
async fn check(state: &App, input: &ContractSubmissionInput) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let checked = Checked::parse(
        &DomainInput {
            contract_type: &input.contract_type,
            title: &input.title,
            seller_name: &input.seller_name,
            seller_uscc: &input.seller_uscc,
            buyer_name: &input.buyer_name,
            buyer_uscc: &input.buyer_uscc,
            contract_amount_fen: input.contract_amount_fen,
            tech_amount_fen: input.tech_amount_fen,
            tech_field: &input.tech_field,
            chain_code: &input.chain_code,
            signed_on: &input.signed_on,
            starts_on: &input.starts_on,
            ends_on: &input.ends_on,
        },
        &state.settings.city_code,
    );
    let lookups = Lookups::cached(state).await?;
    let chain = input.chain_code.trim();
    if !chain.is_empty() && lookups.find_chain(chain).is_none() {
        p.push(
            "chain_code",
            &format!("没有“{}”这条产业链", fruition_domain::echo(chain)),
            &format!(
                "“{}” is not one of the city's industrial chains",
                fruition_domain::echo(chain)
            ),
        );
    }
    if input.signed_on.trim() > today().as_str() {
        p.push(
            "signed_on",
            "签订日期不能晚于今天",
            "The signing date cannot be in the future",
        );
    }
    match checked {
        Ok(mut c) if p.is_empty() => {
            c.chain_code = lookups.find_chain(chain).map(|found| found.code.clone());
            Ok(c)
        }
        Ok(_) => Err(p
            .into_result()
            .err()
            .unwrap_or(AppError::Invalid(Vec::new()))),
        Err(errors) => {
            let mut all: Vec<Problem> = errors.into_iter().map(Problem::from).collect();
            if let Err(AppError::Invalid(more)) = p.into_result() {
                all.extend(more);
            }
            Err(AppError::Invalid(all))
        }
    }
}

/// Decodes and checks the signed file: its size before decoding, then its kind.
pub fn check_file(name: &str, base64: Option<&str>) -> Result<Option<File>, AppError> {
    let Some(encoded) = base64.filter(|b| !b.trim().is_empty()) else {
        return Ok(None);
    };
    if domain::base64_decoded_len(encoded) > FILE_MAX_BYTES + 3 {
        return Err(AppError::Invalid(vec![
            domain::check_file(FILE_MAX_BYTES + 1, b"")
                .unwrap_err()
                .into(),
        ]));
    }
    let bytes = domain::base64_decode(encoded).ok_or_else(|| {
        AppError::Invalid(vec![Problem {
            field: "file_base64".into(),
            zh: "文件内容不是有效的 base64 编码".into(),
            en: "The file is not valid base64".into(),
        }])
    })?;
    file_of(name, bytes).map(Some)
}

/// Checks a file already read (its size was bounded before reading).
pub fn file_of(name: &str, bytes: Vec<u8>) -> Result<File, AppError> {
    let kind = domain::check_file(bytes.len(), &bytes[..bytes.len().min(16)])
        .map_err(|e| AppError::Invalid(vec![e.into()]))?;
    let name = name.trim();
    let name = if name.is_empty() {
        format!("contract.{}", kind.extension())
    } else {
        name.chars().take(200).collect()
    };
    Ok(File {
        name,
        kind: kind.code().to_string(),
        bytes,
    })
}

async fn content(state: &App, c: &Checked) -> Result<Content, AppError> {
    Ok(Content {
        contract_type: c.contract_type,
        title: c.title.clone(),
        seller_name: c.seller.name.clone(),
        seller_uscc: c.seller.uscc.to_string(),
        seller_org_id: store::org_by_uscc(&state.db, c.seller.uscc.as_str()).await?,
        buyer_name: c.buyer.name.clone(),
        buyer_uscc: c.buyer.uscc.to_string(),
        buyer_org_id: store::org_by_uscc(&state.db, c.buyer.uscc.as_str()).await?,
        contract_amount_fen: c.contract_amount_fen,
        tech_amount_fen: c.tech_amount_fen,
        tech_field: c.tech_field.code().to_string(),
        chain_code: c.chain_code.clone(),
        signed_on: c.signed_on.to_string(),
        starts_on: c.starts_on.to_string(),
        ends_on: c.ends_on.to_string(),
    })
}

/// Whether the caller's organisation is one of the contract's parties (by USCC).
async fn is_party(state: &App, ctx: &Ctx<'_>, c: &Checked) -> Result<bool, AppError> {
    let org = fruition_store::organisations::get(&state.db, ctx.principal.user.org_id).await?;
    let own = org.and_then(|o| o.uscc);
    Ok(own.is_some_and(|u| u == c.seller.uscc.as_str() || u == c.buyer.uscc.as_str()))
}

/// Submits a contract concluded anywhere, with its signed file, to the registration office.
pub async fn submit(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ContractSubmissionInput,
    file: Result<Option<File>, AppError>,
) -> Result<ContractSubmissionView, AppError> {
    ctx.require(Action::SubmitContract { party: true })?;
    let checked = check(state, input).await;
    let file = match file {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(AppError::Invalid(vec![
            domain::check_file(0, b"").unwrap_err().into(),
        ])),
        Err(e) => Err(e),
    };
    let (checked, file) = match (checked, file) {
        (Ok(c), Ok(f)) => (c, f),
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            return Err(AppError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    // Only a party (or the office) submits a contract: another organisation is refused (403).
    let party = is_party(state, ctx, &checked).await?;
    ctx.require(Action::SubmitContract { party })?;
    let c = content(state, &checked).await?;
    let mut tx = state.db.begin().await?;
    let s = store::create(
        &mut tx,
        &ctx.audit(),
        ctx.principal.user.org_id,
        &c,
        &file,
        fruition_store::clock::now_ms(),
    )
    .await?;
    tx.commit().await?;
    view(state, ctx, s).await
}

/// Resubmits a returned contract, corrected (its file replaced when a new one is given).
pub async fn resubmit(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ContractSubmissionInput,
    file: Option<File>,
) -> Result<ContractSubmissionView, AppError> {
    let s = visible(state, ctx, id).await?;
    if !steps(ctx, &s).contains(&ReviewStep::Resubmit) {
        if ctx.principal.user.org_id != s.submitter_org_id
            && ctx.require(Action::RegisterContracts).is_err()
        {
            return Err(AppError::Forbidden("resubmit"));
        }
        return Err(not_now(&s, ReviewStep::Resubmit));
    }
    let checked = check(state, input).await?;
    if ctx.require(Action::RegisterContracts).is_err() && !is_party(state, ctx, &checked).await? {
        return Err(AppError::Invalid(vec![Problem {
            field: "seller_uscc".into(),
            zh: "你方单位应为合同的买方或卖方（统一社会信用代码须与本单位一致）".into(),
            en: "Your organisation must be the seller or the buyer (its USCC)".into(),
        }]));
    }
    let c = content(state, &checked).await?;
    let mut tx = state.db.begin().await?;
    let s = store::resubmit(&mut tx, &ctx.audit(), id, &c, file.as_ref()).await?;
    tx.commit().await?;
    view(state, ctx, s).await
}

fn not_now(s: &Submission, step: ReviewStep) -> AppError {
    AppError::Conflict {
        field: "status".into(),
        zh: format!(
            "“{}”的合同不能{}",
            s.status.label(Lang::ZhCn),
            step.label(Lang::ZhCn)
        ),
        en: format!(
            "A contract that is {} cannot take the step “{}”",
            s.status.label(Lang::En).to_lowercase(),
            step.label(Lang::En).to_lowercase()
        ),
    }
}

/// The office decides: recognise (enter the register with the next number of the year),
/// return with a reason, or refuse with a reason. The submitter is told in its inbox.
pub async fn decide(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ContractDecisionInput,
) -> Result<ContractSubmissionView, AppError> {
    let s = visible(state, ctx, id).await?;
    ctx.require(Action::RegisterContracts)?;
    let step = ReviewStep::parse(input.step.trim())
        .filter(|s| *s != ReviewStep::Resubmit)
        .ok_or_else(|| {
            AppError::Invalid(vec![Problem {
                field: "step".into(),
                zh: "请选择认定登记（recognise）、退回修改（return）或不予登记（refuse）".into(),
                en: "The decision must be recognise, return or refuse".into(),
            }])
        })?;
    let Some(to) = s.status.after(step) else {
        return Err(not_now(&s, step));
    };
    let mut p = Problems::default();
    let reason = if SubmissionStatus::needs_reason(step) {
        p.check(market::text(
            "reason",
            input.reason.as_deref().unwrap_or(""),
            REASON_MAX,
        ))
    } else {
        None
    };
    let registered_on = if step == ReviewStep::Recognise {
        let raw = input
            .registered_on
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .unwrap_or_else(today);
        let d = p.check(fruition_domain::date::IsoDate::parse_field(
            &raw,
            "registered_on",
        ));
        if d.is_some_and(|d| d.to_string() > today()) {
            p.push(
                "registered_on",
                "登记日期不能晚于今天",
                "The registration day cannot be in the future",
            );
        }
        d
    } else {
        None
    };
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let after = store::decide(&mut tx, &ctx.audit(), id, s.status, to, reason.as_deref()).await?;
    if let Some(on) = registered_on {
        register::enter(
            &mut tx,
            &ctx.audit(),
            &NewContract {
                source: ContractSource::Submitted,
                deal_id: None,
                submission_id: Some(after.id),
                city_code: state.settings.city_code.clone(),
                registered_on: on.to_string(),
                year: i64::from(on.year()),
                contract_type: after.contract_type,
                seller_org_id: after.seller_org_id,
                seller_name: after.seller_name.clone(),
                seller_uscc: Some(after.seller_uscc.clone()),
                buyer_org_id: after.buyer_org_id,
                buyer_name: after.buyer_name.clone(),
                buyer_uscc: Some(after.buyer_uscc.clone()),
                contract_amount_fen: after.contract_amount_fen,
                tech_amount_fen: after.tech_amount_fen,
                starts_on: after.starts_on.clone(),
                ends_on: after.ends_on.clone(),
                tech_field: after.tech_field.clone(),
                chain_code: after.chain_code.clone(),
                registration_no: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    let v = view(state, ctx, after).await?;
    let what = match step {
        ReviewStep::Recognise => format!(
            "已认定登记，登记号 {}",
            v.contract
                .as_ref()
                .map(|k| k.registration_no.as_str())
                .unwrap_or("")
        ),
        ReviewStep::Return => format!("已退回修改：{}", v.reason.as_deref().unwrap_or("")),
        _ => format!("不予登记：{}", v.reason.as_deref().unwrap_or("")),
    };
    crate::inbox::tell(
        state,
        &[v.submitter_org_id],
        crate::inbox::Notice {
            kind: crate::inbox::InboxKind::ContractSubmission,
            title: format!("技术合同“{}”{what}", v.title),
            body: format!("{}（卖方）与{}（买方）", v.seller_name, v.buyer_name),
            link: Some(format!("/contracts/submissions/{}", v.id)),
            ref_key: format!(
                "contract_submission:{}:{}:{}",
                v.id,
                step.code(),
                v.reviewed_at.as_deref().unwrap_or("")
            ),
        },
    )
    .await;
    Ok(v)
}

/// How many submissions await the office (for the bureau's pages).
pub async fn waiting(state: &App) -> Result<i64, AppError> {
    Ok(store::waiting(&state.db).await?)
}

// ---------------------------------------------------------------------------------------------
// Historical registrations from a workbook

/// The template's data sheet.
pub const SHEET_NAME: &str = "技术合同登记";

/// The most rows one workbook may carry (checked while reading, before any work).
pub const MAX_ROWS: usize = 5_000;

const COLUMNS: [Column; 15] = [
    Column {
        key: "registration_no",
        zh: "合同编号",
        en: "Registration number",
        required: false,
        hint_zh: "原登记号，按文本填写；留空则按登记年度顺序编号；已在登记簿中的编号不能重复",
    },
    Column {
        key: "contract_type",
        zh: "合同类型",
        en: "Contract type",
        required: true,
        hint_zh: "技术开发、技术转让、技术许可、技术咨询、技术服务",
    },
    Column {
        key: "title",
        zh: "合同名称",
        en: "Title",
        required: false,
        hint_zh: "不超过 200 字；留空则记为“（历史登记）”加合同类型",
    },
    Column {
        key: "seller_name",
        zh: "卖方名称",
        en: "Seller",
        required: true,
        hint_zh: "技术输出方全称",
    },
    Column {
        key: "seller_uscc",
        zh: "卖方统一社会信用代码",
        en: "Seller USCC",
        required: true,
        hint_zh: "18 位，按文本填写",
    },
    Column {
        key: "buyer_name",
        zh: "买方名称",
        en: "Buyer",
        required: true,
        hint_zh: "技术吸纳方全称",
    },
    Column {
        key: "buyer_uscc",
        zh: "买方统一社会信用代码",
        en: "Buyer USCC",
        required: true,
        hint_zh: "18 位，按文本填写；买卖双方至少一方为本市登记的单位",
    },
    Column {
        key: "contract_amount",
        zh: "合同总额(万元)",
        en: "Contract amount (10k yuan)",
        required: true,
        hint_zh: "万元，最多六位小数，大于零",
    },
    Column {
        key: "tech_amount",
        zh: "技术交易额(万元)",
        en: "Technology transaction amount (10k yuan)",
        required: true,
        hint_zh: "万元，不超过合同总额",
    },
    Column {
        key: "field",
        zh: "技术领域",
        en: "Technical field",
        required: true,
        hint_zh: "全国技术合同登记统计的技术领域，如 电子信息、先进制造、农业；旧表中的产业链名称按默认对应关系换算",
    },
    Column {
        key: "chain",
        zh: "产业链",
        en: "Industrial chain",
        required: false,
        hint_zh: "本市产业链名称或代码，如 轨道交通；可留空",
    },
    Column {
        key: "signed_on",
        zh: "签订日期",
        en: "Signed on",
        required: true,
        hint_zh: "如 2023-05-18",
    },
    Column {
        key: "starts_on",
        zh: "起始日期",
        en: "Starts on",
        required: false,
        hint_zh: "合同有效期起；留空同签订日期",
    },
    Column {
        key: "ends_on",
        zh: "终止日期",
        en: "Ends on",
        required: false,
        hint_zh: "合同有效期止；留空同起始日期",
    },
    Column {
        key: "registered_on",
        zh: "登记日期",
        en: "Registered on",
        required: true,
        hint_zh: "如 2023-06-02，不能晚于今天，不能早于签订日期；其年度计入统计",
    },
];

pub fn columns() -> &'static [Column] {
    &COLUMNS
}

/// The .xlsx template with an example row.
pub fn template() -> Result<Vec<u8>, AppError> {
    let t = |s: &str| Value::Text(s.into());
    let example = vec![
        t("4302002023000157"),
        t("技术开发"),
        t("轨道交通车辆轴承状态监测系统联合开发合同"),
        t("株洲示例轨道技术有限公司"),
        t("91430211MA4L000000"),
        t("长沙示例装备有限公司"),
        t("91430100MA4L000000"),
        t("120"),
        t("100"),
        t("现代交通"),
        t("轨道交通"),
        t("2023-05-18"),
        t("2023-06-01"),
        t("2024-05-31"),
        t("2023-06-02"),
    ];
    fruition_sheets::template_xlsx(SHEET_NAME, columns(), &[example]).map_err(sheet_failed)
}

/// What a workbook wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractImportSummary {
    /// Registrations written.
    pub rows: usize,
    /// 合同成交额 and 技术交易额 of them all, fen.
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
    /// The years of registration they count in.
    pub years: Vec<i64>,
}

/// The domain's field names as the workbook's column keys.
fn column_of(field: &str) -> &'static str {
    match field {
        "contract_type" => "contract_type",
        "title" => "title",
        "seller_name" => "seller_name",
        "seller_uscc" => "seller_uscc",
        "buyer_name" => "buyer_name",
        "buyer_uscc" => "buyer_uscc",
        "contract_amount_fen" => "contract_amount",
        "tech_amount_fen" => "tech_amount",
        "tech_field" => "field",
        "chain_code" => "chain",
        "starts_on" => "starts_on",
        "ends_on" => "ends_on",
        "registered_on" => "registered_on",
        _ => "signed_on",
    }
}

/// A registration number as a workbook may keep it: letters, digits and `-`, at most 40.
fn number_ok(n: &str) -> bool {
    !n.is_empty() && n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Imports historical registrations (the registration office): every row checked alone, then
/// all written in one transaction — each a recognised submission without a file, entered in the
/// register with its historical number (or the next of its year) and counted in the running
/// totals; any bad row and nothing is written, every problem named by row and column.
pub async fn import<B>(
    state: &App,
    ctx: &Ctx<'_>,
    bytes: B,
    filename: &str,
) -> Result<ContractImportSummary, ImportError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    ctx.require(Action::RegisterContracts)?;
    let options = ReadOptions {
        max_rows: MAX_ROWS,
        ..ReadOptions::default()
    };
    let table = crate::import::read_upload(bytes, filename, options, |_| {}).await?;
    let h = checked_header(&table, columns())?;
    let lookups = Lookups::cached(state).await?;
    let today = today();
    let city = state.settings.city_code.clone();
    let mut errors: Vec<RowError> = Vec::new();
    let mut parsed: Vec<(
        usize,
        Option<String>,
        Checked,
        fruition_domain::date::IsoDate,
    )> = Vec::with_capacity(table.rows.len());
    let mut numbers: std::collections::HashMap<String, usize> = Default::default();
    for row in &table.rows {
        let before = errors.len();
        let text = |key: &str| h.get(row, key).as_text();
        let number = text("registration_no").trim().to_string();
        let number = if number.is_empty() {
            None
        } else if !number_ok(&number) {
            errors.push(h.error(
                row,
                "registration_no",
                "合同编号只能由字母、数字和“-”组成，不超过 40 位",
                "A registration number is letters, digits and “-”, at most 40",
            ));
            None
        } else if let Some(first) = numbers.insert(number.clone(), row.number) {
            errors.push(h.error(
                row,
                "registration_no",
                format!("合同编号与第 {first} 行重复"),
                format!("The registration number repeats row {first}"),
            ));
            None
        } else {
            Some(number)
        };
        let mut amount = |key: &'static str| match h.get(row, key).as_text() {
            t if t.trim().is_empty() => None,
            t => match domain::parse_wan(key, &t) {
                Ok(f) => Some(f),
                Err(e) => {
                    errors.push(h.error(row, key, e.zh, e.en));
                    None
                }
            },
        };
        let contract_amount = amount("contract_amount");
        let tech_amount = amount("tech_amount");
        let date = |key: &str| match h.get(row, key).as_date() {
            Ok(d) => Ok(d.to_string()),
            Err(fruition_sheets::CellProblem::Blank) => Ok(String::new()),
            Err(p) => Err(p),
        };
        let mut dates: Vec<String> = Vec::new();
        for key in ["signed_on", "starts_on", "ends_on", "registered_on"] {
            match date(key) {
                Ok(d) => dates.push(d),
                Err(p) => {
                    errors.push(h.problem(row, key, &p));
                    dates.push("?".into());
                }
            }
        }
        let signed_on = dates[0].clone();
        let starts_on = if dates[1].is_empty() {
            signed_on.clone()
        } else {
            dates[1].clone()
        };
        let ends_on = if dates[2].is_empty() {
            starts_on.clone()
        } else {
            dates[2].clone()
        };
        let type_text = text("contract_type");
        let title = match text("title").trim() {
            "" => format!(
                "{}合同（历史登记）",
                ContractType::read(&type_text)
                    .map(|t| t.label(Lang::ZhCn))
                    .unwrap_or("技术")
            ),
            t => t.to_string(),
        };
        // The field by its name; an old workbook's chain name through the default mapping
        // (the chain is then kept as the contract's chain too).
        let field = text("field");
        let chain_text = text("chain");
        let old_chain = TechField::find(&field)
            .is_none()
            .then(|| lookups.find_chain(&field))
            .flatten();
        let field_code = match old_chain {
            Some(c) => TechField::of_chain(&c.code).map_or("", TechField::code),
            None => field.as_str(),
        };
        let chain = match chain_text.trim() {
            "" => old_chain,
            c => lookups.find_chain(c),
        };
        if old_chain.is_some() && field_code.is_empty() {
            errors.push(h.error(
                row,
                "field",
                "这条产业链没有默认对应的技术领域，请填写技术领域（如 电子信息、先进制造、农业）",
                "This chain has no default technical field; give the field (electronic information, advanced manufacturing, agriculture, …)",
            ));
        }
        let (seller_name, seller_uscc, buyer_name, buyer_uscc) = (
            text("seller_name"),
            text("seller_uscc"),
            text("buyer_name"),
            text("buyer_uscc"),
        );
        let checked = Checked::parse(
            &DomainInput {
                contract_type: &type_text,
                title: &title,
                seller_name: &seller_name,
                seller_uscc: &seller_uscc,
                buyer_name: &buyer_name,
                buyer_uscc: &buyer_uscc,
                contract_amount_fen: contract_amount,
                tech_amount_fen: tech_amount,
                tech_field: field_code,
                chain_code: chain.map_or("", |c| c.code.as_str()),
                signed_on: &signed_on,
                starts_on: &starts_on,
                ends_on: &ends_on,
            },
            &city,
        );
        let checked = match checked {
            Ok(c) => Some(c),
            Err(found) => {
                for e in found {
                    // A column already named above (an amount, a date) is not named twice.
                    let key = column_of(e.field);
                    let named = errors[before..]
                        .iter()
                        .any(|x| x.row == row.number && x.column == h.header(key));
                    if !named {
                        errors.push(h.error(row, key, e.zh, e.en));
                    }
                }
                None
            }
        };
        if !chain_text.trim().is_empty() && chain.is_none() {
            errors.push(h.error(
                row,
                "chain",
                "不是本市的产业链（名称或代码）",
                "Not one of the city's industrial chains (a name or code)",
            ));
        }
        let registered =
            match fruition_domain::date::IsoDate::parse_field(&dates[3], "registered_on") {
                Ok(d) if d.to_string() > today => {
                    errors.push(h.error(
                        row,
                        "registered_on",
                        "登记日期不能晚于今天",
                        "The registration day cannot be in the future",
                    ));
                    None
                }
                Ok(d) if d.to_string() < signed_on && signed_on != "?" => {
                    errors.push(h.error(
                        row,
                        "registered_on",
                        "登记日期不能早于签订日期",
                        "The registration day cannot be before the signing day",
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    if dates[3] != "?" {
                        errors.push(h.error(row, "registered_on", e.zh, e.en));
                    }
                    None
                }
            };
        if signed_on.as_str() > today.as_str() {
            errors.push(h.error(
                row,
                "signed_on",
                "签订日期不能晚于今天",
                "The signing date cannot be in the future",
            ));
        }
        if errors.len() == before
            && let (Some(c), Some(on)) = (checked, registered)
        {
            parsed.push((row.number, number, c, on));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    // Kept numbers first, so a number given to a blank row never takes one the file keeps.
    parsed.sort_by_key(|(n, number, _, _)| (number.is_none(), *n));
    let mut contents = Vec::with_capacity(parsed.len());
    for (_, _, c, _) in &parsed {
        contents.push(content(state, c).await?);
    }
    let audit = ctx.audit();
    let now = fruition_store::clock::now_ms();
    let number_column = h.header("registration_no").to_string();
    let mut tx = state.db.begin().await?;
    for ((row, number, _, on), c) in parsed.iter().zip(&contents) {
        let s =
            store::create_recognised(&mut tx, &audit, ctx.principal.user.org_id, c, now).await?;
        let entered = register::enter(
            &mut tx,
            &audit,
            &NewContract {
                source: ContractSource::Submitted,
                deal_id: None,
                submission_id: Some(s.id),
                city_code: city.clone(),
                registered_on: on.to_string(),
                year: i64::from(on.year()),
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
                registration_no: number.clone(),
            },
        )
        .await;
        match entered {
            Ok(_) => {}
            Err(fruition_store::StoreError::Conflict { .. }) => errors.push(RowError {
                row: *row,
                column: number_column.clone(),
                value: number.clone().unwrap_or_default(),
                zh: "登记簿中已有这个合同编号".into(),
                en: "The register already holds this number".into(),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        // Dropped without commit: nothing of the file is kept.
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    tx.commit().await?;
    let mut years: Vec<i64> = parsed
        .iter()
        .map(|(_, _, _, on)| i64::from(on.year()))
        .collect();
    years.sort_unstable();
    years.dedup();
    Ok(ContractImportSummary {
        rows: parsed.len(),
        contract_amount_fen: contents.iter().map(|c| c.contract_amount_fen).sum(),
        tech_amount_fen: contents.iter().map(|c| c.tech_amount_fen).sum(),
        years,
    })
}
