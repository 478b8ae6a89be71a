//! Another process holding a `FileStore`'s lock: the test binary run again, for one test, with
//! the `BOX_TOKENS_LOCK_HOLDER_*` variables set. That test starts with [`hold_if_asked`], which
//! in the child takes the lock (and stores a pair, if asked), says so on stdout, and then stalls
//! until its stdin closes or it is killed.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, SystemTime};

use box_tokens::{FileStore, TokenStore, Tokens};

const DIR: &str = "BOX_TOKENS_LOCK_HOLDER_DIR";
const KEY: &str = "BOX_TOKENS_LOCK_HOLDER_KEY";
/// `access refresh issued_at` (Unix seconds): a one-hour pair the child stores under the lock.
const STORE: &str = "BOX_TOKENS_LOCK_HOLDER_STORE";
/// What the child prints once it holds the lock (after the harness's `test NAME ... `).
const LOCKED: &str = "lock-holder: locked";

/// In the child process: holds the lock until stdin closes, and returns `true` (the test
/// must then return at once). In the test process itself: `false`.
pub async fn hold_if_asked() -> bool {
    let (Ok(dir), Ok(key)) = (std::env::var(DIR), std::env::var(KEY)) else {
        return false;
    };
    let store = FileStore::new(dir);
    let _lock = store.lock(&key).await.expect("the child takes the lock");
    if let Ok(pair) = std::env::var(STORE) {
        store
            .save(&key, &pair_from(&pair))
            .await
            .expect("the child stores");
    }
    println!("{LOCKED}");
    // Stalls, the lock held, until the parent closes stdin or kills this process.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    true
}

fn pair_from(text: &str) -> Tokens {
    let [access, refresh, issued_at] = text.split(' ').collect::<Vec<_>>()[..] else {
        panic!("{STORE} is `access refresh issued_at`: {text}");
    };
    let issued_at = SystemTime::UNIX_EPOCH + Duration::from_secs(issued_at.parse().unwrap());
    Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), issued_at)
}

/// A child process holding `key`'s lock in the file store at `dir`.
pub struct LockHolder {
    child: Child,
    /// Kept open, so that the child's test harness can still write its report.
    stdout: BufReader<ChildStdout>,
}

impl LockHolder {
    /// Runs `test` (which must start with [`hold_if_asked`]) as another process holding the
    /// lock, and returns once it does. With `store`, the child first stores that pair
    /// (`access`, `refresh`, issued at a Unix second).
    pub fn spawn(test: &str, dir: &Path, key: &str, store: Option<(&str, &str, u64)>) -> Self {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(DIR, dir)
            .env(KEY, key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((access, refresh, issued_at)) = store {
            command.env(STORE, format!("{access} {refresh} {issued_at}"));
        }
        let mut child = command.spawn().expect("the test binary runs again");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let locked = (&mut stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.ends_with(LOCKED));
        assert!(locked, "the child process never took the lock");
        Self { child, stdout }
    }

    /// Lets the child release the lock and exit normally.
    pub fn release(mut self) {
        drop(self.child.stdin.take());
        let _ = self.stdout.read_to_end(&mut Vec::new());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the child process failed: {status}");
    }

    /// Kills the child (`SIGKILL` on Unix) while it holds the lock, and waits until it is gone.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for LockHolder {
    fn drop(&mut self) {
        // A holder a test left running (after a failed assertion, say) must not outlive it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
