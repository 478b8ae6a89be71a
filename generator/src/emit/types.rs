//! `src/types.rs`: a struct, enum or alias for every named type of the model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, rust_type};
use crate::model::{
    Api, Enum, EnumKind, Field, Presence, Purpose, Struct, Tagging, TypeDef, TypeKind, TypeRef,
    Union,
};
use crate::naming::unraw;

/// Whether any type has a field that must be redacted in `Debug` output.
pub(super) fn has_secrets(api: &Api) -> bool {
    api.types.iter().any(|def| match &def.kind {
        TypeKind::Struct(strukt) => strukt.fields.iter().any(|field| field.secret),
        _ => false,
    })
}

pub(super) fn types_rs(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| type_def(api, def));
    let serde_types = api.types.iter().any(|def| is_serialized(&def.kind));
    let imports = serde_types.then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    let present = schema_fields(api).any(keeps_null);
    let present = present.then(|| {
        quote! {
            /// Reads a property that is there, `null` included, as `Some`: for an untyped
            /// property `null` is a value, not an absence.
            fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: Deserialize<'de>,
            {
                T::deserialize(deserializer).map(Some)
            }
        }
    });
    let bytes_fields: Vec<&Field> = schema_fields(api)
        .filter(|f| f.ty == TypeRef::Bytes)
        .collect();
    let optional_bytes = bytes_fields
        .iter()
        .any(|f| f.presence != Presence::Required);
    let binary = (!bytes_fields.is_empty()).then(|| binary_module(optional_bytes));
    quote! {
        //! The request and response types of the API, one for each schema of the spec.
        #imports
        #(#items)*
        #present
        #binary
    }
}

/// Whether a type's definition implements serde's traits (an alias has its target's; status
/// enums and parameter structs are written by hand).
fn is_serialized(kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Struct(strukt) => strukt.purpose == Purpose::Schema,
        TypeKind::StatusEnum(_) | TypeKind::Alias(_) => false,
        TypeKind::Enum(_) | TypeKind::Union(_) => true,
    }
}

/// The fields of every struct that travels as JSON.
fn schema_fields(api: &Api) -> impl Iterator<Item = &Field> {
    api.types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(strukt) if strukt.purpose == Purpose::Schema => Some(&strukt.fields),
            _ => None,
        })
        .flatten()
}

/// `format: binary` properties are bytes in Rust; inside JSON they travel as a string
/// (non-UTF-8 bytes are replaced when written).
fn binary_module(optional: bool) -> TokenStream {
    let option = optional.then(|| {
        quote! {
            /// The same for an optional property.
            pub(super) mod option {
                use serde::{Deserialize, Deserializer, Serializer};

                pub(in super::super) fn serialize<S: Serializer>(
                    bytes: &Option<Vec<u8>>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match bytes {
                        Some(bytes) => super::serialize(bytes, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<Vec<u8>>, D::Error> {
                    #[derive(Deserialize)]
                    struct Bytes(#[serde(deserialize_with = "super::deserialize")] Vec<u8>);
                    Option::<Bytes>::deserialize(deserializer).map(|bytes| bytes.map(|Bytes(bytes)| bytes))
                }
            }
        }
    });
    quote! {
        /// Bytes written to and read from JSON as a string.
        mod binary {
            use serde::{Deserialize, Deserializer, Serializer};

            pub(super) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&String::from_utf8_lossy(bytes))
            }

            pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
                String::deserialize(deserializer).map(String::into_bytes)
            }

            #option
        }
    }
}

/// An optional untyped property, where `null` is kept as `Some(Value::Null)`.
fn keeps_null(field: &Field) -> bool {
    field.presence == Presence::Optional && field.ty == TypeRef::Json
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let fallback = match def.origin.strip_prefix("#/components/schemas/") {
        Some(name) if !name.contains('/') => format!("The `{name}` schema."),
        _ => format!("The schema at `{}`.", def.origin),
    };
    let docs = docs(def.docs.as_deref().unwrap_or(&fallback));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(strukt) => struct_def(api, &name, &docs, strukt),
        TypeKind::Enum(enumeration) => enum_def(&name, &docs, enumeration),
        TypeKind::Union(union) => union_def(api, def, &name, &docs, union),
        TypeKind::StatusEnum(variants) => super::status::status_enum_def(&name, &docs, variants),
        TypeKind::Alias(target) => {
            let target = rust_type(target, None);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn field_type(field: &Field) -> TokenStream {
    let ty = boxed(rust_type(&field.ty, None), field.boxed);
    match field.presence {
        Presence::Required | Presence::Additional | Presence::Flattened => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
    }
}

fn struct_def(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    strukt: &Struct,
) -> TokenStream {
    let has_secret = strukt.fields.iter().any(|field| field.secret);
    let has_required = strukt.fields.iter().any(|f| f.presence.is_required());
    let debug = (!has_secret).then(|| quote!(Debug,));
    let default = (!has_required).then(|| quote!(Default,));
    let serialized = strukt.purpose == Purpose::Schema;
    let serde_derives = serialized.then(|| quote!(Serialize, Deserialize));
    let fields = strukt.fields.iter().map(|field| {
        let field_docs = match &field.docs {
            Some(text) => super::docs(text),
            None => super::docs(&format!("The `{}` property.", field.wire_name)),
        };
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let rename = (unraw(&field.name) != field.wire_name && !field.presence.is_flattened())
            .then(|| {
                let wire = &field.wire_name;
                quote!(rename = #wire,)
            });
        let flatten = field.presence.is_flattened().then(|| quote!(flatten,));
        let binary = (field.ty == TypeRef::Bytes && !field.boxed).then(|| match field.presence {
            Presence::Required => quote!(with = "binary",),
            _ => quote!(with = "binary::option",),
        });
        let optional = (field.presence == Presence::Optional)
            .then(|| quote!(default, skip_serializing_if = "Option::is_none",));
        let keep_null = keeps_null(field).then(|| quote!(deserialize_with = "present",));
        let serde = (serialized
            && (rename.is_some() || optional.is_some() || flatten.is_some() || binary.is_some()))
        .then(|| quote!(#[serde(#rename #optional #keep_null #flatten #binary)]));
        quote! {
            #field_docs
            #serde
            pub #field_name: #ty,
        }
    });
    let constructor = has_required.then(|| constructor(api, name, strukt));
    let debug_impl = has_secret.then(|| redacting_debug(name, strukt));
    quote! {
        #docs
        #[derive(#debug Clone, PartialEq, #default #serde_derives)]
        pub struct #name {
            #(#fields)*
        }
        #constructor
        #debug_impl
    }
}

/// `new` taking the required fields; optional ones start as `None`, and a required field
/// whose enum has a single value is set to it.
fn constructor(api: &Api, name: &proc_macro2::Ident, strukt: &Struct) -> TokenStream {
    let mut arguments = Vec::new();
    let mut initialisers = Vec::new();
    let mut fixed = Vec::new();
    for field in &strukt.fields {
        let field_name = ident(&field.name);
        match (field.presence, only_variant(api, &field.ty)) {
            (Presence::Required, Some(variant)) => {
                let ty = rust_type(&field.ty, None);
                initialisers.push(quote!(#field_name: #ty::#variant));
                fixed.push(format!("`{}`", field.wire_name));
            }
            (Presence::Required, None) | (Presence::Flattened, _) => {
                let ty = field_type(field);
                arguments.push(quote!(#field_name: #ty));
                initialisers.push(quote!(#field_name));
            }
            (Presence::RequiredNullable | Presence::Optional, _) => {
                initialisers.push(quote!(#field_name: None));
            }
            (Presence::Additional, _) => {
                initialisers.push(quote!(#field_name: Default::default()));
            }
        }
    }
    let too_many = (arguments.len() > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required property")])
    });
    let named_new = (name == "New").then(|| {
        quote!(#[allow(clippy::self_named_constructors, reason = "the spec names the type `New`")])
    });
    let mut text = format!("Builds a `{name}` from its required fields");
    if !fixed.is_empty() {
        text.push_str(&format!(
            ", with {} set to the only value allowed",
            fixed.join(", ")
        ));
    }
    if strukt
        .fields
        .iter()
        .any(|field| field.presence != Presence::Required)
    {
        let has_map = strukt
            .fields
            .iter()
            .any(|f| f.presence == Presence::Additional);
        text.push_str(if has_map {
            "; every other field is empty"
        } else {
            "; every other field is `None`"
        });
    }
    text.push('.');
    let doc = super::docs(&text);
    let default = arguments.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #doc
            #too_many
            #named_new
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#initialisers),* }
            }
        }
        #default
    }
}

/// The variant of a named enum that has exactly one.
fn only_variant(api: &Api, ty: &TypeRef) -> Option<proc_macro2::Ident> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match api.kind_of(name)? {
        TypeKind::Enum(Enum { variants, .. }) if variants.len() == 1 => {
            Some(ident(&variants[0].name))
        }
        _ => None,
    }
}

/// `Debug` that prints `<redacted>` in place of secret values.
fn redacting_debug(name: &proc_macro2::Ident, strukt: &Struct) -> TokenStream {
    let label = name.to_string();
    let fields = strukt.fields.iter().map(|field| {
        let wire = unraw(&field.name);
        let field_name = ident(&field.name);
        let value = match (field.secret, field.presence) {
            (false, _) => quote!(&self.#field_name),
            (true, Presence::Required) => quote!(&crate::redact::Redacted),
            (true, _) => quote!(&self.#field_name.as_ref().map(|_| crate::redact::Redacted)),
        };
        quote!(.field(#wire, #value))
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

fn enum_def(name: &proc_macro2::Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    if enumeration.kind == EnumKind::Integer {
        return integer_enum_def(name, docs, enumeration);
    }
    let variants = enumeration.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        let doc = format!(" `{value}`");
        quote! {
            #[doc = #doc]
            #[serde(rename = #value)]
            #variant_name,
        }
    });
    let arms = enumeration.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote!(Self::#variant_name => #value,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value exactly as it is sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// Integers cannot be serde `rename`s, so an integer enum gets its own serde impls.
fn integer_enum_def(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    enumeration: &Enum,
) -> TokenStream {
    let values: Vec<proc_macro2::Literal> = enumeration
        .variants
        .iter()
        .map(|variant| {
            let value: i64 = variant.value.parse().unwrap_or_default();
            proc_macro2::Literal::i64_unsuffixed(value)
        })
        .collect();
    let names: Vec<proc_macro2::Ident> = enumeration
        .variants
        .iter()
        .map(|v| ident(&v.name))
        .collect();
    let variant_docs = enumeration
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.value));
    let expected = enumeration
        .variants
        .iter()
        .map(|v| v.value.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("unexpected value {{other}}, expected one of {expected}");
    let other = format_ident!("other");
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#[doc = #variant_docs] #names,)*
        }

        impl #name {
            /// The value exactly as it is sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#names => #values,)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                match i64::deserialize(deserializer)? {
                    #(#values => Ok(Self::#names),)*
                    #other => Err(serde::de::Error::custom(format_args!(#message))),
                }
            }
        }
    }
}

fn boxed(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

fn union_def(
    api: &Api,
    def: &TypeDef,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    union: &Union,
) -> TokenStream {
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = boxed(rust_type(&variant.ty, None), variant.boxed);
        let doc = match (&union.tagging, &variant.tag) {
            (Tagging::Property(property), Some(tag)) => {
                format!(" The value when `{property}` is `{tag}`.")
            }
            _ => format!(" A `{}`.", type_label(&variant.ty)),
        };
        quote! {
            #[doc = #doc]
            #variant_name(#ty),
        }
    });
    let (derive, serde_attribute, impls) = match &union.tagging {
        Tagging::Untagged => (
            quote!(Serialize, Deserialize),
            quote!(#[serde(untagged)]),
            None,
        ),
        Tagging::Property(property) => {
            let serialize = tagged_serialize(name, property, union);
            let deserialize = tagged_deserialize(name, property, union);
            (quote!(), quote!(), Some(quote!(#serialize #deserialize)))
        }
    };
    let sizes = holds_named(union.variants.iter().map(|v| &v.ty)).then(variant_sizes_differ);
    // A union of scalars (a path parameter that is an id or a name) is written as its value.
    let display = TypeRef::Named(def.name.clone())
        .is_scalar(&|name| api.kind_of(name))
        .then(|| {
            let arms = union.variants.iter().map(|variant| {
                let variant_name = ident(&variant.name);
                quote!(Self::#variant_name(value) => std::fmt::Display::fmt(value, f),)
            });
            quote! {
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            }
        });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive)]
        #serde_attribute
        #sizes
        pub enum #name {
            #(#variants)*
        }
        #impls
        #display
    }
}

/// Writes the variant, adding the tag property when the variant's own type does not.
fn tagged_serialize(name: &proc_macro2::Ident, property: &str, union: &Union) -> TokenStream {
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let tag = variant.tag.as_deref().unwrap_or_default();
        quote!(Self::#variant_name(value) => (#tag, serde_json::to_value(value)),)
    });
    quote! {
        impl Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                let (tag, value) = match self {
                    #(#arms)*
                };
                let mut value = value.map_err(serde::ser::Error::custom)?;
                if let serde_json::Value::Object(members) = &mut value {
                    members
                        .entry(#property)
                        .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
                }
                value.serialize(serializer)
            }
        }
    }
}

/// Picks the variant by the tag property, then decodes the whole object (tag included) as that
/// variant, so a variant's own `type` field is filled and errors name the tag.
fn tagged_deserialize(name: &proc_macro2::Ident, property: &str, union: &Union) -> TokenStream {
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = boxed(rust_type(&variant.ty, None), variant.boxed);
        let tag = variant.tag.as_deref().unwrap_or_default();
        let others = &variant.also_accepted;
        quote! {
            Some(#tag #(| #others)*) => <#ty>::deserialize(value).map(Self::#variant_name).map_err(serde::de::Error::custom),
        }
    });
    let expected = union
        .variants
        .iter()
        .flat_map(|variant| variant.tag.iter().chain(&variant.also_accepted))
        .map(|tag| format!("`{tag}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let literal = |text: &str| text.replace('{', "{{").replace('}', "}}");
    let message = format!(
        "unknown `{}` {{other:?}}, expected one of {}",
        literal(property),
        literal(&expected)
    );
    let other = format_ident!("other");
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    #other => Err(serde::de::Error::custom(format_args!(#message))),
                }
            }
        }
    }
}

/// Whether any of `types` is a named type, whose size the spec decides.
pub(super) fn holds_named<'t>(mut types: impl Iterator<Item = &'t TypeRef>) -> bool {
    types.any(|ty| matches!(ty, TypeRef::Named(_)))
}

/// The allowance an enum whose variants hold the spec's types needs: their sizes differ as
/// the schemas do, and boxing the large ones would make every match on the enum clumsier.
pub(super) fn variant_sizes_differ() -> TokenStream {
    quote!(#[allow(clippy::large_enum_variant, reason = "variants hold the spec's types as they are")])
}

fn type_label(ty: &TypeRef) -> String {
    rust_type(ty, None).to_string().replace(' ', "")
}
