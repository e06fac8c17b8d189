//! The content of a pop-up step: opened in the installer's browser with a `state`, it sends the
//! installer back to the platform's callback URL with that state and the values to save.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Deserialize;

/// The query a pop-up's content URL is opened with: the platform's `state`, and anything else.
#[derive(Debug, Clone, Deserialize)]
pub struct PopupRequest {
    /// The state to send back, so the platform knows which install the values belong to.
    pub state: String,
    /// Other query parameters.
    #[serde(flatten)]
    pub query: std::collections::BTreeMap<String, String>,
}

impl PopupRequest {
    /// Ends the pop-up: redirects to `callback_url` (shown in the Dev Dashboard for the step) with
    /// the same `state` and `values` as query parameters, which closes the pop-up and completes the
    /// step.
    ///
    /// ```
    /// use envoy_plugin::setup::PopupRequest;
    /// let req = PopupRequest { state: "s 1".into(), query: Default::default() };
    /// let res = req.complete("https://app.envoy.com/callback", &[("printer_id", "P&7")]);
    /// assert_eq!(res.status().as_u16(), 302);
    /// assert_eq!(res.headers().get("location").unwrap(),
    ///            "https://app.envoy.com/callback?state=s+1&printer_id=P%267");
    /// ```
    pub fn complete(&self, callback_url: &str, values: &[(&str, &str)]) -> HttpResponse {
        let mut query: Vec<(&str, &str)> = vec![("state", &self.state)];
        query.extend_from_slice(values);
        let query = serde_urlencoded::to_string(&query).unwrap_or_default();
        let separator = if callback_url.contains('?') { '&' } else { '?' };
        HttpResponse::Found()
            .insert_header((
                header::LOCATION,
                format!("{callback_url}{separator}{query}"),
            ))
            .finish()
    }
}
