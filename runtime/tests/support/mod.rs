//! The smallest generated-like client the runtime's integration tests call through: one base
//! URL, a transport, and whatever calls each test file adds in its own `impl Client`.

use clientgen_runtime::{ApiClient, Transport, Url};

/// A client with one base URL.
pub struct Client {
    pub transport: Transport,
    pub base: Base,
}

/// The base URL; the default is never used by the tests.
pub struct Base(pub Url);

impl Default for Base {
    fn default() -> Self {
        Base(Url::parse("http://127.0.0.1:9/").expect("a valid URL"))
    }
}

impl ApiClient for Client {
    type BaseUrls = Base;

    fn from_parts(transport: Transport, base_urls: Base) -> Self {
        Self {
            transport,
            base: base_urls,
        }
    }
}
