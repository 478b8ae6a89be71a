//! A crate whose build script generates a client, included here as the module `pets`.

include!(concat!(env!("OUT_DIR"), "/pets.rs"));
