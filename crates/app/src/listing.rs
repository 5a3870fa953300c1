//! A listing as users see it ([`ListingView`], with the names of what its codes mean) and a search
//! as they ask it ([`SearchParams`], turned into the index's query by [`query_of`]). The market's
//! actions and matching both use them.

use fruition_domain::lang::Lang;
use fruition_domain::market::{Details, ListingKind, ListingStatus, TransferMode, Trl};
use fruition_domain::tech_field::TechField;
use fruition_store::market::Listing;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::reference::{Lookups, county_name};

/// A listing with the names of what its codes mean.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListingView {
    pub id: i64,
    #[schema(value_type = String)]
    pub kind: ListingKind,
    pub kind_label: String,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The technical field (national classification of technology contract statistics).
    #[schema(value_type = Option<fruition_domain::tech_field::TechField>)]
    pub field: Option<String>,
    /// Its Chinese name (电子信息, 农业, …).
    pub field_name: Option<String>,
    /// One of the city's industrial chains (`GET /api/v1/reference/chains`), the optional
    /// second tag for the city's statistics.
    pub chain: Option<String>,
    pub chain_name: Option<String>,
    pub county: Option<String>,
    pub county_name: Option<String>,
    pub trl: Option<i64>,
    pub trl_label: Option<String>,
    /// 千元; None: negotiable.
    pub price_k: Option<i64>,
    #[schema(value_type = Vec<fruition_domain::market::TransferMode>)]
    pub modes: Vec<String>,
    pub mode_labels: Vec<String>,
    pub deadline: Option<String>,
    #[schema(value_type = Object)]
    pub details: Details,
    #[schema(value_type = String)]
    pub status: ListingStatus,
    pub status_label: String,
    /// Why the bureau hid it (only its owner and the bureau see this).
    pub hidden_reason: Option<String>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    /// A capital listing's providing fund (`/api/v1/capital/funds/{id}`).
    pub fund_id: Option<i64>,
    pub fund_name: Option<String>,
}

impl ListingView {
    pub fn new(l: Listing, lookups: &Lookups) -> ListingView {
        let details: Details = serde_json::from_str(&l.details).unwrap_or_default();
        let modes: Vec<String> = l
            .modes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        ListingView {
            id: l.id,
            kind: l.kind,
            kind_label: l.kind.label(Lang::ZhCn).into(),
            org_id: l.org_id,
            org_name: l.org_name,
            title: l.title,
            summary: l.summary,
            body: l.body,
            field_name: field_name(l.tech_field.as_deref()),
            field: l.tech_field,
            chain_name: lookups
                .chain(l.chain_code.as_deref())
                .map(|c| c.name_zh.clone()),
            chain: l.chain_code,
            county_name: l.county_code.as_deref().map(|c| county_name(c).to_string()),
            county: l.county_code,
            trl_label: l
                .trl
                .and_then(|t| Trl::new(t).ok())
                .map(|t| t.label(Lang::ZhCn).to_string()),
            trl: l.trl,
            price_k: l.price_k,
            mode_labels: modes
                .iter()
                .filter_map(|m| TransferMode::parse(m))
                .map(|m| m.label(Lang::ZhCn).to_string())
                .collect(),
            modes,
            deadline: l.deadline,
            details,
            status: l.status,
            status_label: l.status.label(Lang::ZhCn).into(),
            hidden_reason: l.hidden_reason,
            published_at: l.published_at,
            updated_at: l.updated_at,
            fund_id: l.fund_id,
            fund_name: l.fund_name,
        }
    }
}

/// The Chinese name of a technical field's code (None for none, or a code no longer known).
pub fn field_name(code: Option<&str>) -> Option<String> {
    code.and_then(TechField::parse)
        .map(|f| f.label(Lang::ZhCn).to_string())
}

/// What a search asks for; every part optional. Any text is accepted: a filter that cannot apply
/// (a number that is not one, an unknown kind) is ignored, so the document gives every parameter
/// as text and says in words what applies.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SearchParams {
    /// Words to look for (Chinese or English; any text is accepted), at most 10,000 characters;
    /// a long text is better sent by `POST /api/v1/listings/search`.
    #[schema(max_length = 10000)]
    pub q: String,
    /// One kind, or several separated by commas.
    pub kind: Option<String>,
    /// A technical field: its code (`agriculture`, …) or name (农业, 生物医药, …).
    pub field: Option<String>,
    /// An industrial chain's code.
    pub chain: Option<String>,
    /// A county's GB/T 2260 code.
    pub county: Option<String>,
    /// The least readiness (a whole number 1–9, GB/T 22900).
    #[param(value_type = Option<String>)]
    pub trl_min: Option<i64>,
    /// The most readiness (a whole number 1–9).
    #[param(value_type = Option<String>)]
    pub trl_max: Option<i64>,
    /// The least price, 千元 (a whole number).
    #[param(value_type = Option<String>)]
    pub price_min_k: Option<i64>,
    /// The most price, 千元 (a whole number).
    #[param(value_type = Option<String>)]
    pub price_max_k: Option<i64>,
    /// A transfer or cooperation mode's code.
    pub mode: Option<String>,
    /// Published on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Published on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// The page, from 1 (a whole number).
    #[param(value_type = Option<String>)]
    pub page: Option<usize>,
    /// Hits per page (a whole number).
    #[param(value_type = Option<String>)]
    pub per_page: Option<usize>,
}

impl SearchParams {
    /// Reads a search's query string leniently: a number that is not one is left out, not
    /// refused, so that no query string makes a search fail.
    pub fn from_pairs(pairs: &[(String, String)]) -> SearchParams {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let num = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok());
        SearchParams {
            q: get("q").unwrap_or_default(),
            kind: get("kind"),
            field: get("field"),
            chain: get("chain"),
            county: get("county"),
            trl_min: num("trl_min"),
            trl_max: num("trl_max"),
            price_min_k: num("price_min_k"),
            price_max_k: num("price_max_k"),
            mode: get("mode"),
            from: get("from"),
            to: get("to"),
            page: get("page").and_then(|v| v.parse().ok()),
            per_page: get("per_page").and_then(|v| v.parse().ok()),
        }
    }
}

/// The longest search text accepted, in characters (a pasted abstract fits; a GET query string
/// of this much Chinese passes what a URL may carry, so long searches are sent by POST).
pub const MAX_QUERY_CHARS: usize = 10_000;

impl SearchParams {
    /// Refuses a search text longer than [`MAX_QUERY_CHARS`], naming `q`. Everything else in a
    /// search is read leniently (see [`query_of`]).
    pub fn check(&self) -> Result<(), crate::AppError> {
        let n = self.q.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(crate::AppError::invalid(fruition_domain::FieldError::new(
                "q",
                "too_long",
                format!("检索词最多 {MAX_QUERY_CHARS} 个字符（现为 {n} 个）"),
                format!("A search is at most {MAX_QUERY_CHARS} characters ({n} given)"),
            )));
        }
        Ok(())
    }
}

pub const PER_PAGE: usize = 10;
const MAX_PER_PAGE: usize = 50;
/// Deeper pages than this are not served (nobody reads them; they only cost).
const MAX_OFFSET: usize = 1_000;

/// Turns what a visitor typed into a query of the index: unknown kinds and out-of-range
/// numbers are dropped, not refused, so a search never fails on its input.
pub fn query_of(p: &SearchParams) -> fruition_search::Query {
    let per_page = p.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = p.page.unwrap_or(1).max(1);
    let offset = ((page - 1) * per_page).min(MAX_OFFSET);
    let trl = |v: Option<i64>| v.and_then(|t| Trl::new(t).ok()).map(Trl::level);
    fruition_search::Query {
        // The index searches for the text's first `fruition_search::MAX_QUERY_TERMS` distinct
        // terms, so a long text costs little more than a short one (tokenizing it); the
        // results list the words it left out.
        text: p.q.chars().take(MAX_QUERY_CHARS).collect(),
        kinds: p
            .kind
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|k| ListingKind::parse(k.trim()))
            .map(|k| k.code().to_string())
            .collect(),
        // A field that is none reads as a filter nothing meets (never as no filter).
        field: p
            .field
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| TechField::find(s).map_or("?", TechField::code).to_string()),
        chain: p.chain.clone().filter(|s| !s.trim().is_empty()),
        county: p.county.clone().filter(|s| !s.trim().is_empty()),
        trl_min: trl(p.trl_min),
        trl_max: trl(p.trl_max),
        price_min_k: p.price_min_k.filter(|v| *v >= 0),
        price_max_k: p.price_max_k.filter(|v| *v >= 0),
        transfer_mode: p
            .mode
            .as_deref()
            .and_then(|m| TransferMode::parse(m.trim()))
            .map(|m| m.code().to_string()),
        published_from: p
            .from
            .as_deref()
            .and_then(|d| crate::clock::parse_date_ms(d, false)),
        published_to: p
            .to
            .as_deref()
            .and_then(|d| crate::clock::parse_date_ms(d, true)),
        exclude_ids: Vec::new(),
        // The pages mark the query's words on the rows they read (`fruition_search::Marks`).
        with_matched_terms: false,
        offset,
        limit: per_page,
    }
}
