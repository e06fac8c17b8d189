//! Attribute structs of the user API's resources: dash-case keys on the wire, snake_case fields in
//! Rust, every field optional (the platform sends `null` or leaves keys out), and every key without a
//! field kept in `extra`.
//!
//! The structs are made by [`attributes!`], which writes a serde `Visitor` that matches the known keys
//! and keeps the rest, instead of `#[serde(flatten)]` (flatten buffers the whole object in serde's
//! internal `Content` first).

/// Makes an attribute struct: `"wire-name" => field: Type,` per attribute, each stored as
/// `Option<Type>`, plus `extra` for keys without a field. Serializes back to the same keys (fields
/// that are `None` are left out).
macro_rules! attributes {
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
            /// Attributes without a field of their own (the platform adds some), as sent.
            pub extra: std::collections::BTreeMap<String, serde_json::Value>,
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct AttributesVisitor;
                impl<'de> serde::de::Visitor<'de> for AttributesVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the attributes of ", stringify!($name)))
                    }
                    // `"attributes": null` reads as no attributes at all.
                    fn visit_unit<E: serde::de::Error>(self) -> Result<$name, E> {
                        Ok($name::default())
                    }
                    fn visit_none<E: serde::de::Error>(self) -> Result<$name, E> {
                        Ok($name::default())
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut attributes = $name::default();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $($wire => attributes.$field = map.next_value()?,)*
                                _ => {
                                    let value = map.next_value()?;
                                    attributes.extra.insert(key, value);
                                }
                            }
                        }
                        Ok(attributes)
                    }
                }
                deserializer.deserialize_any(AttributesVisitor)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $(
                    if let Some(value) = &self.$field {
                        map.serialize_entry($wire, value)?;
                    }
                )*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    };
}

pub(crate) use attributes;

#[cfg(test)]
mod tests {
    use serde_json::json;

    attributes! {
        /// A test struct.
        Sample {
            /// A name.
            "full-name" => full_name: String,
            /// A count.
            "visit-count" => visit_count: u32,
        }
    }

    #[test]
    fn known_keys_unknown_keys_and_nulls() {
        let sample: Sample = serde_json::from_value(json!({
            "full-name": "Ada", "visit-count": null, "badge-colour": "green"
        }))
        .unwrap();
        assert_eq!(sample.full_name.as_deref(), Some("Ada"));
        assert_eq!(sample.visit_count, None);
        assert_eq!(sample.extra["badge-colour"], "green");
        assert_eq!(
            serde_json::to_value(&sample).unwrap(),
            json!({"full-name": "Ada", "badge-colour": "green"})
        );
        let empty: Sample = serde_json::from_value(json!(null)).unwrap();
        assert_eq!(empty, Sample::default());
    }

    #[test]
    fn a_wrong_type_is_an_error() {
        assert!(serde_json::from_value::<Sample>(json!({"visit-count": "many"})).is_err());
    }
}
