//! Structs, and the builder of each.
//!
//! A struct is `#[non_exhaustive]`, so callers never write it as a literal and a spec that
//! gains an optional property does not break them. It is made with its builder:
//! `Type::builder()`, a setter per field (`impl Into` for the value, so `"text"` is a `String`
//! and a list of `&str` a `Vec<String>`), then `build`, which exists only once every required
//! field is set. The builder tracks that in its type: one type parameter per required field,
//! `Missing` until its setter is called.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, item_docs, runtime, rust_type};
use crate::model::{Api, Field, Presence, Purpose, Struct, TypeRef};
use crate::naming::{setter_name, unraw};

pub(super) fn struct_def(
    api: &Api,
    name: &Ident,
    docs: &TokenStream,
    strukt: &Struct,
) -> TokenStream {
    let has_required = strukt.fields.iter().any(|f| f.presence.is_required());
    let default = (!has_required).then(|| quote!(Default,));
    let serde_derives = match strukt.purpose {
        Purpose::Schema => quote!(::serde::Serialize, ::serde::Deserialize),
        Purpose::Parameters { .. } => quote!(::serde::Serialize),
    };
    let fields = strukt.fields.iter().enumerate().map(|(index, field)| {
        let field_docs = field_docs(field);
        let field_name = ident(&field.name);
        let ty = field_type(api, field, &quote!());
        let serde = serde_attributes(field, index, &strukt.purpose);
        quote! {
            #field_docs
            #serde
            pub #field_name: #ty,
        }
    });
    let builder = builder(api, name, strukt);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #serde_derives)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #builder
    }
}

fn field_docs(field: &Field) -> TokenStream {
    match &field.docs {
        Some(text) => docs(text),
        None => docs(&format!("The `{}` property.", field.wire_name)),
    }
}

/// The Rust type of `field`, named types written after `prefix`: `Option` where it may be
/// absent or null, `Box` where the type contains itself through it.
pub(super) fn field_type(api: &Api, field: &Field, prefix: &TokenStream) -> TokenStream {
    let ty = boxed(rust_type(api, &field.ty, prefix), field.boxed);
    match field.presence {
        Presence::Required | Presence::Additional | Presence::Flattened => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::OptionalNullable => {
            let rt = runtime();
            quote!(#rt::Nullable<#ty>)
        }
    }
}

pub(super) fn boxed(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

/// The serde attributes of a field: its wire name, whether it may be absent, how `null` and
/// bytes are read, and flattening. Of a parameter struct only the query parameters are
/// serialised (as the query string).
fn serde_attributes(field: &Field, index: usize, purpose: &Purpose) -> Option<TokenStream> {
    if !purpose.serialises(index) {
        return Some(quote!(#[serde(skip)]));
    }
    let rename =
        (unraw(&field.name) != field.wire_name && !field.presence.is_flattened()).then(|| {
            let wire = &field.wire_name;
            quote!(rename = #wire,)
        });
    let flatten = field.presence.is_flattened().then(|| quote!(flatten,));
    let schema = *purpose == Purpose::Schema;
    let binary =
        (schema && field.ty == TypeRef::Bytes && !field.boxed).then(|| match field.presence {
            Presence::Required => quote!(with = "binary",),
            _ => quote!(with = "binary::option",),
        });
    let optional = match field.presence {
        Presence::Optional => Some(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none",
        )),
        Presence::OptionalNullable => Some(quote!(
            default,
            skip_serializing_if = "::clientgen_runtime::Nullable::is_absent",
        )),
        _ => None,
    };
    let keep_null = (schema && field.keeps_null).then(|| quote!(deserialize_with = "present",));
    (rename.is_some() || optional.is_some() || flatten.is_some() || binary.is_some())
        .then(|| quote!(#[serde(#rename #optional #keep_null #flatten #binary)]))
}

/// How a builder holds one field until `build`.
enum Slot {
    /// Required: a type parameter, `Missing` until set.
    Required(Ident),
    /// Required, and the spec allows one value: set to it from the start.
    Fixed(TokenStream),
    /// May be left out: `None`, `Nullable::Absent` or an empty map, until set.
    Optional,
}

/// A struct's fields with the slot each has in its builder.
struct Slots<'s> {
    api: &'s Api,
    name: &'s Ident,
    builder: Ident,
    fields: Vec<(&'s Field, Slot)>,
}

impl<'s> Slots<'s> {
    fn new(api: &'s Api, name: &'s Ident, strukt: &'s Struct) -> Self {
        let mut required = 0_usize;
        let fields = strukt
            .fields
            .iter()
            .map(|field| {
                let slot = match (field.presence, field.fixed.as_deref().map(ident)) {
                    (Presence::Required, Some(variant)) => {
                        let ty = rust_type(api, &field.ty, &path());
                        Slot::Fixed(quote!(#ty::#variant))
                    }
                    (Presence::Required | Presence::Flattened, _) => {
                        required += 1;
                        Slot::Required(format_ident!("S{}", required - 1))
                    }
                    _ => Slot::Optional,
                };
                (field, slot)
            })
            .collect();
        Slots {
            api,
            name,
            builder: ident(&strukt.builder),
            fields,
        }
    }

    /// The builder's type parameters: one per required field, in field order.
    fn params(&self) -> Vec<&Ident> {
        self.fields
            .iter()
            .filter_map(|(_, slot)| match slot {
                Slot::Required(param) => Some(param),
                _ => None,
            })
            .collect()
    }

    /// The fields a caller may leave as they start (optional, or fixed to one value): they
    /// travel together in the builder, as one value of the struct's `optional::` twin.
    fn preset(&self) -> impl Iterator<Item = (&'s Field, &Slot)> {
        self.fields
            .iter()
            .filter(|(_, slot)| !matches!(slot, Slot::Required(_)))
            .map(|(field, slot)| (*field, slot))
    }

    /// The name of the builder's field that holds the preset fields: `optional`, unless a
    /// required field has that name.
    fn preset_field(&self) -> Ident {
        let mut name = "optional".to_owned();
        while self
            .fields
            .iter()
            .any(|(field, slot)| matches!(slot, Slot::Required(_)) && unraw(&field.name) == name)
        {
            name.push('_');
        }
        ident(&name)
    }
}

/// Named types as builders write them: by name, as they are in the same module.
fn path() -> TokenStream {
    quote!()
}

/// The methods that make a struct none of whose fields is required: it is its own builder,
/// starting from `Default`, so `Type::builder().field(x).build()` reads as for any struct.
fn own_builder(api: &Api, name: &Ident, strukt: &Struct) -> TokenStream {
    let setters = strukt.fields.iter().map(|field| {
        let docs = setter_docs(name, field, SetterKind::Optional);
        setter(api, field, &docs, Returns::Same, |value| {
            let field = ident(&field.name);
            quote! {
                self.#field = #value;
                self
            }
        })
    });
    let start_docs = docs(&format!(
        "Starts building `{name}` with every field left out: set fields, then `build`."
    ));
    // A schema called `Builder` makes `Builder::builder()`, which clippy takes for a
    // constructor named after its type; it is the same `builder()` every struct has.
    let allow = (name == "Builder").then(|| {
        quote!(#[allow(clippy::self_named_constructors, reason = "every struct starts with `builder()`")])
    });
    quote! {
        impl #name {
            #start_docs
            #allow
            pub fn builder() -> Self {
                ::std::default::Default::default()
            }

            #(#setters)*

            /// The value set up so far (a type none of whose fields is required is its own
            /// builder).
            pub fn build(self) -> Self {
                self
            }
        }
    }
}

/// The builder of `name`: `name::builder()`, the builder struct, its setters and `build`.
fn builder(api: &Api, name: &Ident, strukt: &Struct) -> TokenStream {
    let slots = Slots::new(api, name, strukt);
    if slots
        .fields
        .iter()
        .all(|(_, slot)| matches!(slot, Slot::Optional))
    {
        return own_builder(api, name, strukt);
    }
    let rt = runtime();
    let builder = &slots.builder;
    let params = slots.params();
    let preset = slots.preset_field();
    let has_preset = slots.preset().next().is_some();
    let required: Vec<Ident> = slots
        .fields
        .iter()
        .filter(|(_, slot)| matches!(slot, Slot::Required(_)))
        .map(|(field, _)| ident(&field.name))
        .collect();
    let preset_storage = has_preset.then(|| quote!(#preset: optional::#name,));
    let preset_start = has_preset.then(|| {
        let starts = slots.preset().map(|(field, slot)| {
            let field_name = ident(&field.name);
            let start = match slot {
                Slot::Fixed(value) => value.clone(),
                _ => optional_start(field),
            };
            quote!(#field_name: #start)
        });
        quote!(#preset: optional::#name { #(#starts),* },)
    });
    let defaults = params.iter().map(|param| quote!(#param = #rt::Missing));
    let required_setters = required_setters(&slots);
    let preset_setters: Vec<TokenStream> = slots
        .preset()
        .map(|(field, slot)| {
            let kind = match slot {
                Slot::Fixed(_) => SetterKind::Fixed,
                _ => SetterKind::Optional,
            };
            let docs = setter_docs(name, field, kind);
            setter(api, field, &docs, Returns::Same, |value| {
                let field = ident(&field.name);
                quote! {
                    self.#preset.#field = #value;
                    self
                }
            })
        })
        .collect();
    let preset_impl = (!preset_setters.is_empty()).then(|| {
        quote! {
            impl<#(#params),*> #builder<#(#params),*> {
                #(#preset_setters)*
            }
        }
    });
    let complete = slots.fields.iter().filter_map(|(field, slot)| match slot {
        Slot::Required(_) => Some(field_type(api, field, &path())),
        _ => None,
    });
    let built = slots.fields.iter().map(|(field, slot)| {
        let field_name = ident(&field.name);
        match slot {
            Slot::Required(_) => quote!(#field_name: self.#field_name),
            _ => quote!(#field_name: self.#preset.#field_name),
        }
    });
    let required_list: Vec<String> = required
        .iter()
        .map(|field| format!("`{}`", setter_name(&field.to_string())))
        .collect();
    let builder_docs = item_docs(&builder_text(name, &required_list));
    let start_docs = docs(&format!(
        "Starts building `{name}`: set the fields, then `build`."
    ));
    let build_docs = docs(&format!("The `{name}`."));
    quote! {
        impl #name {
            #start_docs
            pub fn builder() -> #builder {
                #builder { #(#required: #rt::Missing,)* #preset_start }
            }
        }

        #builder_docs
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder<#(#defaults),*> {
            #(#required: #params,)*
            #preset_storage
        }

        #(#required_setters)*

        #preset_impl

        impl #builder<#(#complete),*> {
            #build_docs
            pub fn build(self) -> #name {
                #name { #(#built),* }
            }
        }
    }
}

/// How an optional field starts in a builder: absent.
fn optional_start(field: &Field) -> TokenStream {
    let rt = runtime();
    match field.presence {
        Presence::Additional => quote!(::std::default::Default::default()),
        Presence::OptionalNullable => quote!(#rt::Nullable::Absent),
        _ => quote!(::std::option::Option::None),
    }
}

/// The twin of a struct with a builder, in the private module `optional`: the fields a caller
/// may leave as they start, held together until `build` (so a required setter moves one
/// value, not every field). `None` for a struct that is its own builder or has no such field.
pub(super) fn preset_twin(api: &Api, name: &Ident, strukt: &Struct) -> Option<TokenStream> {
    let slots = Slots::new(api, name, strukt);
    if slots
        .fields
        .iter()
        .all(|(_, slot)| matches!(slot, Slot::Optional))
    {
        return None;
    }
    let fields: Vec<TokenStream> = slots
        .preset()
        .map(|(field, _)| {
            let field_name = ident(&field.name);
            let ty = field_type(api, field, &quote!(super::));
            quote!(pub(super) #field_name: #ty,)
        })
        .collect();
    (!fields.is_empty()).then(|| {
        quote! {
            #[derive(Debug, Clone)]
            pub(super) struct #name {
                #(#fields)*
            }
        }
    })
}

fn builder_text(name: &Ident, required: &[String]) -> String {
    match required {
        [] => format!("The builder of `{name}`; every field starts set."),
        [only] => format!("The builder of `{name}`: `build` is there once {only} is set."),
        many => format!(
            "The builder of `{name}`: `build` is there once {} are set. Each type parameter is one of \
             them, in that order: `Missing` until its setter is called.",
            many.join(", ")
        ),
    }
}

/// One `impl` per required field, whose setter turns its type parameter from `Missing` into
/// the field's type.
fn required_setters<'s>(slots: &'s Slots<'_>) -> impl Iterator<Item = TokenStream> + 's {
    let rt = runtime();
    let params = slots.params();
    let builder = &slots.builder;
    let preset = slots.preset().next().is_some().then(|| {
        let preset = slots.preset_field();
        quote!(#preset: self.#preset)
    });
    // Each setter returns the builder with one parameter filled in: with many required
    // fields, a type clippy finds complex, though it is the builder's own.
    let allow = (params.len() > 1).then(|| {
        quote!(#[allow(clippy::type_complexity, reason = "a builder with one type parameter per required field")])
    });
    let required: Vec<(&Field, &Ident)> = slots
        .fields
        .iter()
        .filter_map(|(field, slot)| match slot {
            Slot::Required(param) => Some((*field, param)),
            _ => None,
        })
        .collect();
    required.clone().into_iter().map(move |(field, this)| {
        let others = params.iter().filter(|param| **param != this);
        let before = params.iter().map(|param| {
            if *param == this {
                quote!(#rt::Missing)
            } else {
                quote!(#param)
            }
        });
        let stored = field_type(slots.api, field, &path());
        let after = params.iter().map(|param| {
            if *param == this {
                stored.clone()
            } else {
                quote!(#param)
            }
        });
        let after: Vec<TokenStream> = after.collect();
        let this_field = ident(&field.name);
        let docs = setter_docs(slots.name, field, SetterKind::Required);
        let method = setter(
            slots.api,
            field,
            &docs,
            Returns::Next(quote!(#builder<#(#after),*>)),
            |value| {
                let fields = required.iter().map(|(field, _)| {
                    let name = ident(&field.name);
                    if name == this_field {
                        quote!(#name: #value)
                    } else {
                        quote!(#name: self.#name)
                    }
                });
                quote!(#builder { #(#fields,)* #preset })
            },
        );
        quote! {
            #allow
            impl<#(#others),*> #builder<#(#before),*> {
                #method
            }
        }
    })
}

/// Which kind of field a setter sets, as its docs say.
enum SetterKind {
    /// A required field.
    Required,
    /// A required field that starts as the only value the spec allows.
    Fixed,
    /// A field that may be left out.
    Optional,
}

/// A setter's one line of docs, linking to the field's own.
fn setter_docs(name: &Ident, field: &Field, kind: SetterKind) -> TokenStream {
    let field_name = unraw(&field.name);
    // A fragment, not `{name}::{field_name}`, which names the setter on a type that is its own
    // builder; `struct@`, as the type may be called `Clone` (also a derive).
    let link = format!("[`{field_name}`](struct@{name}#structfield.{field_name})");
    let text = match (kind, field.presence) {
        (SetterKind::Fixed, _) => {
            format!("Sets {link}, which starts as the only value the spec allows.")
        }
        (SetterKind::Required, _) => format!("Sets {link} (required)."),
        (SetterKind::Optional, Presence::OptionalNullable) => format!(
            "Sets {link}; `Nullable::Null` (or `None`) sends `null`, and leaving it unset \
             leaves it out."
        ),
        (SetterKind::Optional, _) => format!("Sets {link}."),
    };
    docs(&text)
}

/// What a setter returns.
enum Returns {
    /// The same builder, with the field set.
    Same,
    /// The builder of this type, one step further.
    Next(TokenStream),
}

/// The setter of `field`, with `docs`; `body` makes the method's body from the expression of
/// the converted value.
fn setter(
    api: &Api,
    field: &Field,
    docs: &TokenStream,
    returns: Returns,
    body: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let path = path();
    let method = ident(&setter_name(&field.name));
    let (argument, value) = match field.presence {
        Presence::OptionalNullable => nullable_conversion(api, field, &path),
        presence => {
            let (argument, converted) = conversion(api, &field.ty, &path);
            let converted = if field.boxed {
                quote!(::std::boxed::Box::new(#converted))
            } else {
                converted
            };
            match presence {
                Presence::Optional | Presence::RequiredNullable => {
                    (argument, quote!(::std::option::Option::Some(#converted)))
                }
                _ => (argument, converted),
            }
        }
    };
    let (receiver, returns) = match returns {
        Returns::Same => (quote!(mut self), quote!(Self)),
        Returns::Next(next) => (quote!(self), next),
    };
    let body = body(value);
    let allow = OPERATOR_METHODS.contains(&method.to_string().as_str()).then(|| {
        quote!(#[allow(clippy::should_implement_trait, reason = "a setter named after its field, not an operator")])
    });
    quote! {
        #docs
        #allow
        pub fn #method(#receiver, value: #argument) -> #returns {
            #body
        }
    }
}

/// The methods of `std::ops` that take `self` and one argument: clippy takes a setter with one
/// of these names (a field called `sub`, say) for an operator that should be a trait impl.
const OPERATOR_METHODS: &[&str] = &[
    "add", "sub", "mul", "div", "rem", "bitand", "bitor", "bitxor", "shl", "shr",
];

/// The argument type a setter takes for a value of `ty`, and the expression that turns
/// `value` into it: a list from anything iterable, a map from pairs, else `impl Into`.
fn conversion(api: &Api, ty: &TypeRef, path: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Array(item) => {
            let item = rust_type(api, item, path);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
                quote!(value.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
        TypeRef::Map(entry) => {
            let entry = rust_type(api, entry, path);
            (
                quote!(impl ::std::iter::IntoIterator<
                    Item = (impl ::std::convert::Into<::std::string::String>, impl ::std::convert::Into<#entry>),
                >),
                quote!(value
                    .into_iter()
                    .map(|(key, entry)| (key.into(), entry.into()))
                    .collect()),
            )
        }
        other => {
            let ty = rust_type(api, other, path);
            (quote!(impl ::std::convert::Into<#ty>), quote!(value.into()))
        }
    }
}

/// The argument a setter of an optional nullable field takes, and the value it stores: a
/// value, an `Option` or `Nullable::Null`, all through `impl Into<Nullable<T>>`.
fn nullable_conversion(api: &Api, field: &Field, path: &TokenStream) -> (TokenStream, TokenStream) {
    let ty = rust_type(api, &field.ty, path);
    let rt = runtime();
    let argument = quote!(impl ::std::convert::Into<#rt::Nullable<#ty>>);
    if field.boxed {
        (argument, quote!(value.into().map(::std::boxed::Box::new)))
    } else {
        (argument, quote!(value.into()))
    }
}
