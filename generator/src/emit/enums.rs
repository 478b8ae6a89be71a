//! Enums of strings or integers. Each has a variant per value the spec lists and an `Unknown`
//! variant for any other, kept exactly as received and written back unchanged, so a value the
//! server adds later never breaks decoding.
//!
//! The enum is written out; its methods and traits (`as_str` or `value`, conversions,
//! `Display`, `FromStr`, serde) come from one invocation of the runtime's `string_enum!` or
//! `integer_enum!` that pairs each variant with its value, so they are written once, in the
//! runtime, not once per enum.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, runtime};
use crate::model::{Enum, EnumKind, EnumVariant};

pub(super) fn enum_def(name: &Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    match enumeration.kind {
        EnumKind::String => string_enum(name, docs, enumeration),
        EnumKind::Integer => integer_enum(name, docs, enumeration),
    }
}

const UNKNOWN_DOCS: &str = "A value the spec did not list when this client was generated (the \
                            server may have added it since), kept as received and sent back \
                            unchanged.";

/// A string enum: the enum, then `string_enum!` with each variant's value.
fn string_enum(name: &Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    let rt = runtime();
    let values = enumeration.variants.iter().map(|v| v.value.as_str());
    let definition = definition(name, docs, enumeration, &quote!(#rt::Unknown));
    let pairs = pairs(enumeration, values);
    quote! {
        #definition
        #rt::string_enum!(#name { #(#pairs),* });
    }
}

/// An integer enum: the enum, then `integer_enum!` with each variant's value.
fn integer_enum(name: &Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    let rt = runtime();
    let values = enumeration
        .variants
        .iter()
        .map(|variant| Literal::i64_unsuffixed(variant.value.parse().unwrap_or_default()));
    let definition = definition(name, docs, enumeration, &quote!(#rt::Unknown<i64>));
    let pairs = pairs(enumeration, values);
    quote! {
        #definition
        #rt::integer_enum!(#name { #(#pairs),* });
    }
}

/// The enum itself: a variant per listed value, documented by that value, and `Unknown`
/// holding `unknown`.
fn definition(
    name: &Ident,
    docs: &TokenStream,
    enumeration: &Enum,
    unknown: &TokenStream,
) -> TokenStream {
    let names = enumeration.variants.iter().map(|v| ident(&v.name));
    let variant_docs = enumeration
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.value));
    let unknown_docs = super::docs(UNKNOWN_DOCS);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #names,)*
            #unknown_docs
            Unknown(#unknown),
        }
    }
}

/// `Variant(value)` for each variant, as the runtime's macros take them.
fn pairs<V: quote::ToTokens>(
    enumeration: &Enum,
    values: impl Iterator<Item = V>,
) -> Vec<TokenStream> {
    let pair = |(variant, value): (&EnumVariant, V)| {
        let name = ident(&variant.name);
        quote!(#name(#value))
    };
    enumeration.variants.iter().zip(values).map(pair).collect()
}
