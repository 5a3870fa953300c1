//! A strict-enough XML check for the charts, on top of quick-xml.

use std::collections::BTreeSet;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// One element: name, attributes (unescaped) and its direct text (unescaped).
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `svg`, panicking with a useful message unless it is a well-formed
/// XML document with one `<svg>` root, unique ids, and finite numbers in
/// every geometric attribute. Returns the elements in document order.
pub fn check(svg: &str) -> Vec<Element> {
    for (i, c) in svg.char_indices() {
        let ok = matches!(c,
            '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(ok, "character {c:?} not allowed in XML at byte {i}");
    }
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let ev = reader.read_event().unwrap_or_else(|e| {
            panic!(
                "not well-formed at {}: {e}\n{svg}",
                reader.buffer_position()
            )
        });
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if stack.is_empty() {
                    roots += 1;
                }
                let el = element(s, svg);
                elements.push(el);
                if matches!(ev, Event::Start(_)) {
                    stack.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                stack.pop().expect("end tag without start");
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                if let Some(&top) = stack.last() {
                    elements[top].text.push_str(&s);
                } else {
                    assert!(s.trim().is_empty(), "text outside the root: {s:?}");
                }
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .expect("bad char ref")
                        .expect("char ref")
                } else {
                    match &*r.xml10_content() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undefined entity &{other};"),
                    }
                };
                let top = *stack.last().expect("reference outside the root");
                elements[top].text.push(c);
            }
            Event::Eof => break,
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "exactly one root element");
    assert_eq!(elements[0].name, "svg");

    let mut ids = BTreeSet::new();
    for el in &elements {
        if let Some(id) = el.attr("id") {
            assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        }
        for (k, v) in &el.attrs {
            check_number_attr(&el.name, k, v);
        }
    }
    elements
}

fn element(s: &BytesStart, svg: &str) -> Element {
    let name = s.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.unwrap_or_else(|e| panic!("bad attribute in <{name}>: {e}\n{svg}"));
        let raw = a.value.to_string();
        assert!(!raw.contains('<'), "raw < in attribute value: {raw}");
        let key = a.key.as_ref().to_owned();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .unwrap_or_else(|e| panic!("bad attribute value {key}={raw:?}: {e}"))
            .into_owned();
        attrs.push((key, value));
    }
    Element {
        name,
        attrs,
        text: String::new(),
    }
}

fn check_number_attr(el: &str, key: &str, v: &str) {
    let plain = [
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "width",
        "height",
        "font-size",
        "stroke-width",
        "offset",
    ];
    if plain.contains(&key) {
        let n: f64 = v
            .parse()
            .unwrap_or_else(|_| panic!("<{el} {key}={v:?}> is not a number"));
        assert!(n.is_finite(), "<{el} {key}={v}>");
        if matches!(key, "width" | "height" | "r" | "font-size") {
            assert!(n >= 0.0, "<{el} {key}={v}> is negative");
        }
    }
    if key == "d" || key == "viewBox" {
        for tok in v.split(|c: char| c == ' ' || c.is_ascii_alphabetic()) {
            if !tok.is_empty() {
                let n: f64 = tok
                    .parse()
                    .unwrap_or_else(|_| panic!("<{el} {key}={v:?}>: {tok:?}"));
                assert!(n.is_finite());
            }
        }
    }
    if key == "transform" {
        let inner = v
            .strip_prefix("rotate(")
            .and_then(|s| s.strip_suffix(')'))
            .unwrap_or_else(|| panic!("unexpected transform {v}"));
        for tok in inner.split(' ') {
            assert!(tok.parse::<f64>().unwrap().is_finite());
        }
    }
}

/// Checks the accessibility frame: role, aria-labelledby → title and desc. A chart holding
/// links is a named group (links inside an image are out of screen readers' reach), each link
/// named; any other is an image.
pub fn check_a11y(els: &[Element], id: &str) {
    let root = &els[0];
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    let links: Vec<&Element> = els.iter().filter(|e| e.name == "a").collect();
    if links.is_empty() {
        assert_eq!(root.attr("role"), Some("img"));
    } else {
        assert_eq!(root.attr("role"), Some("group"));
        for a in links {
            assert!(
                a.attr("aria-label").is_some_and(|l| !l.trim().is_empty()),
                "a link in a chart has a name"
            );
        }
    }
    let vb = root.attr("viewBox").expect("viewBox");
    assert!(vb.starts_with("0 0 "), "{vb}");
    assert!(
        root.attr("font-family")
            .unwrap()
            .starts_with("'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei'")
    );
    let labelled = root.attr("aria-labelledby").expect("aria-labelledby");
    assert_eq!(labelled, format!("{id}-title {id}-desc"));
    // The first two children are the <title> and <desc> it points at.
    assert_eq!(els[1].name, "title");
    assert_eq!(els[1].attr("id"), Some(format!("{id}-title").as_str()));
    assert!(!els[1].text.trim().is_empty());
    assert_eq!(els[2].name, "desc");
    assert_eq!(els[2].attr("id"), Some(format!("{id}-desc").as_str()));
    assert!(!els[2].text.trim().is_empty());
    assert!(
        !els.iter()
            .any(|e| e.name == "script" || e.name == "style" || e.name == "image")
    );
}
