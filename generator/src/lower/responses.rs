//! Lowering responses: the bodies of an operation's successes and errors, grouped into one
//! [`Outcome`] each, with a per-status enum when a group's bodies differ by status.

use openapiv3::{MediaType, Operation as SpecOperation, ReferenceOr, Response, StatusCode};

use super::operations::is_json;
use super::schemas::SchemaRef;
use super::simplify::text;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    Direction, Outcome, ResponseBody, StatusMatch, StatusVariant, TypeDef, TypeKind, TypeRef,
};
use crate::naming;

impl<'a> Lowerer<'a> {
    /// The content types an operation's success responses come in, in order, for `Accept`.
    pub(super) fn accepted(&self, operation: &'a SpecOperation) -> Option<String> {
        let mut types: Vec<&str> = Vec::new();
        let successes = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| is_success(status));
        for (_, response) in successes {
            // A response that does not resolve is reported where responses are lowered.
            let resolved = self.resolve(response, &Pointer::root(), "responses", |c| &c.responses);
            let Ok((response, _)) = resolved else {
                continue;
            };
            for content_type in response.content.keys() {
                if !types.contains(&content_type.as_str()) {
                    types.push(content_type);
                }
            }
        }
        (!types.is_empty()).then(|| types.join(", "))
    }

    /// What a success (2xx) response holds, and whether every success is an HTML page.
    pub(super) fn success(
        &mut self,
        operation: &'a SpecOperation,
        at: &Pointer,
        method_name: &str,
    ) -> Result<(Outcome, bool), Error> {
        let documented = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| is_success(status))
            .map(|(status, response)| {
                (
                    status_match(status),
                    response,
                    at.join("responses").join(status),
                )
            });
        let responses = self.response_bodies(documented, &format!("{method_name} response"))?;
        let html_only = !responses.is_empty() && responses.iter().all(|r| r.html_only);
        let outcome = self.outcome(responses, method_name, "response", ResponseBody::Empty);
        Ok((outcome, html_only))
    }

    /// What an error response (non-2xx statuses and `default`) holds.
    pub(super) fn errors(
        &mut self,
        operation: &'a SpecOperation,
        at: &Pointer,
        method_name: &str,
    ) -> Result<Outcome, Error> {
        let responses = &operation.responses;
        let documented = responses
            .responses
            .iter()
            .filter(|(status, _)| !is_success(status))
            .map(|(status, response)| {
                (
                    status_match(status),
                    response,
                    at.join("responses").join(status),
                )
            })
            .chain(responses.default.iter().map(|response| {
                (
                    StatusMatch::Default,
                    response,
                    at.join("responses").join("default"),
                )
            }));
        let responses = self.response_bodies(documented, &format!("{method_name} error"))?;
        // Statuses documented without a body (or as a page) say nothing about the error's
        // type; when the rest agree on one JSON type, that is the error type.
        let typed: Vec<&LoweredResponse> = responses
            .iter()
            .filter(|r| matches!(r.body, ResponseBody::Json(_)))
            .collect();
        if let Some(first) = typed.first() {
            if typed.iter().all(|r| r.body == first.body) {
                return Ok(Outcome::Single(first.body.clone()));
            }
        }
        Ok(self.outcome(
            responses,
            method_name,
            "error",
            ResponseBody::Json(TypeRef::Json),
        ))
    }

    fn response_bodies(
        &mut self,
        documented: impl Iterator<Item = (StatusMatch, &'a ReferenceOr<Response>, Pointer)>,
        hint: &str,
    ) -> Result<Vec<LoweredResponse>, Error> {
        let documented: Vec<_> = documented.collect();
        let several = documented.len() > 1;
        let mut lowered = Vec::new();
        for (status, reference, response_at) in documented {
            let (response, response_at) =
                self.resolve(reference, &response_at, "responses", |c| &c.responses)?;
            // A response of `components/responses` is shared, so an inline body is named
            // after it. With several responses, an operation's own inline body is named after
            // its status too, which leaves the plain name for the per-status enum.
            let hint = match (reference, several, status) {
                (ReferenceOr::Reference { .. }, _, _) => response_at.last_token(),
                (_, false, _) => hint.to_owned(),
                (_, true, StatusMatch::Code(code)) => format!("{hint} {code}"),
                (_, true, StatusMatch::Range(digit)) => format!("{hint} {digit}xx"),
                (_, true, StatusMatch::Default) => format!("{hint} default"),
            };
            let hint = hint.as_str();
            let html_only = !response.content.is_empty()
                && response
                    .content
                    .keys()
                    .all(|content_type| content_type == "text/html");
            let body = self.response_body(response, &response_at, hint)?;
            lowered.push(LoweredResponse {
                status,
                body,
                html_only,
                docs: text(&Some(response.description.clone())),
            });
        }
        Ok(lowered)
    }

    /// One body when every response agrees (or there is none: `empty`), else an enum named
    /// `{method} {suffix}` with a variant per status.
    fn outcome(
        &mut self,
        mut responses: Vec<LoweredResponse>,
        method_name: &str,
        suffix: &str,
        empty: ResponseBody,
    ) -> Outcome {
        let Some(first) = responses.first() else {
            return Outcome::Single(empty);
        };
        if responses.iter().all(|r| r.body == first.body) {
            return Outcome::Single(first.body.clone());
        }
        responses.sort_by_key(|r| r.status);
        let name = self.type_names.claim(naming::type_name(&format!(
            "{} {suffix}",
            naming::unraw(method_name)
        )));
        let variants = responses
            .into_iter()
            .map(|response| StatusVariant {
                name: match response.status {
                    StatusMatch::Code(code) => format!("Status{code}"),
                    StatusMatch::Range(digit) => format!("Status{digit}xx"),
                    StatusMatch::Default => "Default".to_owned(),
                },
                status: response.status,
                body: response.body,
                docs: response.docs,
            })
            .collect();
        let docs = format!(
            "The {suffix} body of [`Client::{method}`](crate::Client::{method}), by status.",
            method = naming::unraw(method_name)
        );
        let definition = TypeDef {
            name: name.clone(),
            origin: String::new(),
            docs: Some(docs),
            features: Vec::new(),
            direction: Direction::Both,
            kind: TypeKind::StatusEnum(variants),
        };
        Outcome::PerStatus(self.types.insert(definition))
    }

    fn response_body(
        &mut self,
        response: &'a Response,
        at: &Pointer,
        hint: &str,
    ) -> Result<ResponseBody, Error> {
        if response.content.is_empty() {
            return Ok(ResponseBody::Empty);
        }
        if let Some((content_type, media)) = response.content.iter().find(|(t, _)| is_json(t)) {
            let schema_at = at.join("content").join(content_type).join("schema");
            return Ok(ResponseBody::Json(
                self.media_type(response, media, &schema_at, hint)?,
            ));
        }
        if response.content.keys().any(|t| t.starts_with("text/")) {
            return Ok(ResponseBody::Text);
        }
        Ok(ResponseBody::Bytes)
    }

    fn media_type(
        &mut self,
        response: &'a Response,
        media: &'a MediaType,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let Some(schema) = &media.schema else {
            return Ok(TypeRef::Json);
        };
        let ty = self.schema_type(SchemaRef::from(schema), at, hint)?;
        // An undocumented inline body says what it is through its response.
        if let ReferenceOr::Item(_) = schema {
            self.adopt_docs(&ty, text(&Some(response.description.clone())).as_deref());
        }
        Ok(ty)
    }
}

/// A response after `$ref`s are resolved.
struct LoweredResponse {
    status: StatusMatch,
    body: ResponseBody,
    html_only: bool,
    docs: Option<String>,
}

/// The statuses a response key of the spec covers.
fn status_match(status: &StatusCode) -> StatusMatch {
    match status {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(digit) => StatusMatch::Range(*digit),
    }
}

/// Whether `status` is a success (`2xx` or `2XX`).
pub(super) fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}
