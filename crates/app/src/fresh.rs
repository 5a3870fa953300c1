//! Short-lived caches of what the database says, for the reads that nearly every request makes
//! and that nearly never change: a browser session's look-up (who, its form token, the
//! navigation's facts) and the zones and chains that label every listing.
//!
//! An entry is served only while this process has written nothing since it was read
//! (`fruition_store::writes`) and for at most its time to live. So whatever this server writes —
//! signing out, a deactivated user, a message read, a renamed chain — shows on the very next
//! request; what another server writes to the same PostgreSQL database (or a command run on the
//! same SQLite file) shows within the time to live.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an entry may be served without a write of this process to say it changed.
pub const TTL: Duration = Duration::from_secs(2);

struct Entry<V> {
    at: Instant,
    writes: u64,
    value: V,
}

/// Entries by key, each kept while this process has not written since its read and for at most
/// [`TTL`]; at most `max` of them (all dropped when full).
pub struct Fresh<K, V> {
    max: usize,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Eq + Hash, V: Clone> Fresh<K, V> {
    pub fn new(max: usize) -> Self {
        Fresh {
            max,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The entry for `key`, if nothing was written since it was read and it is younger than
    /// [`TTL`].
    pub fn get(&self, key: &K) -> Option<V> {
        let now_writes = fruition_store::writes();
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|e| (e.writes == now_writes) && e.at.elapsed() < TTL)
            .map(|e| e.value.clone())
    }

    /// Keeps `value` for `key`; `writes_before` is `fruition_store::writes()` read before the
    /// database was, so a write that landed meanwhile leaves the entry stale at once.
    pub fn put(&self, key: K, writes_before: u64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.max {
                entries.clear();
            }
            entries.insert(
                key,
                Entry {
                    at: Instant::now(),
                    writes: writes_before,
                    value,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_until_it_expires() {
        let cache: Fresh<&str, i32> = Fresh::new(10);
        let w = fruition_store::writes();
        cache.put("a", w, 1);
        // Another test of this process may write meanwhile: then the entry is rightly stale.
        if fruition_store::writes() == w {
            assert_eq!(cache.get(&"a"), Some(1));
        }
        assert_eq!(cache.get(&"b"), None);
    }

    #[test]
    fn an_entry_read_before_a_write_is_not_served() {
        let cache: Fresh<&str, i32> = Fresh::new(10);
        cache.put("a", fruition_store::writes().wrapping_sub(1), 1);
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn a_full_cache_starts_again() {
        let cache: Fresh<i32, i32> = Fresh::new(2);
        let w = fruition_store::writes();
        for k in 0..3 {
            cache.put(k, w, k);
        }
        assert_eq!(cache.get(&0), None);
        assert_eq!(cache.get(&1), None);
    }
}
