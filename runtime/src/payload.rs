//! [`Payload`]: the content of a raw request body or a file part, from bytes, a file or a
//! stream, sent without first being copied into memory, and whether it can be sent again.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};
use tokio_util::io::ReaderStream;

/// The pieces of a body a caller streams.
type Chunks = futures_util::stream::BoxStream<'static, Result<Bytes, BoxError>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The content of a raw request body or a file part.
///
/// Bytes are shared, not copied, by each attempt; a file is opened anew for each attempt and
/// read as it is sent, so both can be retried. A stream is sent once: clones share it, the
/// first request that sends it takes it, and a call whose body was a stream is not retried
/// (its error then says so, see [`Error::NotRetried`](crate::Error::NotRetried)).
///
/// ```no_run
/// use clientgen_runtime::Payload;
///
/// # async fn upload() -> std::io::Result<()> {
/// let small = Payload::from(b"hello".to_vec());
/// let large = Payload::file("video.mp4").await?;
/// assert_eq!(large.length(), Some(std::fs::metadata("video.mp4")?.len()));
/// # let _ = small;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Payload {
    source: Source,
    length: Option<u64>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(Arc<Path>),
    Stream(Arc<Mutex<Option<Chunks>>>),
}

/// Whether a request can be sent again with the same body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Its body (if any) is bytes or a file: every attempt sends it whole.
    Any,
    /// Its body holds a stream, which the first attempt consumes.
    Once,
}

impl Payload {
    /// The file at `path`, read as it is sent (and again for each retry). Its length, read
    /// now, is sent as the body's length.
    pub async fn file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path: PathBuf = path.as_ref().to_owned();
        let length = tokio::fs::metadata(&path).await?.len();
        Ok(Self {
            source: Source::File(path.into()),
            length: Some(length),
        })
    }

    /// The pieces of `stream`, sent as they come (once: see [`Payload`]). Give the length
    /// with [`Payload::with_length`] when the server needs it up front.
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let chunks = stream.map_ok(Into::into).map_err(Into::into).boxed();
        Self {
            source: Source::Stream(Arc::new(Mutex::new(Some(chunks)))),
            length: None,
        }
    }

    /// Sends `length` as the body's length (for a stream whose length the caller knows).
    pub fn with_length(self, length: u64) -> Self {
        Self {
            length: Some(length),
            ..self
        }
    }

    /// The body's length, when known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// The content when it is bytes in memory (not a file or a stream).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            Source::File(_) | Source::Stream(_) => None,
        }
    }

    /// Whether a request sending it can be sent again.
    pub(crate) fn replay(&self) -> Replay {
        match self.source {
            Source::Bytes(_) | Source::File(_) => Replay::Any,
            Source::Stream(_) => Replay::Once,
        }
    }

    /// The body for one attempt; `None` when it was a stream already sent.
    pub(crate) fn body(&self) -> Option<reqwest::Body> {
        match &self.source {
            Source::Bytes(bytes) => Some(reqwest::Body::from(bytes.clone())),
            Source::File(path) => {
                let open = tokio::fs::File::open(Arc::clone(path));
                let chunks = futures_util::stream::once(open)
                    .map_ok(ReaderStream::new)
                    .try_flatten();
                Some(reqwest::Body::wrap_stream(chunks))
            }
            Source::Stream(shared) => {
                let taken = shared.lock().ok()?.take()?;
                Some(reqwest::Body::wrap_stream(taken))
            }
        }
    }
}

impl Default for Payload {
    fn default() -> Self {
        Self::from(Bytes::new())
    }
}

impl From<Bytes> for Payload {
    fn from(bytes: Bytes) -> Self {
        let length = Some(bytes.len() as u64);
        Self {
            source: Source::Bytes(bytes),
            length,
        }
    }
}

impl From<Vec<u8>> for Payload {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&[u8]> for Payload {
    fn from(bytes: &[u8]) -> Self {
        Self::from(Bytes::copy_from_slice(bytes))
    }
}

impl<const N: usize> From<&[u8; N]> for Payload {
    fn from(bytes: &[u8; N]) -> Self {
        Self::from(bytes.as_slice())
    }
}

impl From<String> for Payload {
    fn from(text: String) -> Self {
        Self::from(text.into_bytes())
    }
}

impl From<&str> for Payload {
    fn from(text: &str) -> Self {
        Self::from(text.as_bytes())
    }
}

/// Shows where the content comes from and its length; never the content.
impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::File(_) => "file",
            Source::Stream(_) => "stream",
        };
        f.debug_struct("Payload")
            .field("source", &source)
            .field("length", &self.length)
            .finish()
    }
}

/// Equal when both are the same bytes; a file or a stream equals only itself.
impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File(a), Source::File(b)) => a == b,
            (Source::Stream(a), Source::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Payload {}
