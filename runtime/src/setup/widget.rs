//! Which Rust types a form field's widget can fill: checked at compile time by
//! `#[derive(SetupForm)]`, one trait per widget, so a checkbox on a `String` (which the dashboard
//! would save as `true` and the plugin could not read) is an error on the field's type.
//!
//! | widget | accepted types |
//! | --- | --- |
//! | `text` | `String`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<'static, str>` |
//! | `checkbox` | `bool` |
//! | `select`, `resource` | `String` and the other text types (the chosen value) |
//! | `select`/`resource` with `multiple` | `Vec<T>`, `VecDeque<T>`, `BTreeSet<T>`, `HashSet<T>`, `Box<[T]>` of a text type |
//! | `mapping` | `BTreeMap<String, V>`, `HashMap<String, V>` |
//!
//! `Option<T>` of an accepted `T` is accepted too: the field may be left empty. A type of your own
//! that deserializes from what the widget sends (a newtype around `String` for a text field, say)
//! is accepted once it implements the widget's trait: `impl TextValue for ApiKey {}`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

/// A type a `text` field fills: it deserializes from a JSON string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the value of a `text` field",
    label = "a text field sends a string",
    note = "use `String` (or `Box<str>`, `Arc<str>`, `Cow<str>`), `Option<..>` of one if the field may be empty, or `impl envoy_plugin::setup::widget::TextValue for {Self} {{}}` for a type that deserializes from a string"
)]
pub trait TextValue {}

/// A type a `checkbox` fills: it deserializes from `true` or `false`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the value of a `checkbox` field",
    label = "a checkbox sends `true` or `false`",
    note = "use `bool` (or `Option<bool>`), or `impl envoy_plugin::setup::widget::CheckboxValue for {Self} {{}}` for a type that deserializes from a boolean"
)]
pub trait CheckboxValue {}

/// A type a single `select` or `resource` field fills: it deserializes from the chosen value, a
/// string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the value of a `select` or `resource` field",
    label = "a select sends the chosen value as a string",
    note = "use `String` (or `Option<String>`); with `multiple`, a collection such as `Vec<String>`; or `impl envoy_plugin::setup::widget::ChoiceValue for {Self} {{}}`"
)]
pub trait ChoiceValue {}

/// A type a `select` or `resource` field with `multiple` fills: it deserializes from an array of
/// the chosen values.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the values of a `multiple` select",
    label = "a multiple select sends an array of strings",
    note = "use a collection: `Vec<String>`, `BTreeSet<String>`, `HashSet<String>` (or `Option<..>` of one), or `impl envoy_plugin::setup::widget::MultiChoiceValue for {Self} {{}}`"
)]
pub trait MultiChoiceValue {}

/// A type a `mapping` field fills: it deserializes from an object keyed by the left side's values.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the value of a `mapping` field",
    label = "a mapping sends an object keyed by the left side's values",
    note = "use a map keyed by `String`: `BTreeMap<String, V>` or `HashMap<String, V>` (or `Option<..>` of one), or `impl envoy_plugin::setup::widget::MappingValue for {Self} {{}}`"
)]
pub trait MappingValue {}

macro_rules! text_types {
    ($($ty:ty),*) => {
        $(impl TextValue for $ty {} impl ChoiceValue for $ty {})*
    };
}

text_types!(String, Box<str>, Arc<str>, Rc<str>, Cow<'static, str>);

impl CheckboxValue for bool {}

impl<T: TextValue> TextValue for Option<T> {}
impl<T: CheckboxValue> CheckboxValue for Option<T> {}
impl<T: ChoiceValue> ChoiceValue for Option<T> {}
impl<T: MultiChoiceValue> MultiChoiceValue for Option<T> {}
impl<T: MappingValue> MappingValue for Option<T> {}

impl<T: ChoiceValue> MultiChoiceValue for Vec<T> {}
impl<T: ChoiceValue> MultiChoiceValue for VecDeque<T> {}
impl<T: ChoiceValue> MultiChoiceValue for Box<[T]> {}
impl<T: ChoiceValue, S> MultiChoiceValue for HashSet<T, S> {}
impl<T: ChoiceValue> MultiChoiceValue for BTreeSet<T> {}

impl<V, S> MappingValue for HashMap<String, V, S> {}
impl<V> MappingValue for BTreeMap<String, V> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<T: TextValue + ?Sized>() {}
    fn multi<T: MultiChoiceValue>() {}

    #[test]
    fn option_and_collections_of_accepted_types_are_accepted() {
        text::<Option<String>>();
        multi::<Option<BTreeSet<Arc<str>>>>();
        multi::<Vec<String>>();
    }
}
