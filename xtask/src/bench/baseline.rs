//! Issue 14's baseline: the generator as it was when the issue was filed (commit
//! [`COMMIT`]), extracted once into `target/bench/baseline/` and reused, where it generates
//! Box's whole API as `box-api-before`, a member of that tree's workspace, checked with its own
//! target directory (building its dependencies there is a one-time cost).

use std::path::Path;
use std::process::{Command, Stdio};

use super::check::Check;

/// The commit issue 14 was filed at.
const COMMIT: &str = "73dcebf";
const PACKAGE: &str = "box-api-before";
/// Where the baseline's crate goes, relative to its tree.
const MEMBER: &str = "generated/box-api-before";

/// The check of `box-api-before`, once its tree and crate are in place; `None`, saying why,
/// when git or the commit is missing.
pub(crate) fn prepare(root: &Path) -> Result<Option<Check>, String> {
    let tree = root.join("target/bench/baseline");
    if !tree.join("Cargo.toml").exists() {
        println!(
            "baseline: extracting commit {COMMIT} into {}",
            tree.display()
        );
        if let Err(reason) = extract(root, &tree) {
            println!("baseline: skipped, {reason}");
            return Ok(None);
        }
    }
    let target_dir = tree.join("target");
    if !tree.join(MEMBER).join("Cargo.toml").exists() {
        println!("baseline: generating {MEMBER} with the generator of {COMMIT}");
        let args = [
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "codegen",
            "--spec",
            "spec/box/openapi.json",
            "--overlay",
            "spec/box/oauth2.overlay.yaml",
            "--out",
            MEMBER,
            "--crate-name",
            PACKAGE,
        ];
        crate::cargo(
            &tree,
            &args,
            &[("CARGO_TARGET_DIR", target_dir.as_os_str())],
        )?;
    }
    add_member(&tree)?;
    Ok(Some(Check {
        label: "before",
        workspace: tree,
        dir: MEMBER,
        package: PACKAGE,
        features: &[],
        target_dir: Some(target_dir),
    }))
}

/// `git archive COMMIT | tar -x`, into a sibling directory renamed to `tree` once complete.
fn extract(root: &Path, tree: &Path) -> Result<(), String> {
    let found = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "-e", &format!("{COMMIT}^{{commit}}")])
        .stderr(Stdio::null())
        .status()
        .map_err(|error| format!("git is not available ({error})"))?;
    if !found.success() {
        return Err(format!("commit {COMMIT} is not in this repository"));
    }
    let partial = tree.with_extension("partial");
    let io = |error: std::io::Error| format!("{}: {error}", partial.display());
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(io)?;
    }
    std::fs::create_dir_all(&partial).map_err(io)?;
    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", COMMIT])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(io)?;
    let stdout = archive.stdout.take().ok_or("git archive gave no output")?;
    let unpacked = Command::new("tar")
        .current_dir(&partial)
        .arg("-x")
        .stdin(stdout)
        .status()
        .map_err(|error| format!("tar is not available ({error})"))?;
    let archived = archive.wait().map_err(io)?;
    if !(archived.success() && unpacked.success()) {
        return Err(format!("`git archive {COMMIT} | tar -x` failed"));
    }
    std::fs::rename(&partial, tree).map_err(io)
}

/// Makes the baseline's crate a member of its tree's workspace, so that cargo accepts it.
fn add_member(tree: &Path) -> Result<(), String> {
    let manifest = tree.join("Cargo.toml");
    let io = |error: std::io::Error| format!("error: {}: {error}", manifest.display());
    let text = std::fs::read_to_string(&manifest).map_err(io)?;
    let entry = format!("\"{MEMBER}\"");
    if text.contains(&entry) {
        return Ok(());
    }
    let Some(members) = text.find("members = [") else {
        return Err(format!("error: {}: no `members`", manifest.display()));
    };
    let at = members + "members = [".len();
    let text = format!("{}\n    {entry},{}", &text[..at], &text[at..]);
    std::fs::write(&manifest, text).map_err(io)
}
