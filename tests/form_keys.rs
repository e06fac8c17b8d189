//! The keys a form step declares (the keys the dashboard saves values under) are the keys serde
//! reads: for every `rename_all` case style, and with `rename`, a JSON object built from the
//! declared keys deserializes into the step with every value in place.

use envoy_plugin::SetupStep;
use envoy_plugin::prelude::*;
use serde_json::{Map, Value};

/// A step with two multi-word fields under `rename_all = $style`.
macro_rules! styled_step {
    ($name:ident, $style:literal) => {
        #[derive(SetupForm, Deserialize, Debug)]
        #[serde(rename_all = $style)]
        struct $name {
            #[field(text, label = "Visitor type")]
            visitor_type: String,
            #[field(checkbox, label = "Notify the host")]
            notify_the_host: bool,
        }

        impl $name {
            fn check() {
                let keys = <$name as SetupStep>::KEYS;
                let mut body = Map::new();
                body.insert(keys[0].to_owned(), Value::from("contractor"));
                body.insert(keys[1].to_owned(), Value::from(true));
                let step: $name = serde_json::from_value(Value::Object(body))
                    .unwrap_or_else(|e| panic!("{} with keys {keys:?}: {e}", $style));
                assert_eq!(step.visitor_type, "contractor", "{}", $style);
                assert!(step.notify_the_host, "{}", $style);
            }
        }
    };
}

styled_step!(Lower, "lowercase");
styled_step!(Upper, "UPPERCASE");
styled_step!(Pascal, "PascalCase");
styled_step!(Camel, "camelCase");
styled_step!(Snake, "snake_case");
styled_step!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
styled_step!(Kebab, "kebab-case");
styled_step!(ScreamingKebab, "SCREAMING-KEBAB-CASE");

#[test]
fn every_case_style_declares_the_keys_serde_reads() {
    Lower::check();
    Upper::check();
    Pascal::check();
    Camel::check();
    Snake::check();
    ScreamingSnake::check();
    Kebab::check();
    ScreamingKebab::check();
    assert_eq!(<Camel as SetupStep>::KEYS, ["visitorType", "notifyTheHost"]);
    assert_eq!(
        <Kebab as SetupStep>::KEYS,
        ["visitor-type", "notify-the-host"]
    );
}

#[derive(SetupForm, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    #[field(text, label = "Greeting")]
    #[serde(rename(serialize = "out", deserialize = "greeting_text"))]
    greeting: String,
    #[field(text, label = "Type")]
    r#type: String,
}

#[test]
fn rename_wins_over_rename_all_its_deserialize_side_is_the_key_and_raw_names_lose_r_hash() {
    assert_eq!(<Renamed as SetupStep>::KEYS, ["greeting_text", "type"]);
    let step: Renamed =
        serde_json::from_value(serde_json::json!({ "greeting_text": "hi", "type": "x" }))
            .expect("the declared keys are the keys serde reads");
    assert_eq!(step.greeting, "hi");
    assert_eq!(step.r#type, "x");
}
