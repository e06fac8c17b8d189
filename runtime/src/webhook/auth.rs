//! A webhook's authentication: an HMAC of the raw body in a header, or a bearer token, each compared
//! in constant time, with the key or token read from the environment when the webhook is registered.

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq as _;

use super::{HmacAlgorithm, HmacAuth, SignatureEncoding, WebhookAuth};
use crate::{ErrorKind, PluginError};

/// A webhook's authentication, keyed.
#[derive(Clone)]
pub(crate) enum Guard {
    Open,
    /// Boxed: a keyed SHA-512 HMAC is large, and the guard sits in every webhook's route.
    Hmac {
        auth: HmacAuth,
        key: Box<Keyed>,
    },
    /// The SHA-256 of the expected token: comparing digests of fixed length keeps the comparison's
    /// time independent of the token's length as well as of its content.
    Bearer {
        digest: [u8; 32],
    },
}

/// The HMAC, keyed once and cloned per request.
#[derive(Clone)]
pub(crate) enum Keyed {
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Guard::Open => "Guard::Open",
            Guard::Hmac { .. } => "Guard::Hmac { key: [redacted] }",
            Guard::Bearer { .. } => "Guard::Bearer { token: [redacted] }",
        })
    }
}

impl Guard {
    /// The guard of `auth`, its secret read through `lookup` (an environment variable's value by
    /// name); `Err` names the variable that is not set (or blank).
    pub(crate) fn new(
        auth: &WebhookAuth,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Guard, &'static str> {
        let secret = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty()).ok_or(name);
        Ok(match *auth {
            WebhookAuth::None => Guard::Open,
            WebhookAuth::Hmac(hmac) => {
                let key = secret(hmac.secret_env)?;
                let key = key.as_bytes();
                let keyed = match hmac.algorithm {
                    HmacAlgorithm::Sha256 => Keyed::Sha256(hmac_key(key)),
                    HmacAlgorithm::Sha384 => Keyed::Sha384(hmac_key(key)),
                    HmacAlgorithm::Sha512 => Keyed::Sha512(hmac_key(key)),
                };
                Guard::Hmac {
                    auth: hmac,
                    key: Box::new(keyed),
                }
            }
            WebhookAuth::Bearer { env } => Guard::Bearer {
                digest: Sha256::digest(secret(env)?.as_bytes()).into(),
            },
        })
    }

    /// What can be checked before the body is read: the credentials are present (401000), and a
    /// bearer token is the right one (401001).
    pub(crate) fn check_headers(&self, req: &HttpRequest) -> Result<(), PluginError> {
        match self {
            Guard::Open => Ok(()),
            Guard::Hmac { auth, .. } => match req.headers().get(auth.header) {
                Some(_) => Ok(()),
                None => Err(missing(&format!("missing {} header", auth.header))),
            },
            Guard::Bearer { digest } => {
                let value = req
                    .headers()
                    .get(header::AUTHORIZATION)
                    .ok_or_else(|| missing("missing Authorization header"))?;
                let token = value
                    .as_bytes()
                    .strip_prefix(b"Bearer ")
                    .or_else(|| value.as_bytes().strip_prefix(b"bearer "))
                    .ok_or_else(|| invalid("the Authorization header is not `Bearer <token>`"))?;
                let given: [u8; 32] = Sha256::digest(token.trim_ascii()).into();
                if bool::from(given.ct_eq(digest)) {
                    Ok(())
                } else {
                    Err(invalid("invalid bearer token"))
                }
            }
        }
    }

    /// The HMAC of the raw `body` matches its header (401001); nothing to check for the others.
    pub(crate) fn check_body(&self, req: &HttpRequest, body: &[u8]) -> Result<(), PluginError> {
        let Guard::Hmac { auth, key } = self else {
            return Ok(());
        };
        let wrong = || {
            invalid(&format!(
                "invalid {}: it does not match the body",
                auth.header
            ))
        };
        let value = req
            .headers()
            .get(auth.header)
            .ok_or_else(|| missing(&format!("missing {} header", auth.header)))?
            .as_bytes()
            .trim_ascii();
        let encoded = value
            .strip_prefix(auth.prefix.as_bytes())
            .ok_or_else(wrong)?;
        let tag = match auth.encoding {
            SignatureEncoding::Hex => decode_hex(encoded),
            SignatureEncoding::Base64 => STANDARD.decode(encoded).ok(),
        }
        .ok_or_else(wrong)?;
        // `verify_slice` compares in constant time.
        let matches = match key.as_ref() {
            Keyed::Sha256(mac) => verify(mac.clone(), body, &tag),
            Keyed::Sha384(mac) => verify(mac.clone(), body, &tag),
            Keyed::Sha512(mac) => verify(mac.clone(), body, &tag),
        };
        if matches { Ok(()) } else { Err(wrong()) }
    }
}

fn hmac_key<M: KeyInit>(key: &[u8]) -> M {
    M::new_from_slice(key).expect("HMAC takes a key of any length")
}

fn verify<M: Mac>(mut mac: M, body: &[u8], tag: &[u8]) -> bool {
    mac.update(body);
    mac.verify_slice(tag).is_ok()
}

fn missing(message: &str) -> PluginError {
    PluginError::new(ErrorKind::CredentialsMissing, message)
}

fn invalid(message: &str) -> PluginError {
    PluginError::new(ErrorKind::CredentialsInvalid, message)
}

/// Hexadecimal, either case, to bytes; `None` for an odd length or a non-hex digit.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decoding() {
        assert_eq!(decode_hex(b"00ffA0"), Some(vec![0, 255, 160]));
        assert_eq!(decode_hex(b"abc"), None);
        assert_eq!(decode_hex(b"zz"), None);
    }

    #[test]
    fn a_missing_or_blank_secret_names_its_variable() {
        let auth = WebhookAuth::Bearer { env: "TOKEN_VAR" };
        assert_eq!(Guard::new(&auth, |_| None).unwrap_err(), "TOKEN_VAR");
        assert_eq!(
            Guard::new(&auth, |_| Some("  ".into())).unwrap_err(),
            "TOKEN_VAR"
        );
        assert!(Guard::new(&WebhookAuth::None, |_| None).is_ok());
    }
}
