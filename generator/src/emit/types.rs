//! `src/types.rs`: a struct, enum or alias for every named type of the model, and the serde
//! helpers some of them need; the types that the same features reach sit in one private
//! module, gated once and re-exported.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeMap;

use super::directions::{helper_cfg, opt_in_cfg, SerdeTrait};
use super::{feature_names, ident, rust_type, type_item_docs, Chunk};
use crate::model::{Api, Field, Presence, Purpose, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{group_name, unraw, UniqueNames, TYPES_HELPERS};

/// The file in chunks: its docs, one per type compiled always, one per group of types that the
/// same features reach (a private module, gated once and re-exported), then the helpers
/// (compiled with the types that use them) and the twins of the types compiled always.
pub(super) fn types_rs(api: &Api) -> Vec<Chunk> {
    let present = helper_chunk(api, &PRESENT, |_| present_helper());
    let binary = helper_chunk(api, &BINARY, |users| binary_module(api, users));
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
        //! The types that the same features reach sit in one private module compiled with
        //! them, whose types are all re-exported here.
    };
    let (always, groups) = groups(api);
    let always_items = defs(api, &always).map(|(id, def)| Chunk::always(type_def(api, id, def)));
    let group_items = groups
        .iter()
        .map(|group| Chunk::gated(api, group.features, group_module(api, group)));
    let twins = optional_twins(api, &always).map(Chunk::always);
    std::iter::once(Chunk::always(head))
        .chain(always_items)
        .chain(group_items)
        .chain(present)
        .chain(binary)
        .chain(twins)
        .collect()
}

/// The types that exactly the same features reach: compiled together, in one module.
#[derive(Debug)]
struct Group<'a> {
    /// The module's name, unique beside the types and helpers.
    name: String,
    /// The features (indices into `api.features`, sorted), any of which compiles the group.
    features: &'a [usize],
    /// Its types, in name order.
    types: Vec<TypeId>,
}

/// The types compiled always, then the groups of the others: those reached by one feature
/// first, then by two, and so on; among as many features, in the order the features were
/// first used. Types keep their name order inside each.
fn groups(api: &Api) -> (Vec<TypeId>, Vec<Group<'_>>) {
    let mut by_features: BTreeMap<(usize, &[usize]), Vec<TypeId>> = BTreeMap::new();
    for (index, def) in api.types.iter().enumerate() {
        let key = (def.features.len(), def.features.as_slice());
        by_features.entry(key).or_default().push(TypeId(index));
    }
    let always = by_features.remove(&(0, &[][..])).unwrap_or_default();
    let mut taken: Vec<&str> = TYPES_HELPERS.to_vec();
    taken.extend(api.types.iter().map(|def| unraw(&def.name)));
    let mut names = UniqueNames::with_reserved(&taken);
    let groups = by_features
        .into_iter()
        .map(|((_, features), types)| Group {
            name: names.claim(group_name(&feature_names(api, features))),
            features,
            types,
        })
        .collect();
    (always, groups)
}

/// A group's private module and its re-export: `use super::*` first when its types name
/// anything outside it (another type, a helper), its types, then its own `optional` module of
/// builders' twins.
fn group_module(api: &Api, group: &Group<'_>) -> TokenStream {
    let name = ident(&group.name);
    let import = match reach_outside(api, &group.types) {
        Reach::Never => None,
        Reach::WithOptInTraits => {
            let cfg = opt_in_cfg();
            Some(quote!(#cfg use super::*;))
        }
        Reach::Always => Some(quote!(
            use super::*;
        )),
    };
    let types = defs(api, &group.types).map(|(id, def)| type_def(api, id, def));
    let twins = optional_twins(api, &group.types);
    quote! {
        mod #name {
            #import
            #(#types)*
            #twins
        }
        pub use self::#name::*;
    }
}

/// When code in a group's module reaches the file's items through `use super::*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Never: its types name only each other.
    Never,
    /// Only with the opt-in serde traits: a type that is only sent has a field read with the
    /// helper `present`, which only its opt-in `Deserialize` calls.
    WithOptInTraits,
    /// Always: a type names one outside the group, or a helper it always calls.
    Always,
}

/// When any of `types` (sorted) names a type that is not one of them, or one of the file's
/// [`HELPERS`].
fn reach_outside(api: &Api, types: &[TypeId]) -> Reach {
    let reach = |def: &TypeDef| {
        let names_other = def
            .kind
            .type_refs()
            .into_iter()
            .flat_map(TypeRef::named_types)
            .any(|named| types.binary_search(&named).is_err());
        if names_other {
            return Reach::Always;
        }
        HELPERS
            .iter()
            .map(|helper| helper.reached_from(def))
            .max()
            .unwrap_or(Reach::Never)
    };
    defs(api, types)
        .map(|(_, def)| reach(def))
        .max()
        .unwrap_or(Reach::Never)
}

/// A serde helper of `types.rs`, which the serde code of some fields calls by name.
pub(super) struct Helper {
    /// Whether a field (of a struct that travels as JSON) goes through it: the one rule both
    /// the field's serde attribute and the helper's `#[cfg]` follow.
    pub(super) uses: fn(&Field) -> bool,
    /// The traits whose code calls it.
    serves: &'static [SerdeTrait],
}

/// `present`, which reads a field that keeps `null` ([`Field::keeps_null`]).
pub(super) const PRESENT: Helper = Helper {
    uses: |field| field.keeps_null,
    serves: &[SerdeTrait::Deserialize],
};

/// `binary`, which writes and reads bytes as a JSON string (bytes are never boxed: only a
/// named type is, to break a cycle).
pub(super) const BINARY: Helper = Helper {
    uses: |field| field.ty == TypeRef::Bytes && !field.boxed,
    serves: &[SerdeTrait::Serialize, SerdeTrait::Deserialize],
};

/// Every helper a group module may reach.
const HELPERS: [&Helper; 2] = [&PRESENT, &BINARY];

impl Helper {
    /// When the code of `def` calls this helper: never when no field of it goes through it,
    /// always when a trait it derives by default calls it, else only with the opt-in traits.
    fn reached_from(&self, def: &TypeDef) -> Reach {
        if !schema_fields_of(def).any(self.uses) {
            Reach::Never
        } else if self
            .serves
            .iter()
            .any(|serde_trait| serde_trait.by_default(def.direction))
        {
            Reach::Always
        } else {
            Reach::WithOptInTraits
        }
    }
}

/// The definitions of `ids`, each with its id.
fn defs<'a>(api: &'a Api, ids: &'a [TypeId]) -> impl Iterator<Item = (TypeId, &'a TypeDef)> {
    ids.iter().filter_map(|&id| Some((id, api.get(id)?)))
}

/// The chunk of `helper`, made by `make` from the fields that go through it (each with the
/// type holding it): compiled whenever one of the types holding them is, with one of the
/// traits it serves (see `directions::helper_cfg`), and absent when no field needs it.
fn helper_chunk<'a>(
    api: &'a Api,
    helper: &Helper,
    make: impl FnOnce(&[(&'a TypeDef, &'a Field)]) -> TokenStream,
) -> Option<Chunk> {
    let users: Vec<(&TypeDef, &Field)> = schema_fields(api)
        .filter(|(_, field)| (helper.uses)(field))
        .collect();
    if users.is_empty() {
        return None;
    }
    let types: Vec<&TypeDef> = users.iter().map(|(def, _)| *def).collect();
    let cfg = helper_cfg(api, &types, helper.serves);
    Some(Chunk::with_cfg(cfg, make(&users)))
}

fn type_def(api: &Api, id: TypeId, def: &TypeDef) -> TokenStream {
    let fallback = match def.origin.strip_prefix("#/components/schemas/") {
        Some(name) if !name.contains('/') => format!("The `{name}` schema."),
        _ => format!("The schema at `{}`.", def.origin),
    };
    let docs = type_item_docs(def.docs.as_deref().unwrap_or(&fallback));
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

/// The module of the fields each builder of `types` holds together until `build` (see
/// `structs::preset_twin`), if any of them has such a builder.
fn optional_twins(api: &Api, types: &[TypeId]) -> Option<TokenStream> {
    let twins: Vec<TokenStream> = defs(api, types)
        .filter_map(|(_, def)| match &def.kind {
            TypeKind::Struct(strukt) => super::structs::preset_twin(api, &ident(&def.name), strukt),
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
    api.types
        .iter()
        .flat_map(|def| schema_fields_of(def).map(move |field| (def, field)))
}

/// The fields of `def`, if it is a struct that travels as JSON.
fn schema_fields_of(def: &TypeDef) -> impl Iterator<Item = &Field> {
    let fields = match &def.kind {
        TypeKind::Struct(strukt) if strukt.purpose == Purpose::Schema => &strukt.fields[..],
        _ => &[],
    };
    fields.iter()
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::{Config, Spec};

    fn lowered(text: &str) -> Api {
        let spec = Spec::parse("api.yaml", text).expect("a valid document");
        crate::lower(&spec, &Config::new("demo")).expect("lowers").0
    }

    /// `paths` (operations, each `tags: [..]` and a `$ref` to its response schema) with
    /// `schemas` as the components.
    fn document(paths: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\npaths:\n{paths}\
             components:\n  schemas:\n{schemas}"
        )
    }

    fn operation(path: &str, tags: &str, schema: &str) -> String {
        format!(
            "  /{path}:\n    get:\n      tags: [{tags}]\n      responses:\n        \"200\": \
             {{description: ok, content: {{application/json: {{schema: {{$ref: \
             \"#/components/schemas/{schema}\"}}}}}}}}\n"
        )
    }

    /// Tokens as one string without spaces, which `quote` puts between every token.
    fn squeezed(tokens: &impl ToString) -> String {
        tokens.to_string().replace(' ', "")
    }

    fn group_names(api: &Api) -> Vec<String> {
        groups(api).1.into_iter().map(|group| group.name).collect()
    }

    #[test]
    fn a_type_two_features_reach_sits_in_one_module_gated_by_both() {
        let paths = operation("files", "Files", "File") + &operation("users", "Users", "User");
        let schemas = "    File: {type: object, properties: {owner: {$ref: \"#/components/schemas/User\"}}}\n    \
                       User: {type: object, properties: {name: {type: string}}}\n";
        let api = lowered(&document(&paths, schemas));
        let chunks = types_rs(&api);
        let user = chunks
            .iter()
            .find(|chunk| squeezed(&chunk.tokens).contains("pubstructUser"))
            .expect("a chunk defines User");
        let module = squeezed(&user.tokens);
        assert!(module.contains("modfiles_and_users{"), "{module}");
        assert!(
            module.contains("pubuseself::files_and_users::*;"),
            "{module}"
        );
        assert!(
            !module.contains("pubstructFile"),
            "File is reached by `files` alone"
        );
        let cfg = user.cfg.as_ref().map(squeezed);
        assert_eq!(
            cfg.as_deref(),
            Some(r#"#[cfg(any(feature="files",feature="users"))]"#)
        );
        let files = chunks
            .iter()
            .find(|chunk| squeezed(&chunk.tokens).contains("pubstructFile"))
            .expect("a chunk defines File");
        assert!(
            squeezed(&files.tokens).contains("modfiles{usesuper::*;"),
            "File names User, which is in another module"
        );
    }

    #[test]
    fn a_module_reaches_a_helper_only_when_a_derived_trait_calls_it() {
        // `note` has no type, so `null` is a value: `Deserialize` reads it with `present`.
        let schemas = "    Note: {type: object, properties: {note: {}}}\n    \
                       User: {type: object, properties: {name: {type: string}}}\n";
        let sent = "  /notes:\n    post:\n      tags: [Notes]\n      requestBody: {content: \
                    {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}}\n      \
                    responses: {\"204\": {description: done}}\n";
        let module_of = |paths: &str| {
            let paths = format!("{paths}{}", operation("users", "Users", "User"));
            let api = lowered(&document(&paths, schemas));
            let chunks = types_rs(&api);
            let chunk = chunks
                .iter()
                .find(|chunk| squeezed(&chunk.tokens).contains("pubstructNote"))
                .map(|chunk| squeezed(&chunk.tokens))
                .expect("a chunk defines Note");
            chunk
        };
        let only_sent = module_of(sent);
        assert!(
            only_sent.contains(r#"modnotes{#[cfg(feature="full-serde")]usesuper::*;"#),
            "{only_sent}"
        );
        let received = module_of(&operation("notes", "Notes", "Note"));
        assert!(received.contains("modnotes{usesuper::*;"), "{received}");
    }

    #[test]
    fn a_module_naming_only_its_own_types_imports_nothing() {
        let paths = operation("files", "Files", "File") + &operation("users", "Users", "User");
        let schemas = "    File: {type: object, properties: {kind: {$ref: \"#/components/schemas/Kind\"}}}\n    \
                       Kind: {type: string, enum: [a, b]}\n    \
                       User: {type: object, properties: {name: {type: string}}}\n";
        let api = lowered(&document(&paths, schemas));
        for chunk in types_rs(&api) {
            let tokens = squeezed(&chunk.tokens);
            assert!(!tokens.contains("usesuper::*"), "{tokens}");
        }
    }

    #[test]
    fn without_features_every_type_stays_at_the_top_level() {
        let paths = operation("files", "Files", "File");
        let schemas = "    File: {type: object, required: [id], properties: {id: {type: string}, \
                       note: {type: string}}}\n";
        let api = lowered(&document(&paths, schemas));
        assert!(api.features.is_empty(), "one tag makes no features");
        let chunks = types_rs(&api);
        assert!(chunks.iter().all(|chunk| chunk.cfg.is_none()));
        let top_level: Vec<String> = chunks.iter().map(|chunk| squeezed(&chunk.tokens)).collect();
        assert!(top_level
            .iter()
            .any(|tokens| tokens.contains("pubstructFile")));
        assert!(top_level
            .iter()
            .all(|tokens| !tokens.contains("pubuseself::")));
        assert!(
            top_level
                .iter()
                .any(|tokens| tokens.contains("modoptional{")),
            "File's builder keeps its twin in the top-level `optional`"
        );
    }

    #[test]
    fn group_names_never_take_a_helper_s_a_type_s_or_each_other_s() {
        let paths = operation("one", "Optional", "Choice")
            + &operation("two", "\"10\"", "10")
            + &operation("three", "Present", "Blob")
            + &operation("four", "Binary, Files, Users", "Blob2")
            + &operation("five", "Binary, Files, Admins", "Blob3")
            + &operation("six", "Binary", "Blob4");
        let schemas = "    Choice: {type: object, properties: {a: {type: string}}}\n    \
                       \"10\": {type: object, properties: {a: {type: string}}}\n    \
                       Blob: {type: object, properties: {a: {type: string}}}\n    \
                       Blob2: {type: object, properties: {a: {type: string}}}\n    \
                       Blob3: {type: object, properties: {a: {type: string}}}\n    \
                       Blob4: {type: object, properties: {a: {type: string}}}\n";
        let api = lowered(&document(&paths, schemas));
        let names = group_names(&api);
        for helper in TYPES_HELPERS {
            assert!(!names.iter().any(|name| name == helper), "{names:?}");
        }
        assert!(api.has_type_named("_10"));
        assert!(!names.iter().any(|name| name == "_10"), "{names:?}");
        assert!(
            names.iter().any(|name| name == "binary_and_2_more2"),
            "two sets of three features led by `binary`: {names:?}"
        );
        let distinct: BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        assert_eq!(names, group_names(&api), "names are the same on every run");
    }
}
