//! A short-lived cache of API-token lookups, so a busy script's requests do not each wait on the
//! database. Entries live two seconds; any change to users, organisations or tokens made through
//! this process clears it at once, and changes made on another app server reach this one within
//! those two seconds. (Browser sessions are kept by `crate::fresh` instead, which forgets them
//! on any write of this process: their navigation's facts, such as unread messages, change with
//! what the user does.)

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fruition_store::users::Principal;

const TTL: Duration = Duration::from_secs(2);
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (Instant, Principal)>>,
}

impl TokenCache {
    pub fn get(&self, token_hash: &str) -> Option<Principal> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(token_hash)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, p)| p.clone())
    }

    pub fn put(&self, token_hash: String, principal: Principal) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(token_hash, (Instant::now(), principal));
        }
    }

    /// Forgets everything: called after any change to who someone is or whether they may sign in.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
