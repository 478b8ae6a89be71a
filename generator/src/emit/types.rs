//! `src/types.rs`: a struct, enum or alias for every named type of the model, and the serde
//! helpers some of them need.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeSet;

use super::{ident, item_docs, rust_type, Chunk};
use crate::model::{Api, Field, Presence, Purpose, TypeDef, TypeId, TypeKind, TypeRef};

/// The file in chunks: its docs, one per type (compiled with the features that reach it), then
/// the helpers (compiled with those of the types that use them).
pub(super) fn types_rs(api: &Api) -> Vec<Chunk> {
    let present = helper_chunk(api, |field| field.keeps_null, |_| present_helper());
    let binary = helper_chunk(
        api,
        |field| field.ty == TypeRef::Bytes,
        |fields| {
            let optional = fields.iter().any(|f| f.presence != Presence::Required);
            binary_module(optional)
        },
    );
    let head = quote! {
        //! The request and response types of the API, one for each schema of the spec.
        //!
        //! Structs are built with their builders (`Type::builder()`), which take every
        //! required field before `build`; enums keep values the spec does not list in an
        //! `Unknown` variant, so a new value from the server never breaks decoding.
        //!
        //! Code here names what it uses from `std`, `serde` and the runtime by absolute path
        //! (setters write `Into`, `IntoIterator` and `Some` bare, where that cannot clash), so
        //! a schema may have any name (`Option`, `Result`, `Serialize`) without shadowing it.
    };
    let items = api.types.iter().enumerate().map(|(index, def)| {
        let tokens = type_def(api, TypeId(index), def);
        Chunk::gated(api, &def.features, tokens)
    });
    let twins = optional_twins(api).map(Chunk::always);
    std::iter::once(Chunk::always(head))
        .chain(items)
        .chain(present)
        .chain(binary)
        .chain(twins)
        .collect()
}

/// The chunk of a helper that the fields `uses` picks need, made by `make` from them: compiled
/// whenever one of the types holding them is, and absent when no field needs it.
fn helper_chunk(
    api: &Api,
    uses: impl Fn(&Field) -> bool,
    make: impl FnOnce(&[&Field]) -> TokenStream,
) -> Option<Chunk> {
    let users: Vec<(&TypeDef, &Field)> = schema_fields(api)
        .filter(|(_, field)| uses(field))
        .collect();
    if users.is_empty() {
        return None;
    }
    // A helper one always-compiled type uses is always compiled too.
    let features: Option<BTreeSet<usize>> = users
        .iter()
        .map(|(def, _)| (!def.features.is_empty()).then_some(&def.features))
        .try_fold(BTreeSet::new(), |mut all, features| {
            all.extend(features?);
            Some(all)
        });
    let fields: Vec<&Field> = users.iter().map(|(_, field)| *field).collect();
    let tokens = make(&fields);
    let features: Vec<usize> = features.unwrap_or_default().into_iter().collect();
    Some(Chunk::gated(api, &features, tokens))
}

fn type_def(api: &Api, id: TypeId, def: &TypeDef) -> TokenStream {
    let fallback = match def.origin.strip_prefix("#/components/schemas/") {
        Some(name) if !name.contains('/') => format!("The `{name}` schema."),
        _ => format!("The schema at `{}`.", def.origin),
    };
    let docs = item_docs(def.docs.as_deref().unwrap_or(&fallback));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(strukt) => super::structs::struct_def(api, &name, &docs, strukt),
        TypeKind::Enum(enumeration) => super::enums::enum_def(&name, &docs, enumeration),
        TypeKind::Union(union) => super::unions::union_def(api, id, &name, &docs, union),
        TypeKind::StatusEnum(variants) => {
            super::status::status_enum_def(api, &name, &docs, variants)
        }
        TypeKind::Alias(target) => {
            let target = rust_type(api, target, &quote!());
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// The module of the fields each builder holds together until `build` (see
/// `structs::preset_twin`), if any builder does; each compiled with its struct.
fn optional_twins(api: &Api) -> Option<TokenStream> {
    let twins: Vec<TokenStream> = api
        .types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(strukt) => {
                let twin = super::structs::preset_twin(api, &ident(&def.name), strukt)?;
                let cfg = super::cfg(api, &def.features);
                Some(quote!(#cfg #twin))
            }
            _ => None,
        })
        .collect();
    (!twins.is_empty()).then(|| {
        quote! {
            /// For each builder with required fields, the other fields of its struct, held
            /// together so that setting a required field moves them as one value.
            mod optional {
                #(#twins)*
            }
        }
    })
}

/// The fields of every struct that travels as JSON, with the type that holds each.
fn schema_fields(api: &Api) -> impl Iterator<Item = (&TypeDef, &Field)> {
    api.types.iter().flat_map(|def| {
        let fields = match &def.kind {
            TypeKind::Struct(strukt) if strukt.purpose == Purpose::Schema => &strukt.fields[..],
            _ => &[],
        };
        fields.iter().map(move |field| (def, field))
    })
}

/// The helper fields that keep `null` ([`Field::keeps_null`]) read with.
fn present_helper() -> TokenStream {
    quote! {
        /// Reads a property that is there, `null` included, as `Some`: for an untyped
        /// property `null` is a value, not an absence.
        fn present<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            T::deserialize(deserializer).map(::std::option::Option::Some)
        }
    }
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

/// Whether any of `types` is a named type, whose size the spec decides.
pub(super) fn holds_named<'t>(mut types: impl Iterator<Item = &'t TypeRef>) -> bool {
    types.any(|ty| matches!(ty, TypeRef::Named(_)))
}

/// The allowance an enum whose variants hold the spec's types needs: their sizes differ as
/// the schemas do, and boxing the large ones would make every match on the enum clumsier.
pub(super) fn variant_sizes_differ() -> TokenStream {
    quote!(#[allow(clippy::large_enum_variant, reason = "variants hold the spec's types as they are")])
}
