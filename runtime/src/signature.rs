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

impl SignatureVerifier {
    /// A verifier for signatures made with `secret`.
    pub fn new(secret: &Secret) -> Self {
        SignatureVerifier {
            keyed: vec![keyed(secret)],
        }
    }

    /// A verifier that also accepts signatures made with `previous`, while the platform rotates
    /// the client secret.
    pub fn with_previous(mut self, previous: &Secret) -> Self {
        self.keyed.push(keyed(previous));
        self
    }

    /// Checks `signature` (the header's value, if there was one) against the raw `body`.
    ///
    /// A missing header is `CredentialsMissing`; anything else that does not match, including a value
    /// that is not Base64, is `CredentialsInvalid`. The error messages never contain the signature.
    pub fn verify(&self, body: &[u8], signature: Option<&[u8]>) -> Result<(), PluginError> {
        let Some(signature) = signature else {
            return Err(PluginError::new(
                ErrorKind::CredentialsMissing,
                format!("missing {SIGNATURE_HEADER} header: every request must be signed"),
            ));
        };
        let invalid = || {
            PluginError::new(
                ErrorKind::CredentialsInvalid,
                format!("invalid {SIGNATURE_HEADER}: it does not match the body"),
            )
        };
        let tag = STANDARD
            .decode(signature.trim_ascii())
            .map_err(|_| invalid())?;
        // Every key is tried (no early exit), each comparison in constant time.
        let matches = self
            .keyed
            .iter()
            .map(|key| {
                let mut mac = key.clone();
                mac.update(body);
                mac.verify_slice(&tag).is_ok()
            })
            .fold(false, |any, ok| any | ok);
        if matches { Ok(()) } else { Err(invalid()) }
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
