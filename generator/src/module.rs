//! [`Layout::Module`](crate::Layout::Module): a crate's printed files folded into the one file
//! a build script writes and a crate `include!`s. `include!` takes items only (no inner
//! attributes or `//!` docs) and resolves `mod x;` beside the including file, so the crate
//! becomes `pub mod NAME { .. }` with each module inline, and every path from the crate root
//! (`crate::types::A`, in code and in doc links) becomes relative (`super::types::A`), so the
//! module can sit anywhere in the crate that includes it.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprLit, Ident, Item, ItemMod, ItemUse, Lit, LitStr, Meta, Path};
use syn::{PathSegment, UseGlob, UsePath, UseTree, Visibility};

/// The crate's `files` (by path: `src/lib.rs` and the modules it declares) as one file,
/// `NAME.rs`, holding `pub mod NAME { .. }`, headed by `src/lib.rs`'s header comment.
pub(crate) fn assemble(
    name: &str,
    files: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, syn::Error> {
    let ident: Ident = syn::parse_str(name)?;
    let lib = files
        .get("src/lib.rs")
        .map(String::as_str)
        .unwrap_or_default();
    let root = syn::parse_file(lib)?;
    let items = root
        .items
        .into_iter()
        .map(|item| inline(item, "src", files))
        .collect::<Result<_, _>>()?;
    let mut module: ItemMod = syn::parse_quote!(pub mod #ident {});
    module.attrs = root.attrs;
    module.content = Some((Default::default(), items));
    // The module itself is the crate root: its direct contents are at depth 0.
    visit_mut::visit_item_mod_mut(&mut Relative { depth: 0 }, &mut module);
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![Item::Mod(module)],
    };
    let header: String = lib
        .lines()
        .take_while(|line| line.starts_with("//") && !line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    let text = format!("{header}\n{}", prettyplease::unparse(&file));
    Ok(BTreeMap::from([(format!("{name}.rs"), text)]))
}

/// `item` with, if it is `mod x;` declared in `dir`, the contents of `dir/x.rs` inline (and
/// its own modules, from `dir/x/`, in turn).
fn inline(item: Item, dir: &str, files: &BTreeMap<String, String>) -> Result<Item, syn::Error> {
    let Item::Mod(mut module) = item else {
        return Ok(item);
    };
    if module.content.is_some() {
        return Ok(Item::Mod(module));
    }
    let path = format!("{dir}/{}.rs", module.ident);
    let Some(text) = files.get(&path) else {
        let message = format!("`mod {}` has no file `{path}`", module.ident);
        return Err(syn::Error::new(module.ident.span(), message));
    };
    let file = syn::parse_file(text)?;
    let dir = format!("{dir}/{}", module.ident);
    let items = file
        .items
        .into_iter()
        .map(|item| inline(item, &dir, files))
        .collect::<Result<_, _>>()?;
    module.attrs.extend(file.attrs);
    module.content = Some((Default::default(), items));
    module.semi = None;
    Ok(Item::Mod(module))
}

/// Rewrites paths from the crate root into paths from the module being visited, `depth`
/// modules below the root.
struct Relative {
    depth: usize,
}

impl Relative {
    /// What stands for `crate` here: `self` at the root, else one `super` per level.
    fn prefix(&self) -> Vec<&'static str> {
        match self.depth {
            0 => vec!["self"],
            depth => vec!["super"; depth],
        }
    }
}

impl VisitMut for Relative {
    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, module);
        self.depth -= 1;
    }

    /// `pub(crate)` keeps meaning the whole crate, which is still true of the module.
    fn visit_visibility_mut(&mut self, _: &mut Visibility) {}

    fn visit_path_mut(&mut self, path: &mut Path) {
        let from_root = path.leading_colon.is_none()
            && path
                .segments
                .first()
                .is_some_and(|first| first.ident == "crate");
        if from_root {
            let rest = std::mem::take(&mut path.segments).into_iter().skip(1);
            let prefix = self
                .prefix()
                .into_iter()
                .map(|word| PathSegment::from(Ident::new(word, Span::call_site())));
            path.segments = prefix.chain(rest).collect();
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut ItemUse) {
        let from_root = item.leading_colon.is_none()
            && matches!(&item.tree, UseTree::Path(root) if root.ident == "crate");
        if from_root {
            let placeholder = UseTree::Glob(UseGlob {
                star_token: Default::default(),
            });
            if let UseTree::Path(root) = std::mem::replace(&mut item.tree, placeholder) {
                let mut tree = *root.tree;
                for word in self.prefix().into_iter().rev() {
                    tree = UseTree::Path(UsePath {
                        ident: Ident::new(word, Span::call_site()),
                        colon2_token: Default::default(),
                        tree: Box::new(tree),
                    });
                }
                item.tree = tree;
            }
        }
        visit_mut::visit_item_use_mut(self, item);
    }

    /// Doc links written from the crate root (`[x](crate::Client::x)`).
    fn visit_attribute_mut(&mut self, attribute: &mut Attribute) {
        if attribute.path().is_ident("doc") {
            if let Meta::NameValue(doc) = &mut attribute.meta {
                if let Expr::Lit(ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) = &mut doc.value
                {
                    let target = format!("]({}::", self.prefix().join("::"));
                    let relative = text.value().replace("](crate::", &target);
                    *text = LitStr::new(&relative, text.span());
                }
            }
        }
        visit_mut::visit_attribute_mut(self, attribute);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    const LIB: &str = "// @generated by `test`.\n\n//! The crate.\n#![deny(missing_docs)]\n\
                       mod client;\npub mod types;\npub use client::Client;\n";
    const TYPES: &str = "//! Types.\n\
                         /// Made by [`Client::make`](crate::Client::make).\n\
                         pub struct A { pub b: Option<crate::types::B> }\n\
                         /// B.\npub struct B;\n";
    const CLIENT: &str = "use crate::types;\n/// C.\npub struct Client;\n\
                          pub(crate) fn shared() -> crate::types::B { types::B }\n";

    #[test]
    fn a_crate_becomes_one_module_with_relative_paths() {
        let crate_files = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", LIB),
            ("src/types.rs", TYPES),
            ("src/client.rs", CLIENT),
        ]);
        let module = assemble("demo", &crate_files).unwrap();
        assert_eq!(module.keys().collect::<Vec<_>>(), ["demo.rs"]);
        let text = &module["demo.rs"];
        assert!(text.starts_with("// @generated by `test`.\n"), "{text}");
        syn::parse_file(text).unwrap();
        let flat: String = text.split_whitespace().collect();
        for expected in [
            "pubmoddemo{//!Thecrate.#![deny(missing_docs)]",
            "modclient{usesuper::types;",
            "pub(crate)fnshared()->super::types::B",
            "pubmodtypes{//!Types.",
            "(super::Client::make)",
            "Option<super::types::B>",
            "pubuseclient::Client;",
        ] {
            assert!(flat.contains(expected), "{expected} in:\n{text}");
        }
        assert!(!text.contains("crate::"), "{text}");
    }

    #[test]
    fn paths_at_the_root_start_from_self() {
        let lib = "//! Root.\n/// See [`B`](crate::types::B).\npub type A = crate::types::B;\n";
        let module = assemble("demo", &files(&[("src/lib.rs", lib)])).unwrap();
        let flat: String = module["demo.rs"].split_whitespace().collect();
        assert!(flat.contains("pubtypeA=self::types::B;"), "{flat}");
        assert!(flat.contains("(self::types::B)"), "{flat}");
    }

    #[test]
    fn a_module_without_its_file_or_a_keyword_name_is_an_error() {
        let missing = assemble("demo", &files(&[("src/lib.rs", "mod gone;\n")]));
        let message = missing.unwrap_err().to_string();
        assert!(message.contains("src/gone.rs"), "{message}");
        assert!(assemble("fn", &files(&[("src/lib.rs", "")])).is_err());
    }
}
