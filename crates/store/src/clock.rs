//! Time as the store keeps it: milliseconds since the Unix epoch, UTC, in a 64-bit integer,
//! which both engines compare and index the same way.
//!
//! A loader that writes a history (the demo data set) may run inside [`with_story_clock`] and set
//! the time its rows are written at ([`set_story_time`]), so that a 2023 report reads as filed in
//! early 2024 and a booking as requested before its slot. Everywhere else `now_ms` is the wall
//! clock; the audit log always keeps the wall clock ([`wall_ms`]), so it says when a row was
//! really written.

use std::cell::Cell;
use std::future::Future;
use std::time::{SystemTime, UNIX_EPOCH};

tokio::task_local! {
    static STORY: Cell<Option<i64>>;
}

/// The current time in epoch milliseconds: the wall clock, or inside [`with_story_clock`] the
/// time last set with [`set_story_time`].
pub fn now_ms() -> i64 {
    STORY
        .try_with(Cell::get)
        .ok()
        .flatten()
        .unwrap_or_else(wall_ms)
}

/// The wall clock in epoch milliseconds, whatever story is being written.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Runs `f` with a clock [`set_story_time`] can set; it starts at the wall clock.
pub async fn with_story_clock<F: Future>(f: F) -> F::Output {
    STORY.scope(Cell::new(None), f).await
}

/// Inside [`with_story_clock`], the time `now_ms` gives from now on (`None`: the wall clock);
/// never later than the wall clock. Outside, it does nothing.
pub fn set_story_time(ms: Option<i64>) {
    let ms = ms.map(|m| m.min(wall_ms()));
    let _ = STORY.try_with(|c| c.set(ms));
}

pub const SECOND_MS: i64 = 1_000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_story_sets_the_time_only_inside_its_scope() {
        let at = 1_700_000_000_000;
        set_story_time(Some(at));
        assert!(now_ms() > at, "outside a story, the wall clock");
        let inside = with_story_clock(async {
            set_story_time(Some(at));
            let first = now_ms();
            set_story_time(Some(i64::MAX));
            let capped = now_ms();
            set_story_time(None);
            (first, capped, now_ms())
        })
        .await;
        assert_eq!(inside.0, at);
        assert!(
            inside.1 < i64::MAX && inside.1 <= wall_ms(),
            "never in the future"
        );
        assert!(inside.2 > at);
    }
}
