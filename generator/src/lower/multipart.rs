//! The parts of a `multipart/form-data` body: one per property of the body's struct, each with
//! the content type OpenAPI gives it (the property's `encoding.contentType`, else the default
//! for its schema) and the headers its `encoding` gives a value. The body's `format: binary`
//! properties become file parts, which the caller may give a file name and content type.

use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr, SchemaKind};
use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{Field, MultipartPart, TypeDef, TypeKind, TypeRef};

/// The content type of a part that holds bytes.
const OCTET_STREAM: &str = "application/octet-stream";
/// The content type of a part that holds an object or an array.
const JSON: &str = "application/json";
/// The content type of a part that holds a string, number or boolean.
const TEXT: &str = "text/plain";

impl<'a> Lowerer<'a> {
    /// How each field of the struct `ty` (a multipart body described by `media` at `at`) is
    /// sent; its bytes fields become file parts first. A body that is not a struct is an
    /// error: it has no properties to send as parts.
    pub(super) fn multipart_parts(
        &mut self,
        ty: &TypeRef,
        media: &'a MediaType,
        at: &Pointer,
    ) -> Result<Vec<MultipartPart>, Error> {
        let definition = ty.named().and_then(|id| self.types.get_mut(id));
        let Some(TypeDef {
            kind: TypeKind::Struct(strukt),
            ..
        }) = definition
        else {
            let message = "a `multipart/form-data` body must be an object with properties";
            return Err(self.error(&at.join("schema"), message));
        };
        for field in &mut strukt.fields {
            field.ty = as_file(&field.ty);
        }
        let fields = strukt.fields.clone();
        Ok(fields
            .iter()
            .enumerate()
            .map(|(index, field)| self.part(index, field, media, at))
            .collect())
    }

    fn part(
        &mut self,
        index: usize,
        field: &Field,
        media: &'a MediaType,
        at: &Pointer,
    ) -> MultipartPart {
        let encoding = media.encoding.get(&field.wire_name);
        let declared = encoding
            .and_then(|encoding| encoding.content_type.as_deref())
            // `contentType` may list several types; the client sends the first.
            .and_then(|types| types.split(',').next())
            .map(str::trim)
            .filter(|first| !first.is_empty());
        let content_type = match declared {
            Some(declared) => Some(declared.to_owned()),
            None => self.default_content_type(field).map(str::to_owned),
        };
        let headers_at = at.join("encoding").join(&field.wire_name).join("headers");
        let headers = match encoding {
            Some(encoding) => self.part_headers(&encoding.headers, &headers_at),
            None => Vec::new(),
        };
        MultipartPart {
            field: index,
            content_type,
            headers,
        }
    }

    /// The content type OpenAPI gives a part by its schema; `None` when only the value can
    /// tell (any JSON, or the members of a map written into the form).
    fn default_content_type(&self, field: &Field) -> Option<&'static str> {
        if field.presence.is_flattened() {
            return None;
        }
        let kind_of = |id| self.types.kind(id);
        match &field.ty {
            TypeRef::File | TypeRef::Bytes => Some(OCTET_STREAM),
            TypeRef::Array(item) if matches!(**item, TypeRef::File | TypeRef::Bytes) => {
                Some(OCTET_STREAM)
            }
            TypeRef::Json => None,
            ty if ty.is_scalar(&kind_of) => Some(TEXT),
            _ => Some(JSON),
        }
    }

    /// The headers of a part that the document gives a value: the only value its schema
    /// allows, or its default. Others are reported, since the caller has no way to give them;
    /// `Content-Type` is left to `contentType`, as OpenAPI says.
    fn part_headers(
        &mut self,
        headers: &'a indexmap::IndexMap<String, ReferenceOr<openapiv3::Header>>,
        at: &Pointer,
    ) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for (name, header) in headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let header_at = at.join(name);
            let resolved = self.resolve(header, &header_at, "headers", |c| &c.headers);
            let value = match resolved {
                Ok((header, _)) => fixed_value(&header.format),
                Err(error) => {
                    self.warn(
                        &header_at,
                        format!("{}; the header is not sent", error.message),
                    );
                    continue;
                }
            };
            match value {
                Some(value) => found.push((name.clone(), value)),
                None => self.warn(
                    &header_at,
                    "the document gives this part header no single value (an `enum` of one, or \
                     a `default`), so the client cannot send it; left out",
                ),
            }
        }
        found
    }
}

/// A field's type with bytes turned into a file part.
fn as_file(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Bytes => TypeRef::File,
        TypeRef::Array(item) if **item == TypeRef::Bytes => TypeRef::Array(Box::new(TypeRef::File)),
        other => other.clone(),
    }
}

/// The value a header's schema fixes: its only `enum` value, else its `default`, as text.
fn fixed_value(format: &ParameterSchemaOrContent) -> Option<String> {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = format else {
        return None;
    };
    let only = match &schema.schema_kind {
        SchemaKind::Any(any) if any.enumeration.len() == 1 => Some(any.enumeration[0].clone()),
        SchemaKind::Type(openapiv3::Type::String(string)) if string.enumeration.len() == 1 => {
            string.enumeration[0].clone().map(Value::String)
        }
        _ => None,
    };
    let value = only.or_else(|| schema.schema_data.default.clone())?;
    match value {
        Value::String(text) => Some(text),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}
