//! "Did you mean": the closest known name to a misspelt one.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `; did you mean `x`?` or nothing.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// `` `a`, `b`, `c` ``: names as a message lists them.
pub fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "unknown <noun> `name`: <takes> `a`, `b`; did you mean `a`?": the one message for a misspelt
/// argument, setting or key. Returned as text, so each caller puts it on its own span.
pub fn unknown_message(noun: &str, name: &str, takes: &str, known: &[&str]) -> String {
    format!(
        "unknown {noun} `{name}`: {takes} {}{}",
        backticked(known),
        did_you_mean(name, known.iter().copied())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let events = crate::known_events::EVENTS.iter().copied();
        assert_eq!(
            closest("entry_signin", events.clone()),
            Some("entry_sign_in")
        );
        assert_eq!(
            closest("invite_create", events.clone()),
            Some("invite_created")
        );
        assert_eq!(closest("zzz", events), None);
    }
}
