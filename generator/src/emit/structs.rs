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

use super::{docs, ident, runtime, rust_type};
use crate::model::{Api, Enum, Field, Presence, Purpose, Struct, TypeKind, TypeRef};
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
    let fields = strukt.fields.iter().map(|field| {
        let field_docs = field_docs(field);
        let field_name = ident(&field.name);
        let ty = field_type(field, &quote!());
        let serde = serde_attributes(field, &strukt.purpose);
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
pub(super) fn field_type(field: &Field, prefix: &TokenStream) -> TokenStream {
    let ty = boxed(rust_type(&field.ty, prefix), field.boxed);
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
fn serde_attributes(field: &Field, purpose: &Purpose) -> Option<TokenStream> {
    if let Purpose::Parameters { query } = purpose {
        if !query.contains(&field.name) {
            return Some(quote!(#[serde(skip)]));
        }
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
    let keep_null =
        (schema && super::types::keeps_null(field)).then(|| quote!(deserialize_with = "present",));
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

/// The builder of `name`: `name::builder()`, the builder struct, its setters and `build`.
fn builder(api: &Api, name: &Ident, strukt: &Struct) -> TokenStream {
    let rt = runtime();
    let path = quote!(crate::types::);
    let builder = ident(&strukt.builder);
    let slots: Vec<Slot> = strukt
        .fields
        .iter()
        .scan(0_usize, |required, field| {
            Some(match (field.presence, only_variant(api, &field.ty)) {
                (Presence::Required, Some(variant)) => {
                    let ty = rust_type(&field.ty, &path);
                    Slot::Fixed(quote!(#ty::#variant))
                }
                (Presence::Required | Presence::Flattened, _) => {
                    *required += 1;
                    Slot::Required(format_ident!("S{}", *required - 1))
                }
                _ => Slot::Optional,
            })
        })
        .collect();
    let params = type_params(&slots);
    let field_names: Vec<Ident> = strukt.fields.iter().map(|f| ident(&f.name)).collect();
    let storage = strukt
        .fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| match slot {
            Slot::Required(param) => quote!(#param),
            Slot::Fixed(_) | Slot::Optional => field_type(field, &path),
        });
    let starts = strukt
        .fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| match slot {
            Slot::Required(_) => quote!(#rt::Missing),
            Slot::Fixed(value) => value.clone(),
            Slot::Optional if field.presence == Presence::Additional => {
                quote!(::std::default::Default::default())
            }
            Slot::Optional if field.presence == Presence::OptionalNullable => {
                quote!(#rt::Nullable::Absent)
            }
            Slot::Optional => quote!(::std::option::Option::None),
        });
    let defaults = params.iter().map(|param| quote!(#param = #rt::Missing));
    let required_setters = required_setters(strukt, &slots, &builder);
    let other_setters = strukt
        .fields
        .iter()
        .zip(&slots)
        .filter(|(_, slot)| !matches!(slot, Slot::Required(_)))
        .map(|(field, slot)| {
            let returns = match slot {
                Slot::Fixed(_) => Returns::Fixed,
                _ => Returns::Same,
            };
            setter(field, returns, |value| {
                let name = ident(&field.name);
                quote! {
                    self.#name = #value;
                    self
                }
            })
        });
    let complete = strukt
        .fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| match slot {
            Slot::Required(_) => field_type(field, &path),
            _ => quote!(),
        });
    let complete: Vec<TokenStream> = complete.filter(|ty| !ty.is_empty()).collect();
    let required_list: Vec<String> = strukt
        .fields
        .iter()
        .zip(&slots)
        .filter(|(_, slot)| matches!(slot, Slot::Required(_)))
        .map(|(field, _)| format!("`{}`", setter_name(&field.name)))
        .collect();
    let builder_docs = docs(&builder_text(name, &required_list));
    let start_docs = format!(" Starts a `{builder}`: set the fields, then `build`.");
    let build_docs = format!(" The `{name}`.");
    quote! {
        impl #name {
            #[doc = #start_docs]
            pub fn builder() -> #builder {
                #builder { #(#field_names: #starts),* }
            }
        }

        #builder_docs
        #[derive(Clone)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder<#(#defaults),*> {
            #(#field_names: #storage,)*
        }

        #(#required_setters)*

        impl<#(#params),*> #builder<#(#params),*> {
            #(#other_setters)*
        }

        impl #builder<#(#complete),*> {
            #[doc = #build_docs]
            pub fn build(self) -> #name {
                #name { #(#field_names: self.#field_names),* }
            }
        }

        /// Shows which builder it is, not the values set so far (some may be secrets).
        impl<#(#params),*> ::std::fmt::Debug for #builder<#(#params),*> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!(#builder)).finish_non_exhaustive()
            }
        }
    }
}

fn builder_text(name: &Ident, required: &[String]) -> String {
    match required {
        [] => format!("Builds a `{name}`; every field may be left out."),
        [only] => format!("Builds a `{name}`: `build` is there once {only} is set."),
        many => format!(
            "Builds a `{name}`: `build` is there once {} are set. Each type parameter is one of \
             them, in that order: `Missing` until its setter is called.",
            many.join(", ")
        ),
    }
}

/// One `impl` per required field, whose setter turns its type parameter from `Missing` into
/// the field's type.
fn required_setters<'s>(
    strukt: &'s Struct,
    slots: &'s [Slot],
    builder: &'s Ident,
) -> impl Iterator<Item = TokenStream> + 's {
    let rt = runtime();
    let params = type_params(slots);
    let names: Vec<Ident> = strukt.fields.iter().map(|f| ident(&f.name)).collect();
    // Each setter returns the builder with one parameter filled in: with many required
    // fields, a type clippy finds complex, though it is the builder's own.
    let allow = (params.len() > 1).then(|| {
        quote!(#[allow(clippy::type_complexity, reason = "a builder with one type parameter per required field")])
    });
    strukt
        .fields
        .iter()
        .zip(slots)
        .filter_map(move |(field, slot)| {
            let Slot::Required(this) = slot else {
                return None;
            };
            let others = params.iter().filter(|param| **param != this);
            let before = params.iter().map(|param| {
                if *param == this {
                    quote!(#rt::Missing)
                } else {
                    quote!(#param)
                }
            });
            let stored = field_type(field, &quote!(crate::types::));
            let after = params.iter().map(|param| {
                if *param == this {
                    stored.clone()
                } else {
                    quote!(#param)
                }
            });
            let after: Vec<TokenStream> = after.collect();
            let this_field = ident(&field.name);
            let method = setter(
                field,
                Returns::Next(quote!(#builder<#(#after),*>)),
                |value| {
                    let fields = names.iter().map(|name| {
                        if *name == this_field {
                            quote!(#name: #value)
                        } else {
                            quote!(#name: self.#name)
                        }
                    });
                    quote!(#builder { #(#fields),* })
                },
            );
            Some(quote! {
                #allow
                impl<#(#others),*> #builder<#(#before),*> {
                    #method
                }
            })
        })
}

/// The builder's type parameters: one per required field, in field order.
fn type_params(slots: &[Slot]) -> Vec<&Ident> {
    slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Required(param) => Some(param),
            _ => None,
        })
        .collect()
}

/// What a setter returns.
enum Returns {
    /// The same builder, with the field set.
    Same,
    /// The same builder, with a field set that starts as the only value the spec allows.
    Fixed,
    /// The builder of this type, one step further.
    Next(TokenStream),
}

/// The setter of `field`; `body` makes the method's body from the expression of the
/// converted value.
fn setter(
    field: &Field,
    returns: Returns,
    body: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let path = quote!(crate::types::);
    let method = ident(&setter_name(&field.name));
    let (argument, value) = match field.presence {
        Presence::OptionalNullable => nullable_conversion(field, &path),
        presence => {
            let (argument, converted) = conversion(&field.ty, &path);
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
    let mut text = format!("Sets `{}`", field.wire_name);
    text.push_str(match (&returns, field.presence) {
        (Returns::Fixed, _) => ", which starts as the only value the spec allows.",
        (_, Presence::Required | Presence::Flattened) => " (required).",
        (_, Presence::OptionalNullable) => {
            "; `Nullable::Null` (or `None`) sends `null`, and leaving it unset leaves it out."
        }
        _ => ".",
    });
    if let Some(field_docs) = &field.docs {
        text.push_str("\n\n");
        text.push_str(field_docs);
    }
    let setter_docs = docs(&text);
    let (receiver, returns) = match returns {
        Returns::Same | Returns::Fixed => (quote!(mut self), quote!(Self)),
        Returns::Next(next) => (quote!(self), next),
    };
    let body = body(value);
    let allow = OPERATOR_METHODS.contains(&method.to_string().as_str()).then(|| {
        quote!(#[allow(clippy::should_implement_trait, reason = "a setter named after its field, not an operator")])
    });
    quote! {
        #setter_docs
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
fn conversion(ty: &TypeRef, path: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Array(item) => {
            let item = rust_type(item, path);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
                quote!(value.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
        TypeRef::Map(entry) => {
            let entry = rust_type(entry, path);
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
            let ty = rust_type(other, path);
            (quote!(impl ::std::convert::Into<#ty>), quote!(value.into()))
        }
    }
}

/// The argument a setter of an optional nullable field takes, and the value it stores: a
/// value, an `Option` or `Nullable::Null`, all through `impl Into<Nullable<T>>`.
fn nullable_conversion(field: &Field, path: &TokenStream) -> (TokenStream, TokenStream) {
    let ty = rust_type(&field.ty, path);
    let rt = runtime();
    let argument = quote!(impl ::std::convert::Into<#rt::Nullable<#ty>>);
    if field.boxed {
        (argument, quote!(value.into().map(::std::boxed::Box::new)))
    } else {
        (argument, quote!(value.into()))
    }
}

/// The variant of a named enum that has exactly one value in the spec.
fn only_variant(api: &Api, ty: &TypeRef) -> Option<Ident> {
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
