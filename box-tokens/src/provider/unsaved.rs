//! [`Unsaved`]: a pair Box issued that the store has not taken yet, held until it does, and
//! when to try saving it again.

use std::time::{Duration, SystemTime};

use crate::secret::AccessToken;
use crate::tokens::Tokens;

/// New tokens the store failed to save. They are not handed out meanwhile: as long as the new
/// pair is unused, Box gives it again for the refresh token still in the store, so a process
/// that ends now loses nothing.
pub(super) struct Unsaved {
    pub(super) tokens: Tokens,
    replaces: Replaces,
    failed_saves: u32,
    retry_at: SystemTime,
}

/// What a pending pair may be saved over.
pub(super) enum Replaces {
    /// Whatever the store holds: tokens the caller set (after signing in, say).
    Anything,
    /// Only the tokens with this access token (or none, for `None`), which the store held when
    /// the pair was obtained; once another process stored a newer pair, that one wins.
    Stored(Option<AccessToken>),
}

impl Unsaved {
    /// `tokens`, to be saved over what `replaces` says, at once.
    pub(super) fn new(tokens: Tokens, replaces: Replaces) -> Self {
        Self {
            tokens,
            replaces,
            failed_saves: 0,
            retry_at: SystemTime::UNIX_EPOCH,
        }
    }

    /// Whether saving is due at `now`, or this is still the pause after a failure.
    pub(super) fn save_due(&self, now: SystemTime) -> bool {
        now >= self.retry_at
    }

    /// Whether the pair may still be saved over `stored`, what the store holds now.
    pub(super) fn may_replace(&self, stored: Option<&Tokens>) -> bool {
        match &self.replaces {
            Replaces::Anything => true,
            Replaces::Stored(base) => stored.map(|tokens| &tokens.access_token) == base.as_ref(),
        }
    }

    /// Records a failed save at `now`: the next is due after a pause that doubles with each
    /// failure, from `first` up to `longest`.
    pub(super) fn save_failed(&mut self, now: SystemTime, first: Duration, longest: Duration) {
        let doublings = self.failed_saves.min(16);
        self.failed_saves += 1;
        let pause = first.saturating_mul(1 << doublings).min(longest);
        self.retry_at = now.checked_add(pause).unwrap_or(now);
    }

    /// How many saves have failed.
    pub(super) fn failed_saves(&self) -> u32 {
        self.failed_saves
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn tokens(access: &str) -> Tokens {
        Tokens::from_response(
            AccessToken::from(access),
            Some(3600),
            None,
            SystemTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn the_pause_after_a_failed_save_doubles_up_to_the_longest() {
        let start = SystemTime::UNIX_EPOCH + 1000 * SECOND;
        let mut unsaved = Unsaved::new(tokens("a"), Replaces::Anything);
        assert!(unsaved.save_due(start));
        let mut pauses = Vec::new();
        for _ in 0..7 {
            unsaved.save_failed(start, SECOND, 30 * SECOND);
            let pause = (1..=60).find(|&seconds| unsaved.save_due(start + seconds * SECOND));
            pauses.push(pause.expect("due within a minute"));
        }
        assert_eq!(pauses, [1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(unsaved.failed_saves(), 7);
    }

    #[test]
    fn a_pair_is_saved_only_over_the_tokens_it_replaces() {
        let unsaved = Unsaved::new(tokens("new"), Replaces::Stored(Some("old".into())));
        assert!(unsaved.may_replace(Some(&tokens("old"))));
        assert!(!unsaved.may_replace(Some(&tokens("newer"))));
        assert!(!unsaved.may_replace(None));
        let first = Unsaved::new(tokens("new"), Replaces::Stored(None));
        assert!(first.may_replace(None) && !first.may_replace(Some(&tokens("other"))));
        let set = Unsaved::new(tokens("new"), Replaces::Anything);
        assert!(set.may_replace(Some(&tokens("other"))) && set.may_replace(None));
    }
}
