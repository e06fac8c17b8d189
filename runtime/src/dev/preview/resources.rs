//! The Envoy resources a resource select offers. The stand-in has no company of its own, so the
//! page offers a few made-up ones of each kind, named so that nobody takes them for real data.

/// Made-up `(label, value)` pairs for a resource select of `resource`.
pub(crate) fn made_up(resource: &str) -> Vec<(String, String)> {
    let names: &[&str] = match resource {
        "locations" => &["Head office", "Harbour branch", "Hill campus"],
        "flows" => &["Visitor", "Contractor", "Interview"],
        "employees" => &["Ada Lovelace", "Grace Hopper", "Alan Turing"],
        "visitor_types" => &["Guest", "Vendor", "Delivery"],
        "zones" => &["North zone", "South zone"],
        "desks" => &["Desk 1", "Desk 2", "Desk 3"],
        "rooms" => &["Blue room", "Green room"],
        _ => &["First", "Second"],
    };
    names
        .iter()
        .enumerate()
        .map(|(i, name)| (format!("{name} (stand-in)"), (i + 1).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_resource_has_made_up_options() {
        for (name, _) in crate::setup::Resource::ALL {
            let options = super::made_up(name);
            assert!(options.len() >= 2, "{name}");
            assert!(
                options
                    .iter()
                    .all(|(label, _)| label.ends_with("(stand-in)"))
            );
        }
    }
}
