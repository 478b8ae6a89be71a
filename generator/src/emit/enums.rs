//! Enums of strings or integers. Each has a variant per value the spec lists and an `Unknown`
//! variant for any other, kept exactly as received and written back unchanged, so a value the
//! server adds later never breaks decoding.
//!
//! The enum is written out; its methods and traits (`as_str` or `value`, conversions,
//! `Display`, `FromStr`, serde) come from one invocation of the runtime's `string_enum!` or
//! `integer_enum!` that pairs each variant with its value, so they are written once, in the
//! runtime, not once per enum.

use std::fmt::Display;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

use super::{ident, runtime};
use crate::model::{Enum, EnumVariant};

pub(super) fn enum_def(name: &Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    let rt = runtime();
    match enumeration {
        Enum::String(variants) => {
            let definition = definition(name, docs, variants, &quote!(#rt::Unknown));
            let pairs = pairs(variants, |value| value.as_str());
            quote! {
                #definition
                #rt::string_enum!(#name { #(#pairs),* });
            }
        }
        Enum::Integer(variants) => {
            let definition = definition(name, docs, variants, &quote!(#rt::Unknown<i64>));
            let pairs = pairs(variants, |&value| Literal::i64_unsuffixed(value));
            quote! {
                #definition
                #rt::integer_enum!(#name { #(#pairs),* });
            }
        }
    }
}

const UNKNOWN_DOCS: &str = "A value the spec did not list when this client was generated (the \
                            server may have added it since), kept as received and sent back \
                            unchanged.";

/// The enum itself: a variant per listed value, documented by that value, and `Unknown`
/// holding `unknown`.
fn definition<V: Display>(
    name: &Ident,
    docs: &TokenStream,
    variants: &[EnumVariant<V>],
    unknown: &TokenStream,
) -> TokenStream {
    let names = variants.iter().map(|v| ident(&v.name));
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    let unknown_docs = super::type_member_docs(UNKNOWN_DOCS);
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

/// `Variant(value)` for each variant, as the runtime's macros take them, with each value
/// written as `literal` makes it.
fn pairs<'v, V, L: ToTokens>(
    variants: &'v [EnumVariant<V>],
    literal: impl Fn(&'v V) -> L,
) -> Vec<TokenStream> {
    let pair = |variant: &'v EnumVariant<V>| {
        let name = ident(&variant.name);
        let value = literal(&variant.value);
        quote!(#name(#value))
    };
    variants.iter().map(pair).collect()
}
