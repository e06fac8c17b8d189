//! The stand-in's user scopes: what a grant's token may do, and the scope each user-API endpoint
//! needs, so that a call the installer did not allow is refused as the platform refuses it.

use actix_web::http::Method;
use serde_json::Value;

use crate::user_api::Scope;

/// The scope a read of models of `kind` needs (agreement pages are read with `agreements.read`).
fn read_scope(kind: &str) -> Option<Scope> {
    Some(match kind {
        "employees" => Scope::EmployeesRead,
        "locations" => Scope::LocationsRead,
        "flows" => Scope::FlowsRead,
        "companies" => Scope::CompaniesRead,
        "invites" => Scope::InvitesRead,
        "sign-in-field-pages" => Scope::SignInFieldPagesRead,
        "sign-in-fields" => Scope::SignInFieldsRead,
        "agreement-pages" | "agreements" => Scope::AgreementsRead,
        _ => return None,
    })
}

/// The scope the call `method` on the path `segments` needs; `None` for one any user token may make
/// (`GET /api/v2/users/me`) or one the stand-in does not serve (it answers 404).
pub(crate) fn required(method: &Method, segments: &[&str]) -> Option<Scope> {
    match (method.clone(), segments) {
        (Method::GET, ["api", "v3", "sign-in-field-pages", _, "sign-in-fields"]) => {
            Some(Scope::SignInFieldsRead)
        }
        (Method::GET, ["api", "v3", kind] | ["api", "v3", kind, _]) => read_scope(kind),
        (_, ["api", "v3", "invites", ..]) => Some(Scope::InvitesWrite),
        (Method::POST, ["a", "rms", "reservations"]) => Some(Scope::ReservationsWrite),
        _ => None,
    }
}

/// The scopes a code or password grant asks for in `scope`: a list of names, or one string of
/// names separated by spaces or commas (OAuth's form). No scope at all asks for `default` (the
/// plugin's, as OAuth lets a server choose); a name the platform does not know is an error naming it.
pub(crate) fn asked(scope: &Value, default: &[Scope]) -> Result<Vec<Scope>, String> {
    let names: Vec<&str> = match scope {
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        Value::String(names) => names
            .split([' ', ','])
            .filter(|name| !name.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    if names.is_empty() {
        return Ok(default.to_vec());
    }
    names.into_iter().map(str::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_endpoint_needs_its_scope() {
        let get = |path: &str| required(&Method::GET, &path.split('/').collect::<Vec<_>>());
        assert_eq!(get("api/v3/employees"), Some(Scope::EmployeesRead));
        assert_eq!(
            get("api/v3/agreement-pages/40"),
            Some(Scope::AgreementsRead)
        );
        assert_eq!(
            get("api/v3/sign-in-field-pages/30/sign-in-fields"),
            Some(Scope::SignInFieldsRead)
        );
        assert_eq!(get("api/v2/users/me"), None);
        assert_eq!(
            required(&Method::DELETE, &["api", "v3", "invites", "9"]),
            Some(Scope::InvitesWrite)
        );
        assert_eq!(
            required(&Method::POST, &["a", "rms", "reservations"]),
            Some(Scope::ReservationsWrite)
        );
    }

    #[test]
    fn a_grant_asks_for_a_list_or_a_string_and_no_scope_means_the_plugins() {
        let plugin = [Scope::EmployeesRead];
        assert_eq!(
            asked(&json!(["invites.write", "flows.read"]), &plugin),
            Ok(vec![Scope::InvitesWrite, Scope::FlowsRead])
        );
        assert_eq!(
            asked(&json!("invites.write flows.read"), &plugin),
            Ok(vec![Scope::InvitesWrite, Scope::FlowsRead])
        );
        assert_eq!(asked(&json!([]), &plugin), Ok(plugin.to_vec()));
        assert_eq!(asked(&Value::Null, &plugin), Ok(plugin.to_vec()));
        assert!(asked(&json!(["employee.read"]), &plugin).is_err());
    }
}
