//! Printing the Rust files: their chunks of tokens become formatted source, several chunks at
//! once, one per available core, and are put back together in their order.
//!
//! Tokens (`proc_macro2`) cannot cross threads, so each chunk goes to a printing thread as its
//! text, which that thread parses with syn and prints with prettyplease. A thread holds one
//! chunk's syntax tree at a time, which keeps the memory benefit of printing in chunks.

use std::cmp::Reverse;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use syn::parse::Parser;

use super::{layout, Chunk};

/// A chunk as text, and the file it belongs to (an index into the files being printed).
struct Source {
    file: usize,
    tokens: String,
    cfg: Option<String>,
}

/// Prints each file's chunks and returns each file's tidied source, in the order of `files`.
pub(super) fn print_files(files: Vec<Vec<Chunk>>) -> Result<Vec<String>, syn::Error> {
    let count = files.len();
    let sources = to_text(files);
    let printed = print_all(&sources)?;
    let mut joined = vec![String::new(); count];
    for (source, text) in sources.iter().zip(printed) {
        joined[source.file].push_str(&text);
    }
    Ok(joined.iter().map(|source| layout::tidy(source)).collect())
}

/// Every chunk as text, in file order then chunk order; each chunk's tokens are dropped as soon
/// as they are written out.
fn to_text(files: Vec<Vec<Chunk>>) -> Vec<Source> {
    files
        .into_iter()
        .enumerate()
        .flat_map(|(file, chunks)| {
            chunks.into_iter().map(move |chunk| Source {
                file,
                tokens: chunk.tokens.to_string(),
                cfg: chunk.cfg.map(|cfg| cfg.to_string()),
            })
        })
        .collect()
}

/// Each source printed, in the order of `sources`. This thread prints beside one helper per
/// other core; threads take the largest chunks first, so that none is left printing a large
/// one alone at the end.
fn print_all(sources: &[Source]) -> Result<Vec<String>, syn::Error> {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&index| Reverse(sources[index].tokens.len()));
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(sources.len());
    let mut printed = vec![String::new(); sources.len()];
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| print_some(sources, &order, &next)))
            .collect();
        let mut shares = vec![print_some(sources, &order, &next)?];
        for helper in helpers {
            let share = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            shares.push(share?);
        }
        for (index, text) in shares.into_iter().flatten() {
            printed[index] = text;
        }
        Ok(printed)
    })
}

/// One thread's share: it takes the next source of `order` until there is none left.
fn print_some(
    sources: &[Source],
    order: &[usize],
    next: &AtomicUsize,
) -> Result<Vec<(usize, String)>, syn::Error> {
    let mut done = Vec::new();
    while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
        done.push((index, print(&sources[index])?));
    }
    Ok(done)
}

/// Parses one chunk, puts its `cfg` on each of its items, and prints it.
fn print(source: &Source) -> Result<String, syn::Error> {
    let mut file: syn::File = syn::parse_str(&source.tokens)?;
    if let Some(cfg) = &source.cfg {
        for item in &mut file.items {
            gate(item, syn::Attribute::parse_outer.parse_str(cfg)?);
        }
    }
    Ok(prettyplease::unparse(&file))
}

/// Puts `cfg` first among `item`'s attributes.
fn gate(item: &mut syn::Item, cfg: Vec<syn::Attribute>) {
    let attrs = match item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        syn::Item::Macro(item) => &mut item.attrs,
        syn::Item::Mod(item) => &mut item.attrs,
        syn::Item::Static(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Use(item) => &mut item.attrs,
        _ => return,
    };
    attrs.splice(0..0, cfg);
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn chunks_come_back_in_order_with_their_cfg() {
        let types: Vec<Chunk> = (0..40)
            .map(|index| {
                let name = quote::format_ident!("T{index}");
                let tokens = quote!(pub struct #name; impl #name { fn f() {} });
                match index % 2 {
                    0 => Chunk::always(tokens),
                    _ => Chunk {
                        tokens,
                        cfg: Some(quote!(#[cfg(feature = "odd")])),
                    },
                }
            })
            .collect();
        let lib = vec![Chunk::always(quote!(
            mod types;
        ))];
        let printed = print_files(vec![lib, types]).unwrap();
        assert_eq!(printed[0], "mod types;\n");
        let expected: String = (0..40)
            .map(|index| {
                let cfg = match index % 2 {
                    0 => "",
                    _ => "#[cfg(feature = \"odd\")]\n",
                };
                format!(
                    "{cfg}pub struct T{index};\n\n{cfg}impl T{index} {{\n    fn f() {{}}\n}}\n\n"
                )
            })
            .collect();
        assert_eq!(printed[1], expected.trim_end().to_owned() + "\n");
    }

    #[test]
    fn a_chunk_that_is_not_rust_is_an_error() {
        let broken = vec![vec![Chunk::always(quote!(pub struct;))]];
        assert!(print_files(broken).is_err());
    }
}
