//! [`ByteStream`]: a response body read piece by piece at the caller's pace, each read given up
//! when nothing arrives for the client's timeout.

use std::convert::Infallible;
use std::fmt;
use std::future::{poll_fn, Future};
use std::path::Path;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::Sleep;

use crate::error::Error;

/// The pieces of a body as the connection gives them.
type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// A binary response body, read as it arrives rather than held in memory.
///
/// Read it piece by piece ([`ByteStream::next_chunk`], or as a [`Stream`] of
/// `Result<Bytes, Error>`), or hand it on whole: [`ByteStream::collect`] gathers it in memory,
/// [`ByteStream::write_to`] and [`ByteStream::save`] copy it to a writer or a file piece by
/// piece. The client's timeout applies to each read: a read fails with [`Error::Timeout`]
/// when no piece arrives for that long, however long the whole body takes.
///
/// ```no_run
/// # async fn download(body: clientgen_runtime::ByteStream) -> Result<(), clientgen_runtime::Error> {
/// let written = body.save("report.pdf").await?;
/// println!("{written} bytes");
/// # Ok(())
/// # }
/// ```
pub struct ByteStream {
    operation: &'static str,
    chunks: Chunks,
    idle: Option<Duration>,
    /// When the read now waiting gives up; set on the first poll that finds nothing.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl ByteStream {
    /// The body of `response`, for `operation`, each read waiting at most `idle`.
    pub(crate) fn new(
        operation: &'static str,
        response: reqwest::Response,
        idle: Option<Duration>,
    ) -> Self {
        Self {
            operation,
            chunks: Box::pin(response.bytes_stream()),
            idle,
            deadline: None,
        }
    }

    /// The next piece of the body, `None` once it has all been read.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The whole body, gathered in memory.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.next_chunk().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }

    /// Writes the body to `writer` piece by piece, and flushes it; how many bytes were written.
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let operation = self.operation;
        let failed = |source| Error::Write { operation, source };
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(failed)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(failed)?;
        Ok(written)
    }

    /// Writes the body to the file at `path` (created, or truncated), piece by piece; how many
    /// bytes were written.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let operation = self.operation;
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|source| Error::Write { operation, source })?;
        self.write_to(&mut file).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error<Infallible>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Poll::Ready(chunk) = this.chunks.as_mut().poll_next(cx) {
            this.deadline = None;
            let operation = this.operation;
            return Poll::Ready(chunk.map(|chunk| {
                chunk.map_err(|source| Error::Transport {
                    operation,
                    source: source.without_url(),
                })
            }));
        }
        let Some(idle) = this.idle else {
            return Poll::Pending;
        };
        let deadline = this
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
        ready!(deadline.as_mut().poll(cx));
        this.deadline = None;
        Poll::Ready(Some(Err(Error::Timeout {
            operation: this.operation,
            after: idle,
        })))
    }
}

/// A body already in memory, as one piece (what a per-status enum holds when its body was
/// read whole, as an error response's is).
impl From<Bytes> for ByteStream {
    fn from(body: Bytes) -> Self {
        Self {
            operation: "",
            chunks: Box::pin(futures_util::stream::once(std::future::ready(Ok(body)))),
            idle: None,
            deadline: None,
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(body: Vec<u8>) -> Self {
        Self::from(Bytes::from(body))
    }
}

/// Shows the operation and the timeout, never the content.
impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("idle_timeout", &self.idle)
            .finish_non_exhaustive()
    }
}
