//! Lowering an operation's request body into a [`RequestBody`]: which of its content types is
//! sent, the body's type, and for a form the style of each field written in a way of its own.

use openapiv3::{
    MediaType, Operation as SpecOperation, QueryStyle, ReferenceOr, RequestBody as SpecBody,
};

use super::operations::encoding_of;
use super::simplify::text;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    BodyEncoding, Field, FieldStyle, RequestBody, Style, TypeDef, TypeKind, TypeRef,
};

/// The content type of a request body chosen to be sent, and where it is.
struct Chosen<'d> {
    content_type: &'d str,
    media: &'d MediaType,
    encoding: BodyEncoding,
    /// `#/.../content/{content_type}`.
    at: Pointer,
}

impl<'a> Lowerer<'a> {
    /// The request body of an operation, if it has one with content.
    pub(super) fn request_body(
        &mut self,
        operation: &'a SpecOperation,
        at: &Pointer,
        method_name: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let Some(declared) = &operation.request_body else {
            return Ok(None);
        };
        let (body, body_at) =
            self.resolve(declared, &at.join("requestBody"), "requestBodies", |c| {
                &c.request_bodies
            })?;
        let Some(chosen) = chosen_content(body, &body_at) else {
            self.warn(
                &body_at.join("content"),
                "a request body without content is not sent",
            );
            return Ok(None);
        };
        // A body of `components/requestBodies` is shared, so an inline schema in it is named
        // after it rather than after the first operation that sends it.
        let hint = match declared {
            ReferenceOr::Reference { .. } => body_at.last_token(),
            ReferenceOr::Item(_) => format!("{method_name} body"),
        };
        let ty = self.body_type(body, &chosen, &hint)?;
        let (field_styles, parts) = match chosen.encoding {
            BodyEncoding::Form => (self.form_field_styles(&ty, &chosen), Vec::new()),
            BodyEncoding::Multipart => {
                let parts = self.multipart_parts(&ty, chosen.media, &chosen.at)?;
                (Vec::new(), parts)
            }
            BodyEncoding::Json | BodyEncoding::Bytes => (Vec::new(), Vec::new()),
        };
        Ok(Some(RequestBody {
            ty,
            encoding: chosen.encoding,
            content_type: chosen.content_type.to_owned(),
            required: body.required,
            docs: body.description.clone(),
            field_styles,
            parts,
        }))
    }

    /// The type of a body sent as `chosen`: bytes for a content type the client sends as they
    /// are, any JSON without a schema.
    fn body_type(
        &mut self,
        body: &'a SpecBody,
        chosen: &Chosen<'a>,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let schema = match (&chosen.media.schema, chosen.encoding) {
            (_, BodyEncoding::Bytes) => return Ok(TypeRef::Bytes),
            (None, _) => return Ok(TypeRef::Json),
            (Some(schema), _) => schema,
        };
        let ty = self.schema_type(schema.into(), &chosen.at.join("schema"), hint)?;
        // An undocumented inline body says what it is through its request body.
        if let ReferenceOr::Item(_) = schema {
            self.adopt_docs(&ty, text(&body.description).as_deref());
        }
        Ok(ty)
    }

    /// The fields of a form body that are not written in the default way, in the order its
    /// `encoding` lists them. An encoding of a property the body's struct does not have is
    /// reported and left out.
    fn form_field_styles(&mut self, ty: &TypeRef, chosen: &Chosen<'a>) -> Vec<FieldStyle> {
        let fields = match ty.named().and_then(|id| self.types.get(id)) {
            Some(TypeDef {
                kind: TypeKind::Struct(strukt),
                ..
            }) => strukt.fields.clone(),
            _ => Vec::new(),
        };
        let mut styles = Vec::new();
        for (property, encoding) in &chosen.media.encoding {
            let Some(style) = form_style(encoding) else {
                continue;
            };
            match property_index(&fields, property) {
                Some(field) => styles.push(FieldStyle { field, style }),
                None => self.warn(
                    &chosen.at.join("encoding").join(property),
                    format!("the body has no property `{property}`; its encoding is ignored"),
                ),
            }
        }
        styles
    }
}

/// The content a body is sent as: the first JSON one, then a form, then multipart, then
/// whatever comes first (sent as bytes); `None` when it has none.
fn chosen_content<'d>(body: &'d SpecBody, body_at: &Pointer) -> Option<Chosen<'d>> {
    let rank = |content_type: &str| match encoding_of(content_type) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Bytes => 3,
    };
    let (_, (content_type, media)) = body
        .content
        .iter()
        .enumerate()
        .min_by_key(|(index, (content_type, _))| (rank(content_type), *index))?;
    Some(Chosen {
        content_type,
        media,
        encoding: encoding_of(content_type),
        at: body_at.join("content").join(content_type),
    })
}

/// The index of the field that holds `property`.
fn property_index(fields: &[Field], property: &str) -> Option<usize> {
    fields
        .iter()
        .position(|field| !field.presence.is_flattened() && field.wire_name == property)
}

/// The style an `encoding` object gives a form field, when it is not the default one
/// (`style: form`, exploded).
fn form_style(encoding: &openapiv3::Encoding) -> Option<Style> {
    // openapiv3 reads an absent `explode` as false, so only an explicit `style: form` can
    // turn exploding off; without a style it stays on.
    match encoding.style.as_ref()? {
        QueryStyle::Form if encoding.explode => None,
        QueryStyle::Form => Some(Style::Form { explode: false }),
        QueryStyle::SpaceDelimited => Some(Style::SpaceDelimited),
        QueryStyle::PipeDelimited => Some(Style::PipeDelimited),
        QueryStyle::DeepObject => Some(Style::DeepObject),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Warning;
    use crate::model::{Api, FieldStyle, RequestBody, Style};
    use crate::{Config, Spec};

    /// The model of a document with one POST operation whose request body is `body` (YAML,
    /// indented for it), and the warnings lowering gave.
    fn lowered(body: &str) -> (Api, Vec<Warning>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\n\
             servers: [{{url: \"https://x.test\"}}]\npaths:\n  /notes:\n    post:\n      \
             summary: Add\n      requestBody:\n{body}      responses:\n        \
             \"204\": {{description: ok}}\n"
        );
        let spec = Spec::parse("api.yaml", &text).expect("a valid document");
        crate::lower(&spec, &Config::new("demo")).expect("lowers")
    }

    fn body(api: &Api) -> &RequestBody {
        api.operations[0].body.as_ref().expect("a body")
    }

    const FORM: &str = "        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: {type: string}
                tags: {type: array, items: {type: string}}
                filter: {type: object, properties: {kind: {type: string}}}
            encoding:
              filter: {style: deepObject, explode: true}
              name: {style: form, explode: true}
              tags: {style: pipeDelimited}
";

    #[test]
    fn a_form_field_style_points_at_its_field() {
        let (api, warnings) = lowered(FORM);
        assert!(warnings.is_empty(), "{warnings:?}");
        // In the order of `encoding`; `name` is written the default way, so it has none.
        assert_eq!(
            body(&api).field_styles,
            [
                FieldStyle {
                    field: 2,
                    style: Style::DeepObject
                },
                FieldStyle {
                    field: 1,
                    style: Style::PipeDelimited
                },
            ]
        );
    }

    #[test]
    fn an_encoding_of_no_property_is_reported_and_left_out() {
        let form = FORM.replace(
            "tags: {style: pipeDelimited}",
            "labels: {style: pipeDelimited}",
        );
        let (api, warnings) = lowered(&form);
        assert_eq!(body(&api).field_styles.len(), 1);
        let [warning] = warnings.as_slice() else {
            panic!("one warning, not {warnings:?}");
        };
        assert_eq!(
            warning.location.pointer,
            "#/paths/~1notes/post/requestBody/content/\
             application~1x-www-form-urlencoded/encoding/labels"
        );
    }

    #[test]
    fn a_multipart_body_that_is_no_object_is_an_error_at_its_schema() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /notes:\n    \
                    post:\n      requestBody:\n        content:\n          multipart/form-data:\n\
                    \x20           schema: {type: string}\n      responses:\n        \
                    \"204\": {description: ok}\n";
        let spec = Spec::parse("api.yaml", text).expect("a valid document");
        let errors = crate::lower(&spec, &Config::new("demo")).expect_err("refused");
        let pointers: Vec<&str> = errors.iter().map(|e| e.location.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/paths/~1notes/post/requestBody/content/multipart~1form-data/schema"]
        );
    }
}
