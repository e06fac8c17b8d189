//! Serde's names, not ours: the key a form field is saved under is the name serde deserializes it
//! from, after `rename` and the container's `rename_all`, computed with serde's own rules.

use syn::{Attribute, Field, LitStr, Token};

/// The container's `rename_all` (its `deserialize` rule when the two directions differ).
pub fn rename_all(attrs: &[Attribute]) -> Option<String> {
    let mut rule = None;
    each_setting(attrs, |name, meta| {
        if name == "rename_all" {
            rule = directed(meta)?;
        } else {
            skip(meta)?;
        }
        Ok(())
    });
    rule
}

/// The name serde reads the field from: its `rename` (deserialize side), else its name with the
/// container's `rename_all` applied.
pub fn field_key(field: &Field, rename_all: Option<&str>) -> String {
    let mut rename = None;
    each_setting(&field.attrs, |name, meta| {
        if name == "rename" {
            rename = directed(meta)?;
        } else {
            skip(meta)?;
        }
        Ok(())
    });
    let name = field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_owned())
        .unwrap_or_default();
    rename.unwrap_or_else(|| match rename_all {
        Some(rule) => apply(rule, &name),
        None => name,
    })
}

/// Whether serde never deserializes the field.
pub fn skipped(field: &Field) -> bool {
    let mut skipped = false;
    each_setting(&field.attrs, |name, meta| {
        skipped |= name == "skip" || name == "skip_deserializing";
        skip(meta)
    });
    skipped
}

/// Calls `each` for every setting of every `#[serde(...)]`; serde itself reports malformed ones.
fn each_setting(
    attrs: &[Attribute],
    mut each: impl FnMut(&str, &syn::meta::ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            each(&name, &meta)
        });
    }
}

/// `= "x"` or `(serialize = "a", deserialize = "b")`: the deserialize side.
fn directed(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        return Ok(Some(meta.value()?.parse::<LitStr>()?.value()));
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        let value = inner.value()?.parse::<LitStr>()?.value();
        if inner.path.is_ident("deserialize") {
            found = Some(value);
        }
        Ok(())
    })?;
    Ok(found)
}

/// Consumes a setting's value.
fn skip(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// Serde's `RenameRule::apply_to_field` for `rule` (an unknown rule leaves the name: serde reports
/// it).
pub fn apply(rule: &str, field: &str) -> String {
    let pascal = || {
        let mut pascal = String::new();
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                pascal.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                pascal.push(ch);
            }
        }
        pascal
    };
    match rule {
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => pascal,
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => field.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_every_case_style_as_serde_does() {
        let cases = [
            ("lowercase", "visitor_type"),
            ("UPPERCASE", "VISITOR_TYPE"),
            ("PascalCase", "VisitorType"),
            ("camelCase", "visitorType"),
            ("snake_case", "visitor_type"),
            ("SCREAMING_SNAKE_CASE", "VISITOR_TYPE"),
            ("kebab-case", "visitor-type"),
            ("SCREAMING-KEBAB-CASE", "VISITOR-TYPE"),
        ];
        for (rule, expected) in cases {
            assert_eq!(apply(rule, "visitor_type"), expected, "{rule}");
        }
    }

    #[test]
    fn rename_wins_over_rename_all() {
        use syn::parse::Parser;
        let field = syn::Field::parse_named
            .parse2(quote::quote! {
                #[serde(default, rename(serialize = "out", deserialize = "in"))]
                visitor_type: String
            })
            .expect("a field");
        assert_eq!(field_key(&field, Some("camelCase")), "in");
        let plain = syn::Field::parse_named
            .parse2(quote::quote!(r#type: String))
            .expect("a field");
        assert_eq!(field_key(&plain, Some("UPPERCASE")), "TYPE");
    }
}
