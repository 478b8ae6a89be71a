//! Building the parts of a `multipart/form-data` body, one part per property.

use reqwest::multipart::{Form, Part};
use serde::Serialize;
use serde_json::Value;

/// Adds `value` as part `name`: a string as text, anything else as JSON, `None` not at all.
pub fn field<T: Serialize + ?Sized>(form: Form, name: &str, value: &T) -> Form {
    match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => form,
        Ok(Value::String(text)) => form.text(name.to_owned(), text),
        Ok(other) => match Part::text(other.to_string()).mime_str("application/json") {
            Ok(part) => form.part(name.to_owned(), part),
            Err(_) => form,
        },
    }
}

/// Adds each member of `value`, an object written into the form it sits in, as its own
/// part.
pub fn members<T: Serialize + ?Sized>(form: Form, value: &T) -> Form {
    match serde_json::to_value(value) {
        Ok(Value::Object(members)) => members
            .iter()
            .fold(form, |form, (name, member)| field(form, name, member)),
        _ => form,
    }
}

/// Adds raw bytes (a `format: binary` property) as a file part named `name`.
pub fn bytes(form: Form, name: &str, value: Option<&[u8]>) -> Form {
    match value {
        Some(bytes) => form.part(
            name.to_owned(),
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        ),
        None => form,
    }
}
