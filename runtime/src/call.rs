//! Ending the assembly of a call: how the response that ends it becomes its value, and
//! [`Call`], the future that sends it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::hook::BoxFuture;
use crate::request::RequestBuilder;
use crate::response::{ParseError, RawResponse, Response};
use crate::stream::ByteStream;

/// One call of an operation, ready to send: await it for the [`Response`] or the [`Error`].
///
/// It owns all it needs (the request is assembled when the call is made, so it borrows
/// nothing from the arguments), it is `Send`, and it sends nothing until it is first polled:
/// a call can be made now and spawned, joined with others, or dropped unsent.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<T, E> {
    future: BoxFuture<'static, Result<Response<T>, Error<E>>>,
}

impl<T, E> Call<T, E> {
    fn new(future: impl Future<Output = Result<Response<T>, Error<E>>> + Send + 'static) -> Self {
        Self {
            future: Box::pin(future),
        }
    }
}

impl<T, E> Future for Call<T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// Makes the variant of a per-status enum that holds a streamed body.
pub type StreamedVariant<T> = fn(ByteStream) -> T;

/// How a success body that depends on the status is decoded, when some statuses stream it.
#[derive(Debug, Clone, Copy)]
pub struct PerStatus<T> {
    /// The variant that holds the body of a response with this status as a stream, if any.
    pub streamed: fn(u16) -> Option<StreamedVariant<T>>,
    /// Decodes a body read whole, for the other statuses.
    pub decode: fn(u16, &[u8]) -> Result<T, serde_json::Error>,
}

/// The `returning_*` methods end a call's assembly. Each says what a success's body is;
/// the body of an error (a status outside `200..=299`) is parsed by `parse_error` into the
/// operation's documented error type, else kept as text.
impl RequestBuilder {
    /// A call whose success body is JSON, decoded as `T`.
    pub fn returning_json<T, E>(self, parse_error: ParseError<E>) -> Call<T, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: Send + 'static,
    {
        self.read_whole(move |raw| raw.json(parse_error))
    }

    /// A call whose success body is ignored.
    pub fn returning_nothing<E: Send + 'static>(self, parse_error: ParseError<E>) -> Call<(), E> {
        self.read_whole(move |raw| raw.empty(parse_error))
    }

    /// A call whose success body is text.
    pub fn returning_text<E: Send + 'static>(self, parse_error: ParseError<E>) -> Call<String, E> {
        self.read_whole(move |raw| raw.text(parse_error))
    }

    /// A call whose success body `decode` reads, choosing its type by the status.
    pub fn returning_per_status<T, E>(
        self,
        parse_error: ParseError<E>,
        decode: fn(u16, &[u8]) -> Result<T, serde_json::Error>,
    ) -> Call<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        self.read_whole(move |raw| raw.per_status(parse_error, decode))
    }

    /// A call whose success body is returned as a stream, for the caller to read at its own
    /// pace; an error's body is read whole.
    pub fn returning_stream<E: Send + 'static>(
        self,
        parse_error: ParseError<E>,
    ) -> Call<ByteStream, E> {
        Call::new(async move {
            let reply = self.transport.exchange(&self).await?;
            if reply.status.is_success() {
                return Ok(Response::new(reply.status, reply.headers, reply.body));
            }
            Err(reply.read().await?.into_api_error(parse_error))
        })
    }

    /// A call whose success body depends on the status: where `decoding` gives a variant
    /// that streams for the status, it holds the body as a stream; otherwise the body is read
    /// whole and decoded.
    pub fn returning_streamed_per_status<T, E>(
        self,
        parse_error: ParseError<E>,
        decoding: PerStatus<T>,
    ) -> Call<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        Call::new(async move {
            let reply = self.transport.exchange(&self).await?;
            let streamed = reply
                .status
                .is_success()
                .then(|| (decoding.streamed)(reply.status.as_u16()))
                .flatten();
            match streamed {
                Some(variant) => Ok(Response::new(
                    reply.status,
                    reply.headers,
                    variant(reply.body),
                )),
                None => reply.read().await?.per_status(parse_error, decoding.decode),
            }
        })
    }

    /// A call whose response is read whole and then turned into its value by `decode`.
    fn read_whole<T, E>(
        self,
        decode: impl FnOnce(RawResponse) -> Result<Response<T>, Error<E>> + Send + 'static,
    ) -> Call<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        Call::new(async move {
            let reply = self.transport.exchange(&self).await?;
            decode(reply.read().await?)
        })
    }
}
