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

use super::directions::{serde_derives, SerdeDerives, SerdeTrait};
use super::types::{BINARY, PRESENT};
use super::{ident, runtime, rust_type, type_item_docs, type_member_docs};
use crate::model::{Api, Direction, Field, Presence, Purpose, Struct, TypeRef};
use crate::naming::{setter_name, unraw};

/// A struct travelling `direction`, and its builder.
pub(super) fn struct_def(
    api: &Api,
    name: &Ident,
    docs: &TokenStream,
    strukt: &Struct,
    direction: Direction,
) -> TokenStream {
    let has_required = strukt.fields.iter().any(|f| f.presence.is_required());
    let default = (!has_required).then(|| quote!(, Default));
    // A parameters struct is only ever written (as the query string).
    let traits: &[SerdeTrait] = match strukt.purpose {
        Purpose::Schema => &[SerdeTrait::Serialize, SerdeTrait::Deserialize],
        Purpose::Parameters { .. } => &[SerdeTrait::Serialize],
    };
    let SerdeDerives {
        derived,
        attributes,
    } = serde_derives(direction, traits, None);
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
        #[derive(Debug, Clone, PartialEq #default #derived)]
        #attributes
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #builder
    }
}

fn field_docs(field: &Field) -> TokenStream {
    match &field.docs {
        Some(text) => type_member_docs(text),
        None => type_member_docs(&format!("The `{}` property.", field.wire_name)),
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
    let binary = (schema && (BINARY.uses)(field)).then(|| match field.presence {
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
        (schema && (PRESENT.uses)(field)).then(|| quote!(deserialize_with = "present",));
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
    prelude: Prelude,
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
            prelude: Prelude::new(api),
        }
    }

    /// Whether no field is required: the struct is then its own builder.
    fn all_optional(&self) -> bool {
        self.fields
            .iter()
            .all(|(_, slot)| matches!(slot, Slot::Optional))
    }

    /// The required fields, each with its type parameter, in field order.
    fn required(&self) -> impl Iterator<Item = (&'s Field, &Ident)> {
        self.fields.iter().filter_map(|(field, slot)| match slot {
            Slot::Required(param) => Some((*field, param)),
            _ => None,
        })
    }

    /// The builder's type parameters: one per required field, in field order.
    fn params(&self) -> Vec<&Ident> {
        self.required().map(|(_, param)| param).collect()
    }

    /// The fields a caller may leave as they start (optional, or fixed to one value): they
    /// travel together in the builder, as one value of the struct's `optional::` twin.
    fn preset(&self) -> impl Iterator<Item = (&'s Field, &Slot)> {
        self.fields
            .iter()
            .filter(|(_, slot)| !matches!(slot, Slot::Required(_)))
            .map(|(field, slot)| (*field, slot))
    }

    /// Whether every preset field starts absent (none is fixed to one value): the twin that
    /// holds them then starts as its `Default`.
    fn preset_is_default(&self) -> bool {
        self.preset()
            .all(|(_, slot)| matches!(slot, Slot::Optional))
    }

    /// The name of the builder's field that holds the preset fields, if there are any:
    /// `optional`, unless a required field has that name.
    fn preset_field(&self) -> Option<Ident> {
        self.preset().next()?;
        let mut name = "optional".to_owned();
        while self.required().any(|(field, _)| unraw(&field.name) == name) {
            name.push('_');
        }
        Some(ident(&name))
    }
}

/// The traits of Rust's prelude that setters name, as they write them: bare, unless a type of
/// the crate takes the name (a schema called `Into`), then by absolute path. (Values such as
/// `Some` need no such care: generated types are never constants or functions.)
struct Prelude {
    into: TokenStream,
    into_iterator: TokenStream,
}

impl Prelude {
    fn new(api: &Api) -> Self {
        // Trait names are never Rust keywords, so no type takes one as a raw identifier.
        let pick = |name: &str, bare: TokenStream, absolute: TokenStream| {
            if api.has_type_named(name) {
                absolute
            } else {
                bare
            }
        };
        Prelude {
            into: pick("Into", quote!(Into), quote!(::std::convert::Into)),
            into_iterator: pick(
                "IntoIterator",
                quote!(IntoIterator),
                quote!(::std::iter::IntoIterator),
            ),
        }
    }
}

/// Named types as builders write them: by name, as they are in the same module.
fn path() -> TokenStream {
    quote!()
}

/// The methods that make a struct none of whose fields is required: it is its own builder,
/// starting from `Default`, so `Type::builder().field(x).build()` reads as for any struct.
/// The setters are written out; `builder` and `build`, the same for every such struct, come
/// from the runtime's `own_builder!`.
fn own_builder(slots: &Slots<'_>) -> TokenStream {
    let name = slots.name;
    let setters = slots.fields.iter().map(|(field, _)| {
        let docs = setter_docs(name, field, SetterKind::Optional);
        setter(
            slots.api,
            field,
            &slots.prelude,
            &docs,
            Returns::Same,
            |value| {
                let field = ident(&field.name);
                quote! {
                    self.#field = #value;
                    self
                }
            },
        )
    });
    let setters: Vec<TokenStream> = setters.collect();
    let impl_setters = (!setters.is_empty()).then(|| quote!(impl #name { #(#setters)* }));
    let rt = runtime();
    quote! {
        #impl_setters
        #rt::own_builder!(#name);
    }
}

/// The builder of `name`: `name::builder()`, the builder struct, its setters and `build`.
fn builder(api: &Api, name: &Ident, strukt: &Struct) -> TokenStream {
    let slots = Slots::new(api, name, strukt);
    if slots.all_optional() {
        return own_builder(&slots);
    }
    let start = builder_start(&slots);
    let definition = builder_struct(&slots);
    let required_setters = required_setters(&slots);
    let preset_setters = preset_setters(&slots);
    let build = build_method(&slots);
    quote! {
        #start
        #definition
        #(#required_setters)*
        #preset_setters
        #build
    }
}

/// `Type::builder()`: every required field `Missing`, the others as they start.
fn builder_start(slots: &Slots<'_>) -> TokenStream {
    let (name, builder) = (slots.name, &slots.builder);
    let rt = runtime();
    let required = slots.required().map(|(field, _)| ident(&field.name));
    let preset = slots.preset_field().map(|preset| {
        if slots.preset_is_default() {
            return quote!(#preset: ::std::default::Default::default());
        }
        let starts = slots.preset().map(|(field, slot)| {
            let field_name = ident(&field.name);
            let start = match slot {
                Slot::Fixed(value) => value.clone(),
                _ => optional_start(field),
            };
            quote!(#field_name: #start)
        });
        quote!(#preset: optional::#name { #(#starts),* })
    });
    let start_docs = type_member_docs(&format!(
        "Starts building `{name}`: set the fields, then `build`."
    ));
    quote! {
        impl #name {
            #start_docs
            pub fn builder() -> #builder {
                #builder { #(#required: #rt::Missing,)* #preset }
            }
        }
    }
}

/// The builder struct: a type parameter per required field, the other fields in one value.
fn builder_struct(slots: &Slots<'_>) -> TokenStream {
    let (name, builder) = (slots.name, &slots.builder);
    let rt = runtime();
    let params = slots.params();
    let required: Vec<Ident> = slots.required().map(|(f, _)| ident(&f.name)).collect();
    let defaults = params.iter().map(|param| quote!(#param = #rt::Missing));
    let preset = slots
        .preset_field()
        .map(|preset| quote!(#preset: optional::#name,));
    let required_list: Vec<String> = required
        .iter()
        .map(|field| format!("`{}`", setter_name(&field.to_string())))
        .collect();
    let builder_docs = type_item_docs(&builder_text(name, &required_list));
    quote! {
        #builder_docs
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder<#(#defaults),*> {
            #(#required: #params,)*
            #preset
        }
    }
}

/// The setters of the fields a builder holds together, for any state of its required ones.
fn preset_setters(slots: &Slots<'_>) -> Option<TokenStream> {
    let preset = slots.preset_field()?;
    let setters = slots.preset().map(|(field, slot)| {
        let kind = match slot {
            Slot::Fixed(_) => SetterKind::Fixed,
            _ => SetterKind::Optional,
        };
        let docs = setter_docs(slots.name, field, kind);
        setter(
            slots.api,
            field,
            &slots.prelude,
            &docs,
            Returns::Same,
            |value| {
                let field = ident(&field.name);
                quote! {
                    self.#preset.#field = #value;
                    self
                }
            },
        )
    });
    let params = slots.params();
    let builder = &slots.builder;
    Some(quote! {
        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*
        }
    })
}

/// `build`, there once every required field is set.
fn build_method(slots: &Slots<'_>) -> TokenStream {
    let (name, builder) = (slots.name, &slots.builder);
    let complete = slots
        .required()
        .map(|(field, _)| field_type(slots.api, field, &path()));
    let preset = slots.preset_field();
    let built = slots.fields.iter().map(|(field, slot)| {
        let field_name = ident(&field.name);
        match (slot, &preset) {
            (Slot::Required(_), _) | (_, None) => quote!(#field_name: self.#field_name),
            (_, Some(preset)) => quote!(#field_name: self.#preset.#field_name),
        }
    });
    let build_docs = type_member_docs(&format!("The `{name}`."));
    quote! {
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
        _ => quote!(None),
    }
}

/// The twin of a struct with a builder, in the private module `optional`: the fields a caller
/// may leave as they start, held together until `build` (so a required setter moves one
/// value, not every field). `None` for a struct that is its own builder or has no such field.
/// Without a field fixed to one value, every field starts as its `Default`, and so does the
/// twin.
pub(super) fn preset_twin(api: &Api, name: &Ident, strukt: &Struct) -> Option<TokenStream> {
    let slots = Slots::new(api, name, strukt);
    if slots.all_optional() {
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
    let default = slots.preset_is_default().then(|| quote!(Default,));
    (!fields.is_empty()).then(|| {
        quote! {
            #[derive(Debug, Clone, #default)]
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
    // Each setter returns the builder with one parameter filled in: with many required
    // fields, a type clippy finds complex, though it is the builder's own.
    let allow = (slots.params().len() > 1).then(|| {
        quote!(#[allow(clippy::type_complexity, reason = "one type parameter per required field")])
    });
    let builder = &slots.builder;
    slots.required().map(move |(field, this)| {
        let params = slots.params();
        let others = params.iter().filter(|param| **param != this);
        let rt = runtime();
        let before = params.iter().map(|param| {
            if *param == this {
                quote!(#rt::Missing)
            } else {
                quote!(#param)
            }
        });
        let method = required_setter(slots, field, this);
        quote! {
            #allow
            impl<#(#others),*> #builder<#(#before),*> {
                #method
            }
        }
    })
}

/// The setter of the required `field`, whose type parameter is `this`: it returns the builder
/// with that parameter filled in, every other field moved over.
fn required_setter(slots: &Slots<'_>, field: &Field, this: &Ident) -> TokenStream {
    let builder = &slots.builder;
    let stored = field_type(slots.api, field, &path());
    let after = slots.params().into_iter().map(|param| {
        if param == this {
            stored.clone()
        } else {
            quote!(#param)
        }
    });
    let returns = Returns::Next(quote!(#builder<#(#after),*>));
    let preset = slots
        .preset_field()
        .map(|preset| quote!(#preset: self.#preset));
    let docs = setter_docs(slots.name, field, SetterKind::Required);
    setter(slots.api, field, &slots.prelude, &docs, returns, |value| {
        let fields = slots.required().map(|(other, _)| {
            let name = ident(&other.name);
            if other.name == field.name {
                quote!(#name: #value)
            } else {
                quote!(#name: self.#name)
            }
        });
        quote!(#builder { #(#fields,)* #preset })
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
    type_member_docs(&text)
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
    prelude: &Prelude,
    docs: &TokenStream,
    returns: Returns,
    body: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let path = path();
    let method = ident(&setter_name(&field.name));
    let (argument, value) = match field.presence {
        Presence::OptionalNullable => nullable_conversion(api, field, prelude, &path),
        presence => {
            let (argument, converted) = conversion(api, &field.ty, prelude, &path);
            let converted = if field.boxed {
                quote!(::std::boxed::Box::new(#converted))
            } else {
                converted
            };
            match presence {
                Presence::Optional | Presence::RequiredNullable => {
                    (argument, quote!(Some(#converted)))
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
fn conversion(
    api: &Api,
    ty: &TypeRef,
    prelude: &Prelude,
    path: &TokenStream,
) -> (TokenStream, TokenStream) {
    let Prelude {
        into,
        into_iterator,
    } = prelude;
    match ty {
        TypeRef::Array(item) => {
            let item = rust_type(api, item, path);
            (
                quote!(impl #into_iterator<Item = impl #into<#item>>),
                quote!(value.into_iter().map(#into::into).collect()),
            )
        }
        TypeRef::Map(entry) => {
            let entry = rust_type(api, entry, path);
            (
                quote!(impl #into_iterator<
                    Item = (impl #into<::std::string::String>, impl #into<#entry>),
                >),
                quote!(value
                    .into_iter()
                    .map(|(key, entry)| (key.into(), entry.into()))
                    .collect()),
            )
        }
        other => {
            let ty = rust_type(api, other, path);
            (quote!(impl #into<#ty>), quote!(value.into()))
        }
    }
}

/// The argument a setter of an optional nullable field takes, and the value it stores: a
/// value, an `Option` or `Nullable::Null`, all through `impl Into<Nullable<T>>`.
fn nullable_conversion(
    api: &Api,
    field: &Field,
    prelude: &Prelude,
    path: &TokenStream,
) -> (TokenStream, TokenStream) {
    let ty = rust_type(api, &field.ty, path);
    let rt = runtime();
    let into = &prelude.into;
    let argument = quote!(impl #into<#rt::Nullable<#ty>>);
    if field.boxed {
        (argument, quote!(value.into().map(::std::boxed::Box::new)))
    } else {
        (argument, quote!(value.into()))
    }
}
