//! The [`TokenStore`] trait, its lock guard and errors, shared by the memory and file stores.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use crate::format::FormatError;
use crate::tokens::Tokens;

mod file;
mod memory;

pub use file::FileStore;
pub use memory::MemoryStore;

/// Keeps [`Tokens`] per subject (any string key, such as
/// [`Subject::store_key`](crate::Subject::store_key)) and serializes
/// refreshes.
///
/// Box refresh tokens are single-use, so two refreshes racing with the same
/// refresh token make one of them fail and can lose the new pair. Hold
/// [`TokenStore::lock`] around "load, refresh if needed, save": the guard
/// excludes every other holder for that subject, in this process and, for
/// stores that say so, in other processes sharing the same store.
///
/// The methods return `impl Future`, so a store is a type parameter
/// ([`TokenProvider<S>`](crate::TokenProvider)), not a `dyn TokenStore`.
pub trait TokenStore: Send + Sync {
    /// Returns the tokens saved for `subject`, or `None` if there are none.
    fn load(
        &self,
        subject: &str,
    ) -> impl Future<Output = Result<Option<Tokens>, StoreError>> + Send;

    /// Saves `tokens` for `subject`, replacing what was there.
    fn save(
        &self,
        subject: &str,
        tokens: &Tokens,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Forgets the tokens of `subject`; succeeds if there were none.
    fn clear(&self, subject: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Waits until this caller is the only holder of `subject`'s lock and
    /// returns a guard that releases it when dropped.
    ///
    /// The wait itself has no time limit: callers bound it, as
    /// [`TokenProvider`](crate::TokenProvider) does with its lock wait, by
    /// dropping the future, which gives up cleanly.
    fn lock(&self, subject: &str) -> impl Future<Output = Result<StoreLock, StoreError>> + Send;
}

/// An exclusive hold on one subject of a [`TokenStore`], released on drop.
pub struct StoreLock {
    subject: String,
    _guard: Box<dyn Send + Sync>,
}

impl StoreLock {
    /// Wraps whatever value keeps the lock held, for stores written outside
    /// this crate; the lock must be released when `guard` is dropped.
    pub fn new<G: Send + Sync + 'static>(subject: impl Into<String>, guard: G) -> StoreLock {
        StoreLock {
            subject: subject.into(),
            _guard: Box::new(guard),
        }
    }

    /// The subject this lock covers.
    pub fn subject(&self) -> &str {
        &self.subject
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        tracing::debug!(subject = %self.subject, "token lock released");
    }
}

impl fmt::Debug for StoreLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreLock")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a token store operation failed. Never holds token values: a corrupt
/// file is reported by path and position only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file system operation failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done, such as "read" or "lock".
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A token file holds no tokens this release can use (corrupt, or written by a newer
    /// release), or tokens could not be put in their JSON form. A file of a newer release is
    /// never overwritten.
    #[error("token file {}: {source}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: FormatError,
    },
    /// The subject is too long to become a file name.
    #[error("subject is {length} bytes long; the file store accepts at most {max}")]
    SubjectTooLong {
        /// The subject's length in bytes.
        length: usize,
        /// The longest accepted subject, in bytes.
        max: usize,
    },
    /// A background file task stopped without finishing.
    #[error("a background file task failed: {0}")]
    Task(#[source] tokio::task::JoinError),
}

impl StoreError {
    /// Builds a closure that wraps an I/O error with its action and path.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io {
            action,
            path,
            source,
        }
    }
}

/// In-process, per-subject async mutexes. Entries nobody holds or waits for
/// are pruned, so the map does not grow with every subject ever seen.
#[derive(Clone, Default)]
pub(crate) struct SubjectLocks {
    mutexes: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
}

impl SubjectLocks {
    /// Waits for exclusive use of `subject` within this process.
    pub(crate) async fn acquire(&self, subject: &str) -> OwnedMutexGuard<()> {
        self.mutex_for(subject).lock_owned().await
    }

    /// Returns the mutex of `subject`, creating it if needed.
    fn mutex_for(&self, subject: &str) -> Arc<AsyncMutex<()>> {
        // A panic elsewhere cannot leave this map inconsistent, so a poisoned
        // lock is safe to keep using.
        let mut mutexes = self.mutexes.lock().unwrap_or_else(PoisonError::into_inner);
        // An entry whose only reference is the map's own is neither held nor
        // awaited, and the map lock keeps anyone from picking it up now.
        mutexes.retain(|_, mutex| Arc::strong_count(mutex) > 1);
        Arc::clone(mutexes.entry(subject.to_owned()).or_default())
    }

    /// How many subjects currently have an entry; for tests.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.mutexes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn subject_locks_exclude_the_same_subject_only() {
        let locks = SubjectLocks::default();
        let held = locks.acquire("a").await;
        let _other = locks.acquire("b").await;
        let waiting = tokio::time::timeout(Duration::from_secs(60), locks.acquire("a")).await;
        assert!(waiting.is_err(), "a second holder of `a` must wait");
        drop(held);
        let _again = locks.acquire("a").await;
    }

    #[tokio::test]
    async fn unused_entries_are_pruned() {
        let locks = SubjectLocks::default();
        drop(locks.acquire("a").await);
        drop(locks.acquire("b").await);
        let _held = locks.acquire("c").await;
        assert_eq!(locks.len(), 1);
    }

    #[test]
    fn store_lock_debug_and_subject() {
        let lock = StoreLock::new("user:1", ());
        assert_eq!(lock.subject(), "user:1");
        assert!(format!("{lock:?}").contains("user:1"));
    }
}
