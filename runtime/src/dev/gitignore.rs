//! `dev`'s data directory holds secrets (the made-up credentials, the stand-in's tokens and job
//! attachments): in a git work tree it is listed in `.gitignore`, so that it is never committed.

use std::path::Path;

/// Adds `data_dir` to the `.gitignore` of the working directory when the working directory is in a
/// git work tree (a `.git` here or above) and the file does not list it yet. Answers what it did,
/// for `dev` to print.
pub(crate) fn ignore_data_dir(data_dir: &Path) -> Option<String> {
    // Only a relative directory below the working directory can be listed there.
    if data_dir.is_absolute() {
        return None;
    }
    let in_git = std::env::current_dir()
        .ok()?
        .ancestors()
        .any(|dir| dir.join(".git").exists());
    if !in_git {
        return None;
    }
    let entry = format!(
        "/{}/",
        data_dir
            .to_string_lossy()
            .trim_start_matches("./")
            .trim_end_matches('/')
    );
    let existing = std::fs::read_to_string(".gitignore").unwrap_or_default();
    let listed = existing.lines().any(|line| {
        let line = line.trim().trim_start_matches('/').trim_end_matches('/');
        line == entry.trim_matches('/')
    });
    if listed {
        return None;
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# envoy-plugin dev: credentials and the stand-in's data (secrets)\n");
    text.push_str(&entry);
    text.push('\n');
    match std::fs::write(".gitignore", text) {
        Ok(()) => Some(format!(
            "  .gitignore  now lists {entry}: it holds secrets, never commit it"
        )),
        Err(err) => Some(format!(
            "  warning: {entry} holds secrets and .gitignore could not be updated ({err}): never commit it"
        )),
    }
}
