//! What options routes answer: options, and pages of options with a cursor.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One option of a select: `{"label", "value", "isDisabled"?}`.
///
/// ```
/// use envoy_plugin::SelectOption;
/// let o = SelectOption::new("Visitor", "visitor").disabled();
/// assert_eq!(serde_json::to_value(&o).unwrap(),
///            serde_json::json!({"label": "Visitor", "value": "visitor", "isDisabled": true}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectOption {
    /// What the installer sees.
    pub label: String,
    /// What is saved in the install config.
    pub value: Value,
    /// Shown, but cannot be chosen.
    #[serde(
        rename = "isDisabled",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub is_disabled: bool,
}

impl SelectOption {
    /// An option with this label and value.
    pub fn new(label: impl Into<String>, value: impl Into<Value>) -> Self {
        SelectOption {
            label: label.into(),
            value: value.into(),
            is_disabled: false,
        }
    }

    /// The same option, shown but not selectable.
    pub fn disabled(mut self) -> Self {
        self.is_disabled = true;
        self
    }
}

/// One page of a cursor-paginated select: `{"data": [options], "cursor": "..."}`. The platform sends
/// the cursor back as `meta.params.cursor` for the next page; no cursor means the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorPage {
    /// The options of this page.
    pub data: Vec<SelectOption>,
    /// Where the next page starts, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl CursorPage {
    /// A page followed by another, which starts at `cursor`.
    pub fn next(data: Vec<SelectOption>, cursor: impl Into<String>) -> Self {
        CursorPage {
            data,
            cursor: Some(cursor.into()),
        }
    }

    /// The last page.
    pub fn last(data: Vec<SelectOption>) -> Self {
        CursorPage { data, cursor: None }
    }
}
