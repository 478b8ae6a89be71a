//! The token layer under faults, against the mock of Box (see `support`): a store that fails
//! saves, a lock holder in another process that stalls or dies, token files of the previous
//! and of a newer release, and Box taking longer than the renewal deadline.

mod support;

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use box_tokens::{
    ClientSecret, Error, FileStore, FormatError, ManualClock, RefreshToken, StoreError, StoreLock,
    Subject, TokenClient, TokenProvider, TokenStore, Tokens, DEFAULT_LOCK_WAIT,
};
use support::lock_holder::{hold_if_asked, LockHolder};
use support::{signed_in_user, t0, token_client, MockBox, CLIENT_ID, CLIENT_SECRET};

/// Longer than any bounded wait here: a test that reaches it found an unbounded one.
const FOREVER: Duration = Duration::from_secs(24 * 3600);

/// A file store whose next saves fail, as on a full disk, until `failing` runs out.
struct FlakyStore {
    inner: FileStore,
    failing: AtomicUsize,
}

impl FlakyStore {
    fn new(inner: FileStore) -> Self {
        Self {
            inner,
            failing: AtomicUsize::new(0),
        }
    }

    fn fail_next_saves(&self, count: usize) {
        self.failing.store(count, Ordering::SeqCst);
    }
}

impl TokenStore for FlakyStore {
    async fn load(&self, subject: &str) -> Result<Option<Tokens>, StoreError> {
        self.inner.load(subject).await
    }

    async fn save(&self, subject: &str, tokens: &Tokens) -> Result<(), StoreError> {
        let fail = self
            .failing
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            });
        if fail.is_ok() {
            return Err(StoreError::Io {
                action: "write",
                path: self.inner.dir().to_path_buf(),
                source: io::Error::other("no space left on device"),
            });
        }
        self.inner.save(subject, tokens).await
    }

    async fn clear(&self, subject: &str) -> Result<(), StoreError> {
        self.inner.clear(subject).await
    }

    async fn lock(&self, subject: &str) -> Result<StoreLock, StoreError> {
        self.inner.lock(subject).await
    }
}

async fn stored_in(dir: &std::path::Path, key: &str) -> Tokens {
    FileStore::new(dir)
        .load(key)
        .await
        .unwrap()
        .expect("stored")
}

#[tokio::test]
async fn a_pair_the_store_fails_to_save_is_kept_and_saved_later() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let store = FlakyStore::new(FileStore::new(dir.path()));
    let provider = signed_in_user(&mock, &clock, store).await;
    provider.store().fail_next_saves(3);
    clock.advance(Duration::from_secs(3600));

    // Box issues a pair, the disk refuses it: the caller learns it is held in memory.
    let error = provider.token().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::NotPersisted {
                source: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("held in memory and not yet persisted"));
    assert!(error.is_retryable());
    // Within the pause after a failure the store is not tried again.
    let error = provider.token().await.unwrap_err();
    assert!(matches!(error, Error::NotPersisted { source: None, .. }));
    // Two more failures, a second and then two seconds on; four seconds on, the save works.
    for pause in [1, 2] {
        clock.advance(Duration::from_secs(pause));
        let error = provider.token().await.unwrap_err();
        assert!(matches!(
            error,
            Error::NotPersisted {
                source: Some(_),
                ..
            }
        ));
    }
    clock.advance(Duration::from_secs(4));
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");

    // Box was asked once, nobody has to sign in again, and the pair is on disk.
    assert_eq!(mock.ledger().refreshes(), 1);
    let stored = stored_in(dir.path(), provider.store_key()).await;
    assert_eq!(stored.access_token.expose(), "access-2");
    assert_eq!(stored.refresh_token, Some(RefreshToken::from("refresh-2")));
    clock.advance(Duration::from_secs(3600));
    assert_eq!(provider.token().await.unwrap().expose(), "access-3");
}

#[tokio::test]
async fn a_failed_save_ahead_of_expiry_costs_the_caller_nothing() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FlakyStore::new(FileStore::new(dir.path()))).await;
    provider.store().fail_next_saves(1);
    clock.advance(Duration::from_secs(56 * 60));

    // The new pair is held back; the current token, four minutes from expiry, serves.
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    assert_eq!(
        stored_in(dir.path(), provider.store_key())
            .await
            .access_token
            .expose(),
        "access-1"
    );
    clock.advance(Duration::from_secs(30));
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    assert_eq!(mock.ledger().refreshes(), 1);
    assert_eq!(
        stored_in(dir.path(), provider.store_key())
            .await
            .access_token
            .expose(),
        "access-2"
    );
}

const STALLED: &str = "a_stalled_lock_holder_in_another_process_stalls_nobody_for_long";

#[tokio::test(start_paused = true)]
async fn a_stalled_lock_holder_in_another_process_stalls_nobody_for_long() {
    if hold_if_asked().await {
        return;
    }
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    let holder = LockHolder::spawn(STALLED, dir.path(), provider.store_key(), None);

    // Four minutes before expiry: after the bounded wait, the current token serves.
    clock.advance(Duration::from_secs(56 * 60));
    let started = tokio::time::Instant::now();
    let token = tokio::time::timeout(FOREVER, provider.token()).await;
    assert_eq!(token.expect("a bounded wait").unwrap().expose(), "access-1");
    let waited = started.elapsed();
    assert!(
        waited >= DEFAULT_LOCK_WAIT && waited < DEFAULT_LOCK_WAIT * 2,
        "{waited:?}"
    );

    // Once it has expired, the caller gets a retryable error after the same wait.
    clock.advance(Duration::from_secs(5 * 60));
    let error = tokio::time::timeout(FOREVER, provider.token()).await;
    let error = error.expect("a bounded wait").unwrap_err();
    assert!(
        matches!(error, Error::StoreBusy { waited, .. } if waited == DEFAULT_LOCK_WAIT),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(mock.ledger().token_requests.is_empty());

    // When the holder lets go, the lock is there to take.
    holder.release();
    let lock = tokio::time::timeout(FOREVER, provider.store().lock(provider.store_key())).await;
    lock.expect("released").unwrap();
}

const STORED_MEANWHILE: &str = "a_pair_a_stalled_lock_holder_stored_is_used";

#[tokio::test(start_paused = true)]
async fn a_pair_a_stalled_lock_holder_stored_is_used() {
    if hold_if_asked().await {
        return;
    }
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    clock.advance(Duration::from_secs(3600));
    let now = clock_seconds(&clock);
    // The other process renewed and stored a pair, then stalled with the lock held.
    let pair = Some(("access-9", "refresh-9", now));
    let _holder = LockHolder::spawn(STORED_MEANWHILE, dir.path(), provider.store_key(), pair);

    let token = tokio::time::timeout(FOREVER, provider.token()).await;
    assert_eq!(token.expect("a bounded wait").unwrap().expose(), "access-9");
    assert!(mock.ledger().token_requests.is_empty());
}

fn clock_seconds(clock: &ManualClock) -> u64 {
    use box_tokens::Clock;
    let since = clock.now().duration_since(std::time::UNIX_EPOCH).unwrap();
    since.as_secs()
}

const KILLED: &str = "a_lock_left_by_a_killed_process_is_released";

#[tokio::test]
async fn a_lock_left_by_a_killed_process_is_released() {
    if hold_if_asked().await {
        return;
    }
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    LockHolder::spawn(KILLED, dir.path(), provider.store_key(), None).kill();
    clock.advance(Duration::from_secs(3600));

    // The operating system released the dead process's lock: the renewal goes ahead.
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    assert_eq!(mock.ledger().refreshes(), 1);
}

/// A user provider over a file store in `dir`, which holds `contents` as its token file.
fn user_with_token_file(
    mock: &MockBox,
    clock: &ManualClock,
    dir: &std::path::Path,
    contents: &str,
) -> TokenProvider<FileStore> {
    let (client, _) = token_client(mock, clock);
    let provider = TokenProvider::user(client, "alice")
        .store(FileStore::new(dir))
        .refresh_ahead(Duration::from_secs(300), Duration::ZERO)
        .build();
    let path = provider.store().token_path(provider.store_key()).unwrap();
    std::fs::write(path, contents).unwrap();
    provider
}

#[tokio::test]
async fn a_token_file_written_by_the_previous_release_keeps_the_user_signed_in() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    // The file holds the mock's seventh pair, issued at `t0`, restricted to one folder.
    for _ in 0..7 {
        mock.ledger().issue_pair();
    }
    let file = include_str!("data/token_file_unversioned.json");
    let provider = user_with_token_file(&mock, &clock, dir.path(), file);

    assert_eq!(provider.token().await.unwrap().expose(), "access-7");
    clock.advance(Duration::from_secs(3600));
    assert_eq!(provider.token().await.unwrap().expose(), "access-8");
    let path = provider.store().token_path(provider.store_key()).unwrap();
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["refresh_token"], "refresh-8");
}

#[tokio::test]
async fn a_token_file_written_by_a_newer_release_is_refused_and_left_alone() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let newer = r#"{"version": 2, "access_token": "access-1", "refresh_token": "refresh-1",
        "expires_at": 1800003600, "issued_at": 1800000000, "sealed_with": "os-keyring"}"#;
    let provider = user_with_token_file(&mock, &clock, dir.path(), newer);

    let error = provider.token().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Store(StoreError::Format {
                source: FormatError::UnsupportedVersion {
                    found: 2,
                    supported: 1
                },
                ..
            })
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("newer release"), "{error}");
    // Signing in again does not overwrite it either.
    let (access, refresh) = mock.ledger().issue_pair();
    let tokens = Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), t0());
    let error = provider.set_tokens(tokens).await.unwrap_err();
    let source = std::error::Error::source(&error).map(ToString::to_string);
    assert!(
        source.unwrap_or_default().contains("newer release"),
        "{error:?}"
    );
    let path = provider.store().token_path(provider.store_key()).unwrap();
    assert_eq!(std::fs::read_to_string(path).unwrap(), newer);
    assert!(mock.ledger().token_requests.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_renewal_stuck_in_retries_ends_at_its_deadline() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    // Box answers `503`, and the wait before the next attempt never ends.
    let client = TokenClient::builder(CLIENT_ID, ClientSecret::from(CLIENT_SECRET))
        .base_urls(mock.base_urls())
        .clock(clock)
        .sleep_with(|_| Box::pin(std::future::pending()))
        .build();
    mock.ledger().failures.push_back((503, None));
    let deadline = Duration::from_secs(90);
    let provider = TokenProvider::client_credentials(client, Subject::Enterprise("1234567".into()))
        .renewal_deadline(deadline)
        .build();

    let error = tokio::time::timeout(FOREVER, provider.token()).await;
    let error = error.expect("a bounded renewal").unwrap_err();
    assert!(
        matches!(error, Error::RenewalTimedOut { deadline: d, .. } if d == deadline),
        "{error:?}"
    );
    assert!(error.is_retryable());
}
