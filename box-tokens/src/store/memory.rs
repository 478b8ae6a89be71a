//! [`MemoryStore`]: a token store that lives only as long as the process.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use tokio::sync::RwLock;

use super::{StoreError, StoreLock, SubjectLocks, TokenStore};
use crate::tokens::Tokens;

/// Keeps tokens in memory; clones share the same tokens and locks.
///
/// Its lock excludes other holders in this process only, which is all a
/// memory store can be shared with.
#[derive(Clone, Default)]
pub struct MemoryStore {
    tokens: Arc<RwLock<HashMap<String, Tokens>>>,
    locks: SubjectLocks,
}

impl MemoryStore {
    /// Makes an empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl TokenStore for MemoryStore {
    async fn load(&self, subject: &str) -> Result<Option<Tokens>, StoreError> {
        Ok(self.tokens.read().await.get(subject).cloned())
    }

    async fn save(&self, subject: &str, tokens: &Tokens) -> Result<(), StoreError> {
        let mut map = self.tokens.write().await;
        map.insert(subject.to_owned(), tokens.clone());
        tracing::debug!(subject, "tokens saved in memory");
        Ok(())
    }

    async fn clear(&self, subject: &str) -> Result<(), StoreError> {
        self.tokens.write().await.remove(subject);
        tracing::debug!(subject, "tokens cleared from memory");
        Ok(())
    }

    async fn lock(&self, subject: &str) -> Result<StoreLock, StoreError> {
        let guard = self.locks.acquire(subject).await;
        tracing::debug!(subject, "token lock acquired");
        Ok(StoreLock::new(subject, guard))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::AccessToken;
    use std::time::{Duration, UNIX_EPOCH};

    fn tokens(access: &str) -> Tokens {
        let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        Tokens::from_response(AccessToken::from(access), Some(3600), None, issued)
    }

    #[tokio::test]
    async fn save_load_clear_round_trip() {
        let store = MemoryStore::new();
        assert_eq!(store.load("s").await.expect("loads"), None);
        store.save("s", &tokens("one")).await.expect("saves");
        assert_eq!(
            store.clone().load("s").await.expect("loads"),
            Some(tokens("one"))
        );
        store.clear("s").await.expect("clears");
        assert_eq!(store.load("s").await.expect("loads"), None);
        store.clear("s").await.expect("clearing twice is fine");
    }

    #[tokio::test(start_paused = true)]
    async fn lock_is_exclusive_per_subject() {
        let store = MemoryStore::new();
        let held = store.lock("s").await.expect("locks");
        let other = store.clone();
        let mut waiter = tokio::spawn(async move { other.lock("s").await.map(drop) });
        let early = tokio::time::timeout(Duration::from_secs(60), &mut waiter).await;
        assert!(early.is_err(), "the second holder must wait");
        let _unrelated = store.lock("t").await.expect("other subjects are free");
        drop(held);
        waiter
            .await
            .expect("task ran")
            .expect("locks after release");
    }
}
