//! Retries of calls that are safe to repeat, shared by the platform API and the user API: on a
//! connection error, a timeout or a 5xx, up to the policy's attempts, waiting a backoff that doubles
//! each time, is jittered (so that many replicas failing together do not retry together) and is
//! bounded by [`MAX_WAIT`]. A 4xx is never retried; neither is a call that is not safe to repeat.

use std::future::Future;
use std::time::Duration;

use reqwest::Method;

use super::{ApiError, ApiPolicy};

/// The longest wait between two tries, whatever the policy's backoff and the number of tries.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(10);

/// One try of a call: `Err` is a failure that repeating cannot mend (no credentials, a token that
/// could not be had), answered at once; `Ok` is the call's own result, tried again when it is a
/// transient error and tries remain.
pub(crate) type Attempt<T> = Result<Result<T, ApiError>, ApiError>;

/// Whether a request with `method` is safe to repeat: HTTP's idempotent methods (GET, HEAD,
/// OPTIONS, PUT, DELETE). Never POST (a second create), nor PATCH (not idempotent in general).
pub(crate) fn idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
    ]
    .contains(method)
}

/// Runs `attempt` until it succeeds or fails for good: at most `policy.attempts` times when
/// `repeatable`, else once.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &ApiPolicy,
    method: &Method,
    endpoint: &str,
    repeatable: bool,
    mut attempt: F,
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let attempts = if repeatable {
        policy.attempts.max(1)
    } else {
        1
    };
    let mut tried = 0;
    loop {
        tried += 1;
        match attempt().await? {
            Err(err) if err.is_transient() && tried < attempts => {
                let wait = backoff(policy.backoff, tried, jitter());
                tracing::warn!(endpoint = %endpoint, error = %err, attempt = tried, ?wait, "platform call failed; retrying");
                crate::metrics::api_retry(method);
                tokio::time::sleep(wait).await;
            }
            result => {
                let status = match &result {
                    Ok(_) => Some(200),
                    Err(err) => err.status,
                };
                crate::metrics::api_call(method, status);
                return result;
            }
        }
    }
}

/// The wait after try number `tried` (from 1): `first` doubled for each try after the first,
/// bounded by [`MAX_WAIT`], of which a random half is taken off ("equal jitter": at least half the
/// backoff, so tries stay spaced, spread over the other half). `jitter` is in `[0, 1)`.
fn backoff(first: Duration, tried: u32, jitter: f64) -> Duration {
    let doubled = first.saturating_mul(2u32.saturating_pow(tried.saturating_sub(1)));
    let bound = doubled.min(MAX_WAIT);
    bound / 2 + (bound / 2).mul_f64(jitter.clamp(0.0, 1.0))
}

/// A random number in `[0, 1)`, from the standard library's randomly keyed hasher (a jitter needs
/// spread, not secrecy; no extra dependency).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    // The top 53 bits, as many as an f64's mantissa holds.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_is_jittered_within_its_upper_half_and_is_bounded() {
        let first = Duration::from_millis(200);
        assert_eq!(backoff(first, 1, 0.0), Duration::from_millis(100));
        assert_eq!(
            backoff(first, 1, 0.999_999),
            Duration::from_nanos(199_999_900)
        );
        assert_eq!(backoff(first, 2, 0.5), Duration::from_millis(300));
        assert_eq!(backoff(first, 3, 0.0), Duration::from_millis(400));
        // However many tries and however long the first wait, never over the bound.
        assert_eq!(backoff(first, 40, 0.0), MAX_WAIT / 2);
        assert!(backoff(Duration::from_secs(3600), 1, 0.999) <= MAX_WAIT);
        assert!(backoff(Duration::MAX, u32::MAX, 0.999) <= MAX_WAIT);
    }

    #[test]
    fn jitter_is_a_fraction_and_varies() {
        let draws: Vec<f64> = (0..64).map(|_| jitter()).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(draws.windows(2).any(|w| w[0] != w[1]), "{draws:?}");
    }

    #[test]
    fn only_idempotent_methods_are_repeated() {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            assert!(idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!idempotent(&method), "{method}");
        }
    }
}
