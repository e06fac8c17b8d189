//! `X-Envoy-Signature`: Base64(HMAC-SHA256(key = client secret, message = the raw body)).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::{ErrorKind, PluginError, Secret};

/// The header the platform signs every request with.
pub const SIGNATURE_HEADER: &str = "X-Envoy-Signature";

/// Checks request signatures against the client secret.
///
/// The HMAC is keyed once, when the verifier is built, and cloned per request; the comparison is done
/// in constant time by the `hmac` crate.
///
/// ```
/// use envoy_plugin::{Secret, SignatureVerifier};
/// let verifier = SignatureVerifier::new(&Secret::new("s3cret"));
/// let body = br#"{"meta":{}}"#;
/// let signature = envoy_plugin::sign(&Secret::new("s3cret"), body);
/// assert!(verifier.verify(body, Some(signature.as_bytes())).is_ok());
/// assert!(verifier.verify(b"{}", Some(signature.as_bytes())).is_err());
/// ```
#[derive(Clone)]
pub struct SignatureVerifier {
    /// The current secret's HMAC first, then the previous one's during a rotation.
    keyed: Vec<Hmac<Sha256>>,
}

impl std::fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignatureVerifier { key: [redacted] }")
    }
}

/// The length of an HMAC-SHA256 tag: a signature header that does not decode to this many bytes
/// can never match, and is refused before the body is read.
const TAG_LEN: usize = 32;

/// A signature header's tag, decoded and of the right length, waiting for the body it signs.
#[derive(Clone, Copy)]
pub(crate) struct Tag([u8; TAG_LEN]);

impl SignatureVerifier {
    /// A verifier for signatures made with `secret`.
    ///
    /// # Panics
    /// When `secret` is empty: anyone can compute a signature with an empty key. Use
    /// [`SignatureVerifier::try_new`] to get the refusal as a value.
    pub fn new(secret: &Secret) -> Self {
        match Self::try_new(secret) {
            Ok(verifier) => verifier,
            Err(err) => panic!("{err}"),
        }
    }

    /// A verifier for signatures made with `secret`, or an error when `secret` is empty (or only
    /// whitespace), as [`crate::Settings::from_env`] refuses it.
    pub fn try_new(secret: &Secret) -> Result<Self, crate::SettingsError> {
        Ok(SignatureVerifier {
            keyed: vec![keyed(non_empty(secret)?)],
        })
    }

    /// A verifier that also accepts signatures made with `previous`, while the platform rotates
    /// the client secret.
    ///
    /// # Panics
    /// When `previous` is empty, as [`SignatureVerifier::new`].
    pub fn with_previous(mut self, previous: &Secret) -> Self {
        match non_empty(previous) {
            Ok(previous) => self.keyed.push(keyed(previous)),
            Err(err) => panic!("{err}"),
        }
        self
    }

    /// Checks `signature` (the header's value, if there was one) against the raw `body`.
    ///
    /// A missing header is `CredentialsMissing`; anything else that does not match, including a value
    /// that is not Base64, is `CredentialsInvalid`. The error messages never contain the signature.
    pub fn verify(&self, body: &[u8], signature: Option<&[u8]>) -> Result<(), PluginError> {
        self.verify_tag(body, &self.tag_of(signature)?)
    }

    /// The tag of a signature header, checked before the body is read: it must be present
    /// (`CredentialsMissing`) and decode from Base64 to a tag of HMAC-SHA256's length
    /// (`CredentialsInvalid`), or no body could match it.
    pub(crate) fn tag_of(&self, signature: Option<&[u8]>) -> Result<Tag, PluginError> {
        let Some(signature) = signature else {
            return Err(PluginError::new(
                ErrorKind::CredentialsMissing,
                format!("missing {SIGNATURE_HEADER} header: every request must be signed"),
            ));
        };
        let mut tag = [0u8; TAG_LEN];
        // `decode_slice` refuses input that decodes to more than the buffer holds, so a long
        // header costs no allocation; a short one leaves `len` under the tag's length.
        match STANDARD.decode_slice(signature.trim_ascii(), &mut tag) {
            Ok(TAG_LEN) => Ok(Tag(tag)),
            _ => Err(invalid()),
        }
    }

    /// Checks a tag against the raw `body`, with every key (no early exit), each comparison in
    /// constant time.
    pub(crate) fn verify_tag(&self, body: &[u8], tag: &Tag) -> Result<(), PluginError> {
        let matches = self
            .keyed
            .iter()
            .map(|key| {
                let mut mac = key.clone();
                mac.update(body);
                mac.verify_slice(&tag.0).is_ok()
            })
            .fold(false, |any, ok| any | ok);
        if matches { Ok(()) } else { Err(invalid()) }
    }
}

fn invalid() -> PluginError {
    PluginError::new(
        ErrorKind::CredentialsInvalid,
        format!("invalid {SIGNATURE_HEADER}: it does not match the body"),
    )
}

/// `secret`, unless it is empty or only whitespace.
fn non_empty(secret: &Secret) -> Result<&Secret, crate::SettingsError> {
    if secret.expose().trim().is_empty() {
        Err(crate::SettingsError::Missing("ENVOY_CLIENT_SECRET"))
    } else {
        Ok(secret)
    }
}

fn keyed(secret: &Secret) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes a key of any length")
}

/// Signs `body` the way the platform does: Base64(HMAC-SHA256(secret, body)).
///
/// For clients of a plugin (tests, local tools); the plugin itself only verifies.
pub fn sign(secret: &Secret, body: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = sign(&Secret::new("Jefe"), b"what do ya want for nothing?");
        assert_eq!(sig, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    }

    #[test]
    fn rejects_missing_garbage_and_truncated_signatures() {
        let v = SignatureVerifier::new(&Secret::new("k"));
        let good = sign(&Secret::new("k"), b"body");
        assert_eq!(
            v.verify(b"body", None).unwrap_err().kind(),
            ErrorKind::CredentialsMissing
        );
        for bad in ["", "not base64!", &good[..good.len() - 4]] {
            assert_eq!(
                v.verify(b"body", Some(bad.as_bytes())).unwrap_err().kind(),
                ErrorKind::CredentialsInvalid
            );
        }
        assert!(v.verify(b"body", Some(good.as_bytes())).is_ok());
    }

    #[test]
    fn during_a_rotation_both_secrets_verify_and_a_third_does_not() {
        let v = SignatureVerifier::new(&Secret::new("new")).with_previous(&Secret::new("old"));
        for secret in ["new", "old"] {
            let sig = sign(&Secret::new(secret), b"body");
            assert!(v.verify(b"body", Some(sig.as_bytes())).is_ok(), "{secret}");
        }
        let third = sign(&Secret::new("other"), b"body");
        assert!(v.verify(b"body", Some(third.as_bytes())).is_err());
    }
}
