//! The technology elements market (科技要素大市场): listings written by their owners, published
//! for everyone, hidden by the bureau with a reason; searched in Chinese (`crate::search_sync`
//! keeps this server's index in step with the database).

use fruition_domain::authz::Action;
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::market::{
    self, BODY_MAX, Details, ListingAction, ListingKind, ListingStatus, PatentNumber, SHORT_MAX,
    SUMMARY_MAX, TITLE_MAX, TransferMode, Trl,
};
use fruition_domain::reference;
use fruition_domain::tech_field::TechField;
use fruition_store::market::{self as store, Listing, ListingFields, ListingFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{Lookups, city};
use super::{Ctx, Problems};
use crate::App;
use crate::error::AppError;
pub use crate::listing::{ListingView, PER_PAGE, SearchParams, query_of};

/// A listing as a form or the API sends it. Which fields matter depends on the kind: an
/// achievement needs its readiness and transfer modes, a need its indicators, deadline and
/// cooperation modes, an expert a title and organisation, a policy its issuing body and date.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingInput {
    /// achievement | need | service | instrument | expert | capital | policy (fixed once created).
    #[schema(value_type = fruition_domain::market::ListingKind)]
    pub kind: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub body: String,
    /// The technical field of the national classification (全国技术合同登记统计): its code, or
    /// its name or a short name (农业, 生物医药, 新材料, …). Required of an achievement, a need
    /// and an expert.
    #[serde(default)]
    #[schema(value_type = Option<fruition_domain::tech_field::TechField>)]
    pub field: Option<String>,
    /// One of the city's industrial chains, by code or name (轨道交通, 新材料, …), an optional
    /// second tag for the city's statistics (`GET /api/v1/reference/chains`).
    #[serde(default)]
    pub chain: Option<String>,
    /// A county-level unit: GB/T 2260 code or name.
    #[serde(default)]
    pub county: Option<String>,
    /// An achievement's readiness (1–9, GB/T 22900), or the least a need asks for.
    #[serde(default)]
    pub trl: Option<i64>,
    /// Price (an achievement, a service, an instrument), budget (a need) or amount (capital), in
    /// 千元; empty means negotiable.
    #[serde(default)]
    pub price_k: Option<i64>,
    /// Transfer modes (an achievement) or cooperation modes (a need).
    #[serde(default)]
    #[schema(value_type = Vec<fruition_domain::market::TransferMode>)]
    pub modes: Vec<String>,
    /// A need's deadline (YYYY-MM-DD).
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub inventors: Vec<String>,
    /// Chinese patent numbers, e.g. ZL201710601862.3 (the check character is verified).
    #[serde(default)]
    pub patents: Vec<String>,
    #[serde(default)]
    pub indicators: Option<String>,
    #[serde(default)]
    pub expert_title: Option<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub preferences: Option<String>,
    #[serde(default)]
    pub issuing_body: Option<String>,
    #[serde(default)]
    pub issued_on: Option<String>,
    #[serde(default)]
    pub applies_to: Option<String>,
    /// A capital listing's providing fund: one its owner manages.
    #[serde(default)]
    pub fund_id: Option<i64>,
}

fn opt(p: &mut Problems, field: &'static str, v: &Option<String>, max: usize) -> Option<String> {
    p.check(market::optional_text(
        field,
        v.as_deref().unwrap_or(""),
        max,
    ))
    .flatten()
}

fn need(p: &mut Problems, field: &'static str, v: &Option<String>, max: usize) -> Option<String> {
    p.check(market::text(field, v.as_deref().unwrap_or(""), max))
}

/// Checks a listing of `kind` owned by `owner_org_id` and turns it into what is stored; every
/// problem at once.
pub(crate) async fn validate(
    state: &App,
    kind: ListingKind,
    owner_org_id: i64,
    input: &ListingInput,
) -> Result<ListingFields, AppError> {
    use ListingKind::*;
    let mut p = Problems::default();
    let title = p.check(market::text("title", &input.title, TITLE_MAX));
    let summary = p.check(market::text("summary", &input.summary, SUMMARY_MAX));
    let body = p
        .check(market::optional_text("body", &input.body, BODY_MAX))
        .flatten();
    let lookups = Lookups::cached(state).await?;
    let field_text = input.field.as_deref().unwrap_or("");
    let tech_field = if field_text.trim().is_empty() && !kind.needs_tech_field() {
        None
    } else {
        p.check(TechField::read("field", field_text))
            .map(|f| f.code().to_string())
    };
    let chain_code = match input
        .chain
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(c) => match lookups.find_chain(c) {
            Some(c) => Some(c.code.clone()),
            None => {
                p.push(
                    "chain",
                    &format!("没有“{}”这条产业链", fruition_domain::echo(c)),
                    "No such industrial chain",
                );
                None
            }
        },
        None => None,
    };
    let county_code = p
        .optional(input.county.as_deref(), |s| {
            reference::parse_county_in(&city(state), s)
        })
        .map(|d| d.code.as_str().to_string());
    let trl = match input.trl {
        Some(t) => p.check(Trl::new(t)).map(i64::from),
        None if kind == Achievement => {
            p.push(
                "trl",
                "请填写成果的技术就绪水平（1–9 级）",
                "Give the achievement's readiness level (1–9)",
            );
            None
        }
        None => None,
    };
    let price_k = input
        .price_k
        .and_then(|v| p.check(market::amount_k("price_k", v)));
    let allowed = kind.modes();
    let mut modes: Vec<TransferMode> = Vec::new();
    for m in input
        .modes
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        match TransferMode::parse(m).filter(|m| allowed.contains(m)) {
            Some(m) if !modes.contains(&m) => modes.push(m),
            Some(_) => {}
            None => p.push(
                "modes",
                &format!("“{m}”不是可选的合作方式"),
                &format!("“{m}” is not a mode this listing can offer"),
            ),
        }
    }
    if !allowed.is_empty() && modes.is_empty() && input.modes.iter().all(|m| m.trim().is_empty()) {
        p.push(
            "modes",
            "请至少选择一种合作方式",
            "Choose at least one mode",
        );
    }
    let deadline = p
        .optional(input.deadline.as_deref(), |s| {
            IsoDate::parse_field(s, "deadline")
        })
        .map(|d| d.to_string());
    if kind == Need
        && input
            .deadline
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        p.push(
            "deadline",
            "请填写需求的截止日期",
            "Give the need's deadline",
        );
    }
    let mut details = Details {
        inventors: input
            .inventors
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .filter_map(|s| p.check(market::text("inventors", s, SHORT_MAX)))
            .collect(),
        ..Details::default()
    };
    for raw in input.patents.iter().filter(|s| !s.trim().is_empty()) {
        if let Some(n) = p.check(PatentNumber::parse(raw))
            && !details.patents.contains(&n)
        {
            details.patents.push(n);
        }
    }
    match kind {
        Need => details.indicators = need(&mut p, "indicators", &input.indicators, BODY_MAX),
        Expert => {
            details.expert_title = need(&mut p, "expert_title", &input.expert_title, SHORT_MAX);
            details.affiliation = opt(&mut p, "affiliation", &input.affiliation, SHORT_MAX);
        }
        Instrument | Service => details.unit = opt(&mut p, "unit", &input.unit, SHORT_MAX),
        Capital => details.preferences = opt(&mut p, "preferences", &input.preferences, BODY_MAX),
        Policy => {
            details.issuing_body = need(&mut p, "issuing_body", &input.issuing_body, SHORT_MAX);
            details.issued_on = match input
                .issued_on
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(s) => p
                    .check(IsoDate::parse_field(s, "issued_on"))
                    .map(|d| d.to_string()),
                None => {
                    p.push("issued_on", "请填写发布日期", "Give the date of issue");
                    None
                }
            };
            details.applies_to = need(&mut p, "applies_to", &input.applies_to, BODY_MAX);
        }
        Achievement => {}
    }
    let fund_id = match input.fund_id {
        None => None,
        Some(_) if kind != Capital => {
            p.push(
                "fund_id",
                "只有资本类发布可以指定提供方基金",
                "Only a capital listing names a fund",
            );
            None
        }
        Some(id) => match fruition_store::capital::funds::get(&state.db, id).await? {
            Some(f) if f.manager_org_id == Some(owner_org_id) => Some(id),
            _ => {
                p.push(
                    "fund_id",
                    "提供方基金应为发布机构管理的基金",
                    "The fund is one the listing's organisation manages",
                );
                None
            }
        },
    };
    p.into_result()?;
    Ok(ListingFields {
        title: title.unwrap_or_default(),
        summary: summary.unwrap_or_default(),
        body: body.unwrap_or_default(),
        tech_field,
        chain_code,
        county_code,
        trl,
        price_k,
        modes: modes.iter().map(|m| m.code()).collect::<Vec<_>>().join(","),
        deadline,
        details: serde_json::to_string(&details).map_err(|e| AppError::Internal(e.into()))?,
        fund_id,
    })
}

fn kind_of(input: &ListingInput) -> Result<ListingKind, AppError> {
    ListingKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::Invalid(vec![crate::error::Problem {
            field: "kind".into(),
            zh: "请选择发布类型".into(),
            en: "Choose what kind of listing this is".into(),
        }])
    })
}

async fn view(state: &App, l: Listing) -> Result<ListingView, AppError> {
    Ok(ListingView::new(l, &*Lookups::cached(state).await?))
}

/// A new draft of the actor's own organisation.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ListingInput,
) -> Result<ListingView, AppError> {
    let kind = kind_of(input)?;
    ctx.require(Action::CreateListing { kind })?;
    let fields = validate(state, kind, ctx.principal.user.org_id, input).await?;
    let mut tx = state.db.begin().await?;
    let l = store::insert(
        &mut tx,
        &ctx.audit(),
        kind,
        ctx.principal.user.org_id,
        &fields,
    )
    .await?;
    tx.commit().await?;
    state.search.catch_up(&state.db).await;
    view(state, l).await
}

async fn owned(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Listing, AppError> {
    let l = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    // Another organisation's unpublished listing does not exist, as far as the actor knows.
    if !l.status.is_public() {
        ctx.require(Action::ViewUnpublishedListing {
            owner_org_id: l.org_id,
        })
        .map_err(|_| AppError::NotFound)?;
    }
    Ok(l)
}

/// Replaces what the owner wrote (the kind stays).
pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ListingInput,
) -> Result<ListingView, AppError> {
    let before = owned(state, ctx, id).await?;
    ctx.require(Action::EditListing {
        owner_org_id: before.org_id,
    })?;
    if kind_of(input)? != before.kind {
        return Err(AppError::Invalid(vec![crate::error::Problem {
            field: "kind".into(),
            zh: "发布类型创建后不能更改".into(),
            en: "A listing's kind cannot change".into(),
        }]));
    }
    let fields = validate(state, before.kind, before.org_id, input).await?;
    let mut tx = state.db.begin().await?;
    let l = store::update(&mut tx, &ctx.audit(), id, &fields).await?;
    tx.commit().await?;
    state.search.catch_up(&state.db).await;
    view(state, l).await
}

/// Publishes, closes, hides (with a reason) or restores a listing.
pub async fn act(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    action: ListingAction,
    reason: Option<&str>,
) -> Result<ListingView, AppError> {
    let l = owned(state, ctx, id).await?;
    if action.is_bureau_only() {
        ctx.require(Action::ModerateListings)?;
    } else {
        ctx.require(Action::EditListing {
            owner_org_id: l.org_id,
        })?;
    }
    let to = l.status.after(action).ok_or_else(|| AppError::Conflict {
        field: "status".into(),
        zh: format!(
            "“{}”状态的发布不能{}",
            l.status.label(Lang::ZhCn),
            action.label(Lang::ZhCn)
        ),
        en: format!(
            "A listing that is {} cannot be {}",
            l.status.label(Lang::En).to_lowercase(),
            action.label(Lang::En).to_lowercase()
        ),
    })?;
    let reason = match action {
        ListingAction::Hide => {
            let mut p = Problems::default();
            let r = p.check(market::text("reason", reason.unwrap_or(""), SUMMARY_MAX));
            p.into_result()?;
            r
        }
        _ => None,
    };
    if action == ListingAction::Publish
        && l.kind == ListingKind::Need
        && l.deadline
            .as_deref()
            .is_some_and(|d| d < crate::clock::today().as_str())
    {
        return Err(AppError::Invalid(vec![crate::error::Problem {
            field: "deadline".into(),
            zh: "截止日期已过，请先修改截止日期再发布".into(),
            en: "The deadline has passed; change it before publishing".into(),
        }]));
    }
    let mut tx = state.db.begin().await?;
    let l = store::set_status(&mut tx, &ctx.audit(), id, l.status, to, reason.as_deref()).await?;
    tx.commit().await?;
    state.search.catch_up(&state.db).await;
    if to == ListingStatus::Published {
        super::matching::notify_published(state, id).await;
    }
    view(state, l).await
}

/// One listing: published ones for everyone (signed in or not), others for their owner and the bureau.
pub async fn get(state: &App, ctx: Option<&Ctx<'_>>, id: i64) -> Result<ListingView, AppError> {
    let l = match ctx {
        Some(ctx) => owned(state, ctx, id).await?,
        None => store::get(&state.db, id)
            .await?
            .filter(|l| l.status.is_public())
            .ok_or(AppError::NotFound)?,
    };
    let mut v = view(state, l).await?;
    if ctx.is_none() {
        v.hidden_reason = None;
    }
    Ok(v)
}

/// The listings of the actor's own organisation, in every status.
pub async fn mine(
    state: &App,
    ctx: &Ctx<'_>,
    kind: Option<ListingKind>,
    status: Option<ListingStatus>,
) -> Result<Vec<ListingView>, AppError> {
    let lookups = Lookups::cached(state).await?;
    let rows = store::list(
        &state.db,
        &ListingFilter {
            org_id: Some(ctx.principal.user.org_id),
            kind,
            status,
            limit: 1000,
            offset: 0,
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|l| ListingView::new(l, &lookups))
        .collect())
}

/// Every hidden listing, for the bureau to review.
pub async fn hidden(state: &App, ctx: &Ctx<'_>) -> Result<Vec<ListingView>, AppError> {
    ctx.require(Action::ModerateListings)?;
    let lookups = Lookups::cached(state).await?;
    let rows = store::list(
        &state.db,
        &ListingFilter {
            status: Some(ListingStatus::Hidden),
            limit: 1000,
            ..ListingFilter::default()
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|l| ListingView::new(l, &lookups))
        .collect())
}

/// One search result: the listing, and its title and snippet with the matched words marked
/// (`<mark>`; everything else escaped).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub listing: ListingView,
    pub score: f32,
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHit>,
    /// Words of a long text the search left out: it uses the first 32 distinct words
    /// (function words aside). Empty when it used them all.
    pub left_out_terms: Vec<String>,
}

/// Searches the published listings (everyone may, signed in or not).
pub async fn search(state: &App, p: &SearchParams) -> Result<SearchPage, AppError> {
    p.check()?;
    let q = query_of(p);
    let sync = state.search.clone();
    let (limit, offset) = (q.limit, q.offset);
    let found = tokio::task::spawn_blocking(move || sync.index.search(&q))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    let lookups = Lookups::cached(state).await?;
    let listings = store::get_many(&state.db, &ids).await?;
    // The index keeps no text: the titles and snippets come from the rows just read, marked
    // with the query's terms (a substring search of ten listings: no need to leave this thread).
    let hits = found
        .hits
        .iter()
        .filter_map(|h| {
            // The index may be a moment behind the database: show only what is public now.
            let l = listings
                .iter()
                .find(|l| l.id == h.id && l.status.is_public())?;
            let text = crate::search_sync::doc(l);
            let mut listing = ListingView::new(l.clone(), &lookups);
            listing.hidden_reason = None;
            Some(SearchHit {
                listing,
                score: h.score,
                title_html: found.marks.title_html(&text.title),
                snippet_html: found.marks.snippet_html(&text.body),
            })
        })
        .collect();
    Ok(SearchPage {
        total: found.total,
        page: offset / limit + 1,
        per_page: limit,
        hits,
        left_out_terms: found.left_out,
    })
}
