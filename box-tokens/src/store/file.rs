//! [`FileStore`]: one JSON file per subject, replaced atomically, with cross-process locks.

use std::fmt;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::TryLockError;
use tempfile::NamedTempFile;
use tokio::sync::OwnedMutexGuard;
use zeroize::Zeroizing;

use super::{StoreError, StoreLock, SubjectLocks, TokenStore};
use crate::format::check_version;
use crate::random::hex;
use crate::tokens::Tokens;

/// Every file the store owns starts with this; the rest is the hex of the subject.
const FILE_PREFIX: &str = "tokens-";

/// Temporary files start with this, so they are never taken for token files.
const TEMP_PREFIX: &str = ".tokens-";

/// The longest subject, in bytes, whose file name (prefix, two hex digits
/// per byte, suffix) fits the usual 255-byte limit.
const MAX_SUBJECT_BYTES: usize = 120;

/// The first and the longest pause between attempts to take a file lock.
const LOCK_POLL_START: Duration = Duration::from_millis(5);
const LOCK_POLL_MAX: Duration = Duration::from_millis(100);

/// Keeps each subject's tokens in its own file in one directory.
///
/// * File names are `tokens-<hex of the subject's UTF-8>.json`, so no
///   subject (with `/`, `..` or anything else) can name a file outside the
///   directory. Subjects longer than 120 bytes are refused.
/// * Saving writes a temporary file in the same directory (mode 0600 on
///   Unix), flushes it to disk, renames it over the old file and flushes the
///   directory. A crash at any point leaves either the old or the new file,
///   never a mix; a crash before the rename may leave a `.tokens-*.tmp`
///   file behind, which is never read.
/// * Files hold the versioned JSON form of [`Tokens::to_json`]. A file written by a newer
///   release is refused when read and never replaced: its owner may still need it.
/// * [`TokenStore::lock`] takes an in-process mutex and then an advisory
///   exclusive lock on `tokens-<hex>.lock`, so it also excludes other
///   processes (and other `FileStore` values) using the same directory. The
///   lock files are left in place; deleting them while others wait would
///   let two holders in. Advisory locks may not work on network file systems.
///
/// The directory is created (mode 0700 on Unix) on first write or lock.
/// Clones share their in-process locks.
#[derive(Clone)]
pub struct FileStore {
    dir: PathBuf,
    locks: SubjectLocks,
}

impl FileStore {
    /// Makes a store over `dir`; no file is touched until first use.
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore {
            dir: dir.into(),
            locks: SubjectLocks::default(),
        }
    }

    /// The directory holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds `subject`'s tokens.
    pub fn token_path(&self, subject: &str) -> Result<PathBuf, StoreError> {
        Ok(self.dir.join(format!("{}.json", file_stem(subject)?)))
    }

    /// The file whose lock guards `subject`.
    fn lock_path(&self, subject: &str) -> Result<PathBuf, StoreError> {
        Ok(self.dir.join(format!("{}.lock", file_stem(subject)?)))
    }
}

impl fmt::Debug for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl TokenStore for FileStore {
    async fn load(&self, subject: &str) -> Result<Option<Tokens>, StoreError> {
        let path = self.token_path(subject)?;
        let bytes = match tokio::fs::read(&path).await {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::io("read", &path)(error)),
        };
        let tokens =
            Tokens::from_json(&bytes).map_err(|source| StoreError::Format { path, source })?;
        tracing::debug!(subject, "tokens loaded from file");
        Ok(Some(tokens))
    }

    async fn save(&self, subject: &str, tokens: &Tokens) -> Result<(), StoreError> {
        let target = self.token_path(subject)?;
        let json = tokens.to_json().map_err(|source| StoreError::Format {
            path: target.clone(),
            source,
        })?;
        let dir = self.dir.clone();
        run_blocking(move || {
            refuse_newer_file(&target)?;
            write_atomically(&dir, &target, &json)
        })
        .await?;
        tracing::debug!(subject, "tokens saved to file");
        Ok(())
    }

    async fn clear(&self, subject: &str) -> Result<(), StoreError> {
        let path = self.token_path(subject)?;
        let dir = self.dir.clone();
        run_blocking(move || remove_token_file(&dir, &path)).await?;
        tracing::debug!(subject, "tokens cleared from file");
        Ok(())
    }

    async fn lock(&self, subject: &str) -> Result<StoreLock, StoreError> {
        let path = self.lock_path(subject)?;
        let local = self.locks.acquire(subject).await;
        let (dir, open_path) = (self.dir.clone(), path.clone());
        let file = run_blocking(move || open_lock_file(&dir, &open_path)).await?;
        wait_for_file_lock(&file, &path).await?;
        tracing::debug!(subject, "token lock acquired");
        Ok(StoreLock::new(
            subject,
            FileLockGuard {
                file,
                _local: local,
            },
        ))
    }
}

/// Holds the file lock and the in-process lock of one subject.
struct FileLockGuard {
    file: File,
    _local: OwnedMutexGuard<()>,
}

impl Drop for FileLockGuard {
    fn drop(&mut self) {
        // Closing the file releases the lock too, so a failure here only
        // delays the release until the file is closed just after.
        if let Err(error) = fs4::FileExt::unlock(&self.file) {
            tracing::debug!(%error, "unlocking the token lock file failed");
        }
    }
}

/// Names a subject's files: the prefix and the hex of its bytes.
fn file_stem(subject: &str) -> Result<String, StoreError> {
    if subject.len() > MAX_SUBJECT_BYTES {
        return Err(StoreError::SubjectTooLong {
            length: subject.len(),
            max: MAX_SUBJECT_BYTES,
        });
    }
    Ok(format!("{FILE_PREFIX}{}", hex(subject.as_bytes())))
}

/// Runs blocking file work on tokio's blocking pool.
async fn run_blocking<T, F>(work: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(StoreError::Task)?
}

/// Refuses to replace a token file that a newer release wrote: its owner may still need it.
fn refuse_newer_file(target: &Path) -> Result<(), StoreError> {
    let existing = match fs::read(target) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(StoreError::io("read", target)(error)),
    };
    check_version(&existing).map_err(|source| StoreError::Format {
        path: target.to_path_buf(),
        source,
    })
}

/// Replaces `target` with `contents` so that readers and crashes see either
/// the old file or the new one, never a partial write.
fn write_atomically(dir: &Path, target: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let temp = write_temp_file(dir, contents)?;
    temp.persist(target)
        .map_err(|error| StoreError::io("replace", target)(error.error))?;
    sync_dir(dir)
}

/// Writes `contents` to a new temporary file in `dir` and flushes it to disk: the first half
/// of an atomic replacement, after which a crash leaves the old file in place.
fn write_temp_file(dir: &Path, contents: &[u8]) -> Result<NamedTempFile, StoreError> {
    create_dir(dir)?;
    let mut temp = new_temp_file(dir)?;
    let written = temp
        .write_all(contents)
        .and_then(|()| temp.as_file().sync_all());
    written.map_err(StoreError::io("write", temp.path()))?;
    Ok(temp)
}

/// Creates a temporary file beside the target, readable by the owner only.
fn new_temp_file(dir: &Path) -> Result<NamedTempFile, StoreError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    builder
        .tempfile_in(dir)
        .map_err(StoreError::io("create a temporary file in", dir))
}

/// Creates the store directory if needed (owner-only on Unix).
fn create_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(StoreError::io("create directory", dir))
}

/// Flushes the directory entry, so a finished rename survives power loss.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|handle| handle.sync_all())
        .map_err(StoreError::io("flush directory", dir))
}

/// Directories cannot be flushed this way off Unix; the rename suffices.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// Deletes a token file; a missing file is not an error.
fn remove_token_file(dir: &Path, path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(dir),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(StoreError::io("remove", path)(error)),
    }
}

/// Opens (creating if needed) a subject's lock file.
fn open_lock_file(dir: &Path, path: &Path) -> Result<File, StoreError> {
    create_dir(dir)?;
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(StoreError::io("open lock file", path))
}

/// Takes the exclusive advisory lock, retrying with growing pauses on
/// tokio's timer so the runtime is never blocked.
async fn wait_for_file_lock(file: &File, path: &Path) -> Result<(), StoreError> {
    let mut pause = LOCK_POLL_START;
    loop {
        match fs4::FileExt::try_lock(file) {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(error)) => return Err(StoreError::io("lock", path)(error)),
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LOCK_POLL_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::FormatError;
    use crate::secret::{AccessToken, RefreshToken};
    use std::time::UNIX_EPOCH;
    use tempfile::TempDir;

    fn tokens(access: &str) -> Tokens {
        let issued = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let refresh = Some(RefreshToken::from(format!("{access}-refresh")));
        Tokens::from_response(AccessToken::from(access), Some(3600), refresh, issued)
    }

    fn temp_dir() -> TempDir {
        tempfile::tempdir().expect("temporary directory")
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("directory lists")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn save_load_clear_round_trip() {
        let root = temp_dir();
        let store = FileStore::new(root.path().join("nested/store"));
        assert_eq!(store.load("user:1").await.expect("loads"), None);
        store.save("user:1", &tokens("one")).await.expect("saves");
        assert_eq!(
            store.load("user:1").await.expect("loads"),
            Some(tokens("one"))
        );
        store
            .save("user:1", &tokens("two"))
            .await
            .expect("overwrites");
        assert_eq!(
            store.load("user:1").await.expect("loads"),
            Some(tokens("two"))
        );
        store.clear("user:1").await.expect("clears");
        assert_eq!(store.load("user:1").await.expect("loads"), None);
        store.clear("user:1").await.expect("clearing twice is fine");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn files_are_private_to_the_owner() {
        use std::os::unix::fs::PermissionsExt;
        let root = temp_dir();
        let store = FileStore::new(root.path().join("store"));
        store.save("s", &tokens("one")).await.expect("saves");
        drop(store.lock("s").await.expect("locks"));
        let mode = |path: &Path| fs::metadata(path).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&store.token_path("s").expect("path")), 0o600);
        assert_eq!(mode(&store.lock_path("s").expect("path")), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }

    #[tokio::test]
    async fn a_crash_before_the_rename_keeps_the_old_tokens() {
        let root = temp_dir();
        let store = FileStore::new(root.path());
        store.save("s", &tokens("old")).await.expect("saves");
        // A save that dies after writing the temporary file, before renaming it.
        let json = tokens("new").to_json().expect("encodes");
        let temp = write_temp_file(root.path(), &json).expect("writes");
        temp.into_temp_path()
            .keep()
            .expect("left behind as a crash leaves it");

        assert_eq!(store.load("s").await.expect("loads"), Some(tokens("old")));
        let leftovers: Vec<String> = names_in(root.path())
            .into_iter()
            .filter(|name| name.starts_with(TEMP_PREFIX))
            .collect();
        assert_eq!(leftovers.len(), 1, "the abandoned temporary file stays");
        store
            .save("s", &tokens("new"))
            .await
            .expect("saves after the crash");
        assert_eq!(store.load("s").await.expect("loads"), Some(tokens("new")));
    }

    #[tokio::test]
    async fn a_corrupt_file_is_an_error_naming_it() {
        let root = temp_dir();
        let store = FileStore::new(root.path());
        let path = store.token_path("s").expect("path");
        fs::write(
            &path,
            r#"{"access_token": "leaked-token", "expires_at": "leaked-too"}"#,
        )
        .expect("writes");
        let error = store.load("s").await.expect_err("corrupt");
        assert!(matches!(
            &error,
            StoreError::Format { path: p, source: FormatError::Corrupt { .. } } if *p == path
        ));
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()));
        assert!(!message.contains("leaked"), "{message}");
    }

    #[tokio::test]
    async fn a_file_of_a_newer_release_is_refused_and_never_overwritten() {
        let root = temp_dir();
        let store = FileStore::new(root.path());
        let path = store.token_path("s").expect("path");
        let newer = r#"{"version": 7, "sealed": "whatever version 7 keeps"}"#;
        fs::write(&path, newer).expect("writes");

        let error = store.load("s").await.expect_err("newer");
        assert!(matches!(
            &error,
            StoreError::Format {
                source: FormatError::UnsupportedVersion {
                    found: 7,
                    supported: 1
                },
                ..
            }
        ));
        assert!(error.to_string().contains("newer release"), "{error}");
        let error = store.save("s", &tokens("one")).await.expect_err("refused");
        assert!(matches!(error, StoreError::Format { .. }), "{error:?}");
        assert_eq!(fs::read_to_string(&path).expect("still there"), newer);
    }

    #[tokio::test(start_paused = true)]
    async fn two_stores_on_one_directory_take_turns() {
        let root = temp_dir();
        let first = FileStore::new(root.path());
        let second = FileStore::new(root.path());
        let held = first.lock("s").await.expect("first locks");
        let (acquired_tx, mut acquired_rx) = tokio::sync::oneshot::channel();
        let waiter = tokio::spawn(async move {
            let guard = second.lock("s").await.expect("second locks");
            let _sent = acquired_tx.send(());
            guard
        });
        // Sixty seconds of paused time pass while the first guard is held.
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(
            acquired_rx.try_recv().is_err(),
            "the second store must wait"
        );
        drop(held);
        let guard = tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("acquires soon after the release")
            .expect("task ran");
        assert_eq!(guard.subject(), "s");
        let third = FileStore::new(root.path());
        let blocked = tokio::time::timeout(Duration::from_secs(60), third.lock("s")).await;
        assert!(
            blocked.is_err(),
            "the second store's guard excludes a third"
        );
    }

    #[tokio::test]
    async fn different_subjects_lock_independently() {
        let root = temp_dir();
        let store = FileStore::new(root.path());
        let _a = store.lock("a").await.expect("locks a");
        let _b = FileStore::new(root.path())
            .lock("b")
            .await
            .expect("locks b");
    }

    #[tokio::test]
    async fn hostile_subjects_stay_inside_the_directory() {
        let root = temp_dir();
        let dir = root.path().join("store");
        let store = FileStore::new(&dir);
        let subjects = [
            "../escape",
            "a/b/../../c",
            "/etc/passwd",
            "..",
            ".",
            "ünï/çødé",
            "C:\\x",
            "",
        ];
        for (index, subject) in subjects.iter().enumerate() {
            store
                .save(subject, &tokens(&format!("t{index}")))
                .await
                .expect("saves");
            drop(store.lock(subject).await.expect("locks"));
        }
        assert_eq!(names_in(root.path()), vec![String::from("store")]);
        let names = names_in(&dir);
        assert_eq!(names.len(), subjects.len() * 2);
        for name in &names {
            let stem = name.trim_end_matches(".json").trim_end_matches(".lock");
            let digits = stem.strip_prefix(FILE_PREFIX).expect("prefixed");
            assert!(digits.bytes().all(|b| b.is_ascii_hexdigit()), "{name}");
        }
        for (index, subject) in subjects.iter().enumerate() {
            let loaded = store.load(subject).await.expect("loads");
            assert_eq!(loaded, Some(tokens(&format!("t{index}"))));
        }
    }

    #[tokio::test]
    async fn overlong_subjects_are_refused() {
        let store = FileStore::new(temp_dir().path());
        let long = "x".repeat(MAX_SUBJECT_BYTES + 1);
        let error = store.load(&long).await.expect_err("too long");
        assert!(matches!(
            error,
            StoreError::SubjectTooLong {
                length: 121,
                max: 120
            }
        ));
        let longest = "x".repeat(MAX_SUBJECT_BYTES);
        assert_eq!(store.load(&longest).await.expect("fits"), None);
    }
}
