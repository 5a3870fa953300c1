//! The credit scorecard and score pages: the bureau's scorecards (`/credit/scorecards`: the version
//! in force with its items, bands, caps, bonus items, grades and lines; the older versions; the
//! form for the next version; "rescore all" and the counts by grade), and an enterprise's score
//! with its working (`/credit/score` for the enterprise's own users, `/enterprises/{id}/credit-score`
//! for the bureau and the banks it asked), where the bureau notes and lifts exclusions.
//!
//! Every rule is the actions' (`fruition_app::credit::scores`, the same the API calls).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fruition_domain::authz::Action;
use fruition_domain::credit::{Exclusion, Grade, Indicator};
use fruition_domain::lang::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use crate::pages::forms::{Opt, PageForm, ctx, problem, refusal_page, whole_number};
use crate::pages::{Chrome, PageId, PageIds, error_page, render_status};
use fruition_app::credit::scores::{
    self, BandView, ExclusionInput, GradeCounts, GradeInput, ItemInput, ScoreDetail, ScoreView,
    ScorecardInput, ScorecardView, parse_bands,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/scorecards", get(scorecards).post(create))
        .route("/credit/rescore", post(rescore))
        .route("/credit/score", get(own_score))
        .route("/enterprises/{id}/credit-score", get(score))
        .route("/enterprises/{id}/credit-exclusions", post(note))
        .route(
            "/enterprises/{id}/credit-exclusions/{exclusion_id}/lift",
            post(lift),
        )
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
    /// How long the rescore took, ms (shown with its notice; anything but a number is ignored).
    took: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Scorecards

/// One indicator's row of the form: what was typed (or the version in force's values).
struct ItemRow {
    code: &'static str,
    /// The fields' names: `items.<indicator>.bands`, `.cap`, `.bonus`.
    bands_key: String,
    cap_key: String,
    bonus_key: String,
    label: &'static str,
    bands: String,
    cap: String,
    bonus: bool,
}

/// One grade's row of the form.
struct GradeRow {
    code: &'static str,
    /// The fields' names: `grades.<grade>.min_score`, `.line_wan`.
    min_key: String,
    line_key: String,
    label: &'static str,
    min_score: String,
    line_wan: String,
}

struct CardForm {
    note: String,
    items: Vec<ItemRow>,
    grades: Vec<GradeRow>,
    exclusions: Vec<Opt>,
}

impl ItemRow {
    fn new(ind: Indicator, lang: Lang, bands: String, cap: String, bonus: bool) -> ItemRow {
        let code = ind.code();
        ItemRow {
            code,
            bands_key: format!("items.{code}.bands"),
            cap_key: format!("items.{code}.cap"),
            bonus_key: format!("items.{code}.bonus"),
            label: ind.label(lang),
            bands,
            cap,
            bonus,
        }
    }
}

impl GradeRow {
    fn new(g: Grade, lang: Lang, min_score: String, line_wan: String) -> GradeRow {
        let code = g.code();
        GradeRow {
            code,
            min_key: format!("grades.{code}.min_score"),
            line_key: format!("grades.{code}.line_wan"),
            label: g.label(lang),
            min_score,
            line_wan,
        }
    }
}

impl CardForm {
    /// The form filled with the version in force, to change from.
    fn of(card: &ScorecardView, lang: Lang) -> CardForm {
        CardForm {
            note: String::new(),
            items: Indicator::ALL
                .iter()
                .map(|ind| {
                    let item = card.items.iter().find(|i| i.indicator == *ind);
                    ItemRow::new(
                        *ind,
                        lang,
                        item.map(|i| i.bands_text.clone()).unwrap_or_default(),
                        item.map(|i| i.cap.to_string()).unwrap_or_default(),
                        item.is_some_and(|i| i.bonus),
                    )
                })
                .collect(),
            grades: Grade::ALL
                .iter()
                .map(|g| {
                    let line = card.grades.iter().find(|l| l.grade == *g);
                    GradeRow::new(
                        *g,
                        lang,
                        line.map(|l| l.min_score.to_string()).unwrap_or_default(),
                        line.map(|l| wan_number(l.line_fen)).unwrap_or_default(),
                    )
                })
                .collect(),
            exclusions: Exclusion::ALL
                .iter()
                .map(|e| {
                    Opt::new(
                        e.code(),
                        e.label(lang),
                        card.exclusions.iter().any(|x| x.exclusion == *e),
                    )
                })
                .collect(),
        }
    }

    /// The form as it was posted.
    fn typed(form: &PageForm, lang: Lang) -> CardForm {
        let chosen = form.fields.all("exclusions");
        CardForm {
            note: form.get("note"),
            items: Indicator::ALL
                .iter()
                .map(|ind| {
                    let code = ind.code();
                    ItemRow::new(
                        *ind,
                        lang,
                        form.get(&format!("items.{code}.bands")),
                        form.get(&format!("items.{code}.cap")),
                        !form.get(&format!("items.{code}.bonus")).is_empty(),
                    )
                })
                .collect(),
            grades: Grade::ALL
                .iter()
                .map(|g| {
                    let code = g.code();
                    GradeRow::new(
                        *g,
                        lang,
                        form.get(&format!("grades.{code}.min_score")),
                        form.get(&format!("grades.{code}.line_wan")),
                    )
                })
                .collect(),
            exclusions: Exclusion::ALL
                .iter()
                .map(|e| {
                    Opt::new(
                        e.code(),
                        e.label(lang),
                        chosen.iter().any(|c| c == e.code()),
                    )
                })
                .collect(),
        }
    }

    /// The action's input, and the problems the page found in what was typed (a band or a number
    /// that is not one). An indicator whose bands are left blank is not on the scorecard.
    fn input(&self) -> (ScorecardInput, Vec<Problem>) {
        let mut local = Vec::new();
        let mut items = Vec::new();
        for row in &self.items {
            if row.bands.trim().is_empty() && row.cap.trim().is_empty() {
                continue;
            }
            let bands = match parse_bands(&row.bands) {
                Ok(b) => b,
                Err((zh, en)) => {
                    local.push(problem(&row.bands_key, &zh, &en));
                    Vec::new()
                }
            };
            // A blank cap is the highest band's points: no cap beyond the bands.
            let cap = whole_number(&mut local, &row.cap_key, &row.cap)
                .unwrap_or_else(|| bands.iter().map(|b| b.points).max().unwrap_or(0));
            let Some(indicator) = Indicator::parse(row.code) else {
                continue;
            };
            items.push(ItemInput {
                indicator,
                bands,
                cap,
                bonus: row.bonus,
            });
        }
        let mut grades = Vec::new();
        for row in &self.grades {
            let (min_field, line_field) = (&row.min_key, &row.line_key);
            let min_score = whole_number(&mut local, min_field, &row.min_score);
            if min_score.is_none() && row.min_score.trim().is_empty() {
                local.push(problem(
                    min_field,
                    "请填写最低分",
                    "Enter the minimum score",
                ));
            }
            let line_fen = match parse_wan(&row.line_wan) {
                Ok(Some(fen)) => fen,
                Ok(None) => {
                    local.push(problem(
                        line_field,
                        "请填写授信额度（万元）",
                        "Enter the credit line (10,000 yuan)",
                    ));
                    0
                }
                Err((zh, en)) => {
                    local.push(problem(line_field, &zh, &en));
                    0
                }
            };
            if let Some(grade) = Grade::parse(row.code) {
                grades.push(GradeInput {
                    grade,
                    min_score: min_score.unwrap_or(0),
                    line_fen,
                });
            }
        }
        let exclusions = self
            .exclusions
            .iter()
            .filter(|o| o.selected)
            .filter_map(|o| Exclusion::parse(&o.code))
            .collect();
        (
            ScorecardInput {
                note: self.note.clone(),
                items,
                grades,
                exclusions: Some(exclusions),
            },
            local,
        )
    }
}

/// 万元 as typed in the form, to fen: `300`, `12.5` (at most two decimals); blank is None.
fn parse_wan(raw: &str) -> Result<Option<i64>, (String, String)> {
    let cleaned: String = fruition_domain::uscc::half_width(raw)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let refuse = || {
        let shown: String = raw.trim().chars().take(20).collect();
        (
            format!("“{shown}”不是以万元计的金额（最多两位小数）"),
            format!("“{shown}” is not an amount in 10,000 yuan (at most two decimals)"),
        )
    };
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
        || whole.len() > 6
    {
        return Err(refuse());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| refuse())?
    };
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| refuse())?;
    Ok(Some(whole * 1_000_000 + frac * 10_000))
}

/// A line in fen as the form shows it in 万元: `300`, `12.5`.
fn wan_number(fen: i64) -> String {
    scores::wan(fen).trim_end_matches("万元").to_string()
}

/// The form's fields are in 万元 where the action names fen.
fn page_fields(err: AppError) -> AppError {
    match err {
        AppError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    field: p.field.replace(".line_fen", ".line_wan"),
                    ..p
                })
                .collect(),
        ),
        other => other,
    }
}

#[derive(Template)]
#[template(path = "credit_scorecards.html")]
struct ScorecardsPage {
    c: Chrome,
    in_force: ScorecardView,
    older: Vec<ScorecardView>,
    /// The bureau: the form for the next version, rescoring and the counts.
    manage: bool,
    counts: Option<GradeCounts>,
    took_ms: Option<i64>,
    f: CardForm,
}

impl ScorecardsPage {
    fn indicator(&self, i: &Indicator) -> &'static str {
        i.label(self.c.lang)
    }
    fn grade(&self, g: &Grade) -> &'static str {
        g.label(self.c.lang)
    }
    fn exclusion(&self, e: &Exclusion) -> &'static str {
        e.label(self.c.lang)
    }
    fn bands(&self, bands: &[BandView]) -> String {
        bands
            .iter()
            .map(|b| format!("≥{} → {}", b.from, b.points))
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn show_scorecards(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    typed: Option<CardForm>,
    err: Option<&AppError>,
    done: Done,
) -> Response {
    let c = ctx(authed, ip);
    let manage = c.require(Action::ManageScorecards).is_ok();
    let loaded: Result<_, AppError> = async {
        let mut cards = scores::list_scorecards(state, &c).await?;
        let counts = if manage {
            Some(scores::grade_counts(state, &c).await?)
        } else {
            None
        };
        if cards.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok((cards.remove(0), cards, counts))
    }
    .await;
    let (in_force, older, counts) = match loaded {
        Ok(v) => v,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        "/credit/scorecards",
        "credit_scorecards",
    )
    .with_notice(done.done.as_deref());
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let f = typed.unwrap_or_else(|| CardForm::of(&in_force, chrome.lang));
    let page = ScorecardsPage {
        took_ms: done
            .took
            .and_then(|t| t.parse().ok())
            .filter(|_| done.done.as_deref() == Some("credit_rescored")),
        in_force,
        older,
        manage,
        counts,
        f,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn scorecards(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_scorecards(&state, &headers, &authed, ip, None, None, q).await
}

async fn create(form: PageForm) -> Response {
    let ctx = form.ctx();
    if let Err(e) = ctx.require(Action::ManageScorecards) {
        return refusal_page(&form.state, &form.headers, &form.authed, &form.path, &e);
    }
    let lang = crate::i18n::lang_of(&form.headers);
    let typed = CardForm::typed(&form, lang);
    let (input, local) = typed.input();
    // With a problem of its own the page shows every problem and saves nothing.
    let result = if local.is_empty() {
        scores::create_scorecard(&form.state, &ctx, &input)
            .await
            .map(|_| ())
            .map_err(page_fields)
    } else {
        Err(page_fields(
            scores::check_scorecard(&input).map_or_else(|e| e, |_| AppError::Invalid(Vec::new())),
        ))
    };
    let page = &form;
    form.finish(
        result,
        local,
        |()| "/credit/scorecards?done=credit_scorecard_created".into(),
        |e| async move {
            show_scorecards(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                Some(typed),
                Some(&e),
                Done::default(),
            )
            .await
        },
    )
    .await
}

async fn rescore(form: PageForm) -> Response {
    let result = scores::rescore(&form.state, &form.ctx()).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |r| {
            format!(
                "/credit/scorecards?done=credit_rescored&took={}",
                r.elapsed_ms
            )
        },
        |e| async move {
            show_scorecards(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                None,
                Some(&e),
                Done::default(),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// An enterprise's score

#[derive(Template)]
#[template(path = "credit_score.html")]
struct ScorePage {
    c: Chrome,
    d: ScoreDetail,
    /// Earlier scores (other versions or data dates).
    history: Vec<ScoreView>,
    /// The enterprise's own page (`/credit/score`) rather than the bureau's or a bank's view.
    own: bool,
    /// The exclusion form (the bureau).
    reasons: Vec<Opt>,
    note: String,
}

impl ScorePage {
    fn indicator(&self, i: &Indicator) -> &'static str {
        i.label(self.c.lang)
    }
    fn exclusion(&self, e: &Exclusion) -> &'static str {
        e.label(self.c.lang)
    }
    /// What a score comes to, in the page's language.
    fn outcome(&self, s: &ScoreView) -> String {
        match (s.grade, s.excluded) {
            (_, Some(e)) => format!("{}：{}", self.c.t("credit_excluded"), e.label(self.c.lang)),
            (Some(g), None) => format!(
                "{} · {}{}",
                g.label(self.c.lang),
                self.c.t("credit_recommended_line"),
                s.line.clone().unwrap_or_default()
            ),
            (None, None) => self.c.t("credit_ungraded").to_string(),
        }
    }
}

struct ScoreReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
}

async fn show_score(
    r: ScoreReq<'_>,
    enterprise_id: i64,
    own: bool,
    typed: Option<(String, String)>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let c = ctx(r.authed, r.ip.clone());
    let loaded = async {
        let d = scores::enterprise_score(r.state, &c, enterprise_id).await?;
        let history = scores::enterprise_history(r.state, &c, enterprise_id).await?;
        Ok::<_, AppError>((d, history))
    }
    .await;
    let (d, history) = match loaded {
        Ok(v) => v,
        Err(e) => return error_page(r.state, r.headers, Some(r.authed), &e),
    };
    let path = if own {
        "/credit/score".to_string()
    } else {
        format!("/enterprises/{enterprise_id}/credit-score")
    };
    let title = if own {
        "credit_my_score"
    } else {
        "credit_score"
    };
    let mut chrome =
        Chrome::new(r.state, r.headers, Some(r.authed), &path, title).with_notice(done);
    if !own {
        chrome.title = format!("{} · {}", d.enterprise_name, chrome.title);
    }
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let (reason, note) = typed.unwrap_or_default();
    let page = ScorePage {
        history: history.into_iter().filter(|s| s.id != d.score.id).collect(),
        reasons: Exclusion::ALL
            .iter()
            .map(|e| Opt::new(e.code(), e.label(chrome.lang), e.code() == reason))
            .collect(),
        note,
        own,
        d,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

/// "我的信用评分": the score of the enterprise the user's organisation is.
async fn own_score(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let Some(id) = authed.principal.own_enterprise_id else {
        if ctx(&authed, ip).require(Action::ManageScorecards).is_ok() {
            return Redirect::to("/credit/scorecards").into_response();
        }
        return error_page(&state, &headers, Some(&authed), &AppError::NotFound);
    };
    let r = ScoreReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
    };
    show_score(r, id, true, None, None, q.done.as_deref()).await
}

async fn score(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let r = ScoreReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
    };
    show_score(r, id, false, None, None, q.done.as_deref()).await
}

async fn note(PageId(id): PageId, form: PageForm) -> Response {
    let typed = (form.get("exclusion"), form.get("note"));
    let result = match Exclusion::parse(typed.0.trim()) {
        Some(exclusion) => {
            let input = ExclusionInput {
                exclusion,
                note: typed.1.clone(),
            };
            scores::note_exclusion(&form.state, &form.ctx(), id, &input)
                .await
                .map(|_| ())
        }
        None => Err(AppError::Invalid(vec![problem(
            "exclusion",
            "请选择负面清单事由",
            "Choose the reason",
        )])),
    };
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |()| format!("/enterprises/{id}/credit-score?done=credit_exclusion_noted"),
        |e| async move {
            let r = ScoreReq {
                state: &page.state,
                headers: &page.headers,
                authed: &page.authed,
                ip: page.ip.clone(),
            };
            show_score(r, id, false, Some(typed), Some(&e), None).await
        },
    )
    .await
}

async fn lift(PageIds(id, exclusion_id): PageIds, form: PageForm) -> Response {
    let result = scores::lift_exclusion(&form.state, &form.ctx(), id, exclusion_id)
        .await
        .map(|_| ());
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |()| format!("/enterprises/{id}/credit-score?done=credit_exclusion_lifted"),
        |e| async move {
            let r = ScoreReq {
                state: &page.state,
                headers: &page.headers,
                authed: &page.authed,
                ip: page.ip.clone(),
            };
            show_score(r, id, false, None, Some(&e), None).await
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_typed_in_wan() {
        assert_eq!(parse_wan("300"), Ok(Some(300 * 1_000_000)));
        assert_eq!(parse_wan("12.5"), Ok(Some(12_500_000)));
        assert_eq!(parse_wan("０.０５"), Ok(Some(50_000)));
        assert_eq!(parse_wan(" "), Ok(None));
        assert!(parse_wan("1.234").is_err());
        assert!(parse_wan("三百").is_err());
        assert!(parse_wan("-5").is_err());
        assert_eq!(wan_number(12_500_000), "12.5");
        assert_eq!(wan_number(300 * 1_000_000), "300");
    }
}
