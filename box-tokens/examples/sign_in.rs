//! Signs a user in to Box through the authorization-code flow, with a redirect listener on
//! 127.0.0.1, and keeps their tokens in a file store.
//!
//! ```sh
//! BOX_CLIENT_ID=... BOX_CLIENT_SECRET=... cargo run -p box-tokens --example sign_in
//! ```
//!
//! The app's redirect URI in the Box developer console must be `http://127.0.0.1:8080/callback`
//! (or set `BOX_REDIRECT_PORT`). Open the URL the program prints; after you grant access, the
//! tokens are stored under `./box-tokens` and kept valid from then on.

use std::error::Error;

use box_tokens::{ClientSecret, FileStore, TokenClient, TokenProvider};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let client_id = std::env::var("BOX_CLIENT_ID").map_err(|_| "set BOX_CLIENT_ID")?;
    let client_secret = std::env::var("BOX_CLIENT_SECRET").map_err(|_| "set BOX_CLIENT_SECRET")?;
    let port: u16 = match std::env::var("BOX_REDIRECT_PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 8080,
    };

    // Listen before sending the user to Box, so the redirect cannot arrive too early.
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");

    let client = TokenClient::new(client_id, ClientSecret::from(client_secret));
    let authorization = client.authorize(Some(&redirect_uri), None)?;
    println!(
        "Open this URL in your browser:\n\n  {}\n",
        authorization.url
    );

    let provider = TokenProvider::user(client, "example-user")
        .store(FileStore::new("box-tokens"))
        .build();
    let redirect_url = receive_redirect(&listener, port).await?;
    provider
        .finish_authorization(&redirect_url, &authorization.state)
        .await?;
    println!("Signed in; tokens stored under ./box-tokens.");

    // Any client generated from Box's document now sends a valid token by itself.
    let _api = box_auth::Client::builder().hook(provider.clone()).build();
    let token = provider.token().await?;
    println!("Current access token: {token:?} (redacted: tokens are never printed)");
    Ok(())
}

/// Waits for the browser's request to the redirect URI; the full URL it asked for.
async fn receive_redirect(listener: &TcpListener, port: u16) -> Result<String, Box<dyn Error>> {
    loop {
        let (stream, _) = listener.accept().await?;
        let mut stream = BufReader::new(stream);
        let mut request_line = String::new();
        stream.read_line(&mut request_line).await?;
        // `GET /callback?code=...&state=... HTTP/1.1`
        let target = request_line.split_whitespace().nth(1).unwrap_or_default();
        let (status, body) = if target.starts_with("/callback") {
            ("200 OK", "Signed in to Box. You can close this tab.")
        } else {
            ("404 Not Found", "Not found.")
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.get_mut().write_all(response.as_bytes()).await?;
        if target.starts_with("/callback") {
            return Ok(format!("http://127.0.0.1:{port}{target}"));
        }
    }
}
