//! HTML for the pages a plugin serves itself (a pop-up step's content): escaping that is on by
//! default, so that what an installer or a query string sends is shown as text, never run.
//!
//! ```
//! use envoy_plugin::html::{escape, page};
//! let state = r#""><script>alert(1)</script>"#;
//! let body = format!(r#"<input type="hidden" name="state" value="{}">"#, escape(state));
//! assert_eq!(
//!     body,
//!     r#"<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">"#
//! );
//! let response = page("Pair a kiosk", &body);
//! assert_eq!(response.headers().get("content-type").unwrap(), "text/html; charset=utf-8");
//! ```

use std::fmt;

use actix_web::HttpResponse;

/// `text`, escaped for HTML text and quoted attribute values when displayed: `&`, `<`, `>`, `"`
/// and `'` become entities. Displaying it writes the escaped text without allocating.
pub fn escape(text: &str) -> Escaped<'_> {
    Escaped(text)
}

/// Text that displays HTML-escaped (see [`escape`]).
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// A complete HTML page answered 200: `title` is escaped, `body` is HTML the caller built (with
/// [`escape`] around everything that came from outside). Scripts and other origins are refused by
/// the page's `Content-Security-Policy`, so that a value that slipped through unescaped cannot run.
pub fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'",
        ))
        .insert_header(("x-content-type-options", "nosniff"))
        .body(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
             <body>{body}</body></html>",
            escape(title)
        ))
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_every_special_character_and_leaves_the_rest() {
        assert_eq!(
            escape(r#"a&b<c>d"e'f ü"#).to_string(),
            "a&amp;b&lt;c&gt;d&quot;e&#39;f ü"
        );
        assert_eq!(escape("plain").to_string(), "plain");
        assert_eq!(escape("").to_string(), "");
    }
}
