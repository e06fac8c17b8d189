//! Typed list parameters: filters, sort and paging, rendered in the bracket form the platform reads
//! (`filter[email]=a%40b.c&page[limit]=1&page[offset]=0&sort=-created_at`).

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::Id;

/// A list's filters: each set filter as a `filter[name]` parameter.
pub trait ListFilter {
    /// Appends `("filter[name]", value)` for each filter that is set, in declaration order.
    fn render(&self, out: &mut Vec<(String, String)>);
}

/// A value a filter takes, as the query string carries it.
pub trait FilterValue {
    /// The value's text.
    fn render(&self) -> String;
}

impl FilterValue for bool {
    fn render(&self) -> String {
        self.to_string()
    }
}

impl FilterValue for String {
    fn render(&self) -> String {
        self.clone()
    }
}

impl FilterValue for Id {
    fn render(&self) -> String {
        self.to_string()
    }
}

impl FilterValue for NaiveDate {
    fn render(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl FilterValue for DateTime<Utc> {
    fn render(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
}

/// Several ids, sent comma-separated (`filter[locations]=1,2`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdList(pub Vec<Id>);

impl FilterValue for IdList {
    fn render(&self) -> String {
        self.0
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<I: Into<Id>> FromIterator<I> for IdList {
    fn from_iter<T: IntoIterator<Item = I>>(iter: T) -> Self {
        IdList(iter.into_iter().map(Into::into).collect())
    }
}

impl<I: Into<Id>, const N: usize> From<[I; N]> for IdList {
    fn from(ids: [I; N]) -> Self {
        ids.into_iter().collect()
    }
}

impl<I: Into<Id>> From<Vec<I>> for IdList {
    fn from(ids: Vec<I>) -> Self {
        ids.into_iter().collect()
    }
}

/// Which invites `filter[scope]` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteScope {
    /// Invites the user hosts.
    Hosted,
    /// The user's own invites.
    Mine,
    /// Including those of executives the user assists.
    IncludeExecs,
}

impl FilterValue for InviteScope {
    fn render(&self) -> String {
        match self {
            InviteScope::Hosted => "hosted",
            InviteScope::Mine => "mine",
            InviteScope::IncludeExecs => "include_execs",
        }
        .to_owned()
    }
}

/// Makes a filter struct: `"wire-name" => setter: Type,` per filter; each setter takes
/// `impl Into<Type>` and returns the filter, so filters chain.
macro_rules! filters {
    (
        $(#[$doc:meta])*
        $name:ident {
            $($(#[$field_doc:meta])* $wire:literal => $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$field_doc])* pub $field: Option<$ty>,)*
        }

        impl $name {
            $(
                $(#[$field_doc])*
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }

        impl $crate::user_api::query::ListFilter for $name {
            fn render(&self, out: &mut Vec<(String, String)>) {
                $(
                    if let Some(value) = &self.$field {
                        out.push((
                            concat!("filter[", $wire, "]").to_owned(),
                            $crate::user_api::query::FilterValue::render(value),
                        ));
                    }
                )*
            }
        }
    };
}

pub(crate) use filters;

/// A list without filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoFilter;

impl ListFilter for NoFilter {
    fn render(&self, _out: &mut Vec<(String, String)>) {}
}

/// What a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SortField {
    /// `name`.
    Name,
    /// `created_at`.
    CreatedAt,
}

/// A list's order: a field and a direction (`sort=name`, `sort=-created_at`).
///
/// ```
/// use envoy_plugin::user_api::{Sort, SortField};
/// assert_eq!(Sort::descending(SortField::CreatedAt).to_string(), "-created_at");
/// assert_eq!(Sort::ascending(SortField::Name).to_string(), "name");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The field.
    pub field: SortField,
    /// Largest first.
    pub descending: bool,
}

impl Sort {
    /// Smallest first.
    pub fn ascending(field: SortField) -> Self {
        Sort {
            field,
            descending: false,
        }
    }

    /// Largest first.
    pub fn descending(field: SortField) -> Self {
        Sort {
            field,
            descending: true,
        }
    }
}

impl std::fmt::Display for Sort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = match self.field {
            SortField::Name => "name",
            SortField::CreatedAt => "created_at",
        };
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(field)
    }
}

/// `key=value&...` with the keys as they are (brackets stay brackets, as the platform's own
/// clients send them) and the values percent-encoded.
pub(crate) fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| {
            let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    filters! {
        /// Test filters.
        Sample {
            /// Deleted.
            "deleted" => deleted: bool,
            /// Locations.
            "exclude-locations" => exclude_locations: IdList,
        }
    }

    #[test]
    fn set_filters_render_in_bracket_form() {
        let mut out = Vec::new();
        Sample::default()
            .deleted(false)
            .exclude_locations([1, 2])
            .render(&mut out);
        assert_eq!(
            query_string(&out),
            "filter[deleted]=false&filter[exclude-locations]=1%2C2"
        );
    }
}
