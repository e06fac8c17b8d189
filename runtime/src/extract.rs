//! How a worker's arguments are made from a verified, decoded request.

use std::any::TypeId;
use std::sync::Arc;

use actix_web::HttpRequest;
use serde::de::DeserializeOwned;

use crate::context::PluginContext;
use crate::decode::decode_value;
use crate::events::Event;
use crate::model::{Entry, EventMeta, Invite, Location, PlatformObject};
use crate::{Job, PluginError};

/// A decoded event request, from which a worker's arguments are taken one by one.
pub struct EventParts<Ev: Event> {
    pub(crate) meta: Arc<EventMeta>,
    pub(crate) payload: PayloadSlot<Ev::Payload>,
    pub(crate) request: HttpRequest,
    pub(crate) context: Option<actix_web::web::Data<PluginContext>>,
}

/// The request's `payload`, as the worker's arguments need it.
pub(crate) enum PayloadSlot<P> {
    /// Decoded with the request: one of the arguments is the typed payload.
    Decoded(P),
    /// Kept as its JSON: no argument is the typed payload (a [`PayloadView`] decodes its own
    /// type from it).
    Raw(Box<serde_json::value::RawValue>),
    /// Taken by an argument already.
    Taken,
}

impl<Ev: Event> EventParts<Ev> {
    /// Parts from a request's meta and payload.
    pub fn new(meta: EventMeta, payload: Ev::Payload, request: HttpRequest) -> Self {
        let context = request
            .app_data::<actix_web::web::Data<PluginContext>>()
            .cloned();
        EventParts::with_context(meta, PayloadSlot::Decoded(payload), request, context)
    }

    /// Parts with the plugin's context already looked up.
    pub(crate) fn with_context(
        meta: EventMeta,
        payload: PayloadSlot<Ev::Payload>,
        request: HttpRequest,
        context: Option<actix_web::web::Data<PluginContext>>,
    ) -> Self {
        EventParts {
            meta: Arc::new(meta),
            payload,
            request,
            context,
        }
    }

    /// The request's meta.
    pub fn meta(&self) -> &EventMeta {
        &self.meta
    }
}

/// A config type read by a worker: checked against the plugin's declared config when the plugin is
/// registered, so a worker cannot silently read a different shape than the setup steps save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigType {
    /// The type's id.
    pub id: TypeId,
    /// The type's name, for messages.
    pub name: &'static str,
}

impl ConfigType {
    /// The entry for `C`.
    pub fn of<C: 'static>() -> Self {
        ConfigType {
            id: TypeId::of::<C>(),
            name: std::any::type_name::<C>(),
        }
    }
}

/// A type a worker for the event `Ev` can take as an argument.
///
/// Implemented for the event's payload type, [`PayloadView`], [`Job`], [`EventMeta`] and
/// actix-web's [`HttpRequest`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an argument of a worker for `{Ev}`",
    label = "not provided to `{Ev}` workers",
    note = "a worker takes its event's payload (`Entry` for entry events, `Invite` for invite events, `Location` for `location_capacity_updated`, `PlatformObject` for the others) or a `PayloadView<YourType>` of it, `Job<Config>`, `EventMeta` or `HttpRequest`"
)]
pub trait FromEvent<Ev: Event>: Sized {
    /// Takes this argument from the request.
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError>;

    /// The install config type this argument reads, if it reads one.
    fn config_type() -> Option<ConfigType> {
        None
    }

    /// The user scopes this argument calls the user API with, if it does (`UserApi<S>`): checked
    /// against the plugin's declared `user_scopes` before the server starts.
    fn user_scopes() -> Option<crate::user_api::ScopeSetInfo> {
        None
    }

    /// Whether this argument is the event's typed payload (or otherwise takes it with
    /// [`take_payload`]). The payload is decoded with the request only for a worker with such an
    /// argument; for the others it is kept as its JSON, and a [`PayloadView`] decodes just what it
    /// names.
    const READS_PAYLOAD: bool = false;
}

/// Takes the payload out of the parts: the `FromEvent` impl of each event's payload type (made next
/// to the event markers, one per event, so that a payload of the wrong type for an event is reported
/// as such) calls this.
pub fn take_payload<Ev: Event>(parts: &mut EventParts<Ev>) -> Result<Ev::Payload, PluginError> {
    match std::mem::replace(&mut parts.payload, PayloadSlot::Taken) {
        PayloadSlot::Decoded(payload) => Ok(payload),
        // An argument whose `READS_PAYLOAD` says otherwise: decoded now, with the same errors.
        PayloadSlot::Raw(raw) => crate::decode::decode_raw(raw.get(), "payload"),
        PayloadSlot::Taken => Err(taken_twice::<Ev>()),
    }
}

/// The error of a second argument taking the payload.
fn taken_twice<Ev: Event>() -> PluginError {
    PluginError::msg(format!(
        "a worker for `{}` can take its payload once",
        Ev::NAME
    ))
}

impl<Ev: Event, C: DeserializeOwned + 'static> FromEvent<Ev> for Job<C> {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        let empty = serde_json::Value::Object(Default::default());
        // A config the platform sends as `null` reads as `{}`, like a missing one.
        let config = match &parts.meta.config {
            serde_json::Value::Null => &empty,
            config => config,
        };
        let config = decode_value::<C>(config, "meta.config")?;
        let job = Job::new(parts.meta.clone(), config);
        Ok(match &parts.context {
            Some(context) => job.with_platform(context.api.clone(), context.handles.clone()),
            None => job,
        })
    }

    fn config_type() -> Option<ConfigType> {
        Some(ConfigType::of::<C>())
    }
}

impl<Ev: Event> FromEvent<Ev> for EventMeta {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        Ok((*parts.meta).clone())
    }
}

impl<Ev: Event> FromEvent<Ev> for HttpRequest {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        Ok(parts.request.clone())
    }
}

/// For each event, its payload type is an argument a worker of that event can take. (The list
/// names the payload types as both modules import them.)
macro_rules! payload_arguments {
    ($($(#[$doc:meta])* $name:ident => $payload:ty;)*) => {
        $(
            impl FromEvent<crate::events::$name> for $payload {
                fn from_event(
                    parts: &mut EventParts<crate::events::$name>,
                ) -> Result<Self, PluginError> {
                    take_payload(parts)
                }

                const READS_PAYLOAD: bool = true;
            }
        )*
    };
}

crate::events::event_list!(payload_arguments);

/// The event's payload decoded as your own type `V`, holding only the fields the worker reads.
///
/// The framework's payload models (`Entry`, `Invite`, ...) decode every attribute and relationship
/// into owned strings, ids and timestamps. A worker that reads two fields of a busy event can name
/// them in a struct of its own instead: the payload is then kept as its JSON with the request, and
/// decoded once, into `V` only. Keys `V` does not name are skipped, as serde skips them. A payload
/// that does not decode into `V` is answered 400, naming the field (`payload.attributes.full-name`).
///
/// ```
/// use envoy_plugin::prelude::*;
/// use envoy_plugin::PayloadView;
///
/// /// What the worker reads of an `entry_sign_in` payload.
/// #[derive(Deserialize)]
/// struct Arrival {
///     attributes: ArrivalAttributes,
/// }
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "kebab-case")]
/// struct ArrivalAttributes {
///     full_name: String,
///     host: Option<String>,
/// }
///
/// #[event("entry_sign_in")]
/// async fn welcome(arrival: PayloadView<Arrival>) -> JobResult {
///     let visitor = &arrival.attributes;
///     let host = visitor.host.as_deref().unwrap_or("nobody");
///     Ok(Outcome::done(format!("{} is visiting {host}", visitor.full_name)))
/// }
/// # plugin! { Views { name: "Views", events: [welcome] } }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadView<V>(pub V);

impl<V> std::ops::Deref for PayloadView<V> {
    type Target = V;
    fn deref(&self) -> &V {
        &self.0
    }
}

impl<V> PayloadView<V> {
    /// The decoded view.
    pub fn into_inner(self) -> V {
        self.0
    }
}

impl<Ev: Event, V: DeserializeOwned> FromEvent<Ev> for PayloadView<V> {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        let view = match std::mem::replace(&mut parts.payload, PayloadSlot::Taken) {
            PayloadSlot::Raw(raw) => crate::decode::decode_raw(raw.get(), "payload")?,
            // Parts made from a typed payload (tests, hand-made parts): the view is read from its
            // encoding.
            PayloadSlot::Decoded(payload) => {
                let encoded = serde_json::to_string(&payload).map_err(|err| {
                    PluginError::msg(format!("the payload cannot be encoded: {err}"))
                })?;
                crate::decode::decode_raw(&encoded, "payload")?
            }
            PayloadSlot::Taken => return Err(taken_twice::<Ev>()),
        };
        Ok(PayloadView(view))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::entry_sign_in;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Name {
        attributes: NameAttributes,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    struct NameAttributes {
        full_name: String,
    }

    fn meta() -> EventMeta {
        serde_json::from_value(serde_json::json!({
            "event": "entry_sign_in", "plugin_id": "p", "install_id": 1, "job": {"id": "j"}
        }))
        .unwrap()
    }

    #[test]
    fn a_view_of_parts_made_from_a_typed_payload_reads_its_encoding_once() {
        let entry = Entry::new(7, crate::EntryAttributes::new("Ada Lovelace"));
        let request = actix_web::test::TestRequest::default().to_http_request();
        let mut parts = EventParts::<entry_sign_in>::new(meta(), entry, request);
        let view = PayloadView::<Name>::from_event(&mut parts).unwrap();
        assert_eq!(view.attributes.full_name, "Ada Lovelace");
        let again = PayloadView::<Name>::from_event(&mut parts).unwrap_err();
        assert!(
            again.message().contains("can take its payload once"),
            "{}",
            again.message()
        );
    }

    #[test]
    fn a_raw_payload_taken_as_the_typed_payload_is_decoded_with_the_bodys_errors() {
        let request = actix_web::test::TestRequest::default().to_http_request();
        let raw = serde_json::value::RawValue::from_string(r#"{"id": 7, "attributes": {}}"#.into())
            .unwrap();
        let mut parts =
            EventParts::<entry_sign_in>::with_context(meta(), PayloadSlot::Raw(raw), request, None);
        let err = take_payload(&mut parts).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::MissingProperty);
        assert_eq!(
            err.message(),
            "missing field `payload.attributes.full-name`"
        );
    }
}
