//! What the owners' verdicts teach (issue 17): on a fresh platform, each need's owner (a user
//! of the need's organisation, over HTTP with its own token) reads its suggestions and marks
//! the first [`SHOWN`]: `interested` when the judged set grades the pair 1 or 2, `off_field`
//! when it grades it 0. Then the suggestions are read again.
//!
//! Measured the usual way for relevance feedback, on the residual collection: the marked
//! achievements are taken out of both rankings and of the ideal, and nDCG@[`RESIDUAL_K`] compares
//! what the owner sees next — before (the first list's places after the marked ones: what
//! taking the rejected ones out alone gives) and after (the list the verdicts taught).

use std::collections::BTreeSet;

use fruition_domain::org::OrgKind;
use serde_json::json;

use super::common::bench_user;
use super::metrics::{Qrels, residual_ndcg_at};
use super::{Http, Item, achievement_ids, platform};

/// How many suggestions each simulated owner marks.
pub const SHOWN: usize = 5;
/// The depth of the residual measure (a list of ten, less the marked five).
pub const RESIDUAL_K: usize = 5;

/// Per need: residual nDCG before and after the verdicts (`None` when no relevant achievement
/// is left once the marked ones are out), and how many of the marked ones were liked.
pub struct Residuals {
    pub before: Vec<Option<f64>>,
    pub after: Vec<Option<f64>>,
    pub liked: Vec<usize>,
}

pub async fn residuals(
    needs: &[Item],
    achievements: &[Item],
    ach_ids: &BTreeSet<String>,
    qrels: &Qrels,
) -> anyhow::Result<Residuals> {
    let p = platform(needs, achievements).await?;
    let server = fruition::server::start(
        fruition_web::AppState::new(p.state.clone(), Default::default()),
        "127.0.0.1:0",
    )
    .await?;
    let base = format!("http://{}", server.addr);
    let client = reqwest::Client::new();
    let mut out = Residuals {
        before: Vec::new(),
        after: Vec::new(),
        liked: Vec::new(),
    };
    for (i, need) in needs.iter().enumerate() {
        let lid = p.listing_of[&need.id];
        let org_id = fruition_store::market::get(&p.db, lid)
            .await?
            .ok_or_else(|| anyhow::anyhow!("listing {lid} is missing"))?
            .org_id;
        let kind = if need.enterprise {
            OrgKind::Enterprise
        } else {
            OrgKind::Institution
        };
        let login = format!("bench.owner{i}");
        let mut tx = p.db.begin().await?;
        bench_user(
            &mut tx,
            org_id,
            &login,
            &format!("需求方{i}"),
            kind.first_user_role(),
        )
        .await?;
        tx.commit().await?;
        let http = Http {
            client: client.clone(),
            base: base.clone(),
            token: fruition::bootstrap::create_token(&p.db, &login, "bench").await?,
        };
        let path = format!("/api/v1/listings/{lid}/matches");
        let first = http.get(&path, &[]).await?;
        let first = first.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut shown = Vec::new();
        let mut liked = 0;
        for m in first.iter().take(SHOWN) {
            let Some(id) = m["listing"]["id"].as_i64() else {
                continue;
            };
            let Some(judged) = p.by_listing.get(&id) else {
                continue;
            };
            let good = qrels.grade(&need.id, judged).unwrap_or(0) > 0;
            liked += usize::from(good);
            let verdict = if good { "interested" } else { "off_field" };
            http.put(
                &format!("{path}/{id}/feedback"),
                &json!({ "verdict": verdict }),
            )
            .await?;
            shown.push(judged.clone());
        }
        let before = achievement_ids(&p, first, ach_ids);
        let again = http.get(&path, &[]).await?;
        let after = achievement_ids(
            &p,
            again.as_array().map(Vec::as_slice).unwrap_or(&[]),
            ach_ids,
        );
        out.before.push(residual_ndcg_at(
            qrels, &need.id, &before, &shown, RESIDUAL_K,
        ));
        out.after.push(residual_ndcg_at(
            qrels, &need.id, &after, &shown, RESIDUAL_K,
        ));
        out.liked.push(liked);
    }
    server.task.abort();
    let _ = std::fs::remove_dir_all(&p.dir);
    Ok(out)
}
