//! `own_builder!`: the two methods of a generated struct none of whose fields is required,
//! which is therefore its own builder, written once here rather than in every such struct.
//!
//! A generated crate writes the struct (deriving `Default`) and its setters out, so readers of
//! its source and docs see them, then one invocation for `builder` and `build`:
//!
//! ```
//! /// Where a search looks.
//! #[derive(Debug, Clone, PartialEq, Default)]
//! #[non_exhaustive]
//! pub struct Scope {
//!     /// The folder searched.
//!     pub folder: Option<String>,
//! }
//!
//! impl Scope {
//!     /// Sets `folder`.
//!     pub fn folder(mut self, value: impl Into<String>) -> Self {
//!         self.folder = Some(value.into());
//!         self
//!     }
//! }
//!
//! clientgen_runtime::own_builder!(Scope);
//!
//! let scope = Scope::builder().folder("0").build();
//! assert_eq!(scope.folder.as_deref(), Some("0"));
//! assert_eq!(Scope::builder().build(), Scope::default());
//! ```
//!
//! Like the enum macros, it is hidden from the crate's docs and names everything by absolute
//! path, so a struct beside types called `Default` or `Self_` expands the same.

/// Writes, for a generated struct that derives `Default` and has no required field,
/// `builder()` (the struct with every field left out) and `build(self)` (the struct as set up),
/// so that it is built as `Type::builder().field(x).build()` like any other.
///
/// `$name`: the struct.
#[doc(hidden)]
#[macro_export]
macro_rules! own_builder {
    ($name:ident) => {
        impl $name {
            #[doc = ::std::concat!(" Starts building `", ::std::stringify!($name), "` with every")]
            #[doc = " field left out: set fields, then `build`."]
            #[allow(
                clippy::self_named_constructors,
                reason = "every struct starts with `builder()`, a type called `Builder` too"
            )]
            pub fn builder() -> Self {
                ::std::default::Default::default()
            }

            /// The value set up so far (a type none of whose fields is required is its own
            /// builder).
            pub fn build(self) -> Self {
                self
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A struct as the generator writes one whose fields may all be left out; it is called
    /// `Builder`, the name that makes `builder()` look like a constructor named after its type.
    #[derive(Debug, Clone, PartialEq, Default)]
    struct Builder {
        name: Option<String>,
        tags: Vec<String>,
    }

    impl Builder {
        fn name(mut self, value: impl Into<String>) -> Self {
            self.name = Some(value.into());
            self
        }
    }

    crate::own_builder!(Builder);

    #[test]
    fn builder_starts_from_default() {
        assert_eq!(Builder::builder(), Builder::default());
        assert_eq!(Builder::builder().name, None);
    }

    #[test]
    fn build_returns_what_the_setters_set() {
        let built = Builder::builder().name("report").build();
        assert_eq!(built.name.as_deref(), Some("report"));
        assert!(built.tags.is_empty());
    }
}
