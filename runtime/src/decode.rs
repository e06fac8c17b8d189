//! Decoding a verified body into typed structs, with errors that name the field's path.

use serde::de::DeserializeOwned;

use crate::{ErrorKind, PluginError};

/// Decodes `bytes` as `T`.
///
/// The fast path is a plain `serde_json` decode; only when it fails is the body decoded again with
/// path tracking, so that the error names the field (`payload.attributes.signed-in-at`) without the
/// bookkeeping slowing every good request down.
pub(crate) fn decode_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PluginError> {
    guarded(|| decode_tracked(bytes, true))
}

/// Decodes a webhook's body as its payload type `T`: the whole body is the payload, so an empty
/// body (or `null`) is the missing payload (`MISSING_DATA` 400100), and a missing field is always
/// a missing property, whatever its name.
pub(crate) fn decode_payload<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PluginError> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() || trimmed == b"null" {
        return Err(PluginError::new(
            ErrorKind::MissingPayload,
            "no payload: the body must be a JSON payload",
        ));
    }
    guarded(|| decode_tracked(bytes, false))
}

/// `envelope`: the body is the platform's `{meta, payload}`, whose missing `payload` has a code of
/// its own.
fn decode_tracked<T: DeserializeOwned>(bytes: &[u8], envelope: bool) -> Result<T, PluginError> {
    match serde_json::from_slice::<T>(bytes) {
        Ok(value) => Ok(value),
        Err(err) if err.is_syntax() || err.is_eof() || err.is_io() => Err(malformed(bytes, &err)),
        Err(err) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(tracked) => Err(describe(
                    &tracked.path().to_string(),
                    tracked.inner(),
                    envelope,
                )),
                // Cannot happen (the same input failed above); report the untracked error.
                Ok(_) => Err(describe(".", &err, envelope)),
            }
        }
    }
}

/// Decodes an already parsed JSON value as `T`, naming fields below `prefix` (e.g. `meta.config`).
/// Like [`decode_body`], the path is only tracked once a plain decode has failed.
pub(crate) fn decode_value<T: DeserializeOwned>(
    value: &serde_json::Value,
    prefix: &str,
) -> Result<T, PluginError> {
    guarded(|| decode_value_tracked(value, prefix))
}

/// Decodes the raw JSON `text` of a part of the body (`payload`) as `T`, naming fields below
/// `prefix` as if the whole body had been decoded. Like [`decode_body`], the path is only tracked
/// once a plain decode has failed.
pub(crate) fn decode_raw<T: DeserializeOwned>(text: &str, prefix: &str) -> Result<T, PluginError> {
    guarded(|| match serde_json::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(err) => {
            let mut de = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(tracked) => Err(describe(
                    &path_below(prefix, tracked.path()),
                    tracked.inner(),
                    true,
                )),
                // Cannot happen (the same input failed above); report the untracked error.
                Ok(_) => Err(describe(prefix, &err, true)),
            }
        }
    })
}

/// Runs a decode of `T`, whose `Deserialize` impl may be the user's: a panic in it becomes a 500
/// naming the type, like a panicking handler, and never reaches the server's worker thread.
/// Catching costs nothing on the way that does not panic.
fn guarded<T>(decode: impl FnOnce() -> Result<T, PluginError>) -> Result<T, PluginError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|panic| {
        let ty = std::any::type_name::<T>();
        tracing::error!(
            r#type = ty,
            panic = crate::handler::panic_message(&*panic),
            "decoding panicked"
        );
        Err(PluginError::msg(format!("decoding `{ty}` panicked")))
    })
}

fn decode_value_tracked<T: DeserializeOwned>(
    value: &serde_json::Value,
    prefix: &str,
) -> Result<T, PluginError> {
    if let Ok(decoded) = T::deserialize(value) {
        return Ok(decoded);
    }
    serde_path_to_error::deserialize::<_, T>(value)
        .map_err(|tracked| describe(&path_below(prefix, tracked.path()), tracked.inner(), true))
}

/// The path of a field found at `path` inside the part of the body at `prefix` (`meta.config`).
fn path_below(prefix: &str, path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    if path == "." {
        prefix.to_owned()
    } else {
        format!("{prefix}.{path}")
    }
}

fn malformed(bytes: &[u8], err: &serde_json::Error) -> PluginError {
    let message = if bytes.iter().all(u8::is_ascii_whitespace) {
        "request body is empty: expected a JSON object with `meta`".to_owned()
    } else {
        format!("request body is not valid JSON: {err}")
    };
    PluginError::new(ErrorKind::MalformedJson, message)
}

/// Turns a serde error at `path` into the taxonomy: a missing field is `MISSING_DATA` (the
/// envelope's payload itself has its own code), a field the type refuses
/// (`#[serde(deny_unknown_fields)]`) `INVALID_DATA` 400201, anything else `INVALID_DATA` 400200.
fn describe(path: &str, err: &serde_json::Error, envelope: bool) -> PluginError {
    let text = strip_position(&err.to_string());
    let below = |field: &str| {
        if path == "." || path.is_empty() {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        }
    };
    if let Some(field) = quoted_after(&text, "unknown field `") {
        // serde_path_to_error's path already ends at the unknown field.
        let at = if path == field || path.ends_with(&format!(".{field}")) {
            path.to_owned()
        } else {
            below(field)
        };
        return PluginError::new(
            ErrorKind::UnknownProperty,
            format!("unknown property `{at}`"),
        );
    }
    if let Some(field) = quoted_after(&text, "missing field `") {
        let full = below(field);
        let kind = if envelope && full == "payload" {
            ErrorKind::MissingPayload
        } else {
            ErrorKind::MissingProperty
        };
        return PluginError::new(kind, format!("missing field `{full}`"));
    }
    let at = if path == "." { "the body" } else { path };
    PluginError::new(
        ErrorKind::InvalidData,
        format!("invalid value at `{at}`: {text}"),
    )
}

/// `missing field `x`` -> `x` (with `prefix` = "missing field `").
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.split('`').next()
}

/// serde_json appends " at line L column C", which says nothing to the sender once there is a path.
fn strip_position(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        meta: Inner,
        payload: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[test]
    fn names_missing_and_mistyped_fields_by_path() {
        let e = decode_body::<Outer>(br#"{"meta":{"n":1}}"#).unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::MissingPayload, "missing field `payload`")
        );
        let e = decode_body::<Outer>(br#"{"meta":{},"payload":{"n":1}}"#).unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::MissingProperty, "missing field `meta.n`")
        );
        let e = decode_body::<Outer>(br#"{"meta":{"n":1},"payload":{"n":"x"}}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidData);
        assert!(
            e.message()
                .starts_with("invalid value at `payload.n`: invalid type: string"),
            "{}",
            e.message()
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        payload: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        inner: Strict,
    }

    #[test]
    fn unknown_fields_of_a_strict_type_are_unknown_properties() {
        let e = decode_body::<Strict>(br#"{"payload":{"n":1},"extra":2}"#).unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::UnknownProperty, "unknown property `extra`")
        );
    }

    #[test]
    fn a_webhook_payload_is_the_whole_body() {
        for empty in [&b""[..], b"  \n", b"null"] {
            let e = decode_payload::<Inner>(empty).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::MissingPayload);
        }
        // A field named `payload` is an ordinary property of a webhook's payload.
        let e = decode_payload::<Strict>(b"{}").unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::MissingProperty, "missing field `payload`")
        );
        let e = decode_payload::<Nested>(br#"{"inner":{"payload":{"n":1},"m":2}}"#).unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::UnknownProperty, "unknown property `inner.m`")
        );
    }

    #[test]
    fn syntax_errors_and_empty_bodies_are_malformed() {
        assert_eq!(
            decode_body::<Outer>(b"").unwrap_err().kind(),
            ErrorKind::MalformedJson
        );
        assert_eq!(
            decode_body::<Outer>(b"{\"meta\":").unwrap_err().kind(),
            ErrorKind::MalformedJson
        );
    }
}
