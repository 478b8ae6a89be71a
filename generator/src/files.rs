//! Bringing a directory in line with generated file contents: compared in [`Mode::Check`],
//! replaced as a whole otherwise, so that no run leaves a half-written crate behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

/// What cargo writes at the top of an output directory when the crate is built there (its
/// build directory and lock file): not generated, so neither compared nor removed.
const KEPT: &[&str] = &["target", "Cargo.lock"];

/// Most diff lines printed for one stale file.
const MAX_DIFF_LINES: usize = 60;

/// What [`sync_dir`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace the directory when it differs.
    Write,
    /// Change nothing; report the differences.
    Check,
}

/// What [`sync_dir`] found, or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The directory already held exactly the files.
    Unchanged,
    /// The directory differed and was replaced ([`Mode::Write`]).
    Updated,
    /// The directory differs and was left alone ([`Mode::Check`]): a description, with a
    /// diff, of every stale, missing or extra file.
    Stale(Vec<String>),
}

/// Makes `dir` hold exactly `files` (paths relative to `dir`).
///
/// In [`Mode::Write`] a directory that differs is replaced: the new contents are written to a
/// sibling temporary directory first and swapped in only when complete. What cargo writes in
/// a crate's directory (`target/`, `Cargo.lock`) is neither compared nor removed.
pub fn sync_dir(
    dir: &Path,
    files: &BTreeMap<String, String>,
    mode: Mode,
) -> Result<Synced, String> {
    let existing = read_tree(dir).map_err(|error| io_error(dir, &error))?;
    let differences = compare(dir, &existing, files, mode);
    if differences.is_empty() {
        return Ok(Synced::Unchanged);
    }
    if mode == Mode::Check {
        return Ok(Synced::Stale(differences));
    }
    replace_dir(dir, files).map_err(|error| io_error(dir, &error))?;
    Ok(Synced::Updated)
}

fn io_error(dir: &Path, error: &std::io::Error) -> String {
    format!("error: {}: {error}", dir.display())
}

/// What differs between `existing` and `files`; with a diff of each stale file only in
/// [`Mode::Check`], where someone reads it (a large crate's diff is costly to compute).
fn compare(
    dir: &Path,
    existing: &BTreeMap<String, String>,
    files: &BTreeMap<String, String>,
    mode: Mode,
) -> Vec<String> {
    let mut differences = Vec::new();
    for (path, wanted) in files {
        let shown = dir.join(path).display().to_string();
        match existing.get(path) {
            None => differences.push(format!("missing: {shown}")),
            Some(found) if normalize(found) != *wanted => {
                let diff = match mode {
                    Mode::Check => diff(found, wanted),
                    Mode::Write => String::new(),
                };
                differences.push(format!("stale: {shown}\n{diff}"));
            }
            Some(_) => {}
        }
    }
    for path in existing.keys().filter(|path| !files.contains_key(*path)) {
        differences.push(format!(
            "extra (no longer generated): {}",
            dir.join(path).display()
        ));
    }
    differences
}

/// Files checked out on Windows may have `\r\n` line endings; they still count as fresh.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// How long a diff may take before it settles for a larger one than the smallest.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

fn diff(found: &str, wanted: &str) -> String {
    let found = normalize(found);
    // Two versions of a large file can differ everywhere; the diff is shown only in part, so
    // it need not be the smallest one.
    let unified = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(found.as_str(), wanted)
        .unified_diff()
        .context_radius(2)
        .header("checked in", "generated now")
        .to_string();
    let mut lines: Vec<&str> = unified.lines().take(MAX_DIFF_LINES + 1).collect();
    if lines.len() > MAX_DIFF_LINES {
        lines.truncate(MAX_DIFF_LINES);
        lines.push("...");
    }
    lines.join("\n")
}

/// Every file under `dir` (but for what [`KEPT`] names) by relative `/`-separated path; an
/// absent directory is empty.
fn read_tree(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if dir.exists() {
        read_into(dir, "", &mut files)?;
    }
    Ok(files)
}

fn read_into(
    dir: &Path,
    prefix: &str,
    files: &mut BTreeMap<String, String>,
) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        if prefix.is_empty() && KEPT.contains(&name.as_str()) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            read_into(&entry.path(), &format!("{relative}/"), files)?;
        } else {
            let bytes = fs::read(entry.path())?;
            files.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

/// Writes `files` to a temporary sibling of `dir`, then swaps it in, carrying over what
/// [`KEPT`] names.
fn replace_dir(dir: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".to_owned());
    let parent = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let staging = sibling(&parent, &name, "new");
    let retired = sibling(&parent, &name, "old");
    for leftover in [&staging, &retired] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    fs::create_dir_all(&staging)?;
    for (path, contents) in files {
        let target = staging.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, contents)?;
    }
    if dir.exists() {
        for kept in KEPT {
            if dir.join(kept).exists() {
                fs::rename(dir.join(kept), staging.join(kept))?;
            }
        }
        fs::rename(dir, &retired)?;
    }
    fs::rename(&staging, dir)?;
    if retired.exists() {
        fs::remove_dir_all(&retired)?;
    }
    Ok(())
}

fn sibling(parent: &Path, name: &str, suffix: &str) -> PathBuf {
    parent.join(format!(".{name}.codegen-{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("clientgen-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn write_then_check_round_trips() {
        let dir = scratch("round-trip").join("crate");
        let wanted = files(&[("Cargo.toml", "a\n"), ("src/lib.rs", "b\n")]);
        let Synced::Stale(missing) = sync_dir(&dir, &wanted, Mode::Check).unwrap() else {
            panic!("an absent directory is stale");
        };
        assert_eq!(missing.len(), 2);
        assert!(!dir.exists(), "check mode must not write");
        assert_eq!(
            sync_dir(&dir, &wanted, Mode::Write).unwrap(),
            Synced::Updated
        );
        assert_eq!(
            sync_dir(&dir, &wanted, Mode::Check).unwrap(),
            Synced::Unchanged
        );
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "b\n");
    }

    #[test]
    fn check_reports_stale_missing_and_extra_files() {
        let dir = scratch("report");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old\n").unwrap();
        fs::write(dir.join("src/gone.rs"), "x\n").unwrap();
        fs::create_dir_all(dir.join("target")).unwrap();
        fs::write(dir.join("target/ignored"), "x").unwrap();
        let wanted = files(&[("src/lib.rs", "new\n"), ("Cargo.toml", "c\n")]);
        let Synced::Stale(report) = sync_dir(&dir, &wanted, Mode::Check).unwrap() else {
            panic!("the directory differs");
        };
        let report = report.join("\n");
        assert!(
            report.contains("missing: ") && report.contains("Cargo.toml"),
            "{report}"
        );
        assert!(
            report.contains("stale: ") && report.contains("-old\n+new"),
            "{report}"
        );
        assert!(report.contains("extra (no longer generated): "), "{report}");
        assert!(!report.contains("ignored"), "{report}");
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "old\n");
    }

    #[test]
    fn write_replaces_the_directory_and_keeps_target() {
        let dir = scratch("replace");
        fs::create_dir_all(dir.join("target")).unwrap();
        fs::write(dir.join("target/cache"), "keep").unwrap();
        fs::write(dir.join("Cargo.lock"), "locked").unwrap();
        fs::write(dir.join("stale.rs"), "x").unwrap();
        sync_dir(&dir, &files(&[("lib.rs", "new\n")]), Mode::Write).unwrap();
        assert!(!dir.join("stale.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.join("target/cache")).unwrap(),
            "keep"
        );
        assert_eq!(
            fs::read_to_string(dir.join("Cargo.lock")).unwrap(),
            "locked"
        );
        assert_eq!(fs::read_to_string(dir.join("lib.rs")).unwrap(), "new\n");
        // A lock file cargo wrote is not a difference either.
        let unchanged = sync_dir(&dir, &files(&[("lib.rs", "new\n")]), Mode::Check).unwrap();
        assert_eq!(unchanged, Synced::Unchanged);
    }

    #[test]
    fn crlf_checkouts_are_fresh() {
        let dir = scratch("crlf");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.rs"), "x\r\ny\r\n").unwrap();
        let synced = sync_dir(&dir, &files(&[("a.rs", "x\ny\n")]), Mode::Check).unwrap();
        assert_eq!(synced, Synced::Unchanged);
    }
}
