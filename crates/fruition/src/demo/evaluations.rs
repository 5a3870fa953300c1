//! The demo's evaluation of the carriers: one round for 2024 over every carrier with an approved
//! 2024 report, computed on the city's default scheme, two results adjusted by the bureau with
//! its reasons (an on-site check that found a strong service record; a safety finding), then
//! published.

use fruition_domain::evaluation::{self as rule, Scheme};
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::evaluations as store;

/// The bureau's two adjustments: (the place in the ranking, from the top; points; reason).
const ADJUSTMENTS: &[(usize, i64, &str)] = &[
    (
        2,
        4,
        "现场核查：创业导师辅导台账完整，年内组织投融资路演12场，服务成效突出，酌情加4分",
    ),
    (
        5,
        -3,
        "现场核查发现部分孵化场地被用于仓储，与孵化用途不符，已责令整改，扣3分",
    ),
];

/// Writes the 2024 round; returns how many carriers it evaluated.
pub async fn write(db: &Db, ctx: &AuditCtx) -> anyhow::Result<usize> {
    let scheme = Scheme::default_city();
    let round = store::create_round(
        db,
        ctx,
        2024,
        "2024年度双创孵化载体绩效评价",
        &serde_json::to_string(&scheme)?,
    )
    .await?;
    let evaluated = fruition_app::evaluations::compute_as(db, ctx, round.id)
        .await
        .map_err(|e| anyhow::anyhow!("computing the demo evaluation: {e:?}"))?;
    let ranking = store::results(db, round.id, None).await?;
    for &(place, points, reason) in ADJUSTMENTS {
        let Some(r) = ranking.get(place) else {
            continue;
        };
        store::adjust(
            db,
            ctx,
            round.id,
            r.carrier_id,
            points,
            reason,
            |computed, points| {
                let f = rule::final_centi(computed, points);
                (f, scheme.grade(f).code())
            },
        )
        .await?;
    }
    store::publish(db, ctx, round.id).await?;
    Ok(evaluated)
}
