//! `#[derive(SetupForm)]`: a form step from a struct. Each field with `#[field(...)]` is a form
//! field; `#[form(...)]` on the struct gives the title and the fields that hold no value (info text
//! and links), which come first.
//!
//! The derive emits the step's description as a constant. Building it names each select's options
//! handler and selected-values handler through trait-bounded `const fn`s, so a name that is not such a
//! handler, or a paginated select without a selected-values handler, stops the build on that name.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Token, parenthesized};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::respan;
use crate::serde;
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
    name: Ident,
    ty: syn::Type,
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

pub fn expand(cx: &mut Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let Data::Struct(data) = &input.data else {
        cx.error(
            ident.span(),
            "`SetupForm` derives a form step from a struct with named fields",
        );
        return TokenStream::new();
    };
    let Fields::Named(named) = &data.fields else {
        cx.error(
            ident.span(),
            "`SetupForm` needs named fields: each field is a form field with a key",
        );
        return TokenStream::new();
    };
    let (title, decorations) = parse_form_attribute(cx, input);
    let rename_all = serde::rename_all(&input.attrs);
    let mut fields: Vec<Field> = Vec::new();
    for field in &named.named {
        let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("field")) else {
            continue;
        };
        let name = field.ident.as_ref().expect("named field");
        let Some(parsed) = parse_field(cx, attr, name, field, rename_all.as_deref()) else {
            continue;
        };
        if let Some(earlier) = fields.iter().find(|f| f.key == parsed.key) {
            cx.error(
                name.span(),
                format!(
                    "fields `{}` and `{name}` are both saved under the key `{}` (after serde's renaming): give one another name or `#[serde(rename = \"...\")]`",
                    earlier.name, parsed.key
                ),
            );
            continue;
        }
        fields.push(parsed);
    }
    if !cx.is_ok() {
        return TokenStream::new();
    }

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
    let widget_checks = fields.iter().map(widget_check);
    quote! {
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

        #(#widget_checks)*
    }
}

/// Consumes what follows a nested setting's name (`= value` or `(...)`), so the next setting is
/// read after an error in this one.
fn skip(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

/// `#[form(title = "...", info(...), link(...))]`: the title and the fields without a value; every
/// mistake recorded.
fn parse_form_attribute(cx: &mut Ctxt, input: &DeriveInput) -> (Option<LitStr>, Vec<Decoration>) {
    let mut title = None;
    let mut decorations = Vec::new();
    let mut errors: Vec<syn::Error> = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("form")) {
        let parsed = attr.parse_nested_meta(|meta| {
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
                        errors.push(inner.error(unknown_message(
                            "setting",
                            &name_of(&inner.path),
                            "an info field takes",
                            &["label", "text"],
                        )));
                        skip(&inner)?;
                    }
                    Ok(())
                })?;
                match text {
                    Some(text) => {
                        let label = label.unwrap_or_else(|| LitStr::new("", text.span()));
                        decorations.push(Decoration::Info { label, text });
                    }
                    None => errors.push(meta.error("an info field needs `text = \"...\"`")),
                }
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
                        errors.push(inner.error(unknown_message(
                            "setting",
                            &name_of(&inner.path),
                            "a link field takes",
                            &["label", "url", "popup", "tab"],
                        )));
                        skip(&inner)?;
                    }
                    Ok(())
                })?;
                match (url, label) {
                    (Some(url), Some(label)) => {
                        decorations.push(Decoration::Link { label, url, popup })
                    }
                    (None, _) => {
                        errors.push(meta.error("a link field needs `url = \"https://...\"`"))
                    }
                    (_, None) => errors.push(meta.error("a link field needs `label = \"...\"`")),
                }
            } else {
                errors.push(meta.error(unknown_message(
                    "form setting",
                    &name_of(&meta.path),
                    "`#[form]` takes",
                    &["title", "info", "link"],
                )));
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(err) = parsed {
            errors.push(err);
        }
    }
    errors.into_iter().for_each(|e| cx.push(e));
    (title, decorations)
}

/// A setting's name as written.
fn name_of(path: &Path) -> String {
    path.get_ident().map(Ident::to_string).unwrap_or_default()
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

/// The settings each field type takes.
fn settings_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "text" => &["key", "label", "required", "placeholder"],
        "checkbox" => &["key", "label"],
        "select" => &[
            "key", "label", "required", "multiple", "options", "selected",
        ],
        "resource" => &["key", "label", "required", "multiple", "resource"],
        _ => &["key", "label", "options", "to"],
    }
}

/// Every setting of any field type, to tell "does not apply here" from "unknown".
const ALL_SETTINGS: &[&str] = &[
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

/// One `#[field(...)]`, every mistake recorded; `None` when one was found.
fn parse_field(
    cx: &mut Ctxt,
    attr: &syn::Attribute,
    name: &Ident,
    field: &syn::Field,
    rename_all: Option<&str>,
) -> Option<Field> {
    let tokens = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => {
            cx.error_on(
                attr,
                "expected the field type: `#[field(text, label = \"...\")]`",
            );
            return None;
        }
    };
    let errors_before = cx.len();
    let mut args = args(tokens).into_iter();
    let kind_ident = match args.next() {
        Some(Arg::Flag(kind)) => kind,
        Some(other) => {
            let span = other.key().map_or_else(|| attr.span(), Ident::span);
            cx.error(
                span,
                format!("expected the field type first: {}", backticked(FIELD_TYPES)),
            );
            return None;
        }
        None => {
            cx.error_on(
                attr,
                format!("expected the field type first: {}", backticked(FIELD_TYPES)),
            );
            return None;
        }
    };
    let kind_name = kind_ident.to_string();
    if !FIELD_TYPES.contains(&kind_name.as_str()) {
        let message = if kind_name == "info" || kind_name == "link" {
            format!(
                "unknown field type `{kind_name}`: `{kind_name}` holds no value, so it is declared on the struct: `#[form({kind_name}(...))]`"
            )
        } else {
            unknown_message(
                "field type",
                &kind_name,
                "the form builder has",
                FIELD_TYPES,
            )
        };
        cx.error(kind_ident.span(), message);
        return None;
    }
    let allowed = settings_of(&kind_name);
    let takes = format!("a {kind_name} field takes");
    let mut keys = Keys::new(allowed, "field setting", takes);
    let mut key = None;
    let mut label = None;
    let mut required: Option<Ident> = None;
    let mut multiple: Option<Ident> = None;
    let mut placeholder = None;
    let mut options: Option<Path> = None;
    let mut selected: Option<Path> = None;
    let mut resource: Option<LitStr> = None;
    let mut to: Option<MappingTarget> = None;
    for arg in args {
        let Some(setting) = arg.key().cloned() else {
            if let Arg::Other(tokens) = arg {
                cx.error_on(
                    tokens,
                    format!("expected a setting: {}", backticked(allowed)),
                );
            }
            continue;
        };
        let setting_name = setting.to_string();
        if !allowed.contains(&setting_name.as_str())
            && ALL_SETTINGS.contains(&setting_name.as_str())
        {
            let message = if setting_name == "required" && kind_name == "checkbox" {
                "a checkbox is either checked or not: it cannot be `required`".to_owned()
            } else {
                format!(
                    "`{setting_name}` does not apply to a {kind_name} field, which takes {}",
                    backticked(allowed)
                )
            };
            cx.error(setting.span(), message);
            continue;
        }
        if !keys.accept(cx, &setting) {
            continue;
        }
        match (setting_name.as_str(), arg) {
            ("required", Arg::Flag(_)) => required = Some(setting),
            ("multiple", Arg::Flag(_)) => multiple = Some(setting),
            ("required" | "multiple", _) => cx.error(
                setting.span(),
                format!("`{setting}` is a flag: write it alone, without a value"),
            ),
            ("key" | "label" | "placeholder" | "resource", Arg::Assign(_, tokens)) => {
                let value = cx.handle(value(
                    &setting,
                    &tokens,
                    <LitStr as syn::parse::Parse>::parse,
                ));
                match setting_name.as_str() {
                    "key" => key = value,
                    "label" => label = value,
                    "placeholder" => placeholder = value,
                    _ => resource = value.filter(|r| check_resource(cx, r)),
                }
            }
            ("options" | "selected", Arg::Assign(_, tokens)) => {
                let value = cx.handle(value(&setting, &tokens, Path::parse_mod_style));
                if setting_name == "options" {
                    options = value;
                } else {
                    selected = value;
                }
            }
            ("to", Arg::Assign(_, tokens)) => {
                to = cx.handle(value(&setting, &tokens, parse_mapping_target));
            }
            (_, _) => cx.error(
                setting.span(),
                format!("`{setting}` takes a value: `{setting} = ...`"),
            ),
        }
    }
    let missing = |cx: &mut Ctxt, message: String| cx.error(kind_ident.span(), message);
    let kind = match kind_name.as_str() {
        "text" => Some(FieldType::Text { placeholder }),
        "checkbox" => Some(FieldType::Checkbox),
        "select" => match options {
            Some(options) => Some(FieldType::Select { options, selected }),
            None if keys.given("options") => None,
            None => {
                missing(
                    cx,
                    "a select needs `options = my_options_handler` (an `#[options]` fn)".into(),
                );
                None
            }
        },
        "resource" => match resource {
            Some(resource) => Some(FieldType::Resource { resource }),
            None if keys.given("resource") => None,
            None => {
                missing(
                    cx,
                    format!(
                        "a resource select needs `resource = \"...\"`, one of {}",
                        backticked(RESOURCES)
                    ),
                );
                None
            }
        },
        _ => {
            if options.is_none() && !keys.given("options") {
                missing(
                    cx,
                    "a mapping needs `options = my_options_handler` for its left side".into(),
                );
            }
            if to.is_none() && !keys.given("to") {
                missing(cx, "a mapping needs `to = text` (or `checkbox`, `select(handler)`, `resource(\"...\")`) for its right side".into());
            }
            match (options, to) {
                (Some(options), Some(to)) => Some(FieldType::Mapping { options, to }),
                _ => None,
            }
        }
    };
    let serde_key = serde::field_key(field, rename_all);
    if let Some(explicit) = key.as_ref().filter(|k| k.value() != serde_key) {
        cx.error(
            explicit.span(),
            format!(
                "the dashboard would save this field under `{}`, but serde reads `{serde_key}`: write `#[serde(rename = \"{}\")]` on the field instead of `key`",
                explicit.value(),
                explicit.value()
            ),
        );
    }
    if serde::skipped(field) {
        cx.error(
            name.span(),
            "serde skips this field, so the value the installer enters would never be read: remove `#[serde(skip)]` or the `#[field]`",
        );
    }
    if cx.len() > errors_before {
        return None;
    }
    Some(Field {
        name: name.clone(),
        ty: field.ty.clone(),
        label: label
            .map(|l| l.value())
            .unwrap_or_else(|| humanize(&name.to_string())),
        key: serde_key,
        kind: kind?,
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
            Ok(MappingTarget::Select(content.call(Path::parse_mod_style)?))
        }
        "resource" => {
            let content;
            parenthesized!(content in input);
            let resource: LitStr = content.parse()?;
            match resource_error(&resource) {
                Some(err) => Err(err),
                None => Ok(MappingTarget::Resource(resource)),
            }
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

/// Whether `resource` is one the platform offers; records the error otherwise.
fn check_resource(cx: &mut Ctxt, resource: &LitStr) -> bool {
    resource_error(resource).map(|e| cx.push(e)).is_none()
}

fn resource_error(resource: &LitStr) -> Option<syn::Error> {
    let value = resource.value();
    if RESOURCES.contains(&value.as_str()) {
        return None;
    }
    Some(syn::Error::new(
        resource.span(),
        unknown_message("resource", &value, "a resource select offers", RESOURCES),
    ))
}

fn paginated_message(field: &Field, step: &str, handler: &Path) -> String {
    format!(
        "field `{}` of `{step}` takes its options from `{}`, which pages: add `selected = my_selected_values` (a `#[selected_values]` fn) so saved values outside the first page can be shown",
        field.name,
        handler.to_token_stream().to_string().replace(' ', "")
    )
}

/// The widget <-> type check of a field, spanned at the field's type: one error there, naming the
/// widget and the types it can fill.
fn widget_check(field: &Field) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let ty = &field.ty;
    let accepts = match (&field.kind, field.multiple) {
        (FieldType::Text { .. }, _) => quote!(TextValue),
        (FieldType::Checkbox, _) => quote!(CheckboxValue),
        (FieldType::Select { .. } | FieldType::Resource { .. }, false) => quote!(ChoiceValue),
        (FieldType::Select { .. } | FieldType::Resource { .. }, true) => quote!(MultiChoiceValue),
        (FieldType::Mapping { .. }, _) => quote!(MappingValue),
    };
    let call = quote_spanned! {ty.span()=> accepts::<#ty> };
    quote! {
        const _: () = {
            fn accepts<T: ?::core::marker::Sized + #private::widget::#accepts>() {}
            #[allow(dead_code)]
            fn check() {
                #call();
            }
        };
    }
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
                    let path = respan(
                        quote!(#private::selected_values_path(#handler)),
                        handler.span(),
                    );
                    quote!(::core::option::Option::Some(#path))
                }
                None => quote!(::core::option::Option::None),
            };
            // The description names the handler once, through a bounded `const fn` that also stops
            // the build (when the description is evaluated) if the handler pages and the select
            // names no selected-values handler; every token carries the handler's span, so both
            // errors are reported on its name.
            let span = options.span();
            let message = LitStr::new(&paginated_message(field, step, options), span);
            let given = match &field.kind {
                FieldType::Select {
                    selected: Some(_), ..
                } => quote_spanned!(span=> ::core::option::Option::Some("")),
                _ => quote_spanned!(span=> ::core::option::Option::None),
            };
            let private_at = quote_spanned!(span=> ::envoy_plugin::__private);
            let source = quote_spanned! {span=>
                #private_at::select_options_source(#options, #given, #message)
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
            let source = respan(quote!(#private::options_source(#options)), options.span());
            let to = match to {
                MappingTarget::Text => {
                    quote!(#private::FieldKind::Text { required: false, placeholder: ::core::option::Option::None })
                }
                MappingTarget::Checkbox => quote!(#private::FieldKind::Checkbox),
                MappingTarget::Select(handler) => {
                    let source = respan(quote!(#private::options_source(#handler)), handler.span());
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
