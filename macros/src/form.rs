//! `#[derive(SetupForm)]`: a form step from a struct. Each field with `#[field(...)]` is a form
//! field; `#[form(...)]` on the struct gives the title and the fields that hold no value (info text
//! and links), which come first.
//!
//! The derive emits the step's description as a constant. Building it names each select's options
//! handler and selected-values handler through trait-bounded `const fn`s, so a name that is not such a
//! handler, or a paginated select without a selected-values handler, stops the build on that name.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Token, parenthesized};

use crate::handler::combine;
use crate::suggest::{backticked, did_you_mean, unknown_message};

const FIELD_TYPES: &[&str] = &["text", "checkbox", "select", "resource", "mapping"];
const MAPPING_TARGETS: &[&str] = &["text", "checkbox", "select", "resource"];
pub const RESOURCES: &[&str] = &[
    "locations",
    "flows",
    "employees",
    "visitor_types",
    "zones",
    "desks",
    "rooms",
];

/// A struct-level item without a value.
enum Decoration {
    Info {
        label: LitStr,
        text: LitStr,
    },
    Link {
        label: LitStr,
        url: LitStr,
        popup: bool,
    },
}

/// A value field, as `#[field(...)]` declares it.
struct Field {
    key: String,
    label: String,
    kind: FieldType,
    required: bool,
    multiple: bool,
}

enum FieldType {
    Text {
        placeholder: Option<LitStr>,
    },
    Checkbox,
    Select {
        options: Path,
        selected: Option<Path>,
    },
    Resource {
        resource: LitStr,
    },
    Mapping {
        options: Path,
        to: MappingTarget,
    },
}

enum MappingTarget {
    Text,
    Checkbox,
    Select(Path),
    Resource(LitStr),
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            ident.span(),
            "`SetupForm` derives a form step from a struct with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new(
            ident.span(),
            "`SetupForm` needs named fields: each field is a form field with a key",
        ));
    };
    let (title, decorations) = parse_form_attribute(input)?;
    let mut fields = Vec::new();
    let mut errors = Vec::new();
    for field in &named.named {
        let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("field")) else {
            continue;
        };
        let name = field.ident.as_ref().expect("named field");
        match attr.parse_args_with(|input: ParseStream| parse_field(input, name, field)) {
            Ok(parsed) => fields.push(parsed),
            Err(err) => errors.push(err),
        }
    }
    combine(errors)?;

    let name = ident.to_string();
    let title = title.map(|t| t.value()).unwrap_or_else(|| name.clone());
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    let private = quote!(::envoy_plugin::__private);
    let decorations = decorations.iter().map(|d| match d {
        Decoration::Info { label, text } => quote! {
            #private::FieldDescription { key: "", label: #label, kind: #private::FieldKind::Info { text: #text } }
        },
        Decoration::Link { label, url, popup } => {
            let target = if *popup { quote!(Popup) } else { quote!(Tab) };
            quote! {
                #private::FieldDescription {
                    key: "", label: #label,
                    kind: #private::FieldKind::Link { url: #url, opens_in: #private::LinkTarget::#target },
                }
            }
        }
    });
    let described = fields.iter().map(|f| describe_field(f, &name));
    let checks = select_checks(&fields, &name);
    Ok(quote! {
        impl #private::SetupStep for #ident {
            const NAME: &'static str = #name;
            const KIND: #private::StepKind = #private::StepKind::Form;
            const KEYS: &'static [&'static str] = &[#(#keys),*];
            const DESCRIPTION: #private::StepDescription = #private::StepDescription::form(
                #name,
                #title,
                &[#(#decorations,)* #(#described),*],
            );
        }

        // Evaluate the description at compile time, so its checks run even if nothing reads it.
        const _: #private::StepDescription = <#ident as #private::SetupStep>::DESCRIPTION;

        #(#checks)*
    })
}

fn parse_form_attribute(input: &DeriveInput) -> syn::Result<(Option<LitStr>, Vec<Decoration>)> {
    let mut title = None;
    let mut decorations = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("form")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("title") {
                title = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("info") {
                let (mut label, mut text) = (None, None);
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("label") {
                        label = Some(inner.value()?.parse::<LitStr>()?);
                    } else if inner.path.is_ident("text") {
                        text = Some(inner.value()?.parse::<LitStr>()?);
                    } else {
                        return Err(inner.error("an info field takes `label` and `text`"));
                    }
                    Ok(())
                })?;
                let text = text.ok_or_else(|| meta.error("an info field needs `text = \"...\"`"))?;
                let label = label.unwrap_or_else(|| LitStr::new("", text.span()));
                decorations.push(Decoration::Info { label, text });
            } else if meta.path.is_ident("link") {
                let (mut label, mut url, mut popup) = (None, None, false);
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("label") {
                        label = Some(inner.value()?.parse::<LitStr>()?);
                    } else if inner.path.is_ident("url") {
                        url = Some(inner.value()?.parse::<LitStr>()?);
                    } else if inner.path.is_ident("popup") {
                        popup = true;
                    } else if inner.path.is_ident("tab") {
                        popup = false;
                    } else {
                        return Err(inner.error("a link field takes `label`, `url` and `popup` or `tab`"));
                    }
                    Ok(())
                })?;
                let url = url.ok_or_else(|| meta.error("a link field needs `url = \"https://...\"`"))?;
                let label = label.ok_or_else(|| meta.error("a link field needs `label = \"...\"`"))?;
                decorations.push(Decoration::Link { label, url, popup });
            } else {
                let got = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
                return Err(meta.error(format!(
                    "unknown form setting `{got}`: `#[form]` takes `title`, `info(...)` and `link(...)`{}",
                    did_you_mean(&got, ["title", "info", "link"])
                )));
            }
            Ok(())
        })?;
    }
    Ok((title, decorations))
}

/// `snake_case` -> `Snake case`, the label of a field that does not give one.
fn humanize(name: &str) -> String {
    let spaced = name.trim_start_matches("r#").replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The key a field's value is saved under: `key = "..."`, else serde's `rename`, else its name.
fn serde_rename(field: &syn::Field) -> Option<String> {
    let mut rename = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") && meta.input.peek(Token![=]) {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                let content;
                parenthesized!(content in meta.input);
                content.parse::<TokenStream>()?;
            }
            Ok(())
        });
    }
    rename
}

fn parse_field(input: ParseStream, name: &Ident, field: &syn::Field) -> syn::Result<Field> {
    let kind_ident: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the field type first: `text`, `checkbox`, `select`, `resource` or `mapping`",
        )
    })?;
    let kind_name = kind_ident.to_string();
    if !FIELD_TYPES.contains(&kind_name.as_str()) {
        let extra = if kind_name == "info" || kind_name == "link" {
            format!(
                ": `{kind_name}` holds no value, so it is declared on the struct: `#[form({kind_name}(...))]`"
            )
        } else {
            format!(
                ": the form builder has {}{}",
                FIELD_TYPES.join(", "),
                did_you_mean(&kind_name, FIELD_TYPES.iter().copied())
            )
        };
        return Err(syn::Error::new(
            kind_ident.span(),
            format!("unknown field type `{kind_name}`{extra}"),
        ));
    }
    let mut key = None;
    let mut label = None;
    let mut required: Option<Ident> = None;
    let mut multiple: Option<Ident> = None;
    let mut placeholder = None;
    let mut options: Option<Path> = None;
    let mut selected: Option<Path> = None;
    let mut resource: Option<LitStr> = None;
    let mut to: Option<(Ident, MappingTarget)> = None;
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let setting: Ident = input.parse()?;
        let allowed: &[&str] = match kind_name.as_str() {
            "text" => &["key", "label", "required", "placeholder"],
            "checkbox" => &["key", "label"],
            "select" => &[
                "key", "label", "required", "multiple", "options", "selected",
            ],
            "resource" => &["key", "label", "required", "multiple", "resource"],
            _ => &["key", "label", "options", "to"],
        };
        let setting_name = setting.to_string();
        if !allowed.contains(&setting_name.as_str()) {
            let known = [
                "key",
                "label",
                "required",
                "placeholder",
                "multiple",
                "options",
                "selected",
                "resource",
                "to",
            ];
            let message = if setting_name == "required" && kind_name == "checkbox" {
                "a checkbox is either checked or not: it cannot be `required`".to_owned()
            } else if known.contains(&setting_name.as_str()) {
                format!(
                    "`{setting_name}` does not apply to a {kind_name} field, which takes {}",
                    backticked(allowed)
                )
            } else {
                unknown_message(
                    "field setting",
                    &setting_name,
                    &format!("a {kind_name} field takes"),
                    allowed,
                )
            };
            return Err(syn::Error::new(setting.span(), message));
        }
        let duplicate = || syn::Error::new(setting.span(), format!("`{setting}` is given twice"));
        match setting_name.as_str() {
            "required" => {
                if required.replace(setting.clone()).is_some() {
                    return Err(duplicate());
                }
            }
            "multiple" => {
                if multiple.replace(setting.clone()).is_some() {
                    return Err(duplicate());
                }
            }
            "key" | "label" | "placeholder" | "resource" => {
                input.parse::<Token![=]>()?;
                let value: LitStr = input.parse()?;
                let slot = match setting_name.as_str() {
                    "key" => &mut key,
                    "label" => &mut label,
                    "placeholder" => &mut placeholder,
                    _ => &mut resource,
                };
                if slot.replace(value).is_some() {
                    return Err(duplicate());
                }
            }
            "options" | "selected" => {
                input.parse::<Token![=]>()?;
                let value: Path = input.parse()?;
                let slot = if setting_name == "options" {
                    &mut options
                } else {
                    &mut selected
                };
                if slot.replace(value).is_some() {
                    return Err(duplicate());
                }
            }
            _ => {
                input.parse::<Token![=]>()?;
                let target = parse_mapping_target(input)?;
                if to.replace((setting.clone(), target)).is_some() {
                    return Err(duplicate());
                }
            }
        }
    }
    if let Some(resource) = &resource {
        check_resource(resource)?;
    }
    let kind = match kind_name.as_str() {
        "text" => FieldType::Text { placeholder },
        "checkbox" => FieldType::Checkbox,
        "select" => FieldType::Select {
            options: options.ok_or_else(|| {
                syn::Error::new(
                    kind_ident.span(),
                    "a select needs `options = my_options_handler` (an `#[options]` fn)",
                )
            })?,
            selected,
        },
        "resource" => FieldType::Resource {
            resource: resource.ok_or_else(|| {
                syn::Error::new(
                    kind_ident.span(),
                    format!("a resource select needs `resource = \"...\"`, one of {}", RESOURCES.join(", ")),
                )
            })?,
        },
        _ => FieldType::Mapping {
            options: options.ok_or_else(|| {
                syn::Error::new(
                    kind_ident.span(),
                    "a mapping needs `options = my_options_handler` for its left side",
                )
            })?,
            to: to
                .ok_or_else(|| {
                    syn::Error::new(
                        kind_ident.span(),
                        "a mapping needs `to = text` (or `checkbox`, `select(handler)`, `resource(\"...\")`) for its right side",
                    )
                })?
                .1,
        },
    };
    let key = key
        .map(|k| k.value())
        .or_else(|| serde_rename(field))
        .unwrap_or_else(|| name.to_string().trim_start_matches("r#").to_owned());
    Ok(Field {
        label: label
            .map(|l| l.value())
            .unwrap_or_else(|| humanize(&name.to_string())),
        key,
        kind,
        required: required.is_some(),
        multiple: multiple.is_some(),
    })
}

fn parse_mapping_target(input: ParseStream) -> syn::Result<MappingTarget> {
    let target: Ident = input.parse()?;
    match target.to_string().as_str() {
        "text" => Ok(MappingTarget::Text),
        "checkbox" => Ok(MappingTarget::Checkbox),
        "select" => {
            let content;
            parenthesized!(content in input);
            Ok(MappingTarget::Select(content.parse()?))
        }
        "resource" => {
            let content;
            parenthesized!(content in input);
            let resource: LitStr = content.parse()?;
            check_resource(&resource)?;
            Ok(MappingTarget::Resource(resource))
        }
        other => Err(syn::Error::new(
            target.span(),
            format!(
                "a mapping's right side is `text`, `checkbox`, `select(handler)` or `resource(\"...\")`, not `{other}`{}",
                did_you_mean(other, MAPPING_TARGETS.iter().copied())
            ),
        )),
    }
}

fn check_resource(resource: &LitStr) -> syn::Result<()> {
    let value = resource.value();
    if RESOURCES.contains(&value.as_str()) {
        return Ok(());
    }
    Err(syn::Error::new(
        resource.span(),
        format!(
            "unknown resource `{value}`: a resource select offers {}{}",
            RESOURCES.join(", "),
            did_you_mean(&value, RESOURCES.iter().copied())
        ),
    ))
}

fn paginated_message(key: &str, step: &str) -> String {
    format!(
        "field `{key}` of `{step}` is a paginated select: it needs `selected = my_selected_values` (a `#[selected_values]` fn) so saved values outside the first page can be shown"
    )
}

/// For each select, a constant spanned at its options handler that stops the build when the
/// handler pages (by number or cursor) and the select names no selected-values handler.
fn select_checks(fields: &[Field], step: &str) -> Vec<TokenStream> {
    fields
        .iter()
        .filter_map(|field| match &field.kind {
            FieldType::Select { options, selected } => {
                // Every token of the check carries the handler's span (an expression's span is
                // that of its tokens), so the failure is reported on the handler's name.
                let span = options.span();
                let message = LitStr::new(&paginated_message(&field.key, step), span);
                let selected = match selected {
                    Some(_) => quote_spanned!(span=> ::core::option::Option::Some("")),
                    None => quote_spanned!(span=> ::core::option::Option::None),
                };
                let private = quote_spanned!(span=> ::envoy_plugin::__private);
                Some(quote_spanned! {span=>
                    const _: #private::OptionsSource =
                        #private::OptionsSource::for_select::<#options>(#selected, #message);
                })
            }
            _ => None,
        })
        .collect()
}

/// The `FieldDescription` of a field, as a constant expression.
fn describe_field(field: &Field, step: &str) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let Field {
        key,
        label,
        required,
        multiple,
        ..
    } = field;
    let kind = match &field.kind {
        FieldType::Text { placeholder } => {
            let placeholder = match placeholder {
                Some(p) => quote!(::core::option::Option::Some(#p)),
                None => quote!(::core::option::Option::None),
            };
            quote!(#private::FieldKind::Text { required: #required, placeholder: #placeholder })
        }
        FieldType::Checkbox => quote!(#private::FieldKind::Checkbox),
        FieldType::Select { options, selected } => {
            let selected = match selected {
                Some(handler) => {
                    let path = quote_spanned! {handler.span()=> #private::selected_values_path::<#handler>() };
                    quote!(::core::option::Option::Some(#path))
                }
                None => quote!(::core::option::Option::None),
            };
            let message = paginated_message(key, step);
            // The description names the handler through the same bounded function as the check
            // (`select_checks`), so a name that is not an options handler is one error, not two;
            // here the check itself always passes.
            let source = quote_spanned! {options.span()=>
                #private::OptionsSource::for_select::<#options>(::core::option::Option::Some(""), #message)
            };
            quote! {
                #private::FieldKind::Select {
                    options: #source,
                    multiple: #multiple,
                    selected_values: #selected,
                    required: #required,
                }
            }
        }
        FieldType::Resource { resource } => quote! {
            #private::FieldKind::Resource {
                resource: #private::Resource::named(#resource),
                multiple: #multiple,
                required: #required,
            }
        },
        FieldType::Mapping { options, to } => {
            let source =
                quote_spanned! {options.span()=> #private::OptionsSource::of::<#options>() };
            let to = match to {
                MappingTarget::Text => {
                    quote!(#private::FieldKind::Text { required: false, placeholder: ::core::option::Option::None })
                }
                MappingTarget::Checkbox => quote!(#private::FieldKind::Checkbox),
                MappingTarget::Select(handler) => {
                    let source = quote_spanned! {handler.span()=> #private::OptionsSource::of::<#handler>() };
                    quote! {
                        #private::FieldKind::Select {
                            options: #source,
                            multiple: false,
                            selected_values: ::core::option::Option::None,
                            required: false,
                        }
                    }
                }
                MappingTarget::Resource(resource) => quote! {
                    #private::FieldKind::Resource {
                        resource: #private::Resource::named(#resource),
                        multiple: false,
                        required: false,
                    }
                },
            };
            quote!(#private::FieldKind::Mapping { options: #source, to: &#to })
        }
    };
    quote! {
        #private::FieldDescription { key: #key, label: #label, kind: #kind }
    }
}
