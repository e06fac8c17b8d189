//! User scopes: what the installer's token may do, named as the platform names them, as values
//! ([`Scope`], for the authorize URL, the grants and the manifest) and as marker types (for the
//! compile-time check that a call's scope is declared).
//!
//! A plugin declares the scopes it asks for once, with [`user_scopes!`](crate::user_scopes), and
//! takes `UserApi<ThatSet>`; every call of the user API requires its scope of the set, so a call
//! whose scope is not declared does not compile:
//!
//! ```compile_fail
//! use envoy_plugin::prelude::*;
//! use envoy_plugin::user_api::UserApi;
//!
//! envoy_plugin::user_scopes!(pub ReadOnly = [EmployeesRead]);
//!
//! async fn follow_up(api: UserApi<ReadOnly>) {
//!     // error: `ReadOnly` does not declare the user scope `InvitesWrite`
//!     api.invites().delete("42").await.unwrap();
//! }
//! ```

use std::fmt;

macro_rules! scopes {
    ($($(#[$doc:meta])* $marker:ident => $variant:ident = $wire:literal;)*) => {
        /// A user scope, as the platform names it (`employees.read`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Scope {
            $($(#[$doc])* $variant,)*
        }

        impl Scope {
            /// Every scope the platform documents, in its order.
            pub const ALL: &'static [Scope] = &[$(Scope::$variant),*];

            /// The scope's name on the wire, e.g. `employees.read`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Scope::$variant => $wire,)*
                }
            }
        }

        $(
            $(#[$doc])*
            ///
            /// A marker type: list it in [`user_scopes!`](crate::user_scopes) to declare the scope.
            #[derive(Debug, Clone, Copy)]
            pub struct $marker;

            impl UserScope for $marker {
                const SCOPE: Scope = Scope::$variant;
            }
        )*
    };
}

scopes! {
    /// `flows.read`: read flows.
    FlowsRead => FlowsRead = "flows.read";
    /// `entries.read`: read entries.
    EntriesRead => EntriesRead = "entries.read";
    /// `entries.write`: change entries.
    EntriesWrite => EntriesWrite = "entries.write";
    /// `invites.read`: read invites.
    InvitesRead => InvitesRead = "invites.read";
    /// `invites.write`: create, change and delete invites.
    InvitesWrite => InvitesWrite = "invites.write";
    /// `invites.attest`: set `attested` on an invite.
    InvitesAttest => InvitesAttest = "invites.attest";
    /// `locations.read`: read locations.
    LocationsRead => LocationsRead = "locations.read";
    /// `companies.read`: read companies.
    CompaniesRead => CompaniesRead = "companies.read";
    /// `agreements.read`: read agreements and agreement pages.
    AgreementsRead => AgreementsRead = "agreements.read";
    /// `agreements.write`: change agreements.
    AgreementsWrite => AgreementsWrite = "agreements.write";
    /// `sign-in-field-pages.read`: read sign-in field pages.
    SignInFieldPagesRead => SignInFieldPagesRead = "sign-in-field-pages.read";
    /// `sign-in-fields.read`: read sign-in fields.
    SignInFieldsRead => SignInFieldsRead = "sign-in-fields.read";
    /// `sign-in-fields.write`: change sign-in fields.
    SignInFieldsWrite => SignInFieldsWrite = "sign-in-fields.write";
    /// `employees.read`: read employees.
    EmployeesRead => EmployeesRead = "employees.read";
    /// `employees.write`: change employees.
    EmployeesWrite => EmployeesWrite = "employees.write";
    /// `badges.read`: read badges.
    BadgesRead => BadgesRead = "badges.read";
    /// `blacklist-filters.read`: read block-list filters.
    BlacklistFiltersRead => BlacklistFiltersRead = "blacklist-filters.read";
    /// `blacklist-filters.write`: change block-list filters.
    BlacklistFiltersWrite => BlacklistFiltersWrite = "blacklist-filters.write";
    /// `tickets.read`: read tickets.
    TicketsRead => TicketsRead = "tickets.read";
    /// `tickets.write`: change tickets.
    TicketsWrite => TicketsWrite = "tickets.write";
    /// `spaces.read`: read spaces.
    SpacesRead => SpacesRead = "spaces.read";
    /// `reservations.read`: read reservations.
    ReservationsRead => ReservationsRead = "reservations.read";
    /// `reservations.write`: make reservations.
    ReservationsWrite => ReservationsWrite = "reservations.write";
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Scope::ALL
            .iter()
            .copied()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| format!("unknown user scope `{s}`"))
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A scope as a type: the marker types of this module.
pub trait UserScope: 'static {
    /// The scope it stands for.
    const SCOPE: Scope;
}

#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of user scopes",
    label = "not declared with `user_scopes!`",
    note = "declare the set with `envoy_plugin::user_scopes!(pub MyScopes = [EmployeesRead, ...])`"
)]
/// A set of user scopes as a type, made by [`user_scopes!`](crate::user_scopes): the scopes a plugin
/// asks the installer for, listed in its manifest.
pub trait ScopeSet: 'static {
    /// The scopes, in declaration order.
    const SCOPES: &'static [Scope];
}

/// A scope set as the startup check and the manifest see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeSetInfo {
    /// The set's type name, for messages.
    pub name: &'static str,
    /// Its scopes.
    pub scopes: &'static [Scope],
}

impl ScopeSetInfo {
    /// The entry of set `S`.
    pub fn of<S: ScopeSet>() -> Self {
        ScopeSetInfo {
            name: std::any::type_name::<S>(),
            scopes: S::SCOPES,
        }
    }

    /// The scopes of this set that `declared` lacks.
    pub fn missing_from(&self, declared: &[Scope]) -> Vec<Scope> {
        self.scopes
            .iter()
            .copied()
            .filter(|scope| !declared.contains(scope))
            .collect()
    }
}

/// "Scope set `Self` declares scope `S`": what every user-API call requires of its handle's set.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare the user scope `{S}`, which this call needs",
    label = "needs `{S}`",
    note = "add `{S}` to the list in `user_scopes!` that declares `{Self}`: the plugin then asks the installer for it and the manifest lists it"
)]
pub trait Grants<S: UserScope>: ScopeSet {}

/// The scope set of a plugin that asks for no user scope: it grants no call of the user API.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoScopes;

impl ScopeSet for NoScopes {
    const SCOPES: &'static [Scope] = &[];
}

/// The scopes of `S` joined as the platform's `scope` parameter expects: `a b` (the authorize URL
/// encodes the spaces as `+`).
pub fn joined(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Declares a set of user scopes: a unit struct that [`UserApi`](crate::user_api::UserApi) takes
/// as its type argument, and that `plugin!` lists under `user_scopes`.
///
/// Each name is a marker type of [`envoy_plugin::user_api::scope`](crate::user_api::scope)
/// (`EmployeesRead` for `employees.read`). A call of the user API whose scope is not in the set
/// does not compile.
///
/// ```
/// use envoy_plugin::user_api::scope::{ScopeSet, Scope};
///
/// envoy_plugin::user_scopes! {
///     /// What the greeter asks the installer for.
///     pub GreeterScopes = [EmployeesRead, InvitesWrite]
/// }
///
/// assert_eq!(GreeterScopes::SCOPES, &[Scope::EmployeesRead, Scope::InvitesWrite]);
/// ```
#[macro_export]
macro_rules! user_scopes {
    ($(#[$doc:meta])* $vis:vis $name:ident = [$($scope:ident),* $(,)?] $(;)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $crate::user_api::scope::ScopeSet for $name {
            const SCOPES: &'static [$crate::user_api::scope::Scope] = &[
                $(<$crate::user_api::scope::$scope as $crate::user_api::scope::UserScope>::SCOPE),*
            ];
        }

        $(
            impl $crate::user_api::scope::Grants<$crate::user_api::scope::$scope> for $name {}
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_round_trips_through_its_name() {
        assert_eq!(Scope::ALL.len(), 23);
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(*scope));
        }
        assert!("employee.read".parse::<Scope>().is_err());
    }

    #[test]
    fn joined_with_spaces() {
        assert_eq!(
            joined(&[Scope::EmployeesRead, Scope::InvitesWrite]),
            "employees.read invites.write"
        );
    }
}
