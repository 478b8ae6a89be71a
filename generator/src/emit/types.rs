//! `src/types.rs`: a struct, enum or alias for every named type of the model, and the serde
//! helpers some of them need.

use proc_macro2::TokenStream;
use quote::quote;

use super::directions::{helper_cfg, SerdeTrait};
use super::{ident, item_docs, rust_type, Chunk};
use crate::model::{Api, Field, Presence, Purpose, TypeDef, TypeId, TypeKind, TypeRef};

/// The file in chunks: its docs, one per type (compiled with the features that reach it), then
/// the helpers (compiled with those of the types that use them).
pub(super) fn types_rs(api: &Api) -> Vec<Chunk> {
    let present = helper_chunk(
        api,
        |field| field.keeps_null,
        &[SerdeTrait::Deserialize],
        |_| present_helper(),
    );
    let binary = helper_chunk(
        api,
        |field| field.ty == TypeRef::Bytes,
        &[SerdeTrait::Serialize, SerdeTrait::Deserialize],
        |users| binary_module(api, users),
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

/// The chunk of a helper that the fields `uses` picks need, made by `make` from them (each with
/// the type holding it): compiled whenever one of the types holding them is, with one of the
/// traits in `serves` (see `directions::helper_cfg`), and absent when no field needs it.
fn helper_chunk<'a>(
    api: &'a Api,
    uses: impl Fn(&Field) -> bool,
    serves: &[SerdeTrait],
    make: impl FnOnce(&[(&'a TypeDef, &'a Field)]) -> TokenStream,
) -> Option<Chunk> {
    let users: Vec<(&TypeDef, &Field)> = schema_fields(api)
        .filter(|(_, field)| uses(field))
        .collect();
    if users.is_empty() {
        return None;
    }
    let types: Vec<&TypeDef> = users.iter().map(|(def, _)| *def).collect();
    let cfg = helper_cfg(api, &types, serves);
    Some(Chunk::with_cfg(cfg, make(&users)))
}

fn type_def(api: &Api, id: TypeId, def: &TypeDef) -> TokenStream {
    let fallback = match def.origin.strip_prefix("#/components/schemas/") {
        Some(name) if !name.contains('/') => format!("The `{name}` schema."),
        _ => format!("The schema at `{}`.", def.origin),
    };
    let docs = item_docs(def.docs.as_deref().unwrap_or(&fallback));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(strukt) => {
            super::structs::struct_def(api, &name, &docs, strukt, def.direction)
        }
        TypeKind::Enum(enumeration) => super::enums::enum_def(&name, &docs, enumeration),
        TypeKind::Union(union) => {
            super::unions::union_def(api, id, def.direction, &name, &docs, union)
        }
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
/// (non-UTF-8 bytes are replaced when written). `users` are the fields of that type, each with
/// the struct holding it: each function is compiled only when a trait that calls it is.
fn binary_module(api: &Api, users: &[(&TypeDef, &Field)]) -> TokenStream {
    let all: Vec<&TypeDef> = users.iter().map(|(def, _)| *def).collect();
    let optional: Vec<&TypeDef> = users
        .iter()
        .filter(|(_, field)| field.presence != Presence::Required)
        .map(|(def, _)| *def)
        .collect();
    let serialize = helper_cfg(api, &all, &[SerdeTrait::Serialize]);
    let deserialize = helper_cfg(api, &all, &[SerdeTrait::Deserialize]);
    let option = (!optional.is_empty()).then(|| {
        let serialize = helper_cfg(api, &optional, &[SerdeTrait::Serialize]);
        let deserialize = helper_cfg(api, &optional, &[SerdeTrait::Deserialize]);
        quote! {
            /// The same for an optional property.
            pub(super) mod option {
                #serialize
                pub(in super::super) fn serialize<S: ::serde::Serializer>(
                    bytes: &Option<Vec<u8>>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match bytes {
                        Some(bytes) => super::serialize(bytes, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                #deserialize
                pub(in super::super) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<Vec<u8>>, D::Error> {
                    #[derive(::serde::Deserialize)]
                    struct Bytes(#[serde(deserialize_with = "super::deserialize")] Vec<u8>);
                    let bytes = <Option<Bytes> as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(bytes.map(|Bytes(bytes)| bytes))
                }
            }
        }
    });
    quote! {
        /// Bytes written to and read from JSON as a string.
        mod binary {
            #serialize
            pub(super) fn serialize<S: ::serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&String::from_utf8_lossy(bytes))
            }

            #deserialize
            pub(super) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(String::into_bytes)
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
