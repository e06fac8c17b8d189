//! The stand-in's user-API data: the installer's company as JSON:API models by type (employees,
//! locations, flows, companies, invites, sign-in field pages and fields, agreement pages and
//! agreements, reservations), the current user, and the accounts the `password` grant accepts.
//! Seeded from a JSON file (`{"employees": [...], "locations": [...], "me": {...}, "users":
//! [{"username", "password"}]}`); lists answer the contract's filters, sort and paging, and gets
//! answer `include`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Each list endpoint's filters, as the contract names them; any other filter is refused (400), so a
/// client's typo shows.
const FILTERS: &[(&str, &[&str])] = &[
    (
        "employees",
        &[
            "deleted",
            "company",
            "locations",
            "email",
            "except",
            "exclude-locations",
            "exclude-hidden",
            "manually-added",
            "name",
            "query",
        ],
    ),
    ("flows", &["employee-centric", "enabled", "location"]),
    ("locations", &["disabled", "company"]),
    (
        "invites",
        &[
            "email",
            "employee",
            "flow",
            "location",
            "date-from",
            "date-to",
            "datetime-from",
            "datetime-to",
            "for-date",
            "employee-centric",
            "scope",
        ],
    ),
];

/// Types the platform names a related model by (as an `include`), and the model's own type.
const ALIASES: &[(&str, &str)] = &[("employee-screening-flows", "flows")];

/// The types `GET /api/v3/{type}/{id}` serves.
pub(crate) const READABLE: &[&str] = &[
    "agreement-pages",
    "agreements",
    "companies",
    "employees",
    "flows",
    "locations",
    "sign-in-field-pages",
    "sign-in-fields",
    "invites",
];

/// An account the `password` grant accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The user name (an email address).
    pub username: String,
    /// The password.
    pub password: String,
}

/// The user-API data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Directory {
    /// Models by type.
    #[serde(default)]
    pub models: BTreeMap<String, Vec<Value>>,
    /// `GET /api/v2/users/me`'s model.
    #[serde(default)]
    pub me: Value,
    /// Accounts for the `password` grant.
    #[serde(default)]
    pub users: Vec<Account>,
    /// The last id given to a created model.
    #[serde(default)]
    pub last_id: u64,
}

impl Directory {
    /// From a seed: `{"<type>": [models], "me": {...}, "users": [...]}`.
    pub fn from_seed(seed: &Value) -> Result<Directory, String> {
        let object = seed
            .as_object()
            .ok_or("a directory seed is a JSON object")?;
        let mut directory = Directory::default();
        for (key, value) in object {
            match key.as_str() {
                "me" => directory.me = value.clone(),
                "users" => {
                    directory.users = serde_json::from_value(value.clone())
                        .map_err(|e| format!("`users`: {e}"))?
                }
                kind => {
                    let models = value
                        .as_array()
                        .ok_or_else(|| format!("`{kind}` is a list of models"))?;
                    for model in models {
                        if model["id"].is_null() {
                            return Err(format!("a model of `{kind}` has no id"));
                        }
                    }
                    directory.models.insert(kind.to_owned(), models.clone());
                }
            }
        }
        directory.last_id = directory
            .models
            .values()
            .flatten()
            .filter_map(|m| id_of(m).parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Ok(directory)
    }

    /// A model by type and id.
    pub fn find(&self, kind: &str, id: &str) -> Option<&Value> {
        self.models.get(kind)?.iter().find(|m| id_of(m) == id)
    }

    /// The models related to `models` under the relationships named in `include` (each once).
    pub fn included(&self, models: &[&Value], include: &[&str]) -> Vec<Value> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for model in models {
            for name in include {
                for link in links(&model["relationships"][*name]) {
                    let (Some(kind), id) = (link["type"].as_str(), id_of(link)) else {
                        continue;
                    };
                    let key = (kind.to_owned(), id.clone());
                    if seen.contains(&key) {
                        continue;
                    }
                    if let Some(found) = self.find(kind, &id) {
                        seen.push(key);
                        out.push(found.clone());
                    } else if let Some(found) = ALIASES
                        .iter()
                        .find(|(alias, _)| *alias == kind)
                        .and_then(|(_, of)| self.find(of, &id))
                    {
                        // The platform names some related models by the relationship, not the
                        // model's own type.
                        let mut found = found.clone();
                        found["type"] = json!(kind);
                        seen.push(key);
                        out.push(found);
                    }
                }
            }
        }
        out
    }

    /// A list: filtered, sorted, paged. `Err` is a 400's detail.
    pub fn list(&self, kind: &str, params: &[(String, String)]) -> Result<Vec<&Value>, String> {
        let allowed = FILTERS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, f)| *f)
            .unwrap_or(&[]);
        let mut models: Vec<&Value> = self.models.get(kind).into_iter().flatten().collect();
        let mut limit = None;
        let mut offset = 0usize;
        let mut sort = None;
        for (key, value) in params {
            if let Some(filter) = key
                .strip_prefix("filter[")
                .and_then(|k| k.strip_suffix(']'))
            {
                if !allowed.contains(&filter) {
                    return Err(format!("`{kind}` has no filter `{filter}`"));
                }
                models.retain(|m| matches(m, filter, value));
            } else if key == "page[limit]" {
                limit = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| "page[limit] is a number")?,
                );
            } else if key == "page[offset]" {
                offset = value.parse().map_err(|_| "page[offset] is a number")?;
            } else if key == "sort" {
                sort = Some(value.clone());
            } else if key != "include" {
                return Err(format!("unknown parameter `{key}`"));
            }
        }
        // Deleted employees only when asked for, as the platform does.
        if kind == "employees" && !params.iter().any(|(k, _)| k == "filter[deleted]") {
            models.retain(|m| m["attributes"]["deleted"] != json!(true));
        }
        if let Some(sort) = sort {
            let (descending, field) = match sort.strip_prefix('-') {
                Some(field) => (true, field),
                None => (false, sort.as_str()),
            };
            let key: fn(&Value) -> String = match field {
                "name" => |m| {
                    let a = &m["attributes"];
                    a["name"]
                        .as_str()
                        .or(a["full-name"].as_str())
                        .unwrap_or("")
                        .to_lowercase()
                },
                "created_at" => |m| {
                    m["attributes"]["created-at"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned()
                },
                other => return Err(format!("cannot sort by `{other}`")),
            };
            models.sort_by_key(|m| key(m));
            if descending {
                models.reverse();
            }
        }
        let models = models.into_iter().skip(offset);
        Ok(match limit {
            Some(limit) => models.take(limit).collect(),
            None => models.collect(),
        })
    }

    /// Keeps a new model of `kind` and answers it with its id.
    pub fn create(&mut self, kind: &str, mut model: Value) -> Value {
        self.last_id += 1;
        model["id"] = json!(self.last_id.to_string());
        model["type"] = json!(kind);
        let now = Utc::now();
        let created = if kind == "reservations" {
            json!(now.timestamp())
        } else {
            json!(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        };
        if let Some(attributes) = model["attributes"].as_object_mut() {
            attributes.insert("created-at".to_owned(), created.clone());
            attributes.insert("updated-at".to_owned(), created);
        }
        self.models
            .entry(kind.to_owned())
            .or_default()
            .push(model.clone());
        model
    }

    /// Replaces (`merge` false) or merges into (`merge` true) the attributes and relationships of a
    /// model; `None` when there is no such model.
    pub fn change(&mut self, kind: &str, id: &str, data: &Value, merge: bool) -> Option<Value> {
        let model = self
            .models
            .get_mut(kind)?
            .iter_mut()
            .find(|m| id_of(m) == id)?;
        for part in ["attributes", "relationships"] {
            let Some(new) = data[part].as_object() else {
                continue;
            };
            if !merge && part == "attributes" {
                // A replace keeps what the platform owns (timestamps), and nothing writable that
                // the new document leaves out.
                let kept: Map<String, Value> = model[part]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| k.ends_with("-at"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                model[part] = Value::Object(kept);
            }
            if !model[part].is_object() {
                model[part] = json!({});
            }
            for (key, value) in new {
                model[part][key] = value.clone();
            }
        }
        model["attributes"]["updated-at"] =
            json!(Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        Some(model.clone())
    }

    /// Removes a model; whether there was one.
    pub fn remove(&mut self, kind: &str, id: &str) -> bool {
        let Some(models) = self.models.get_mut(kind) else {
            return false;
        };
        let before = models.len();
        models.retain(|m| id_of(m) != id);
        models.len() != before
    }
}

/// A model's id as text (ids are numbers or strings).
pub(crate) fn id_of(model: &Value) -> String {
    match &model["id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The links of a relationship (`data` one, many or null).
fn links(relationship: &Value) -> Vec<&Value> {
    match &relationship["data"] {
        Value::Array(links) => links.iter().collect(),
        Value::Object(_) => vec![&relationship["data"]],
        _ => Vec::new(),
    }
}

/// The ids a model links to under `name` or its plural/singular.
fn linked_ids(model: &Value, name: &str) -> Vec<String> {
    let relationships = &model["relationships"];
    let plural = format!("{name}s");
    let singular = name.strip_suffix('s').unwrap_or(name);
    [name, plural.as_str(), singular]
        .iter()
        .flat_map(|n| links(&relationships[*n]))
        .map(id_of)
        .collect()
}

fn list_of(value: &str) -> Vec<&str> {
    value.split(',').map(str::trim).collect()
}

/// Whether `model` passes `filter[name]=value`.
fn matches(model: &Value, name: &str, value: &str) -> bool {
    let attributes = &model["attributes"];
    let text = |key: &str| attributes[key].as_str().unwrap_or("").to_lowercase();
    let flag = |key: &str| attributes[key].as_bool().unwrap_or(false);
    let wanted = value.eq_ignore_ascii_case("true");
    match name {
        "query" => {
            let query = value.to_lowercase();
            ["name", "full-name", "email"]
                .iter()
                .any(|k| text(k).contains(&query))
        }
        "name" => text("name") == value.to_lowercase(),
        "email" => text("email") == value.to_lowercase(),
        "except" => !list_of(value).contains(&id_of(model).as_str()),
        "exclude-locations" => {
            let excluded = list_of(value);
            !linked_ids(model, "locations")
                .iter()
                .any(|id| excluded.contains(&id.as_str()))
        }
        "exclude-hidden" => !wanted || !flag("hidden"),
        "locations" | "location" | "company" | "employee" | "flow" => {
            let wanted = list_of(value);
            let mut ids = linked_ids(model, name);
            if let Some(id) = attributes[format!("{name}-id")].as_str() {
                ids.push(id.to_owned());
            } else if let Some(id) = attributes[format!("{name}-id")].as_i64() {
                ids.push(id.to_string());
            }
            ids.iter().any(|id| wanted.contains(&id.as_str()))
        }
        "date-from" | "date-to" | "for-date" => {
            let (Some(day), Ok(bound)) = (
                arrival(model).map(|t| t.date_naive()),
                NaiveDate::parse_from_str(value, "%Y-%m-%d"),
            ) else {
                return false;
            };
            match name {
                "date-from" => day >= bound,
                "date-to" => day <= bound,
                _ => day == bound,
            }
        }
        "datetime-from" | "datetime-to" => {
            let (Some(at), Ok(bound)) = (arrival(model), DateTime::parse_from_rfc3339(value))
            else {
                return false;
            };
            if name == "datetime-from" {
                at >= bound
            } else {
                at <= bound
            }
        }
        // Whose invites these are depends on the token's user; every invite is the installer's here.
        "scope" => true,
        // Boolean attributes: `deleted`, `disabled`, `enabled`, `employee-centric`, `manually-added`.
        other => flag(other) == wanted,
    }
}

fn arrival(model: &Value) -> Option<DateTime<Utc>> {
    let text = model["attributes"]["expected-arrival-time"].as_str()?;
    crate::model::Timestamp::parse(text).ok().map(|t| t.utc())
}
