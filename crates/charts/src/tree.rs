//! A lineage tree: a parent enterprise at the top and its spin-offs below, each marked with the
//! stage it has reached; those that became companies are filled.

use crate::options::ChartOptions;
use crate::svg::{Anchor, Doc, INK, MUTED, PALETTE, Rect, Style, WHITE, content_top, tooltip};
use crate::text::{clean, truncate};

/// One spin-off under the parent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreeNode {
    pub label: String,
    /// The stage reached, e.g. "技术攻关".
    pub note: String,
    /// It became a company.
    pub done: bool,
}

const BOX_W: f64 = 120.0;
const BOX_H: f64 = 44.0;
const GAP_X: f64 = 16.0;
const GAP_Y: f64 = 36.0;

/// Draws `root` above its `children`, in rows as wide as the chart allows.
pub fn lineage_tree(opts: &ChartOptions, root: &str, children: &[TreeNode]) -> String {
    let w = f64::from(opts.width.max(320));
    let per_row = (((w - 24.0 + GAP_X) / (BOX_W + GAP_X)).floor() as usize).max(1);
    let rows = children.len().div_ceil(per_row).max(1);
    let top = content_top(opts);
    let h = top + BOX_H + GAP_Y + rows as f64 * (BOX_H + GAP_Y) + 24.0;
    let done = children.iter().filter(|c| c.done).count();
    let summary: Vec<String> = children
        .iter()
        .map(|c| format!("{}（{}）", clean(&c.label), clean(&c.note)))
        .collect();
    let desc = format!(
        "{}；{}：{}个项目，其中{}个已成立公司。{}",
        opts.description,
        clean(root),
        children.len(),
        done,
        summary.join("，")
    );
    let mut doc = Doc::begin(opts, w, h, &desc);
    doc.title(opts);
    let root_x = (w - BOX_W * 1.4) / 2.0;
    let root_y = top;
    let root_attrs = format!("fill=\"{}\" rx=\"6\"", PALETTE[4]);
    doc.rect(
        Rect {
            x: root_x,
            y: root_y,
            w: BOX_W * 1.4,
            h: BOX_H,
        },
        &root_attrs,
        &tooltip(root),
    );
    doc.text(
        w / 2.0,
        root_y + BOX_H / 2.0 + 5.0,
        Style::new(13.0, Anchor::Middle, WHITE).bold(),
        &truncate(&clean(root), BOX_W * 1.4 - 12.0, 13.0),
    );
    let bus_y = root_y + BOX_H + GAP_Y / 2.0;
    doc.line(
        w / 2.0,
        root_y + BOX_H,
        w / 2.0,
        bus_y,
        &format!("stroke=\"{MUTED}\" stroke-width=\"1.5\""),
    );
    for (row, chunk) in children.chunks(per_row).enumerate() {
        let y = root_y + BOX_H + GAP_Y + row as f64 * (BOX_H + GAP_Y);
        let total_w = chunk.len() as f64 * BOX_W + (chunk.len().saturating_sub(1)) as f64 * GAP_X;
        let x0 = (w - total_w) / 2.0;
        let row_bus = y - GAP_Y / 2.0;
        let first_c = x0 + BOX_W / 2.0;
        let last_c = x0 + total_w - BOX_W / 2.0;
        doc.line(
            first_c.min(w / 2.0),
            row_bus,
            last_c.max(w / 2.0),
            row_bus,
            &format!("stroke=\"{MUTED}\" stroke-width=\"1.5\""),
        );
        if row > 0 {
            doc.line(
                w / 2.0,
                bus_y,
                w / 2.0,
                row_bus,
                &format!("stroke=\"{MUTED}\" stroke-width=\"1.5\""),
            );
        }
        for (i, node) in chunk.iter().enumerate() {
            let x = x0 + i as f64 * (BOX_W + GAP_X);
            doc.line(
                x + BOX_W / 2.0,
                row_bus,
                x + BOX_W / 2.0,
                y,
                &format!("stroke=\"{MUTED}\" stroke-width=\"1.5\""),
            );
            let (fill, ink) = if node.done {
                (PALETTE[5], WHITE)
            } else {
                (WHITE, INK)
            };
            let attrs = format!(
                "fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.5\" rx=\"4\"",
                PALETTE[5]
            );
            doc.rect(
                Rect {
                    x,
                    y,
                    w: BOX_W,
                    h: BOX_H,
                },
                &attrs,
                &tooltip(&format!("{}：{}", node.label, node.note)),
            );
            doc.text(
                x + BOX_W / 2.0,
                y + 18.0,
                Style::new(12.0, Anchor::Middle, ink).bold(),
                &truncate(&clean(&node.label), BOX_W - 8.0, 12.0),
            );
            doc.text(
                x + BOX_W / 2.0,
                y + 35.0,
                Style::new(11.0, Anchor::Middle, ink),
                &truncate(&clean(&node.note), BOX_W - 8.0, 11.0),
            );
        }
    }
    doc.text(
        12.0,
        h - 8.0,
        Style::new(11.0, Anchor::Start, MUTED),
        &format!(
            "实心：已成立公司（{done}）  空心：培育中（{}）",
            children.len() - done
        ),
    );
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_node_escaped() {
        let opts = ChartOptions {
            id: "tree".into(),
            title: "裂变孵化".into(),
            description: "谱系".into(),
            width: 640,
            height: 300,
            unit: String::new(),
        };
        let kids = vec![
            TreeNode {
                label: "时代新材".into(),
                note: "新公司成型".into(),
                done: true,
            },
            TreeNode {
                label: "<坏&名>".into(),
                note: "技术攻关".into(),
                done: false,
            },
        ];
        let svg = lineage_tree(&opts, "中车株洲所", &kids);
        assert!(
            svg.contains("时代新材") && svg.contains("&lt;坏&amp;名&gt;") && !svg.contains("<坏")
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("实心：已成立公司（1）"));
        assert_eq!(
            svg,
            lineage_tree(&opts, "中车株洲所", &kids),
            "deterministic"
        );
        let empty = lineage_tree(&opts, "某企业", &[]);
        assert!(empty.contains("某企业"));
    }
}
