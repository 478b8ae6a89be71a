//! Unions (`oneOf`/`anyOf`): an enum with a variant per alternative, chosen by a tag property
//! or tried in order (the variants without a tag, after the tag selected none), and an
//! `Unknown` variant that keeps, as raw JSON, a value no variant takes (a tag the spec did not
//! list, say), writing it back unchanged.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::directions::{impl_cfg, serde_derives, SerdeDerives, SerdeTrait};
use super::structs::boxed;
use super::types::{holds_named, variant_sizes_differ};
use super::{ident, runtime, rust_type};
use crate::model::{Api, Direction, Tagging, TypeId, TypeKind, TypeRef, Union, UnionVariant};

const UNKNOWN_DOCS: &str = "A value none of the alternatives above describes (a tag the spec \
                            did not list when this client was generated, say), kept as \
                            received and sent back unchanged.";

/// A union travelling `direction`: the enum, its serde impls and, for a union of scalars, its
/// `Display`.
pub(super) fn union_def(
    api: &Api,
    id: TypeId,
    direction: Direction,
    name: &Ident,
    docs: &TokenStream,
    union: &Union,
) -> TokenStream {
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = boxed(rust_type(api, &variant.ty, &quote!()), variant.boxed);
        let doc = match (&union.tagging, &variant.tag) {
            (Tagging::Property(property), Some(tag)) => {
                format!(" The value when `{property}` is `{tag}`.")
            }
            _ => format!(" A `{}`.", type_label(api, &variant.ty)),
        };
        quote! {
            #[doc = #doc]
            #variant_name(#ty),
        }
    });
    // `Serialize` is derived for an untagged union and written out for a tagged one, whose
    // `Deserialize` is written out too; each only where the union travels its way, or with
    // the opt-in feature.
    let deserialize_cfg = impl_cfg(direction, SerdeTrait::Deserialize);
    let (derives, impls) = match &union.tagging {
        Tagging::Untagged => {
            let derives =
                serde_derives(direction, &[SerdeTrait::Serialize], Some(quote!(untagged)));
            let deserialize = untagged_deserialize(api, name, union);
            (derives, quote!(#deserialize_cfg #deserialize))
        }
        Tagging::Property(property) => {
            let serialize_cfg = impl_cfg(direction, SerdeTrait::Serialize);
            let serialize = tagged_serialize(name, property, union);
            let deserialize = tagged_deserialize(api, name, property, union);
            let impls = quote!(#serialize_cfg #serialize #deserialize_cfg #deserialize);
            (SerdeDerives::default(), impls)
        }
    };
    let SerdeDerives {
        derived,
        attributes,
    } = derives;
    let sizes = holds_named(union.variants.iter().map(|v| &v.ty)).then(variant_sizes_differ);
    let display = TypeRef::Named(id)
        .is_scalar(&|id| api.kind_of(id))
        .then(|| scalar_display(name, union));
    let unknown_docs = super::type_member_docs(UNKNOWN_DOCS);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derived)]
        #attributes
        #sizes
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_docs
            Unknown(::serde_json::Value),
        }
        #impls
        #display
    }
}

/// A union of scalars (a path parameter that is an id or a name) is written as its value.
fn scalar_display(name: &Ident, union: &Union) -> TokenStream {
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote!(Self::#variant_name(value) => ::std::fmt::Display::fmt(value, f),)
    });
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                    Self::Unknown(::serde_json::Value::String(text)) => f.write_str(text),
                    Self::Unknown(other) => ::std::fmt::Display::fmt(other, f),
                }
            }
        }
    }
}

/// Writes the variant, adding the tag property when the variant's own type does not (a
/// variant without a tag, or whose tag is optional, is written as it is): the runtime's
/// `tagged_serialize!`.
fn tagged_serialize(name: &Ident, property: &str, union: &Union) -> TokenStream {
    let (tagged, plain): (Vec<&UnionVariant>, Vec<&UnionVariant>) = union
        .variants
        .iter()
        .partition(|variant| variant.tag.is_some() && !variant.tag_optional);
    let tagged = tagged.iter().filter_map(|variant| {
        let variant_name = ident(&variant.name);
        let tag = variant.tag.as_deref()?;
        Some(quote!(#variant_name(#tag)))
    });
    let plain = plain.iter().map(|variant| ident(&variant.name));
    let rt = runtime();
    quote! {
        #rt::tagged_serialize!(#name, #property { #(#tagged),* } else { #(#plain),* });
    }
}

/// Picks the variant by the tag property, then decodes the whole object (tag included) as that
/// variant, so a variant's own `type` field is filled and errors name the tag. A value whose
/// tag selects no variant is tried as each variant without a tag, in order (a value without
/// the tag property also as each variant whose tag is optional), and else kept as
/// [`Unknown`](serde_json::Value): the runtime's `tagged_deserialize!`.
fn tagged_deserialize(api: &Api, name: &Ident, property: &str, union: &Union) -> TokenStream {
    let arms = union.variants.iter().filter_map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = boxed(rust_type(api, &variant.ty, &quote!()), variant.boxed);
        let tag = variant.tag.as_deref()?;
        let others = &variant.also_accepted;
        Some(quote!(#tag #(| #others)* => #variant_name(#ty)))
    });
    // A variant whose tag is optional may be a value without the tag, never one with
    // another tag.
    let attempts = union
        .variants
        .iter()
        .filter_map(|variant| match variant.tag {
            None => Some(attempt(api, variant)),
            Some(_) if variant.tag_optional => {
                let alternative = alternative(api, variant);
                Some(quote!(#alternative if untagged))
            }
            Some(_) => None,
        });
    let rt = runtime();
    quote! {
        #rt::tagged_deserialize!(#name, #property { #(#arms),* } else { #(#attempts),* });
    }
}

/// Tries each alternative in order and keeps the first that takes the value, else keeps the
/// value as `Unknown`: the runtime's `untagged_deserialize!`.
fn untagged_deserialize(api: &Api, name: &Ident, union: &Union) -> TokenStream {
    let attempts = union.variants.iter().map(|variant| attempt(api, variant));
    let rt = runtime();
    quote! {
        #rt::untagged_deserialize!(#name { #(#attempts),* });
    }
}

/// `Variant(Type)`, as the runtime's union macros take an alternative, followed by `if listed`
/// when it is an enum: an enum takes only the values its spec lists, as its own `Unknown`
/// would otherwise take every string (or integer) and hide the alternatives after it.
fn attempt(api: &Api, variant: &UnionVariant) -> TokenStream {
    let alternative = alternative(api, variant);
    let is_enum = variant
        .ty
        .named()
        .and_then(|id| api.kind_of(id))
        .is_some_and(|kind| matches!(kind, TypeKind::Enum(_)));
    if is_enum {
        quote!(#alternative if listed)
    } else {
        alternative
    }
}

/// `Variant(Type)`: a variant and the type it holds (boxed where it is).
fn alternative(api: &Api, variant: &UnionVariant) -> TokenStream {
    let variant_name = ident(&variant.name);
    let ty = boxed(rust_type(api, &variant.ty, &quote!()), variant.boxed);
    quote!(#variant_name(#ty))
}

fn type_label(api: &Api, ty: &TypeRef) -> String {
    super::readable_type(api, ty)
}
