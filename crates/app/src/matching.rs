//! Matching supply to demand (供需对接) and telling owners (精准推送): suggestions for a listing
//! with their reasons, owners' verdicts on them, kept searches, and the inbox.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use fruition_domain::authz::Action;
use fruition_domain::lang::Lang;
use fruition_domain::market::{self as rules, ListingKind, SHORT_MAX, SUMMARY_MAX};
use fruition_domain::matching::{self, Facts, Reason, Verdict};
use fruition_search::SearchIndex;
use fruition_store::market::{self as store, Listing};
use fruition_store::matching::{self as kept, Feedback, InboxMessage, NewMessage, SavedSearch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::{Lookups, county_name};
use super::{Ctx, Problems};
use crate::App;
use crate::error::AppError;
use crate::kept::{Checks, KeptEntry};
use crate::listing::{ListingView, SearchParams, query_of};

/// How many suggestions a listing shows.
pub const SUGGESTIONS: usize = 10;
/// How many candidates the text search brings to be scored.
const CANDIDATES: usize = 40;
const YEAR_MS: i64 = 365 * 86_400_000;

/// A listing suggested for one of the user's, with why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub listing: ListingView,
    /// The ranking score, 0–1 (text, field, readiness, place, the owner's activity).
    pub score: f32,
    /// The calibrated probability, 0–1, that a reader would judge it relevant (its words and
    /// field; `fruition_domain::matching::confidence`).
    pub confidence: f32,
    /// Whether the confidence reaches `fruition_domain::matching::CONVINCING`. When no
    /// suggestion is convincing, the page says no convincing match was found.
    pub convincing: bool,
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    /// The owner's verdict so far (only `interested` ones are still suggested).
    pub verdict: Option<String>,
}

/// The text a listing is matched on.
fn text_of(l: &Listing) -> String {
    let details: rules::Details = serde_json::from_str(&l.details).unwrap_or_default();
    // The title says what the listing is about: its words count twice.
    let mut t = format!("{}\n{}\n{}\n{}", l.title, l.title, l.summary, l.body);
    if let Some(i) = details.indicators {
        t.push('\n');
        t.push_str(&i);
    }
    t
}

/// Scores candidates (published listings of other organisations) for `source`.
/// `liked`: the candidates the owner marked interested, whose words teach the ranking
/// (`matching::liked_weight`).
async fn score_candidates(
    state: &App,
    source: &Listing,
    kinds: &[ListingKind],
    exclude: Vec<i64>,
    liked: &[Listing],
    limit: usize,
) -> Result<Vec<(Listing, f32, f32, Vec<Reason>)>, AppError> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let q = fruition_search::Query {
        kinds: kinds.iter().map(|k| k.code().to_string()).collect(),
        exclude_ids: exclude,
        limit: CANDIDATES,
        ..fruition_search::Query::default()
    };
    let text = text_of(source);
    let liked: Vec<String> = liked.iter().map(text_of).collect();
    let sync = state.search.clone();
    let mut found = tokio::task::spawn_blocking(move || {
        let liked: Vec<&str> = liked.iter().map(String::as_str).collect();
        sync.index.similar_to(&text, &liked, &q)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| AppError::Internal(e.into()))?;
    let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    let listings: HashMap<i64, Listing> = store::get_many(&state.db, &ids)
        .await?
        .into_iter()
        .filter(|l| l.status.is_public() && l.org_id != source.org_id)
        .map(|l| (l.id, l))
        .collect();
    let orgs: Vec<i64> = listings.values().map(|l| l.org_id).collect();
    let since = fruition_store::clock::now_ms() - YEAR_MS;
    let activity: HashMap<i64, i64> =
        kept::activity(&state.db, &orgs, since, matching::ACTIVITY_CAP)
            .await?
            .into_iter()
            .collect();
    let trl = |t: Option<i64>| t.and_then(|v| u8::try_from(v).ok());
    // The source's key terms and their whole weight: each candidate's coverage is its share of it.
    let own: HashMap<&str, f32> = found
        .key_terms
        .iter()
        .map(|k| (k.term.as_str(), k.weight))
        .collect();
    let total_weight: f32 = own.values().sum();
    // The ranking's weights: the source's key terms, and what the liked listings teach.
    let strongest = own.values().copied().fold(0.0, f32::max);
    let strength: HashMap<&str, f32> = found
        .liked_terms
        .iter()
        .map(|k| (k.term.as_str(), k.weight))
        .collect();
    let ranked: HashMap<&str, f32> = own
        .iter()
        .map(|(t, w)| (*t, *w))
        .chain(
            found
                .liked_terms
                .iter()
                .filter(|k| !own.contains_key(k.term.as_str()))
                .map(|k| (k.term.as_str(), 0.0)),
        )
        .map(|(t, w)| {
            let s = strength.get(t).copied().unwrap_or(0.0);
            (t, matching::liked_weight(w, s, strongest))
        })
        .collect();
    let ranked_total: f32 = ranked.values().sum();
    let mut out = Vec::new();
    for h in std::mem::take(&mut found.hits) {
        let Some(c) = listings.get(&h.id) else {
            continue;
        };
        // The need asks; the other side offers.
        let (offered, asked) = if source.kind == ListingKind::Need {
            (trl(c.trl), trl(source.trl))
        } else if c.kind == ListingKind::Need {
            (trl(source.trl), trl(c.trl))
        } else {
            (None, None)
        };
        let same_field = source.tech_field.is_some() && source.tech_field == c.tech_field;
        let same_county = source.county_code.is_some() && source.county_code == c.county_code;
        // The share of a weighing the candidate holds.
        let share = |weights: &HashMap<&str, f32>, total: f32| {
            if total > 0.0 {
                h.matched_terms
                    .iter()
                    .filter_map(|t| weights.get(t.as_str()))
                    .sum::<f32>()
                    / total
            } else {
                0.0
            }
        };
        let coverage = share(&own, total_weight);
        let ranked_coverage = share(&ranked, ranked_total);
        let facts = Facts {
            text: matching::text_evidence(ranked_coverage),
            coverage,
            liked_terms: h
                .matched_terms
                .iter()
                .filter(|t| !own.contains_key(t.as_str()))
                .cloned()
                .collect(),
            // A term the candidate holds under another name says both names ("碳化硅=SiC";
            // once for a name of several words).
            shared_terms: h
                .matched_terms
                .iter()
                .filter(|t| own.contains_key(t.as_str()))
                .fold(Vec::new(), |mut shown, t| {
                    let said = match h.synonyms.iter().find(|(term, _)| term == t) {
                        Some((_, both)) => both.clone(),
                        None => t.clone(),
                    };
                    if !shown.contains(&said) {
                        shown.push(said);
                    }
                    shown
                }),
            same_field,
            field_name: crate::listing::field_name(c.tech_field.as_deref()),
            offered_trl: offered,
            asked_trl: asked,
            same_county,
            county_name: c
                .county_code
                .as_deref()
                .map(|code| county_name(code).to_string()),
            owner_activity: activity.get(&c.org_id).copied().unwrap_or(0),
        };
        let (score, reasons) = matching::score(&facts);
        out.push((
            c.clone(),
            score,
            matching::confidence(&facts),
            reasons,
            h.score,
        ));
    }
    // Equal scores (coverage saturates) are ordered by the text score, then the id.
    out.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(b.4.total_cmp(&a.4))
            .then(a.0.id.cmp(&b.0.id))
    });
    out.truncate(limit);
    Ok(out
        .into_iter()
        .map(|(l, score, confidence, reasons, _)| (l, score, confidence, reasons))
        .collect())
}

async fn own_listing(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Listing, AppError> {
    let l = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    // Suggestions are the owner's (and the bureau's) to see; to anyone else the listing's
    // private side does not exist.
    ctx.require(Action::ViewUnpublishedListing {
        owner_org_id: l.org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(l)
}

/// The best listings for one of the user's: for a need, achievements, experts, instruments and
/// services; for an achievement, needs (and capital). Rejected ones are not suggested again.
pub async fn suggestions(
    state: &App,
    ctx: &Ctx<'_>,
    listing_id: i64,
) -> Result<Vec<Suggestion>, AppError> {
    let source = own_listing(state, ctx, listing_id).await?;
    kept_or_computed(state, source.id, Some(source)).await
}

/// [`suggestions`] for a listing its page has just read (`market::get`): the same answer,
/// without reading the listing again while the suggestions are kept.
pub async fn suggestions_for(
    state: &App,
    ctx: &Ctx<'_>,
    listing: &ListingView,
) -> Result<Vec<Suggestion>, AppError> {
    ctx.require(Action::ViewUnpublishedListing {
        owner_org_id: listing.org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    kept_or_computed(state, listing.id, None).await
}

/// The kept suggestions of `listing_id` when they still hold, else computed (from `source`, or
/// the listing read now) and kept.
async fn kept_or_computed(
    state: &App,
    listing_id: i64,
    source: Option<Listing>,
) -> Result<Vec<Suggestion>, AppError> {
    // Read before anything else: a change to the index while computing keeps the result from
    // being served as current.
    let generation = state.search.generation();
    let kept = state.suggestions.get(listing_id, generation);
    // The owner's verdicts, and with kept suggestions the kept listings' status and last change,
    // in one statement.
    let ids: Vec<i64> = kept
        .as_ref()
        .map(|k| k.scored.iter().map(|s| s.0.id).collect())
        .unwrap_or_default();
    let checks = match state.suggestions.checks(listing_id, &ids) {
        Some(checks) => checks,
        None => {
            let writes = fruition_store::writes();
            let (verdicts, versions) =
                kept::verdicts_and_versions(&state.db, listing_id, &ids).await?;
            let checks = Arc::new(Checks {
                ids,
                verdicts,
                versions,
            });
            state
                .suggestions
                .put_checks(listing_id, writes, checks.clone());
            checks
        }
    };
    let (verdicts, versions) = (&checks.verdicts, &checks.versions);
    let mut rejected: Vec<i64> = verdicts
        .iter()
        .filter(|(_, v)| v.rejects())
        .map(|(id, _)| *id)
        .collect();
    rejected.sort_unstable();
    rejected.dedup();
    let verdicts: HashMap<i64, Verdict> = verdicts.iter().copied().collect();
    let mut liked: Vec<i64> = verdicts
        .iter()
        .filter(|(_, v)| **v == Verdict::Interested)
        .map(|(id, _)| *id)
        .collect();
    liked.sort_unstable();
    let kept = match kept {
        Some(kept)
            if kept.rejected == rejected
                && kept.liked == liked
                && still_current(&kept, versions) =>
        {
            kept
        }
        _ => {
            let source = match source {
                Some(s) => s,
                None => store::get(&state.db, listing_id)
                    .await?
                    .ok_or(AppError::NotFound)?,
            };
            // What the owner marked interested teaches the ranking (while still published).
            let liked_listings: Vec<Listing> = if liked.is_empty() {
                Vec::new()
            } else {
                store::get_many(&state.db, &liked)
                    .await?
                    .into_iter()
                    .filter(|l| l.status.is_public())
                    .collect()
            };
            let lookups = Lookups::cached(state).await?;
            let scored: Vec<(ListingView, f32, f32, Vec<Reason>)> = score_candidates(
                state,
                &source,
                source.kind.suggests(),
                rejected.clone(),
                &liked_listings,
                SUGGESTIONS,
            )
            .await?
            .into_iter()
            .map(|(l, score, confidence, reasons)| {
                let mut listing = ListingView::new(l, &lookups);
                listing.hidden_reason = None;
                (listing, score, confidence, reasons)
            })
            .collect();
            let entry = Arc::new(KeptEntry {
                generation,
                rejected,
                liked,
                at: Instant::now(),
                scored,
            });
            state.suggestions.put(listing_id, entry.clone());
            entry
        }
    };
    Ok(kept
        .scored
        .iter()
        .map(|(listing, score, confidence, reasons)| Suggestion {
            verdict: verdicts.get(&listing.id).map(|v| v.code().to_string()),
            listing: listing.clone(),
            score: *score,
            confidence: *confidence,
            convincing: *confidence >= matching::CONVINCING,
            reasons: reasons.clone(),
        })
        .collect())
}

/// Whether every kept suggestion is unchanged since it was kept (so still public: only public
/// listings are kept), by the `versions` (id, status, last change) read now (this server's
/// index may be a poll behind another server's write).
fn still_current(kept: &KeptEntry, versions: &[(i64, String, i64)]) -> bool {
    let now: HashMap<i64, (&str, i64)> = versions
        .iter()
        .map(|(id, status, updated_at)| (*id, (status.as_str(), *updated_at)))
        .collect();
    kept.scored.iter().all(|(view, _, _, _)| {
        now.get(&view.id).is_some_and(|(status, updated_at)| {
            *status == view.status.code() && *updated_at == view.updated_at
        })
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// interested | too_early | benefit_unclear | off_field | price | other
    #[schema(value_type = fruition_domain::matching::Verdict)]
    pub verdict: String,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The owner's verdict on a suggestion; anything but `interested` means it is not suggested again.
pub async fn give_feedback(
    state: &App,
    ctx: &Ctx<'_>,
    listing_id: i64,
    suggested_id: i64,
    input: &FeedbackInput,
) -> Result<Feedback, AppError> {
    let source = own_listing(state, ctx, listing_id).await?;
    ctx.require(Action::EditListing {
        owner_org_id: source.org_id,
    })?;
    let suggested = store::get(&state.db, suggested_id)
        .await?
        .filter(|l| l.status.is_public())
        .ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let verdict = Verdict::parse(input.verdict.trim());
    if verdict.is_none() {
        p.push(
            "verdict",
            "请选择意见：感兴趣、技术还不够成熟、效益不明确、领域不对口、价格不合适或其他原因",
            "Choose a verdict",
        );
    }
    let comment = p
        .check(rules::optional_text(
            "comment",
            input.comment.as_deref().unwrap_or(""),
            SUMMARY_MAX,
        ))
        .flatten();
    p.into_result()?;
    let verdict = verdict.unwrap_or(Verdict::Other);
    let mut tx = state.db.begin().await?;
    let f = kept::set_feedback(
        &mut tx,
        &ctx.audit(),
        source.id,
        suggested.id,
        source.org_id,
        verdict,
        comment.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(f)
}

// ---------------------------------------------------------------------------------------------
// Kept searches and the inbox

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSearchInput {
    /// A name for the list (e.g. 碳化硅相关成果).
    pub name: String,
    /// The search as on the search page's address: q, kind, field, county, trl_min, …
    #[serde(default)]
    #[schema(value_type = Object)]
    pub query: HashMap<String, String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedSearchView {
    pub id: i64,
    pub name: String,
    #[schema(value_type = Object)]
    pub query: HashMap<String, String>,
    /// The search page showing it.
    pub href: String,
    pub created_at: i64,
}

fn view_search(s: SavedSearch) -> SavedSearchView {
    let query: HashMap<String, String> = serde_json::from_str(&s.query).unwrap_or_default();
    let mut pairs: Vec<(&String, &String)> = query.iter().collect();
    pairs.sort();
    let qs: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::links::url_encode(v)))
        .collect();
    SavedSearchView {
        id: s.id,
        name: s.name,
        href: format!("/market?{}", qs.join("&")),
        query,
        created_at: s.created_at,
    }
}

const QUERY_KEYS: [&str; 11] = [
    "q",
    "kind",
    "field",
    "county",
    "trl_min",
    "trl_max",
    "price_min_k",
    "price_max_k",
    "mode",
    "from",
    "to",
];

/// Keeps a search: its owner is told when a newly published listing fits it.
pub async fn save_search(
    state: &App,
    ctx: &Ctx<'_>,
    input: &SaveSearchInput,
) -> Result<SavedSearchView, AppError> {
    let mut p = Problems::default();
    let name = p.check(rules::text("name", &input.name, SHORT_MAX));
    let query: HashMap<String, String> = input
        .query
        .iter()
        .filter(|(k, v)| QUERY_KEYS.contains(&k.as_str()) && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.chars().take(1_000).collect()))
        .collect();
    if query.is_empty() {
        p.push(
            "query",
            "请先输入关键词或选择筛选条件，再保存检索",
            "Give some words or filters to keep",
        );
    }
    p.into_result()?;
    let json = serde_json::to_string(&query).map_err(|e| AppError::Internal(e.into()))?;
    let mut tx = state.db.begin().await?;
    let s = kept::save_search(
        &mut tx,
        &ctx.audit(),
        ctx.principal.user.id,
        ctx.principal.user.org_id,
        &name.unwrap_or_default(),
        &json,
    )
    .await?;
    tx.commit().await?;
    Ok(view_search(s))
}

pub async fn searches(state: &App, ctx: &Ctx<'_>) -> Result<Vec<SavedSearchView>, AppError> {
    Ok(kept::searches_of(&state.db, ctx.principal.user.id)
        .await?
        .into_iter()
        .map(view_search)
        .collect())
}

pub async fn delete_search(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    kept::delete_search(
        &mut tx,
        &ctx.audit(),
        ctx.principal.user.id,
        ctx.principal.user.org_id,
        id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn inbox(state: &App, ctx: &Ctx<'_>) -> Result<Vec<InboxMessage>, AppError> {
    Ok(kept::inbox(&state.db, ctx.principal.user.id, 200).await?)
}

pub async fn mark_read(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<(), AppError> {
    Ok(kept::mark_read(&state.db, ctx.principal.user.id, id).await?)
}

/// Whether a newly published listing fits a kept search: every word of the search among the
/// listing's terms (`have`, tokenized once for all the searches), and every filter met.
fn fits(p: &SearchParams, l: &Listing, have: &HashSet<String>) -> bool {
    let q = query_of(p);
    let words = SearchIndex::query_terms(&q.text);
    let in_range = |v: Option<i64>, lo: Option<i64>, hi: Option<i64>| match v {
        Some(v) => lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi),
        None => lo.is_none() && hi.is_none(),
    };
    (!words.is_empty() || q.text.trim().is_empty())
        && words.iter().all(|w| have.contains(w))
        && (q.kinds.is_empty() || q.kinds.iter().any(|k| k == l.kind.code()))
        && q.field
            .as_ref()
            .is_none_or(|f| l.tech_field.as_ref() == Some(f))
        && q.chain
            .as_ref()
            .is_none_or(|c| l.chain_code.as_ref() == Some(c))
        && q.county
            .as_ref()
            .is_none_or(|c| l.county_code.as_ref() == Some(c))
        && in_range(l.trl, q.trl_min.map(i64::from), q.trl_max.map(i64::from))
        && in_range(l.price_k, q.price_min_k, q.price_max_k)
        && q.transfer_mode
            .as_ref()
            .is_none_or(|m| l.modes.split(',').any(|x| x == m))
}

/// Tells the owners of kept searches and of needs that a listing just published fits them.
/// Runs after the publication has committed; a failure is logged, not returned.
pub async fn notify_published(state: &App, listing_id: i64) {
    if let Err(e) = try_notify(state, listing_id).await {
        tracing::warn!(error = %e, listing_id, "telling owners of a new listing failed");
    }
}

async fn try_notify(state: &App, listing_id: i64) -> Result<u64, AppError> {
    let Some(l) = store::get(&state.db, listing_id)
        .await?
        .filter(|l| l.status.is_public())
    else {
        return Ok(0);
    };
    let kind = l.kind.label(Lang::ZhCn);
    let link = format!("/market/listings/{}", l.id);
    let mut messages = Vec::new();
    let have: HashSet<String> = SearchIndex::terms(&text_of(&l)).into_iter().collect();
    for s in kept::all_searches(&state.db).await? {
        let query: HashMap<String, String> = serde_json::from_str(&s.query).unwrap_or_default();
        let pairs: Vec<(String, String)> = query.into_iter().collect();
        if fits(&SearchParams::from_pairs(&pairs), &l, &have) {
            messages.push(NewMessage {
                user_id: s.user_id,
                kind: crate::inbox::InboxKind::SavedSearch.code(),
                title: format!("“{}”有新的{kind}：{}", s.name, l.title),
                body: l.summary.clone(),
                link: Some(link.clone()),
                ref_key: format!("search:{}:listing:{}", s.id, l.id),
            });
        }
    }
    // Needs this listing could serve, told to their owners when it scores well for them.
    let needs_served = ListingKind::Need
        .suggests()
        .contains(&l.kind)
        .then_some(ListingKind::Need);
    if let Some(need_kind) = needs_served {
        // Only a convincing match is worth a notice.
        for (need, _, confidence, _) in
            score_candidates(state, &l, &[need_kind], Vec::new(), &[], 20).await?
        {
            if confidence < matching::CONVINCING {
                continue;
            }
            let feedback = kept::feedback_for(&state.db, need.id).await?;
            if feedback
                .iter()
                .any(|f| f.suggested_id == l.id && f.verdict.rejects())
            {
                continue;
            }
            for user_id in kept::org_writers(&state.db, need.org_id).await? {
                messages.push(NewMessage {
                    user_id,
                    kind: crate::inbox::InboxKind::NeedMatch.code(),
                    title: format!("您的需求“{}”有新的匹配{kind}：{}", need.title, l.title),
                    body: l.summary.clone(),
                    link: Some(link.clone()),
                    ref_key: format!("need:{}:listing:{}", need.id, l.id),
                });
            }
        }
    }
    // Saved searches of the listing's own organisation are not told of its own listings.
    let own: Vec<i64> = kept::org_writers(&state.db, l.org_id).await?;
    messages.retain(|m| m.kind == "need_match" || !own.contains(&m.user_id));
    Ok(kept::deliver(&state.db, &messages).await?)
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct FeedbackView {
    pub listing_id: i64,
    pub suggested_id: i64,
    #[schema(value_type = fruition_domain::matching::Verdict)]
    pub verdict: String,
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InboxView {
    pub id: i64,
    /// What it tells of.
    #[schema(value_type = crate::inbox::InboxKind)]
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read: bool,
    pub created_at: String,
}
