//! A lineage tree: a parent enterprise at the top and its spin-offs below, each marked with the
//! stage it has reached; those that became companies are filled. Connectors run between the
//! boxes, never through them; names take two lines, and names that would still read the same
//! show their different ends.

use crate::options::ChartOptions;
use crate::svg::{Anchor, Doc, INK, MUTED, PALETTE, Rect, Style, WHITE, content_top, tooltip};
use crate::text::{clean, text_width, truncate, wrap};

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
/// Two lines of name and one of stage.
const BOX_H: f64 = 60.0;
const GAP_X: f64 = 16.0;
const GAP_Y: f64 = 36.0;
const ROOT_W: f64 = BOX_W * 1.4;
const ROOT_H: f64 = 44.0;
/// Space kept on each side of the chart.
const MARGIN: f64 = 12.0;

/// Where the boxes and the connectors go.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    root: Rect,
    boxes: Vec<Rect>,
    /// Connectors, each straight and horizontal or vertical: (x1, y1, x2, y2).
    segments: Vec<(f64, f64, f64, f64)>,
    height: f64,
}

/// Lays out `n` spin-offs under the root in rows as wide as `w` allows. One row is centred under
/// the root, joined by a bus between the rows. More rows are aligned on the left, and a trunk
/// runs down the gutter left of every box to each row's bus, so no connector crosses a box.
fn layout(w: f64, top: f64, n: usize) -> Layout {
    let root = Rect {
        x: (w - ROOT_W) / 2.0,
        y: top,
        w: ROOT_W,
        h: ROOT_H,
    };
    let fits = |k: usize| k as f64 * BOX_W + k.saturating_sub(1) as f64 * GAP_X;
    // More than one row keeps a gutter (the trunk) left of the boxes: a row is then at most
    // `usable` wide with the gutter.
    let usable = w - 2.0 * MARGIN;
    let one_row = (((usable + GAP_X) / (BOX_W + GAP_X)).floor() as usize).max(1);
    let per_row = if n > one_row {
        ((usable / (BOX_W + GAP_X)).floor() as usize).max(1)
    } else {
        one_row
    };
    let rows = n.div_ceil(per_row).max(1);
    let first_row_y = top + ROOT_H + GAP_Y;
    let height = first_row_y + rows as f64 * BOX_H + (rows - 1) as f64 * GAP_Y + 32.0;
    let mut boxes = Vec::with_capacity(n);
    let mut segments = Vec::new();
    let mid = w / 2.0;
    let root_bottom = top + ROOT_H;
    if n == 0 {
        return Layout {
            root,
            boxes,
            segments,
            height,
        };
    }
    let bus0 = first_row_y - GAP_Y / 2.0;
    segments.push((mid, root_bottom, mid, bus0));
    if rows == 1 {
        let total = fits(n);
        let x0 = (w - total) / 2.0;
        for i in 0..n {
            boxes.push(Rect {
                x: x0 + i as f64 * (BOX_W + GAP_X),
                y: first_row_y,
                w: BOX_W,
                h: BOX_H,
            });
        }
        let (first_c, last_c) = (x0 + BOX_W / 2.0, x0 + total - BOX_W / 2.0);
        segments.push((first_c.min(mid), bus0, last_c.max(mid), bus0));
    } else {
        // Every row starts at x0; the trunk runs down the gutter at x0 - GAP_X / 2.
        let total = fits(per_row) + GAP_X;
        let x0 = (w - total) / 2.0 + GAP_X;
        let trunk = x0 - GAP_X / 2.0;
        let last_bus = first_row_y + (rows - 1) as f64 * (BOX_H + GAP_Y) - GAP_Y / 2.0;
        segments.push((trunk.min(mid), bus0, mid.max(trunk), bus0));
        segments.push((trunk, bus0, trunk, last_bus));
        for row in 0..rows {
            let y = first_row_y + row as f64 * (BOX_H + GAP_Y);
            let in_row = (n - row * per_row).min(per_row);
            for i in 0..in_row {
                boxes.push(Rect {
                    x: x0 + i as f64 * (BOX_W + GAP_X),
                    y,
                    w: BOX_W,
                    h: BOX_H,
                });
            }
            let last_c = x0 + fits(in_row) - BOX_W / 2.0;
            let bus = y - GAP_Y / 2.0;
            segments.push((trunk, bus, last_c.max(mid), bus));
        }
    }
    for b in &boxes {
        let c = b.x + BOX_W / 2.0;
        segments.push((c, b.y - GAP_Y / 2.0, c, b.y));
    }
    Layout {
        root,
        boxes,
        segments,
        height,
    }
}

/// The spin-offs' names as drawn: up to two lines each. Names that would still read the same
/// (a long shared beginning) show their end on the second line instead, after "…".
fn names(children: &[TreeNode]) -> Vec<Vec<String>> {
    let max_w = BOX_W - 8.0;
    let full: Vec<String> = children.iter().map(|c| clean(&c.label)).collect();
    let mut drawn: Vec<Vec<String>> = full.iter().map(|l| wrap(l, max_w, 12.0, 2)).collect();
    for i in 0..drawn.len() {
        let clash = (0..drawn.len()).any(|j| j != i && drawn[j] == drawn[i] && full[j] != full[i]);
        if clash && drawn[i].len() == 2 {
            drawn[i][1] = tail(&full[i], max_w, 12.0);
        }
    }
    drawn
}

/// The end of `s` that fits `max_w` at `size`, after "…".
fn tail(s: &str, max_w: f64, size: f64) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut k = chars.len();
    while k > 0 {
        let candidate: String = std::iter::once('…')
            .chain(chars[k - 1..].iter().copied())
            .collect();
        if text_width(&candidate, size) > max_w {
            break;
        }
        k -= 1;
    }
    std::iter::once('…')
        .chain(chars[k..].iter().copied())
        .collect()
}

/// Draws `root` above its `children`, in rows as wide as the chart allows.
pub fn lineage_tree(opts: &ChartOptions, root: &str, children: &[TreeNode]) -> String {
    let w = f64::from(opts.width.max(320));
    let top = content_top(opts);
    let plan = layout(w, top, children.len());
    let h = plan.height;
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
    let root_attrs = format!("fill=\"{}\" rx=\"6\"", PALETTE[0]);
    doc.rect(plan.root, &root_attrs, &tooltip(root));
    doc.text(
        w / 2.0,
        plan.root.y + ROOT_H / 2.0 + 5.0,
        Style::new(13.0, Anchor::Middle, WHITE).bold(),
        &truncate(&clean(root), ROOT_W - 12.0, 13.0),
    );
    for &(x1, y1, x2, y2) in &plan.segments {
        doc.line(
            x1,
            y1,
            x2,
            y2,
            &format!("stroke=\"{MUTED}\" stroke-width=\"1.5\""),
        );
    }
    let labels = names(children);
    for ((node, r), lines) in children.iter().zip(&plan.boxes).zip(&labels) {
        let (fill, ink) = if node.done {
            (PALETTE[0], WHITE)
        } else {
            (WHITE, INK)
        };
        let attrs = format!(
            "fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.5\" rx=\"4\"",
            PALETTE[0]
        );
        doc.rect(
            *r,
            &attrs,
            &tooltip(&format!("{}：{}", node.label, node.note)),
        );
        let cx = r.x + BOX_W / 2.0;
        let first = if lines.len() > 1 { 17.0 } else { 24.0 };
        for (k, line) in lines.iter().enumerate() {
            doc.text(
                cx,
                r.y + first + k as f64 * 15.0,
                Style::new(12.0, Anchor::Middle, ink).bold(),
                line,
            );
        }
        doc.text(
            cx,
            r.y + 51.0,
            Style::new(11.0, Anchor::Middle, ink),
            &truncate(&clean(&node.note), BOX_W - 8.0, 11.0),
        );
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

    /// A straight connector passes through the inside of `r` (touching its edge, as a
    /// connector ending on a box's top does, is not crossing).
    fn crosses(&(x1, y1, x2, y2): &(f64, f64, f64, f64), r: &Rect) -> bool {
        let e = 0.01;
        let (lx, hx) = (x1.min(x2), x1.max(x2));
        let (ly, hy) = (y1.min(y2), y1.max(y2));
        lx < r.x + r.w - e && hx > r.x + e && ly < r.y + r.h - e && hy > r.y + e
    }

    #[test]
    fn no_connector_crosses_a_box_and_every_box_is_reached() {
        for width in [320.0, 390.0, 500.0, 640.0, 777.0, 1000.0, 1366.0] {
            for n in 0..40 {
                let plan = layout(width, 40.0, n);
                assert_eq!(plan.boxes.len(), n);
                let all: Vec<&Rect> = std::iter::once(&plan.root).chain(&plan.boxes).collect();
                for seg in &plan.segments {
                    assert!(seg.0 == seg.2 || seg.1 == seg.3, "straight: {seg:?}");
                    for r in &all {
                        assert!(
                            !crosses(seg, r),
                            "{n} boxes at {width}: {seg:?} crosses {r:?}"
                        );
                    }
                }
                for (i, b) in plan.boxes.iter().enumerate() {
                    // Inside the chart, no two boxes overlap.
                    assert!(b.x >= 0.0 && b.x + b.w <= width && b.y + b.h <= plan.height);
                    for other in &plan.boxes[i + 1..] {
                        let apart = b.x + b.w <= other.x
                            || other.x + other.w <= b.x
                            || b.y + b.h <= other.y
                            || other.y + other.h <= b.y;
                        assert!(apart, "{b:?} overlaps {other:?}");
                    }
                    // A connector ends on its top, at the middle.
                    let mid = b.x + b.w / 2.0;
                    assert!(
                        plan.segments
                            .iter()
                            .any(|s| s.0 == mid && s.2 == mid && s.3 == b.y),
                        "box {i} of {n} at {width} has its connector"
                    );
                }
                // The connectors form one piece with the root: every segment touches another.
                if n > 0 {
                    let touches = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
                        let on = |p: (f64, f64), s: &(f64, f64, f64, f64)| {
                            p.0 >= s.0.min(s.2) - 0.01
                                && p.0 <= s.0.max(s.2) + 0.01
                                && p.1 >= s.1.min(s.3) - 0.01
                                && p.1 <= s.1.max(s.3) + 0.01
                        };
                        on((a.0, a.1), b)
                            || on((a.2, a.3), b)
                            || on((b.0, b.1), a)
                            || on((b.2, b.3), a)
                    };
                    for a in &plan.segments {
                        assert!(
                            plan.segments
                                .iter()
                                .filter(|b| *b != a)
                                .any(|b| touches(a, b)),
                            "{a:?} hangs loose ({n} at {width})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn names_that_begin_alike_stay_apart() {
        let node = |label: &str| TreeNode {
            label: label.into(),
            note: "技术攻关".into(),
            done: false,
        };
        let kids = [
            node("中车株洲电力机车研究所有限公司株洲分公司风电叶片事业部"),
            node("中车株洲电力机车研究所有限公司株洲分公司轨道减振事业部"),
            node("短名"),
        ];
        let drawn = names(&kids);
        assert_eq!(drawn[2], vec!["短名".to_string()]);
        assert_ne!(drawn[0], drawn[1], "{drawn:?}");
        assert!(drawn[0][1].ends_with("风电叶片事业部"), "{drawn:?}");
        for lines in &drawn {
            for l in lines {
                assert!(text_width(l, 12.0) <= BOX_W - 8.0, "{l} fits its box");
            }
        }
    }
}
