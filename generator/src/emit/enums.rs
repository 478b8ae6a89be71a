//! Enums of strings or integers. Each has a variant per value the spec lists and an `Unknown`
//! variant for any other, kept exactly as received and written back unchanged, so a value the
//! server adds later never breaks decoding.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, runtime};
use crate::model::{Enum, EnumVariant};

pub(super) fn enum_def(name: &Ident, docs: &TokenStream, enumeration: &Enum) -> TokenStream {
    match enumeration {
        Enum::String(variants) => string_enum(name, docs, variants),
        Enum::Integer(variants) => integer_enum(name, docs, variants),
    }
}

const UNKNOWN_DOCS: &str = "A value the spec did not list when this client was generated (the \
                            server may have added it since), kept as received and sent back \
                            unchanged.";

fn string_enum(name: &Ident, docs: &TokenStream, variants: &[EnumVariant<String>]) -> TokenStream {
    let rt = runtime();
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|value| format!(" `{value}`"));
    let unknown_docs = super::docs(UNKNOWN_DOCS);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #names,)*
            #unknown_docs
            Unknown(#rt::Unknown),
        }

        impl #name {
            /// The values the spec lists, as they are sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value exactly as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(#rt::Unknown::new_unchecked(other.to_owned())),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn integer_enum(name: &Ident, docs: &TokenStream, variants: &[EnumVariant<i64>]) -> TokenStream {
    let rt = runtime();
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<Literal> = variants
        .iter()
        .map(|variant| Literal::i64_unsuffixed(variant.value))
        .collect();
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    let unknown_docs = super::docs(UNKNOWN_DOCS);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #names,)*
            #unknown_docs
            Unknown(#rt::Unknown<i64>),
        }

        impl #name {
            /// The values the spec lists.
            pub const VALUES: &'static [i64] = &[#(#values),*];

            /// The value exactly as it is sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => *value.get(),
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(#rt::Unknown::new_unchecked(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
