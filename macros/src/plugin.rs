//! `plugin! { Name { name: "...", config: Type, events: [worker, ...], webhooks: [hook, ...] } }`: parse the declaration,
//! check it, emit the plugin.
//!
//! The declaration becomes a unit struct implementing the runtime's `Plugin`: it registers every
//! worker in order and lists them for the manifest. Checks that need the workers' types (two workers
//! for one event, two on one path) are emitted as constants evaluated by the compiler, each placed on
//! the later of the two workers.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Attribute, Ident, LitStr, Token, Type, Visibility, braced, bracketed};

use crate::suggest::unknown_message;

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
    name: LitStr,
    description: Option<LitStr>,
    config: Option<Type>,
    /// The user-scope set (`user_scopes: MyScopes`), for the manifest and the startup check.
    user_scopes: Option<Type>,
    steps: Vec<Ident>,
    events: Vec<Ident>,
    routes: Vec<Ident>,
    webhooks: Vec<Ident>,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<Declaration>(input) {
        Ok(declaration) => emit(&declaration),
        Err(err) => err.to_compile_error(),
    }
}

impl Parse for Declaration {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let ident: Ident = input.parse()?;
        let content;
        braced!(content in input);
        let mut name: Option<LitStr> = None;
        let mut description: Option<LitStr> = None;
        let mut config: Option<Type> = None;
        let mut user_scopes: Option<Type> = None;
        let mut steps: Option<Vec<Ident>> = None;
        let mut events: Option<Vec<Ident>> = None;
        let mut routes: Option<Vec<Ident>> = None;
        let mut webhooks: Option<Vec<Ident>> = None;
        while !content.is_empty() {
            let key: Ident = content.parse()?;
            content.parse::<Token![:]>()?;
            let duplicate = || syn::Error::new(key.span(), format!("`{key}` is given twice"));
            match key.to_string().as_str() {
                "name" => {
                    if name.replace(content.parse()?).is_some() {
                        return Err(duplicate());
                    }
                }
                "description" => {
                    if description.replace(content.parse()?).is_some() {
                        return Err(duplicate());
                    }
                }
                "config" => {
                    if config.replace(content.parse()?).is_some() {
                        return Err(duplicate());
                    }
                }
                "user_scopes" => {
                    if user_scopes.replace(content.parse()?).is_some() {
                        return Err(duplicate());
                    }
                }
                "steps" | "events" | "routes" | "webhooks" => {
                    let list;
                    bracketed!(list in content);
                    let items = Punctuated::<Ident, Token![,]>::parse_terminated(&list)?;
                    let slot = match key.to_string().as_str() {
                        "steps" => &mut steps,
                        "events" => &mut events,
                        "routes" => &mut routes,
                        _ => &mut webhooks,
                    };
                    if slot.replace(unique(items)?).is_some() {
                        return Err(duplicate());
                    }
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        unknown_message("key", other, "a plugin declares", KEYS),
                    ));
                }
            }
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        let name = name.ok_or_else(|| {
            syn::Error::new(
                ident.span(),
                format!("missing `name`: write `{ident} {{ name: \"My plugin\", ... }}`"),
            )
        })?;
        if name.value().trim().is_empty() {
            return Err(syn::Error::new(
                name.span(),
                "a plugin's name cannot be empty",
            ));
        }
        Ok(Declaration {
            attrs,
            vis,
            ident,
            name,
            description,
            config,
            user_scopes,
            steps: steps.unwrap_or_default(),
            events: events.unwrap_or_default(),
            routes: routes.unwrap_or_default(),
            webhooks: webhooks.unwrap_or_default(),
        })
    }
}

/// The workers of a list, refusing one listed twice (on its second mention).
fn unique(workers: Punctuated<Ident, Token![,]>) -> syn::Result<Vec<Ident>> {
    let mut seen: Vec<Ident> = Vec::new();
    for worker in workers {
        if seen.contains(&worker) {
            return Err(syn::Error::new(
                worker.span(),
                format!("`{worker}` is listed twice"),
            ));
        }
        seen.push(worker);
    }
    Ok(seen)
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
    let config = config
        .as_ref()
        .map(|ty| quote!(#ty))
        .unwrap_or_else(|| quote!(::envoy_plugin::UntypedConfig));
    let description = description
        .as_ref()
        .map(|d| quote!(const DESCRIPTION: &'static str = #d;));
    // Each list item is named once with a trait bound (spanned at it), so a name that is not a
    // worker, step or route is reported once, on that name.
    let workers = events.iter().map(|worker| {
        quote_spanned! {worker.span()=> #private::WorkerInfo::of::<#worker>() }
    });
    let step_descriptions = steps.iter().map(|step| {
        quote_spanned! {step.span()=> <#step as #private::SetupStep>::DESCRIPTION }
    });
    let route_infos = routes.iter().map(|route| {
        quote_spanned! {route.span()=> <#route as #private::RouteEntry>::info() }
    });
    let webhook_infos = webhooks.iter().map(|webhook| {
        quote_spanned! {webhook.span()=> #private::WebhookInfo::of::<#webhook>() }
    });
    let user_scopes = user_scopes.as_ref().map(|ty| {
        // Spanned at the type, so a type that is not a scope set is reported there.
        let info =
            quote_spanned! {ty.span()=> ::envoy_plugin::user_api::ScopeSetInfo::of::<#ty>() };
        quote! {
            fn user_scopes() -> ::std::option::Option<::envoy_plugin::user_api::ScopeSetInfo> {
                ::std::option::Option::Some(#info)
            }
        }
    });
    let checks = checks(steps, events, routes, webhooks);
    quote! {
        #(#attrs)*
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        impl #private::Plugin for #ident {
            const NAME: &'static str = #name;
            #description
            type Config = #config;
            #user_scopes

            fn workers() -> ::std::vec::Vec<#private::WorkerInfo> {
                ::std::vec![#(#workers),*]
            }

            fn steps() -> ::std::vec::Vec<#private::StepDescription> {
                ::std::vec![#(#step_descriptions),*]
            }

            fn routes() -> ::std::vec::Vec<#private::RouteInfo> {
                ::std::vec![#(#route_infos),*]
            }

            fn webhooks() -> ::std::vec::Vec<#private::WebhookInfo> {
                ::std::vec![#(#webhook_infos),*]
            }
        }

        #checks
    }
}

/// The declaration's checks across items, as constants the compiler evaluates; each sits on the
/// later of the two items it compares, or on the item it is about.
fn checks(steps: &[Ident], events: &[Ident], routes: &[Ident], webhooks: &[Ident]) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let mut checks = Vec::new();
    for (i, later) in events.iter().enumerate() {
        for earlier in &events[..i] {
            let message = format!(
                "`{later}` handles the same event as `{earlier}`: a plugin has one worker per event"
            );
            checks.push(quote_spanned! {later.span()=>
                const _: () = if #private::same_event::<#earlier, #later>() {
                    ::core::panic!(#message);
                };
            });
        }
    }
    // Every served path, workers, routes then webhooks, each compared with those before it.
    let paths: Vec<(&Ident, TokenStream)> = events
        .iter()
        .map(|w| (w, quote!(<#w as #private::Worker>::PATH)))
        .chain(
            routes
                .iter()
                .map(|r| (r, quote!(<#r as #private::RouteEntry>::PATH))),
        )
        .chain(
            webhooks
                .iter()
                .map(|w| (w, quote!(<#w as #private::webhook::Webhook>::PATH))),
        )
        .collect();
    for (i, (later, later_path)) in paths.iter().enumerate() {
        for (earlier, earlier_path) in &paths[..i] {
            let message = format!(
                "`{later}` is served at the same path as `{earlier}`: give one of them another `path`"
            );
            checks.push(quote_spanned! {later.span()=>
                const _: () = if #private::str_eq(#earlier_path, #later_path) {
                    ::core::panic!(#message);
                };
            });
        }
    }
    for (i, later) in steps.iter().enumerate() {
        for earlier in &steps[..i] {
            let message = format!(
                "steps `{earlier}` and `{later}` save a field under the same key: each key names one value of the install config"
            );
            checks.push(quote_spanned! {later.span()=>
                const _: () = if #private::keys_overlap(
                    <#earlier as #private::SetupStep>::KEYS,
                    <#later as #private::SetupStep>::KEYS,
                ) {
                    ::core::panic!(#message);
                };
            });
        }
    }
    let validated = quote!(&[#(<#routes as #private::RouteEntry>::VALIDATES),*]);
    for step in steps {
        let message = format!(
            "step `{step}` saves nothing by itself: add a `#[validate({step})]` route to `routes`, the only way an OAuth2 or pop-up step saves data"
        );
        checks.push(quote_spanned! {step.span()=>
            const _: () = if #private::lacks_validation::<#step>(#validated) {
                ::core::panic!(#message);
            };
        });
    }
    let step_names = quote!(&[#(<#steps as #private::SetupStep>::NAME),*]);
    for route in routes {
        let message = format!(
            "`{route}` validates a step that is not in this plugin's `steps`: add the step, or remove the route"
        );
        checks.push(quote_spanned! {route.span()=>
            const _: () = {
                let validates = <#route as #private::RouteEntry>::VALIDATES;
                if !validates.is_empty() && !#private::contains(#step_names, validates) {
                    ::core::panic!(#message);
                }
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
        let d: Declaration = syn::parse_quote! {
            /// Docs.
            pub Greeter { name: "Greeter", config: GreeterConfig, events: [welcome, farewell,] }
        };
        assert_eq!(d.name.value(), "Greeter");
        assert_eq!(d.events.len(), 2);
        assert!(d.config.is_some());
    }
}
