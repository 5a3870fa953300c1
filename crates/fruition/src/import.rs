//! `fruition import`: a carrier's incubatees and their yearly figures from an .xlsx or CSV file,
//! through the same action as the page and the API, as the system acting for the bureau, with a
//! progress bar on stderr.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use fruition_app::import::{self, ImportError, Progress, Stage};
use fruition_app::{App, Settings};
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use indicatif::{ProgressBar, ProgressStyle};

/// Imports `file` for `carrier` and `year`; prints what was written, or every bad row (on stderr)
/// and fails.
pub async fn run(
    db: Db,
    settings: Settings,
    carrier: i64,
    year: i64,
    file: &Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let state = App::new(db, settings);
    let Some(carrier) = fruition_store::carriers::get(&state.db, carrier).await? else {
        anyhow::bail!("没有 id 为 {carrier} 的载体。No carrier with id {carrier}.");
    };
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    let shown = bar.clone();
    let progress: Progress = Arc::new(move |stage, done, total| {
        let msg = match stage {
            Stage::Reading => "读取 reading",
            Stage::Checking => "检查 checking",
            Stage::Writing => "写入 writing",
        };
        shown.set_message(msg);
        // While reading, the total is not known yet: the bar grows with the rows read.
        shown.set_length(if total == 0 {
            done as u64
        } else {
            total as u64
        });
        shown.set_position(done as u64);
    });
    let outcome = import::run(
        &state,
        &AuditCtx::system("command-line"),
        &carrier,
        year,
        bytes,
        &name,
        Some(progress),
    )
    .await;
    bar.finish_and_clear();
    match outcome {
        Ok(s) => {
            println!(
                "已导入“{}” {} 年度：{} 行；新登记企业 {}，更新 {}，无变化 {}；新入孵 {}；写入指标 {}（无变化 {}）。年报 id {}。",
                carrier.name,
                s.year,
                s.rows,
                s.created,
                s.updated,
                s.unchanged,
                s.spells_opened,
                s.indicators_written,
                s.indicators_unchanged,
                s.report_id
            );
            println!(
                "Imported {} rows for {} ({}): {} enterprises registered, {} updated, {} unchanged; {} spells opened; {} figures written ({} unchanged). Report id {}.",
                s.rows,
                carrier.name,
                s.year,
                s.created,
                s.updated,
                s.unchanged,
                s.spells_opened,
                s.indicators_written,
                s.indicators_unchanged,
                s.report_id
            );
            println!(
                "用时 time: read {:.2} s, check {:.2} s, write {:.2} s",
                s.timings.read.as_secs_f64(),
                s.timings.check.as_secs_f64(),
                s.timings.write.as_secs_f64()
            );
            Ok(())
        }
        Err(ImportError::Rows(rows)) => {
            for e in &rows {
                let value = if e.value.is_empty() {
                    String::new()
                } else {
                    format!("「{}」", e.value)
                };
                eprintln!(
                    "第 {} 行 row {}\t{}\t{}\t{} / {}",
                    e.row, e.row, e.column, value, e.zh, e.en
                );
            }
            anyhow::bail!(
                "文件中有 {} 处问题，未导入任何数据。The file has {} problems; nothing was imported.",
                rows.len(),
                rows.len()
            )
        }
        Err(ImportError::Refused(e)) => {
            let zh = fruition_domain::lang::Lang::ZhCn;
            let en = fruition_domain::lang::Lang::En;
            let mut msg = format!("{} / {}", e.message(zh), e.message(en));
            for (field, why) in e.fields(zh) {
                msg.push_str(&format!("\n  {field}: {why}"));
            }
            anyhow::bail!(msg)
        }
    }
}
