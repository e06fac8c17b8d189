//! What the framework checks on a submitted form step before the step's validation handler runs:
//! every required field (text, select, resource select) is present and not empty. An empty or
//! whitespace-only text, `null`, an empty list or a missing key is refused with 400 `MISSING_DATA`
//! naming the field, as the Dev Dashboard would refuse it, so that `required` means required.

use serde_json::Value;

use super::{FieldKind, StepDescription, StepKindDescription};
use crate::{ErrorKind, PluginError};

/// Checks the required fields of form step `step` in the raw request `body` (`{"payload": ...}`).
pub(crate) fn check_required(step: &StepDescription, body: &[u8]) -> Result<(), PluginError> {
    let StepKindDescription::Form { fields } = &step.kind else {
        return Ok(());
    };
    let mut required = fields.iter().filter(|field| {
        matches!(
            field.kind,
            FieldKind::Text { required: true, .. }
                | FieldKind::Select { required: true, .. }
                | FieldKind::Resource { required: true, .. }
        )
    });
    let Some(first) = required.next() else {
        return Ok(());
    };
    // Parsed again only for forms with required fields: validation routes are called rarely.
    // A body that is not JSON, or has no payload object, is left to decoding, which names that.
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return Ok(());
    };
    let Some(payload) = body.get("payload").filter(|p| p.is_object()) else {
        return Ok(());
    };
    for field in std::iter::once(first).chain(required) {
        let empty = match payload.get(field.key) {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.trim().is_empty(),
            Some(Value::Array(values)) => values.is_empty(),
            Some(_) => false,
        };
        if empty {
            return Err(PluginError::new(
                ErrorKind::MissingProperty,
                format!(
                    "{} is required (`payload.{}` is missing or empty)",
                    if field.label.is_empty() {
                        field.key
                    } else {
                        field.label
                    },
                    field.key
                ),
            ));
        }
    }
    Ok(())
}
