//! Streamed bodies against a local server on 127.0.0.1: a download read at the caller's pace
//! under a per-read timeout (on tokio's paused clock, against a server that trickles), a large
//! download copied to a sink piece by piece, uploads from a file and from a stream, and the
//! retry a streamed upload cannot have.

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use std::{io, pin::Pin};

use bytes::Bytes;
use clientgen_runtime::hook::{
    AfterResponse, BoxFuture, HookContext, HookError, RequestHead, ResponseHead,
};
use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{
    json_error, ByteStream, Call, ClientBuilder, Error, Hook, Operation, Payload, RetryPolicy, Url,
};
use tokio::io::{AsyncBufReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

use support::{Base, Client};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DOWNLOAD: Operation = Operation::new("download", Method::GET);
const UPLOAD: Operation = Operation::new("upload", Method::PUT);

impl Client {
    fn download(&self) -> Call<ByteStream, serde_json::Value> {
        self.transport
            .request(&DOWNLOAD, &self.base.0, &[])
            .returning_stream(json_error)
    }

    fn upload(&self, body: impl Into<Payload>) -> Call<(), ()> {
        self.transport
            .request(&UPLOAD, &self.base.0, &[])
            .payload(body.into(), "application/octet-stream")
            .returning_nothing(|_, _| None)
    }
}

fn client(base: &str, timeout: Duration, waits: &Waits) -> Result<Client, url::ParseError> {
    let waits = waits.clone();
    Ok(ClientBuilder::new()
        .base_urls(Base(Url::parse(base)?))
        .timeout(timeout)
        .retry(RetryPolicy::default().without_jitter())
        .sleep_with(move |wait| {
            waits.0.lock().unwrap().push(wait);
            Box::pin(async {})
        })
        .build())
}

/// The waits a client asked for, recorded instead of slept.
#[derive(Clone, Default)]
struct Waits(Arc<Mutex<Vec<Duration>>>);

/// How a test server sends its body: `count` pieces of `size` bytes, `pause` apart, and then,
/// with [`End::Stall`], nothing more although it announced one piece more.
struct Trickle {
    size: usize,
    count: usize,
    pause: Duration,
    end: End,
}

enum End {
    Finish,
    Stall,
}

/// The byte at `offset` of every test body.
fn byte_at(offset: usize) -> u8 {
    (offset % 251) as u8
}

/// A server on 127.0.0.1 that answers one request as `trickle` says; its URL.
async fn trickling(trickle: Trickle) -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await?;
        let mut socket = BufReader::new(socket);
        let mut line = String::new();
        while socket.read_line(&mut line).await? > 2 {
            line.clear();
        }
        let announced = match trickle.end {
            End::Finish => trickle.count,
            End::Stall => trickle.count + 1,
        } * trickle.size;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {announced}\r\n\r\n");
        socket.write_all(head.as_bytes()).await?;
        let piece: Vec<u8> = (0..trickle.size).map(byte_at).collect();
        for _ in 0..trickle.count {
            if !trickle.pause.is_zero() {
                tokio::time::sleep(trickle.pause).await;
            }
            socket.write_all(&piece).await?;
        }
        socket.flush().await?;
        if let End::Stall = trickle.end {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        io::Result::Ok(())
    });
    Ok(format!("http://{address}/"))
}

/// A body that takes 12 s in all, a piece every second, arrives whole under a 5 s timeout:
/// the timeout is for each read, not the transfer.
#[tokio::test(start_paused = true)]
async fn a_slow_body_longer_than_the_timeout_still_arrives() -> TestResult {
    let trickle = Trickle {
        size: 1024,
        count: 12,
        pause: Duration::from_secs(1),
        end: End::Finish,
    };
    let base = trickling(trickle).await?;
    let client = client(&base, Duration::from_secs(5), &Waits::default())?;
    let started = tokio::time::Instant::now();

    let body = client.download().await?.into_inner().collect().await?;

    assert!(started.elapsed() >= Duration::from_secs(12));
    assert_eq!(body.len(), 12 * 1024);
    assert!(body
        .iter()
        .enumerate()
        .all(|(at, byte)| *byte == byte_at(at % 1024)));
    Ok(())
}

/// A body that stops arriving fails its next read with a timeout, after what came before.
#[tokio::test(start_paused = true)]
async fn a_stalled_read_times_out() -> TestResult {
    let trickle = Trickle {
        size: 1024,
        count: 1,
        pause: Duration::ZERO,
        end: End::Stall,
    };
    let base = trickling(trickle).await?;
    let client = client(&base, Duration::from_secs(5), &Waits::default())?;
    let mut body = client.download().await?.into_inner();

    let mut received = 0;
    let error = loop {
        match body.next_chunk().await {
            Some(Ok(piece)) => received += piece.len(),
            Some(Err(error)) => break error,
            None => panic!("the body ended without its last piece"),
        }
    };

    assert_eq!(received, 1024);
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        matches!(error, Error::Timeout { operation: "download", after } if after == Duration::from_secs(5)),
        "{error:?}"
    );
    Ok(())
}

/// A writer that keeps nothing: it counts bytes and the largest single write.
#[derive(Default)]
struct CountingSink {
    written: u64,
    largest: usize,
}

impl AsyncWrite for CountingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.written += buf.len() as u64;
        self.largest = self.largest.max(buf.len());
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The peak resident memory of this process, in kB (Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A 100 MB download goes to a writer piece by piece: no write is larger than what the
/// connection delivers at once, so the body is never gathered in memory. The peak memory is
/// printed (`--nocapture`) as a measurement, not asserted.
#[tokio::test]
async fn a_100_mb_download_is_written_piece_by_piece() -> TestResult {
    const PIECE: usize = 64 * 1024;
    const PIECES: usize = 1600;
    let trickle = Trickle {
        size: PIECE,
        count: PIECES,
        pause: Duration::ZERO,
        end: End::Finish,
    };
    let base = trickling(trickle).await?;
    let client = client(&base, Duration::from_secs(30), &Waits::default())?;
    let before = peak_rss_kb();
    let mut sink = CountingSink::default();

    let written = client
        .download()
        .await?
        .into_inner()
        .write_to(&mut sink)
        .await?;

    assert_eq!(written, (PIECE * PIECES) as u64);
    assert_eq!(sink.written, written);
    assert!(
        sink.largest <= 1024 * 1024,
        "a write of {} bytes",
        sink.largest
    );
    if let (Some(before), Some(after)) = (before, peak_rss_kb()) {
        eprintln!("100 MB download: peak RSS {before} kB before, {after} kB after");
    }
    Ok(())
}

/// A file is sent as it is read, with its length; it can be sent again, so a `503` is retried
/// with the whole file.
#[tokio::test]
async fn an_upload_from_a_file_is_streamed_and_can_be_retried() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let content: Vec<u8> = (0..300_000).map(byte_at).collect();
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), &content)?;
    let waits = Waits::default();
    let client = client(&server.uri(), Duration::from_secs(30), &waits)?;

    client.upload(Payload::file(file.path()).await?).await?;

    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 2);
    for request in received {
        assert_eq!(request.headers["content-length"], "300000");
        assert!(request.body == content, "the file, whole, on each attempt");
    }
    assert_eq!(waits.0.lock().unwrap().len(), 1);
    Ok(())
}

/// A stream is sent once: the retry a `503` calls for is not made, and the error says why.
#[tokio::test]
async fn a_streamed_upload_is_not_retried_and_the_error_says_why() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let waits = Waits::default();
    let client = client(&server.uri(), Duration::from_secs(30), &waits)?;
    let pieces = ["first ", "second"].map(|piece| io::Result::Ok(Bytes::from(piece)));
    let body = Payload::stream(futures_util::stream::iter(pieces));

    let error = client.upload(body).await.expect_err("always unavailable");

    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, b"first second");
    assert!(waits.0.lock().unwrap().is_empty());
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert!(matches!(&error, Error::NotRetried(inner) if matches!(**inner, Error::Api(_))));
    let shown = error.to_string();
    assert!(
        shown.contains("not retried") && shown.contains("stream"),
        "{shown}"
    );
    Ok(())
}

/// A hook that asks for every `401` to be sent again (as a token provider does after
/// refreshing).
struct SendAgainOn401;

impl Hook for SendAgainOn401 {
    fn after_response<'a>(
        &'a self,
        _request: &'a RequestHead,
        response: &'a ResponseHead,
        _context: &'a HookContext,
    ) -> BoxFuture<'a, Result<AfterResponse, HookError>> {
        let verdict = if response.status.as_u16() == 401 {
            AfterResponse::SendAgain
        } else {
            AfterResponse::Accept
        };
        Box::pin(async move { Ok(verdict) })
    }
}

/// A hook cannot have a streamed upload sent again either; the `401` is the error, saying so.
#[tokio::test]
async fn a_hook_cannot_have_a_streamed_upload_sent_again() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("PUT"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client: Client = ClientBuilder::new()
        .base_urls(Base(Url::parse(&server.uri())?))
        .hook(SendAgainOn401)
        .build();
    let pieces = [io::Result::Ok(Bytes::from_static(b"once"))];

    let error = client
        .upload(Payload::stream(futures_util::stream::iter(pieces)))
        .await
        .expect_err("unauthorized");

    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert!(error.to_string().contains("not retried"), "{error}");
    Ok(())
}
