//! The manifest as a checklist a person follows in the Dev Dashboard, section by section.

use std::fmt::Write as _;

use super::{FieldEntry, Manifest, StepEntry};

/// The manifest as Markdown: one checkbox per thing to enter, in the order of the Dev Dashboard.
pub fn to_markdown(manifest: &Manifest) -> String {
    let mut out = String::new();
    let m = manifest;
    let _ = writeln!(out, "# {}: Dev Dashboard checklist\n", m.details.name);
    let _ = writeln!(
        out,
        "Every URL below starts with `{}`. Enter each item in the section of the same name.\n",
        m.base_url
    );

    let _ = writeln!(out, "## 1. Details\n");
    let _ = writeln!(out, "- [ ] Name: `{}`", m.details.name);
    if !m.details.description.is_empty() {
        let _ = writeln!(out, "- [ ] Description: {}", m.details.description);
    }
    let _ = writeln!(
        out,
        "- [ ] Leave \"live\" unchecked until the API credentials are set (section 4)\n"
    );

    let _ = writeln!(out, "## 2. Events\n");
    if m.events.is_empty() {
        let _ = writeln!(out, "No events.");
    }
    for e in &m.events {
        let _ = writeln!(
            out,
            "- [ ] `{}`: worker URL `{}` (worker `{}`)",
            e.event, e.url, e.worker
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 3. Setup steps\n");
    if m.setup_steps.is_empty() {
        let _ = writeln!(out, "No setup steps.\n");
    }
    for (i, step) in m.setup_steps.iter().enumerate() {
        write_step(&mut out, i + 1, step);
    }

    let _ = writeln!(out, "## 4. API credentials\n");
    let _ = writeln!(
        out,
        "- [ ] Save once, then copy the Client ID into `{}` and the Client Secret into `{}` where the plugin runs (or its `.env`)",
        m.api_credentials.variables[0], m.api_credentials.variables[1]
    );
    if !m.user_scopes.is_empty() {
        let scopes: Vec<String> = m.user_scopes.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(
            out,
            "- [ ] User scopes (the plugin acts as the installer): {}",
            scopes.join(", ")
        );
    }
    let _ = writeln!(out, "- [ ] Restart the plugin, then check \"live\"\n");

    let _ = writeln!(out, "## Every URL the plugin serves\n");
    let _ = writeln!(out, "| kind | handler | URL |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for e in &m.events {
        let _ = writeln!(
            out,
            "| worker (`{}`) | `{}` | `{}` |",
            e.event, e.worker, e.url
        );
    }
    for r in &m.routes {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` |",
            r.kind.replace('_', " "),
            r.name,
            r.url
        );
    }
    out
}

fn write_step(out: &mut String, number: usize, step: &StepEntry) {
    match step {
        StepEntry::Form {
            title,
            name,
            validation_url,
            fields,
        } => {
            let _ = writeln!(out, "### Step {number}: {title} (form, `{name}`)\n");
            let _ = writeln!(out, "- [ ] Type: Form; title `{title}`");
            match validation_url {
                Some(url) => {
                    let _ = writeln!(out, "- [ ] Validation URL: `{url}`");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "- [ ] Validation URL: none (values are saved as entered)"
                    );
                }
            }
            let _ = writeln!(out, "- [ ] Fields, in this order:");
            for (i, field) in fields.iter().enumerate() {
                let _ = writeln!(out, "  {}. [ ] {}", i + 1, describe_field(field));
            }
            let _ = writeln!(out);
        }
        StepEntry::OAuth2 {
            title,
            name,
            authorize_url,
            token_url,
            scopes,
            client_id_variable,
            client_secret_variable,
            validation_url,
        } => {
            let _ = writeln!(out, "### Step {number}: {title} (OAuth2, `{name}`)\n");
            let _ = writeln!(out, "- [ ] Type: OAuth2; title `{title}`");
            let _ = writeln!(out, "- [ ] Authorization URL: `{authorize_url}`");
            let _ = writeln!(out, "- [ ] Token URL: `{token_url}`");
            if !scopes.is_empty() {
                let _ = writeln!(out, "- [ ] Scopes: `{}`", scopes.join(" "));
            }
            let _ = writeln!(
                out,
                "- [ ] Client id and secret: the provider's, also set as `{client_id_variable}` and `{client_secret_variable}` where the plugin runs"
            );
            if let Some(url) = validation_url {
                let _ = writeln!(out, "- [ ] Validation URL: `{url}`");
            }
            let _ = writeln!(
                out,
                "- [ ] Register the Callback URL the builder shows as a redirect_uri with the provider\n"
            );
        }
        StepEntry::Popup {
            title,
            name,
            content_url,
            validation_url,
        } => {
            let _ = writeln!(out, "### Step {number}: {title} (pop-up, `{name}`)\n");
            let _ = writeln!(out, "- [ ] Type: Pop-up; title `{title}`");
            let _ = writeln!(out, "- [ ] Content URL: `{content_url}`");
            if let Some(url) = validation_url {
                let _ = writeln!(out, "- [ ] Validation URL: `{url}`");
            }
            let _ = writeln!(
                out,
                "- [ ] Note the Callback URL the builder shows: the pop-up sends the installer back there\n"
            );
        }
    }
}

fn describe_field(field: &FieldEntry) -> String {
    let mut parts = vec![format!("type `{}`", field.kind)];
    if !field.key.is_empty() {
        parts.push(format!("key `{}`", field.key));
    }
    if !field.label.is_empty() {
        parts.push(format!("label \"{}\"", field.label));
    }
    parts.extend(settings(field));
    parts.join(", ")
}

fn settings(field: &FieldEntry) -> Vec<String> {
    let mut parts = Vec::new();
    if field.required {
        parts.push("required".to_owned());
    }
    if let Some(p) = field.placeholder {
        parts.push(format!("placeholder \"{p}\""));
    }
    if let Some(t) = field.text {
        parts.push(format!("text \"{t}\""));
    }
    if let Some(u) = field.url {
        let target = field.opens_in.map_or("tab", |t| t.as_str());
        parts.push(format!("URL `{u}` opening in a {target}"));
    }
    if let Some(u) = &field.options_url {
        parts.push(format!("options URL `{u}`"));
    }
    for (flag, on) in [
        ("searchable", field.searchable),
        ("paginated", field.paginated),
        ("cursor pagination", field.cursor),
        ("multiple", field.multiple),
    ] {
        if on {
            parts.push(flag.to_owned());
        }
    }
    if let Some(u) = &field.selected_values_url {
        parts.push(format!("selected values URL `{u}`"));
    }
    if let Some(r) = field.resource {
        parts.push(format!("resource `{r}`"));
    }
    if let Some(to) = &field.mapping_to {
        let mut right = vec![format!("type `{}`", to.kind)];
        right.extend(settings(to));
        parts.push(format!("right side: {}", right.join(", ")));
    }
    parts
}
