//! `SignatureVerifier::verify` and `envoy_plugin::sign` on an arbitrary (secret, body, header):
//!
//! - `sign` is Base64(HMAC-SHA256(secret, body)), as computed here independently;
//! - the exact signature is accepted, a missing one is `CredentialsMissing`;
//! - a header is accepted only when it is the exact signature (surrounding ASCII whitespace aside,
//!   which HTTP strips anyway): an arbitrary header, and the real signature changed as the input
//!   says (a byte flipped, inserted or removed, truncated, padded, case changed, another body's or
//!   another secret's signature);
//! - during a rotation both secrets' signatures are accepted and nothing else;
//! - a blank secret is refused.
//!
//! A fuzzer cannot guess an HMAC, which is why most headers tried are edits of the real one.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use envoy_plugin::{ErrorKind, Secret, SignatureVerifier, sign};
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

fuzz_target!(|data: &[u8]| {
    let _ = check(Unstructured::new(data));
});

/// Base64(HMAC-SHA256(secret, body)), without the framework.
fn reference(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `verifier` takes `header` for `body`.
fn accepts(verifier: &SignatureVerifier, body: &[u8], header: &[u8]) -> bool {
    match verifier.verify(body, Some(header)) {
        Ok(()) => true,
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::CredentialsInvalid, "{err:?}");
            // One fixed message: the header is never echoed.
            assert_eq!(
                err.message(),
                "invalid X-Envoy-Signature: it does not match the body"
            );
            false
        }
    }
}

fn check(mut u: Unstructured<'_>) -> Result<()> {
    let secret: &str = u.arbitrary()?;
    let previous: &str = u.arbitrary()?;
    let edit: u8 = u.arbitrary()?;
    let at: usize = u.arbitrary()?;
    let byte: u8 = u.arbitrary()?;
    let header: &[u8] = u.arbitrary()?;
    let body = u.take_rest();

    let good = sign(&Secret::new(secret), body);
    assert_eq!(
        good,
        reference(secret, body),
        "sign() is not Base64(HMAC-SHA256)"
    );

    // An empty (or blank) secret is refused: anyone could sign with it.
    let Ok(verifier) = SignatureVerifier::try_new(&Secret::new(secret)) else {
        assert!(secret.trim().is_empty(), "a non-blank secret was refused");
        return Ok(());
    };
    assert!(
        accepts(&verifier, body, good.as_bytes()),
        "the exact signature is refused"
    );
    let missing = verifier
        .verify(body, None)
        .expect_err("no signature accepted");
    assert_eq!(missing.kind(), ErrorKind::CredentialsMissing);

    // An arbitrary header.
    let exact = |candidate: &[u8]| candidate.trim_ascii() == good.as_bytes();
    assert_eq!(
        accepts(&verifier, body, header),
        exact(header),
        "header {header:?} for signature {good}"
    );

    // The real signature, edited.
    let mut edited = good.clone().into_bytes();
    let i = at % edited.len();
    match edit % 10 {
        0 => edited[i] ^= byte.max(1),
        1 => edited.insert(i, byte),
        2 => {
            edited.remove(i);
        }
        3 => edited.truncate(i),
        4 => edited.push(byte),
        5 => edited.make_ascii_lowercase(),
        6 => edited.retain(|&c| c != b'='),
        7 => {
            // Another body's signature: the body with one more byte.
            let mut other = body.to_vec();
            other.push(byte);
            edited = sign(&Secret::new(secret), &other).into_bytes();
        }
        8 => {
            // Another secret's signature.
            let mut other = secret.to_owned();
            other.push(char::from(byte));
            edited = sign(&Secret::new(other), body).into_bytes();
        }
        _ => {
            // Surrounding whitespace is not part of the value (HTTP strips it).
            edited.insert(0, b' ');
            edited.push(b'\t');
        }
    }
    assert_eq!(
        accepts(&verifier, body, &edited),
        exact(&edited),
        "edit {} of {good} to {:?}",
        edit % 10,
        String::from_utf8_lossy(&edited)
    );

    // A rotation: the current and the previous secret, nothing else.
    if previous.trim().is_empty() {
        return Ok(());
    }
    let old = sign(&Secret::new(previous), body);
    let rotating =
        SignatureVerifier::new(&Secret::new(secret)).with_previous(&Secret::new(previous));
    assert!(accepts(&rotating, body, good.as_bytes()));
    assert!(accepts(&rotating, body, old.as_bytes()));
    for candidate in [header, &edited[..]] {
        let expected = exact(candidate) || candidate.trim_ascii() == old.as_bytes();
        assert_eq!(
            accepts(&rotating, body, candidate),
            expected,
            "{candidate:?}"
        );
    }
    Ok(())
}
