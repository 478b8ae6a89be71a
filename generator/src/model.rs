//! The model of an API that code is emitted from: owned, with every name resolved to a unique
//! Rust identifier and every `$ref` resolved. It holds no `openapiv3` types, so lowering and
//! emission can be read and tested on their own.

mod cycles;

pub use cycles::alias_cycle;

/// Everything the generator knows about one API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The distinct servers operations are sent to, in order of first use.
    pub servers: Vec<Server>,
    /// Named types, sorted by name; a [`TypeId`] is an index into it.
    pub types: Vec<TypeDef>,
    /// Operations in document order (paths in order, then methods in the order
    /// get, put, post, delete, options, head, patch, trace).
    pub operations: Vec<Operation>,
    /// The crate's cargo features, one per tag of its operations (and one for the untagged
    /// ones), in order of first use; empty when the operations fall in fewer than two groups,
    /// and everything is compiled always.
    pub features: Vec<Feature>,
}

/// A cargo feature of the generated crate: the operations of one tag, and the types they
/// reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name, in cargo's rules (`files`, `metadata-templates`).
    pub name: String,
    /// What it brings.
    pub group: FeatureGroup,
}

impl Feature {
    /// The opt-in feature that gives every type both serde traits. By default a type derives
    /// only the trait of the way it travels ([`Direction`]); serde's derives are most of what
    /// compiling a large client costs. The name is reserved: no tag's feature takes it.
    pub const FULL_SERDE: &'static str = "full-serde";
}

/// What a [`Feature`] brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureGroup {
    /// The operations with this tag.
    Tag(String),
    /// The operations without a tag.
    Untagged,
    /// The schemas no operation uses, which a caller may still want as types.
    Unused,
}

impl Api {
    /// The definition of the named type `id`.
    pub fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0)
    }

    /// The shape of the named type `id`.
    pub fn kind_of(&self, id: TypeId) -> Option<&TypeKind> {
        self.get(id).map(|definition| &definition.kind)
    }

    /// The Rust name of the named type `id`.
    ///
    /// # Panics
    ///
    /// When `id` is not an index of [`Api::types`]; validation refuses such a model before
    /// anything is emitted from it.
    pub fn name_of(&self, id: TypeId) -> &str {
        &self.types[id.0].name
    }

    /// Whether a named type is called `name` (as written, a raw identifier with its `r#`).
    /// The types are sorted by name, so this is a binary search.
    pub fn has_type_named(&self, name: &str) -> bool {
        self.types
            .binary_search_by(|definition| definition.name.as_str().cmp(name))
            .is_ok()
    }

    /// The query, header and cookie parameters of `op`: the fields of its parameters struct,
    /// each with where and how it is sent, in field order.
    pub fn parameter_fields(&self, op: &Operation) -> impl Iterator<Item = (&Field, &ParamSlot)> {
        let strukt = op.params_type.and_then(|id| self.struct_of(id));
        strukt.into_iter().flat_map(Struct::parameter_fields)
    }

    /// The struct `id` names, if it is one.
    pub fn struct_of(&self, id: TypeId) -> Option<&Struct> {
        match self.kind_of(id)? {
            TypeKind::Struct(strukt) => Some(strukt),
            _ => None,
        }
    }
}

/// A named type: its index in [`Api::types`] (while lowering, in the table of the types
/// defined so far). References between types are ids; the name is the definition's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A server URL some operations are sent to.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The field of the generated `BaseUrls` struct that holds it.
    pub field: String,
    /// The default URL, with server variables replaced by their defaults.
    pub url: String,
    /// `description` of the server object.
    pub description: Option<String>,
}

/// Documentation text from a spec's `summary`, `description` or `title`.
pub type Docs = Option<String>;

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the schema came from, as a JSON pointer; used in docs and for diagnostics.
    pub origin: String,
    /// Documentation.
    pub docs: Docs,
    /// The features (indices into [`Api::features`]) any of which compiles the type: those of
    /// the operations that reach it. Empty when it is always compiled.
    pub features: Vec<usize>,
    /// The ways its values travel, which decide the serde traits it derives by default.
    pub direction: Direction,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The ways a named type travels between the client and the server: in requests (`Serialize`)
/// and in responses (`Deserialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Only in requests: a request body, parameters, or a part of one.
    Sent,
    /// Only in responses: a response body (an error's too), or a part of one.
    Received,
    /// Both ways, or neither (a schema no operation uses, which a caller may do anything with);
    /// every type of a [`Layout::Module`](crate::Layout::Module), which has no cargo feature
    /// to opt into the other trait with.
    Both,
}

impl Direction {
    /// Whether the type is written into requests.
    pub fn is_sent(self) -> bool {
        matches!(self, Direction::Sent | Direction::Both)
    }

    /// Whether the type is read from responses.
    pub fn is_received(self) -> bool {
        matches!(self, Direction::Received | Direction::Both)
    }

    /// Whether a type travelling this way also travels every way `other` does.
    pub fn covers(self, other: Direction) -> bool {
        (self.is_sent() || !other.is_sent()) && (self.is_received() || !other.is_received())
    }

    /// The ways of this and `other` together.
    pub fn and(self, other: Direction) -> Direction {
        if self == other {
            self
        } else {
            Direction::Both
        }
    }
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// An enumeration of strings or integers.
    Enum(Enum),
    /// A `oneOf` or `anyOf`.
    Union(Union),
    /// Another name for a type (a component schema that is, say, just a string).
    Alias(TypeRef),
    /// The body of a response whose type depends on its status, variants ordered exact codes
    /// first, then ranges, then `default`.
    StatusEnum(Vec<StatusVariant>),
}

impl TypeKind {
    /// The type references a definition holds: its fields' and variants' types, an alias's
    /// target, a status enum's JSON bodies.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(strukt) => strukt.fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::StatusEnum(variants) => variants
                .iter()
                .filter_map(|variant| match &variant.body {
                    ResponseBody::Json(ty) => Some(ty),
                    _ => None,
                })
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields in the order the spec lists the properties.
    pub fields: Vec<Field>,
    /// What the struct stands for.
    pub purpose: Purpose,
    /// The name of the builder that makes values of it.
    pub builder: String,
}

/// What a struct stands for, which decides how it travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// An object of the spec: read and written as JSON (or a form).
    Schema,
    /// An operation's query, header and cookie parameters, one field each. Only the query
    /// parameters are serialised (as the query string); headers and cookies are written one
    /// by one, so a header may share a wire name with a query parameter.
    Parameters {
        /// Where and how each field's parameter is sent, by field index.
        slots: Vec<ParamSlot>,
    },
}

impl Purpose {
    /// Whether the field at `index` is serialised with its struct: every field of a schema,
    /// only the query parameters of a parameters struct.
    pub fn serialises(&self, index: usize) -> bool {
        match self {
            Purpose::Schema => true,
            Purpose::Parameters { slots } => slots
                .get(index)
                .is_some_and(|slot| slot.location == ParamLocation::Query),
        }
    }
}

impl Struct {
    /// The fields of a parameters struct, each with where and how it is sent, in field order;
    /// none for a schema. `validate` checks that there is one slot per field.
    pub fn parameter_fields(&self) -> impl Iterator<Item = (&Field, &ParamSlot)> {
        let slots: &[ParamSlot] = match &self.purpose {
            Purpose::Parameters { slots } => slots,
            Purpose::Schema => &[],
        };
        self.fields.iter().zip(slots)
    }
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (may be a raw identifier such as `r#type`).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// Documentation.
    pub docs: Docs,
    /// The value's type, without the `Option` that [`Presence`] may add.
    pub ty: TypeRef,
    /// Whether the property must be present and may be `null`.
    pub presence: Presence,
    /// The value is behind a `Box`, because the type contains itself through this field.
    pub boxed: bool,
    /// For a required field whose type is an enum of one value: that value's variant (its
    /// Rust name), which the builder sets from the start. `None` for any other field.
    pub fixed: Option<String>,
    /// The field is optional and of any JSON, so a `null` is read as a value
    /// (`Some(Value::Null)`) rather than as absence.
    pub keeps_null: bool,
}

/// Whether a property must be present and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, always serialised (as `null` when `None`).
    RequiredNullable,
    /// Not required: `Option<T>`, left out when `None`.
    Optional,
    /// Not required and nullable: `Nullable<T>` (the runtime's), which tells the three states
    /// apart on the wire: left out, `null`, a value.
    OptionalNullable,
    /// The properties an object has beyond its declared ones (`additionalProperties` beside
    /// `properties`): a map flattened into the object, its wire name empty.
    Additional,
    /// A union (a `oneOf`/`anyOf` beside the properties) read from and written into the same
    /// object: required, flattened, its wire name empty.
    Flattened,
}

impl Presence {
    /// Whether the field is read from and written into the object that holds it, rather than
    /// being one property of it.
    pub fn is_flattened(self) -> bool {
        matches!(self, Presence::Additional | Presence::Flattened)
    }

    /// Whether a value must be given to build the object.
    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::Flattened)
    }
}

/// An enumeration of strings or integers: its variants, in the order the spec lists the
/// values, all of one JSON type, so a value that does not fit the enum's type cannot be
/// stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Enum {
    /// String values.
    String(Vec<EnumVariant<String>>),
    /// Integer values.
    Integer(Vec<EnumVariant<i64>>),
}

impl Enum {
    /// The Rust names of the variants, in order.
    pub fn variant_names(&self) -> Vec<&str> {
        match self {
            Enum::String(variants) => variants.iter().map(|v| v.name.as_str()).collect(),
            Enum::Integer(variants) => variants.iter().map(|v| v.name.as_str()).collect(),
        }
    }
}

/// One value of an enumeration: `V` is `String` or `i64`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant<V> {
    /// The Rust name.
    pub name: String,
    /// The exact value on the wire.
    pub value: V,
}

/// A value that is one of several types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// How a JSON value is matched to a variant.
    pub tagging: Tagging,
    /// Variants in the order they are tried: those with a required tag first, as the spec
    /// lists them, then the others, narrowest first.
    pub variants: Vec<UnionVariant>,
}

/// How a union's variant is recognised.
#[derive(Debug, Clone, PartialEq)]
pub enum Tagging {
    /// By the string value of this property. A value whose tag selects no variant is tried
    /// as each variant without a tag, in order, and one without the property also as each
    /// variant whose tag is optional.
    Property(String),
    /// By trying each variant in order.
    Untagged,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The variant's payload.
    pub ty: TypeRef,
    /// With [`Tagging::Property`]: the tag value that selects this variant, and is written;
    /// `None` for a variant tried when the tag selects no other.
    pub tag: Option<String>,
    /// Further tag values that select this variant when read (a discriminator `mapping` may
    /// give one schema several).
    pub also_accepted: Vec<String>,
    /// With a tag: the variant's tag property is optional, so a value without it is also
    /// tried as this variant, in order; it is written without the tag it does not hold.
    pub tag_optional: bool,
    /// The payload is behind a `Box`, because the type contains itself through it.
    pub boxed: bool,
}

/// A reference to a type, as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A credential, a string the spec marks `format: password`, `token` or `jwt` (or an
    /// overlay does): the runtime's `SecretString`, redacted in `Debug` and wiped when dropped.
    Secret,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// Any JSON value.
    Json,
    /// Raw bytes (`format: binary`): `Vec<u8>`.
    Bytes,
    /// A file part of a `multipart/form-data` body (a `format: binary` property there): the
    /// runtime's `FilePart`, bytes with the file name and content type the caller may give.
    File,
    /// A named type of [`Api::types`].
    Named(TypeId),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from strings to `T`.
    Map(Box<TypeRef>),
    /// `Option<T>`: an array item or map value that may be `null`.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// Whether a value of this type is written as one plain string (no array or object): a
    /// string, number, boolean or enum, or an alias or untagged union of those. `kind_of`
    /// finds a named type's definition; aliases are followed a bounded number of times, so a
    /// cycle of them is not scalar.
    pub fn is_scalar<'t>(&self, kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>) -> bool {
        self.is_scalar_within(kind_of, 64)
    }

    fn is_scalar_within<'t>(
        &self,
        kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>,
        depth: usize,
    ) -> bool {
        match self {
            TypeRef::String
            | TypeRef::Secret
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Bool => true,
            TypeRef::Named(_) if depth == 0 => false,
            TypeRef::Named(id) => match kind_of(*id) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(target)) => target.is_scalar_within(kind_of, depth - 1),
                Some(TypeKind::Union(union)) => {
                    union.tagging == Tagging::Untagged
                        && !union.variants.is_empty()
                        && union
                            .variants
                            .iter()
                            .all(|v| !v.boxed && v.ty.is_scalar_within(kind_of, depth - 1))
                }
                _ => false,
            },
            TypeRef::Json
            | TypeRef::Bytes
            | TypeRef::File
            | TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Nullable(_) => false,
        }
    }

    /// The type this names, when it is a named type itself (not inside an array or map).
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// The named types this type refers to, anywhere inside it.
    pub fn named_types(&self) -> Vec<TypeId> {
        match self {
            TypeRef::Named(id) => vec![*id],
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.named_types()
            }
            TypeRef::String
            | TypeRef::Secret
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Bool
            | TypeRef::Json
            | TypeRef::Bytes
            | TypeRef::File => Vec::new(),
        }
    }
}

/// One API operation and how to call it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name.
    pub method_name: String,
    /// The name of the constant that stands for it in the generated `operations` module
    /// (`REQUEST_ACCESS_TOKEN`).
    pub constant: String,
    /// Where the operation is in the spec, as a JSON pointer.
    pub origin: String,
    /// `operationId`, or the method and path when there is none.
    pub operation_id: String,
    /// The spec's `tags`.
    pub tags: Vec<String>,
    /// The features (indices into [`Api::features`]) any of which compiles the operation:
    /// those of its tags. Empty when it is always compiled.
    pub features: Vec<usize>,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path template as written in the spec (any `#fragment` removed).
    pub path: String,
    /// The path split at `/`, each piece literal or a parameter.
    pub segments: Vec<PathSegment>,
    /// Index into [`Api::servers`].
    pub server: usize,
    /// `summary`.
    pub summary: Docs,
    /// `description`.
    pub description: Docs,
    /// The path parameters, in the order the path uses them: the method's arguments, which
    /// [`Operation::segments`] point at by index.
    pub path_parameters: Vec<PathParameter>,
    /// The named struct holding the query, header and cookie parameters, when there are any:
    /// one field each, in spec order, with [`Purpose::Parameters`] saying where and how each
    /// is sent.
    pub params_type: Option<TypeId>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// What a success (2xx) response holds.
    pub success: Outcome,
    /// What an error response (any other status) holds.
    pub error: Outcome,
    /// Whether the operation is called by the client or only opened in a browser.
    pub kind: OperationKind,
    /// The content types of the success responses, as the `Accept` header lists them.
    pub accept: Option<String>,
}

impl Operation {
    /// The named types a request of this operation writes itself: its parameters struct, its
    /// path parameters' types and its body's.
    pub fn sent_types(&self) -> Vec<TypeId> {
        let mut roots: Vec<TypeId> = self.params_type.into_iter().collect();
        let path = self.path_parameters.iter().map(|param| &param.ty);
        let body = self.body.iter().map(|body| &body.ty);
        roots.extend(path.chain(body).flat_map(TypeRef::named_types));
        roots
    }

    /// The named types a response of this operation is read as: its success and error JSON
    /// bodies, or its per-status enums.
    pub fn received_types(&self) -> Vec<TypeId> {
        [&self.success, &self.error]
            .into_iter()
            .flat_map(|outcome| match outcome {
                Outcome::Single(ResponseBody::Json(ty)) => ty.named_types(),
                Outcome::Single(_) => Vec::new(),
                Outcome::PerStatus(id) => vec![*id],
            })
            .collect()
    }
}

/// Visits every type reachable from `pending` in `types` through the types each refers to
/// ([`TypeKind::type_refs`]), calling `visit` on each: a type whose visit changes nothing is
/// not entered (what it refers to was given the same when it was), so cycles end.
pub(crate) fn spread(
    types: &[TypeDef],
    mut pending: Vec<TypeId>,
    mut visit: impl FnMut(TypeId) -> bool,
) {
    while let Some(id) = pending.pop() {
        let Some(definition) = types.get(id.0) else {
            continue;
        };
        if visit(id) {
            let referred = definition.kind.type_refs().into_iter();
            pending.extend(referred.flat_map(TypeRef::named_types));
        }
    }
}

/// An HTTP method an operation is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method as it is sent: upper case (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method a path item's key names: `get`, `put` and so on, lower case as OpenAPI
    /// writes them.
    pub fn from_path_item_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an operation is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// The client sends the request and decodes the answer.
    Request,
    /// A page (`text/html`) for a browser: the client only builds its URL.
    BrowserUrl,
}

/// A piece of a path template, between two `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Sent as written.
    Literal(String),
    /// The value of a path parameter (an index into [`Operation::path_parameters`]),
    /// percent-encoded.
    Parameter(usize),
    /// Text and parameters together, such as `avatar.{format}`; percent-encoded as one segment.
    Template(Vec<TemplatePart>),
}

/// A part of a [`PathSegment::Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text, sent as written.
    Literal(String),
    /// A path parameter: an index into [`Operation::path_parameters`].
    Parameter(usize),
}

/// A path parameter: a method argument, written as (part of) one path segment.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParameter {
    /// The Rust name of the method argument.
    pub name: String,
    /// The name in the path template.
    pub wire_name: String,
    /// Documentation.
    pub docs: Docs,
    /// The value's type: a scalar (lowering refuses any other).
    pub ty: TypeRef,
}

/// Where a field of a parameters struct is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the query string, serialised with the other query parameters.
    Query,
    /// As a header of its own.
    Header,
    /// In the `Cookie` header, with the other cookies.
    Cookie,
}

/// What a field of a parameters struct does not say about its parameter: where and how it
/// is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSlot {
    /// Where it is sent.
    pub location: ParamLocation,
    /// How arrays and objects are written (OpenAPI `style` and `explode`).
    pub style: Style,
}

/// How a parameter or form field that holds an array or object is written, from OpenAPI's
/// `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`: `a=1&a=2` when exploded, else `a=1,2`.
    Form {
        /// Each array item or object member is its own pair.
        explode: bool,
    },
    /// `style: simple` (headers, paths): `1,2`.
    Simple {
        /// Object members are written `key=value` instead of `key,value`.
        explode: bool,
    },
    /// `style: spaceDelimited`: `a=1 2`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `style: deepObject`: `a[key]=value`.
    DeepObject,
    /// A parameter described by `content` with a JSON media type: the value as JSON text.
    Json,
}

/// A request body and how it is encoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The body's type.
    pub ty: TypeRef,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The content type of the spec it is sent as.
    pub content_type: String,
    /// Whether the operation needs a body; an optional one is an `Option` argument.
    pub required: bool,
    /// For a form body: how each field of the body's struct that is not written in the
    /// default way (`style: form`, exploded) is encoded, in the order the body's `encoding`
    /// lists them.
    pub field_styles: Vec<FieldStyle>,
    /// For a multipart body: how each field of the body's struct is sent, one part per field,
    /// in field order.
    pub parts: Vec<MultipartPart>,
    /// Documentation.
    pub docs: Docs,
}

/// How one field of a `application/x-www-form-urlencoded` body's struct is written, when not
/// in the default way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStyle {
    /// The index of the field in the body struct's fields.
    pub field: usize,
    /// How its value is written.
    pub style: Style,
}

/// How one field of a `multipart/form-data` body's struct is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The index of the field in the body struct's fields.
    pub field: usize,
    /// The part's `Content-Type`: the property's `encoding.contentType`, else the default
    /// for its schema (`application/octet-stream` for bytes, `application/json` for objects
    /// and arrays, `text/plain` for other values); `None` when only the value can tell (any
    /// JSON, or the members of a map), decided when sent.
    pub content_type: Option<String>,
    /// Headers the part carries, with the value the document gives them
    /// (`encoding.headers`).
    pub headers: Vec<(String, String)>,
}

/// How a request body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `application/*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property.
    Multipart,
    /// Any other content type: the caller's bytes, as they are.
    Bytes,
}

/// The bodies of a group of responses (the successes, or the errors) of an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every response of the group has this body.
    Single(ResponseBody),
    /// The body depends on the status: the named [`TypeKind::StatusEnum`] says how.
    PerStatus(TypeId),
}

/// What a response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// Nothing worth reading.
    Empty,
    /// JSON decoded as this type.
    Json(TypeRef),
    /// Text, returned as a `String`.
    Text,
    /// Any other content, returned as bytes.
    Bytes,
}

/// One documented status of a [`TypeKind::StatusEnum`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The Rust variant name (`Status200`, `Status4xx`, `Default`).
    pub name: String,
    /// The statuses it covers.
    pub status: StatusMatch,
    /// What the body holds.
    pub body: ResponseBody,
    /// The response's `description`.
    pub docs: Docs,
}

/// The statuses a response of the spec covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status, such as `201`.
    Code(u16),
    /// A range such as `4XX`, by its first digit.
    Range(u16),
    /// `default`: every status not documented otherwise.
    Default,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_methods_are_read_lower_case_and_sent_upper_case() {
        let keys = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        for key in keys {
            let method = HttpMethod::from_path_item_key(key).expect("a method");
            assert_eq!(method.as_str(), key.to_uppercase());
            assert_eq!(method.to_string(), key.to_uppercase());
        }
        assert_eq!(HttpMethod::from_path_item_key("GET"), None);
        assert_eq!(HttpMethod::from_path_item_key("parameters"), None);
    }
}
