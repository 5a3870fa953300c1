//! Arbitrary inputs: never a panic, always well-formed, always deterministic.

use fruition_charts::{
    ChartOptions, Series, Tile, bar, horizontal_bar, line, stacked_bar, tile_map,
};
use proptest::prelude::*;

use crate::xml::{check, check_a11y};

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1000.0..100_000.0f64,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(0.0),
        1 => Just(1e300),
    ]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[株洲天元芦淞荷塘石峰渌口醴陵攸县茶炎<>&\"' ]{0,30}",
    ]
}

fn options() -> impl Strategy<Value = ChartOptions> {
    (label(), label(), label(), 0u32..2000, 0u32..2000).prop_map(
        |(title, description, unit, width, height)| ChartOptions {
            id: "p".to_owned(),
            title,
            description,
            width,
            height,
            unit,
        },
    )
}

fn check_all(svgs: &[String]) {
    for svg in svgs {
        let els = check(svg);
        check_a11y(&els, "p");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn single_series(o in options(), labels in prop::collection::vec(label(), 0..25), values in prop::collection::vec(value(), 0..25)) {
        let a = bar(&o, &labels, &values);
        let b = horizontal_bar(&o, &labels, &values);
        check_all(&[a.clone(), b.clone()]);
        prop_assert_eq!(a, bar(&o, &labels, &values));
        prop_assert_eq!(b, horizontal_bar(&o, &labels, &values));
    }

    #[test]
    fn multi_series(
        o in options(),
        labels in prop::collection::vec(label(), 0..12),
        series in prop::collection::vec((label(), prop::collection::vec(value(), 0..14)), 0..11),
    ) {
        let series: Vec<Series> = series.into_iter().map(|(n, v)| Series::new(n, v)).collect();
        let a = stacked_bar(&o, &labels, &series);
        let b = line(&o, &labels, &series);
        check_all(&[a.clone(), b.clone()]);
        prop_assert_eq!(a, stacked_bar(&o, &labels, &series));
        prop_assert_eq!(b, line(&o, &labels, &series));
    }

    #[test]
    fn tiles(
        o in options(),
        tiles in prop::collection::vec(
            (label(), 0u32..12, 0u32..12, value(), prop::option::of(label()), prop::option::of(label())),
            0..30,
        ),
    ) {
        let tiles: Vec<Tile> = tiles
            .into_iter()
            .map(|(label, col, row, value, note, href)| Tile { label, col, row, value, note, href })
            .collect();
        let a = tile_map(&o, &tiles);
        check_all(std::slice::from_ref(&a));
        prop_assert_eq!(a, tile_map(&o, &tiles));
    }
}
