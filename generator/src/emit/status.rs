//! The enums of response bodies that depend on the status, with the `decode` that picks the
//! variant by status code (never by the body's shape).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, runtime, rust_type};
use crate::model::{Api, ResponseBody, StatusMatch, StatusVariant};

/// A response body whose type depends on the status, with the `decode` that picks it.
pub(super) fn status_enum_def(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    variants: &[StatusVariant],
) -> TokenStream {
    let definitions = variants
        .iter()
        .map(|variant| variant_definition(api, variant));
    let codes: Vec<u16> = variants
        .iter()
        .filter_map(|variant| match variant.status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    let payloads = variants.iter().filter_map(|variant| match &variant.body {
        ResponseBody::Json(ty) => Some(ty),
        _ => None,
    });
    let sizes = super::types::holds_named(payloads).then(super::types::variant_sizes_differ);
    let decode = decode(variants, &codes);
    let streams = streamed(variants, &codes);
    // A stream is read once: it can be neither cloned nor compared.
    let derives = if streams.is_some() {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #docs
        #derives
        #sizes
        pub enum #name {
            #(#definitions)*
        }

        impl #name {
            #decode

            #streams
        }
    }
}

/// One variant of the enum, documented with the statuses it covers.
fn variant_definition(api: &Api, variant: &StatusVariant) -> TokenStream {
    let variant_name = ident(&variant.name);
    let status = match variant.status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(digit) => format!("`{digit}XX`"),
        StatusMatch::Default => "Any other status".to_owned(),
    };
    let doc = super::type_member_docs(&match &variant.docs {
        Some(description) => format!("{status}: {}", description.trim()),
        None => format!("{status}."),
    });
    let payload = match &variant.body {
        ResponseBody::Empty => None,
        ResponseBody::Json(ty) => Some(rust_type(api, ty, &quote!())),
        ResponseBody::Text => Some(quote!(::std::string::String)),
        ResponseBody::Bytes => {
            let rt = runtime();
            Some(quote!(#rt::ByteStream))
        }
    };
    let payload = payload.map(|ty| quote!((#ty)));
    quote!(#doc #variant_name #payload,)
}

/// The `decode` function: the variant of a `status` response, from its body.
fn decode(variants: &[StatusVariant], codes: &[u16]) -> TokenStream {
    let arms = variants.iter().filter_map(|variant| {
        let variant_name = ident(&variant.name);
        let pattern = status_pattern(variant.status, codes)?;
        let value = match &variant.body {
            ResponseBody::Empty => quote!(Ok(Self::#variant_name)),
            ResponseBody::Json(_) => quote!(::serde_json::from_slice(body).map(Self::#variant_name)),
            ResponseBody::Text => {
                quote!(Ok(Self::#variant_name(::std::string::String::from_utf8_lossy(body).into_owned())))
            }
            ResponseBody::Bytes => quote!(Ok(Self::#variant_name(body.to_vec().into()))),
        };
        Some(quote!(#pattern => #value,))
    });
    let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Default)).then(|| {
        quote! {
            _ => Err(<::serde_json::Error as ::serde::de::Error>::custom(format_args!(
                "status {status} is not documented"
            ))),
        }
    });
    let uses_body = variants.iter().any(|v| v.body != ResponseBody::Empty);
    let body_arg = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    quote! {
        /// Decodes a response body as the spec documents it for `status`.
        pub fn decode(status: u16, #body_arg: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
            match status {
                #(#arms)*
                #fallback
            }
        }
    }
}

/// The `streamed` function of an enum with binary variants: the variant that holds the body
/// of a `status` response as a stream; `None` when no variant is binary.
fn streamed(variants: &[StatusVariant], codes: &[u16]) -> Option<TokenStream> {
    let rt = runtime();
    if !variants.iter().any(|v| v.body == ResponseBody::Bytes) {
        return None;
    }
    // Every variant has its arm, in the order `decode` has them, so that a range or the
    // default never takes a status documented as something else.
    let arms = variants.iter().filter_map(|variant| {
        let pattern = status_pattern(variant.status, codes)?;
        let variant_name = ident(&variant.name);
        Some(match variant.body {
            ResponseBody::Bytes => quote!(#pattern => Some(Self::#variant_name),),
            _ => quote!(#pattern => None,),
        })
    });
    let fallback =
        (!variants.iter().any(|v| v.status == StatusMatch::Default)).then(|| quote!(_ => None,));
    Some(quote! {
        /// The variant that holds the body of a `status` response as a stream, if its body is
        /// binary.
        pub fn streamed(status: u16) -> ::std::option::Option<fn(#rt::ByteStream) -> Self> {
            match status {
                #(#arms)*
                #fallback
            }
        }
    })
}

/// The pattern of the status codes `status` matches, leaving out the `codes` documented on
/// their own (so that no arms overlap); `None` when none are left.
fn status_pattern(status: StatusMatch, codes: &[u16]) -> Option<TokenStream> {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    Some(match status {
        StatusMatch::Code(code) => {
            let code = literal(code);
            quote!(#code)
        }
        StatusMatch::Range(digit) => {
            let pieces = range_without(digit * 100, digit * 100 + 99, codes);
            if pieces.is_empty() {
                return None;
            }
            let pieces = pieces.into_iter().map(|(low, high)| {
                if low == high {
                    let low = literal(low);
                    quote!(#low)
                } else {
                    let (low, high) = (literal(low), literal(high));
                    quote!(#low..=#high)
                }
            });
            quote!(#(#pieces)|*)
        }
        StatusMatch::Default => quote!(_),
    })
}

/// The parts of `low..=high` left after taking out `codes`.
fn range_without(low: u16, high: u16, codes: &[u16]) -> Vec<(u16, u16)> {
    let mut pieces = Vec::new();
    let mut start = low;
    for code in low..=high {
        if codes.contains(&code) {
            if start < code {
                pieces.push((start, code - 1));
            }
            start = code + 1;
        }
    }
    if start <= high {
        pieces.push((start, high));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::range_without;

    #[test]
    fn ranges_leave_out_documented_codes() {
        assert_eq!(range_without(400, 499, &[]), [(400, 499)]);
        assert_eq!(
            range_without(400, 499, &[400, 404, 200]),
            [(401, 403), (405, 499)]
        );
        assert_eq!(range_without(400, 499, &[499]), [(400, 498)]);
    }
}
