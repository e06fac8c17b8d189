//! `plugin! { Name { name: "...", config: Type, events: [worker, ...], webhooks: [hook, ...] } }`: parse the declaration,
//! check it, emit the plugin.
//!
//! The declaration becomes a unit struct implementing the runtime's `Plugin`: it registers every
//! worker in order and lists them for the manifest. Checks that need the workers' types (two workers
//! for one event, two on one path) are emitted as constants evaluated by the compiler, each placed on
//! the later of the two workers.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Path, Token, Type, Visibility, braced, bracketed};

use crate::args::{Keys, split};
use crate::ctxt::Ctxt;
use crate::handler::respan;
use crate::suggest::backticked;

const KEYS: &[&str] = &[
    "name",
    "description",
    "config",
    "steps",
    "events",
    "routes",
    "webhooks",
    "user_scopes",
];

struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    name: Option<LitStr>,
    description: Option<LitStr>,
    config: Option<Type>,
    /// The user-scope set (`user_scopes: MyScopes`), for the manifest and the startup check.
    user_scopes: Option<Type>,
    steps: Vec<Path>,
    events: Vec<Path>,
    routes: Vec<Path>,
    webhooks: Vec<Path>,
}

pub fn expand(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let declaration = parse(&mut cx, input);
    let errors = cx.to_compile_errors();
    let plugin = declaration.map(|d| emit(&d));
    quote!(#errors #plugin)
}

/// The head (`attrs vis Name { ... }`), then each `key: value` on its own, so every mistake in the
/// body is reported in one pass. `None` only when there is no head to emit a plugin for.
fn parse(cx: &mut Ctxt, input: TokenStream) -> Option<Declaration> {
    let head = |input: ParseStream| {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let ident: Ident = input.parse()?;
        let content;
        braced!(content in input);
        let body: TokenStream = content.parse()?;
        Ok((attrs, vis, ident, body))
    };
    let (attrs, vis, ident, body) = match head.parse2(input) {
        Ok(head) => head,
        Err(err) => {
            cx.push(syn::Error::new(
                err.span(),
                format!("{err}: a plugin is declared as `MyPlugin {{ name: \"My plugin\", events: [...] }}`"),
            ));
            return None;
        }
    };
    let mut declaration = Declaration {
        attrs,
        vis,
        ident,
        name: None,
        description: None,
        config: None,
        user_scopes: None,
        steps: Vec::new(),
        events: Vec::new(),
        routes: Vec::new(),
        webhooks: Vec::new(),
    };
    let mut keys = Keys::new(KEYS, "key", "a plugin declares");
    for entry in split(body) {
        let parsed = (|input: ParseStream| {
            let key: Ident = input.parse()?;
            let colon: Option<Token![:]> = input.parse()?;
            Ok((key, colon, input.parse::<TokenStream>()?))
        })
        .parse2(entry.clone());
        let (key, colon, value) = match parsed {
            Ok(parsed) => parsed,
            Err(_) => {
                cx.error_on(
                    entry,
                    format!(
                        "expected `key: value`: a plugin declares {}",
                        backticked(KEYS)
                    ),
                );
                continue;
            }
        };
        if !keys.accept(cx, &key) {
            continue;
        }
        if colon.is_none() || value.is_empty() {
            cx.error(key.span(), format!("`{key}` needs a value: `{key}: ...`"));
            continue;
        }
        let d = &mut declaration;
        match key.to_string().as_str() {
            "name" => d.name = cx.handle(syn::parse2(value)),
            "description" => d.description = cx.handle(syn::parse2(value)),
            "config" => d.config = cx.handle(syn::parse2(value)),
            "user_scopes" => d.user_scopes = cx.handle(syn::parse2(value)),
            list => {
                let items = cx.handle(list_of(value, list)).unwrap_or_default();
                let items = unique(cx, items);
                match list {
                    "steps" => d.steps = items,
                    "events" => d.events = items,
                    "routes" => d.routes = items,
                    _ => d.webhooks = items,
                }
            }
        }
    }
    match &declaration.name {
        None if !keys.given("name") => cx.error(
            declaration.ident.span(),
            format!(
                "missing `name`: write `{} {{ name: \"My plugin\", ... }}`",
                declaration.ident
            ),
        ),
        Some(name) if name.value().trim().is_empty() => cx.error(
            name.span(),
            "a plugin's name cannot be empty: write the name installers see",
        ),
        _ => {}
    }
    Some(declaration)
}

/// `[a, b, c]`: the items of a list key.
fn list_of(value: TokenStream, key: &str) -> syn::Result<Vec<Path>> {
    let items = |input: ParseStream| {
        let list;
        bracketed!(list in input);
        Punctuated::<Path, Token![,]>::parse_terminated(&list)
    };
    items
        .parse2(value.clone())
        .map(|p| p.into_iter().collect())
        .map_err(|err| {
            syn::Error::new(
                err.span(),
                format!("`{key}` is a list of names in brackets: `{key}: [first, second]`"),
            )
        })
}

/// The items of a list, dropping one listed twice (reported on its second mention).
fn unique(cx: &mut Ctxt, items: Vec<Path>) -> Vec<Path> {
    let mut seen: Vec<Path> = Vec::new();
    for item in items {
        let name = shown(&item);
        if seen.iter().any(|s| shown(s) == name) {
            cx.error_on(&item, format!("`{name}` is listed twice: list it once"));
        } else {
            seen.push(item);
        }
    }
    seen
}

/// The name of a list item as messages write it.
fn shown(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

fn emit(declaration: &Declaration) -> TokenStream {
    let Declaration {
        attrs,
        vis,
        ident,
        name,
        description,
        config,
        user_scopes,
        steps,
        events,
        routes,
        webhooks,
    } = declaration;
    let private = quote!(::envoy_plugin::__private);
    let name = name
        .clone()
        .unwrap_or_else(|| LitStr::new("", ident.span()));
    let config = config
        .as_ref()
        .map(|ty| quote!(#ty))
        .unwrap_or_else(|| quote!(::envoy_plugin::UntypedConfig));
    let description = description
        .as_ref()
        .map(|d| quote!(const DESCRIPTION: &'static str = #d;));
    // Each item is named once, as a value passed to a bounded `const fn` spanned at it: a name
    // that is not a worker (a plain fn, a route) is one error there, in the framework's words.
    // Everything else reads the constant, so it adds no error of its own.
    let entries = |items: &[Path],
                   prefix: &str,
                   of: TokenStream,
                   info: TokenStream|
     -> (Vec<Ident>, Vec<TokenStream>) {
        let idents: Vec<Ident> = (0..items.len())
            .map(|i| format_ident!("__{}{}", prefix, i))
            .collect();
        let consts = items
            .iter()
            .zip(&idents)
            .map(|(item, id)| {
                // Every token of the call carries the item's span: the error points at the
                // item and nowhere else.
                let value = respan(quote!(#of(#item)), item.span());
                quote! { const #id: #private::Entry<#private::#info> = #value; }
            })
            .collect();
        (idents, consts)
    };
    let (worker_ids, worker_consts) = entries(
        events,
        "W",
        quote!(#private::Entry::worker),
        quote!(WorkerInfo),
    );
    let (route_ids, route_consts) = entries(
        routes,
        "R",
        quote!(#private::Entry::route),
        quote!(RouteInfo),
    );
    let (hook_ids, hook_consts) = entries(
        webhooks,
        "H",
        quote!(#private::Entry::webhook),
        quote!(WebhookInfo),
    );
    let step_ids: Vec<Ident> = (0..steps.len())
        .map(|i| format_ident!("__S{}", i))
        .collect();
    let step_consts = steps.iter().zip(&step_ids).map(|(step, id)| {
        let value = respan(quote!(#private::StepEntry::of::<#step>()), step.span());
        quote! { const #id: #private::StepEntry = #value; }
    });
    let checks = checks(declaration, &step_ids, &worker_ids, &route_ids, &hook_ids);
    let user_scopes = user_scopes.as_ref().map(|ty| {
        // Spanned at the type, so a type that is not a scope set is reported there.
        let info = quote::quote_spanned! {syn::spanned::Spanned::span(ty)=>
            ::envoy_plugin::user_api::ScopeSetInfo::of::<#ty>()
        };
        quote! {
            fn user_scopes() -> ::std::option::Option<::envoy_plugin::user_api::ScopeSetInfo> {
                ::std::option::Option::Some(#info)
            }
        }
    });
    quote! {
        #(#attrs)*
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        const _: () = {
            #(#worker_consts)*
            #(#route_consts)*
            #(#hook_consts)*
            #(#step_consts)*

            impl #private::Plugin for #ident {
                const NAME: &'static str = #name;
                #description
                type Config = #config;
                #user_scopes

                fn workers() -> ::std::vec::Vec<#private::WorkerInfo> {
                    ::std::vec![#((#worker_ids.info)()),*]
                }

                fn steps() -> ::std::vec::Vec<#private::StepDescription> {
                    ::std::vec![#(#step_ids.description),*]
                }

                fn routes() -> ::std::vec::Vec<#private::RouteInfo> {
                    ::std::vec![#((#route_ids.info)()),*]
                }

                fn webhooks() -> ::std::vec::Vec<#private::WebhookInfo> {
                    ::std::vec![#((#hook_ids.info)()),*]
                }
            }

            #checks
        };
    }
}

/// The declaration's checks across items, as constants the compiler evaluates. Each compares the
/// items' entries (never their types again), names both items and the clashing value, and sits on
/// the later of the two items, or on the item it is about.
fn checks(
    declaration: &Declaration,
    step_ids: &[Ident],
    worker_ids: &[Ident],
    route_ids: &[Ident],
    hook_ids: &[Ident],
) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let mut checks = Vec::new();
    let events = &declaration.events;
    for (i, later) in events.iter().enumerate() {
        for (j, earlier) in events[..i].iter().enumerate() {
            let (a, b) = (&worker_ids[j], &worker_ids[i]);
            let (earlier, later_name) = (shown(earlier), shown(later));
            checks.push(quote_spanned! {later.span()=>
                const _: () = if #private::str_eq(#a.event, #b.event) {
                    ::core::panic!("{}", #private::Message::new(&[
                        "`", #later_name, "` handles `", #b.event, "`, like `", #earlier,
                        "`: a plugin has one worker per event; remove one of them from `events`",
                    ]).as_str());
                };
            });
        }
    }
    // Every served path, workers, routes then webhooks, each compared with those before it.
    let served: Vec<(&Path, &Ident)> = events
        .iter()
        .zip(worker_ids)
        .chain(declaration.routes.iter().zip(route_ids))
        .chain(declaration.webhooks.iter().zip(hook_ids))
        .collect();
    for (i, (later, b)) in served.iter().enumerate() {
        for (earlier, a) in &served[..i] {
            let (earlier, later_name) = (shown(earlier), shown(later));
            checks.push(quote_spanned! {later.span()=>
                const _: () = if #private::str_eq(#a.path, #b.path) {
                    ::core::panic!("{}", #private::Message::new(&[
                        "`", #later_name, "` is served at `", #b.path, "`, like `", #earlier,
                        "`: give one of them another `path = \"/...\"`",
                    ]).as_str());
                };
            });
        }
    }
    let steps = &declaration.steps;
    for (i, later) in steps.iter().enumerate() {
        for (j, earlier) in steps[..i].iter().enumerate() {
            let (a, b) = (&step_ids[j], &step_ids[i]);
            let (earlier, later_name) = (shown(earlier), shown(later));
            checks.push(quote_spanned! {later.span()=>
                const _: () = {
                    let key = #private::shared_key(#a.keys, #b.keys);
                    if !key.is_empty() {
                        ::core::panic!("{}", #private::Message::new(&[
                            "steps `", #earlier, "` and `", #later_name, "` both save the key `", key,
                            "`: each key names one value of the install config; rename one field",
                        ]).as_str());
                    }
                };
            });
        }
    }
    let validated = quote!(&[#(#route_ids.validates),*]);
    for (step, id) in steps.iter().zip(step_ids) {
        let name = shown(step);
        checks.push(quote_spanned! {step.span()=>
            const _: () = if #private::lacks_validation(&#id, #validated) {
                ::core::panic!("{}", #private::Message::new(&[
                    "step `", #name, "` (", #id.kind_name, ") saves nothing by itself, and no route in `routes` validates it: add `#[validate(", #name, ")]` to an async fn and list it in `routes`",
                ]).as_str());
            };
        });
    }
    // Every route a step uses (a select's options and selected values, a mapping's sides, a pop-up
    // page) must be served: listed in `routes`, so the manifest never names a URL nobody serves.
    let served = quote!(&[#(#route_ids.path),*]);
    for (step, id) in steps.iter().zip(step_ids) {
        let name = shown(step);
        checks.push(quote_spanned! {step.span()=>
            const _: () = {
                let missing = #private::unlisted_route(&#id.description, #served);
                if missing.is_missing() {
                    ::core::panic!("{}", #private::Message::new(&[
                        "`", missing.shown, "` is used by `", #name, ".", missing.field,
                        "` but not listed in `routes`: add it to `routes`, so the URL the dashboard calls is served",
                    ]).as_str());
                }
            };
        });
    }
    let step_names = quote!(&[#(#step_ids.name),*]);
    for (route, id) in declaration.routes.iter().zip(route_ids) {
        let name = shown(route);
        checks.push(quote_spanned! {route.span()=>
            const _: () = if !#id.validates.is_empty() && !#private::contains(#step_names, #id.validates) {
                ::core::panic!("{}", #private::Message::new(&[
                    "`", #name, "` validates step `", #id.validates, "`, which is not in this plugin's `steps`: add it to `steps`, or remove the route",
                ]).as_str());
            };
        });
    }
    quote!(#(#checks)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_declaration() {
        let mut cx = Ctxt::new();
        let d = parse(
            &mut cx,
            quote! {
                /// Docs.
                pub Greeter { name: "Greeter", config: GreeterConfig, events: [welcome, farewell,] }
            },
        )
        .expect("a head");
        assert!(cx.is_ok());
        assert_eq!(d.name.expect("given").value(), "Greeter");
        assert_eq!(d.events.len(), 2);
        assert!(d.config.is_some());
    }

    #[test]
    fn reports_every_mistake_in_one_pass() {
        let mut cx = Ctxt::new();
        let d = parse(
            &mut cx,
            quote! { Greeter { nmae: "Greeter", events: [a, a], routes: b } },
        );
        assert!(d.is_some());
        let errors = cx.to_compile_errors().to_string();
        assert!(errors.contains("unknown key `nmae`"), "{errors}");
        assert!(errors.contains("did you mean `name`"), "{errors}");
        assert!(errors.contains("`a` is listed twice"), "{errors}");
        assert!(errors.contains("`routes` is a list"), "{errors}");
        // `name` was misspelt, not left out: no second error for it.
        assert!(!errors.contains("missing `name`"), "{errors}");
    }
}
