//! `#[event("entry_sign_in")]`: parse the arguments, check the function, emit the worker.
//!
//! The function becomes a unit struct of the same name that implements the runtime's `Worker` (its
//! event, path and how its arguments are taken) and actix-web's `HttpServiceFactory`; the function
//! itself lives on as the struct's associated `handle` function.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, ItemFn, LitStr, Token, Type};

use crate::handler::{
    arg_types, check_function, convert_output, fallback, parse_budget, parse_handler, parse_path,
    run_body, struct_and_handle, take_args,
};
use crate::known_events::EVENTS;
use crate::suggest::did_you_mean;

/// The attribute's arguments: the event's name and an optional path.
struct EventArgs {
    event: LitStr,
    path: Option<LitStr>,
    budget: Option<TokenStream>,
    /// For an event the platform names per plugin (`custom = "..."`): its payload type.
    custom: Option<Type>,
}

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match parse_handler(
        &item,
        "`#[event]` goes on an `async fn`, the worker for that event",
    ) {
        Ok(function) => function,
        Err(tokens) => return tokens,
    };
    let args = parse_args.parse2(args);
    let checked = check_function(
        &function,
        "a worker",
        "the job's outcome: add `-> JobResult`",
    );
    match (args, checked) {
        (Ok(args), Ok(())) => emit(&args, &function),
        (args, checked) => fallback(
            args.err().into_iter().chain(checked.err()),
            &function,
            "placeholder_worker",
        ),
    }
}

fn parse_args(input: ParseStream) -> syn::Result<EventArgs> {
    let mut event: Option<LitStr> = None;
    let mut path: Option<LitStr> = None;
    let mut budget: Option<TokenStream> = None;
    let mut custom: Option<LitStr> = None;
    let mut payload: Option<Type> = None;
    while !input.is_empty() {
        if input.peek(LitStr) {
            let name: LitStr = input.parse()?;
            if event.is_some() {
                return Err(syn::Error::new(
                    name.span(),
                    "a worker handles one event: declare one worker per event",
                ));
            }
            check_event_name(&name)?;
            event = Some(name);
        } else if input.peek(Ident) && (input.peek2(Token![=]) && custom_key(input)) {
            // Events the platform names per plugin: `custom = "name", payload = Type`.
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let twice = || syn::Error::new(key.span(), format!("`{key}` is given twice"));
            if key == "custom" {
                let name: LitStr = input.parse()?;
                check_custom_name(&name)?;
                if custom.replace(name).is_some() {
                    return Err(twice());
                }
            } else if payload.replace(input.parse()?).is_some() {
                return Err(twice());
            }
        } else if input.peek(Ident) {
            let key: Ident = input.parse()?;
            if key != "path" && key != "budget" {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`: `#[event]` takes the event's name, `path = \"/...\"`, `budget = \"20s\"`, and `custom = \"...\"` with `payload = Type`{}",
                        did_you_mean(&key.to_string(), ["path", "budget", "custom", "payload"])
                    ),
                ));
            }
            input.parse::<Token![=]>()?;
            let twice = || syn::Error::new(key.span(), format!("`{key}` is given twice"));
            if key == "path" {
                if path.replace(parse_path(input)?).is_some() {
                    return Err(twice());
                }
            } else if budget.replace(parse_budget(input)?).is_some() {
                return Err(twice());
            }
        } else {
            return Err(input.error(
                "expected the event's name as a string, e.g. `#[event(\"entry_sign_in\")]`",
            ));
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    let (event, custom) = match (event, custom, payload) {
        (Some(event), None, None) => (event, None),
        (Some(event), Some(_), _) => {
            return Err(syn::Error::new(
                event.span(),
                "a worker handles one event: give either a built-in event's name or `custom = \"...\"`",
            ));
        }
        (Some(event), None, Some(_)) => {
            return Err(syn::Error::new(
                event.span(),
                "a built-in event has its own payload type: `payload = ...` goes with `custom = \"...\"` only",
            ));
        }
        (None, Some(name), Some(payload)) => (name, Some(payload)),
        (None, Some(name), None) => {
            return Err(syn::Error::new(
                name.span(),
                "a custom event names its payload type: add `payload = Notification` (or `Takeover`, or a type of your own)",
            ));
        }
        (None, None, _) => {
            return Err(syn::Error::new(
                Span::call_site(),
                "missing event name: write `#[event(\"entry_sign_in\")]` with the event this worker handles",
            ));
        }
    };
    Ok(EventArgs {
        event,
        path,
        budget,
        custom,
    })
}

/// Whether the next key is one of a custom event's (`custom`, `payload`).
fn custom_key(input: ParseStream) -> bool {
    input
        .fork()
        .parse::<Ident>()
        .is_ok_and(|key| key == "custom" || key == "payload")
}

/// A custom event's name: not empty, and not a built-in event's (that one has its own check).
fn check_custom_name(name: &LitStr) -> syn::Result<()> {
    let value = name.value();
    if value.trim().is_empty() {
        return Err(syn::Error::new(
            name.span(),
            "a custom event's name cannot be empty",
        ));
    }
    if EVENTS.contains(&value.as_str()) {
        return Err(syn::Error::new(
            name.span(),
            format!("`{value}` is a built-in event: write `#[event(\"{value}\")]`"),
        ));
    }
    Ok(())
}

/// For a custom name one or two edits away from a built-in event's: a warning (through a
/// deprecated item, the one warning a proc macro can emit on stable), since it may be a typo.
fn typo_warning(name: &LitStr) -> TokenStream {
    let value = name.value();
    let Some(built_in) = EVENTS
        .iter()
        .find(|known| strsim::levenshtein(&value, known) <= 2)
    else {
        return TokenStream::new();
    };
    let note = format!(
        "custom event `{value}` is one or two letters away from the built-in event `{built_in}`: if you meant that one, write `#[event(\"{built_in}\")]`"
    );
    quote::quote_spanned! {name.span()=>
        const _: () = {
            #[deprecated(note = #note)]
            #[allow(non_camel_case_types)]
            struct custom_event_name_close_to_a_built_in_event;
            let _ = custom_event_name_close_to_a_built_in_event;
        };
    }
}

fn check_event_name(name: &LitStr) -> syn::Result<()> {
    let value = name.value();
    if EVENTS.contains(&value.as_str()) {
        return Ok(());
    }
    let hint = did_you_mean(&value, EVENTS.iter().copied());
    let message = if hint.is_empty() {
        format!(
            "unknown event `{value}`: the platform sends {}",
            EVENTS.join(", ")
        )
    } else {
        format!("unknown event `{value}`{hint}")
    };
    Err(syn::Error::new(name.span(), message))
}

fn emit(args: &EventArgs, function: &ItemFn) -> TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let (event_type, custom_event) = match &args.custom {
        None => {
            let event = Ident::new(&args.event.value(), args.event.span());
            (
                quote!(::envoy_plugin::__private::events::#event),
                TokenStream::new(),
            )
        }
        Some(payload) => custom_event(ident, &function.vis, &args.event, payload),
    };
    let path = args
        .path
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| format!("/events/{}", args.event.value()));
    let types = arg_types(function);
    let from_event = quote!(::envoy_plugin::__private::FromEvent<Self::Event>);
    let (take, names) = take_args(
        &types,
        &from_event,
        &Ident::new("from_event", Span::call_site()),
    );
    let config_types = types.iter().map(|ty| {
        quote! { types.extend(<#ty as #from_event>::config_type()); }
    });
    // User API: the scope sets the arguments call it with, for the plugin's startup check.
    let user_scope_sets = types.iter().map(|ty| {
        quote! { sets.extend(<#ty as #from_event>::user_scopes()); }
    });
    let into_job_result = convert_output(
        function,
        &quote!(::envoy_plugin::__private::into_job_result),
        None,
    );
    let run_body = run_body(&take, &names, &into_job_result);
    let budget = &args.budget;
    let struct_and_handle = struct_and_handle(function);

    quote! {
        #struct_and_handle

        #custom_event

        impl ::envoy_plugin::__private::Worker for #ident {
            type Event = #event_type;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            #budget

            #[allow(unused_mut)]
            fn config_types() -> ::std::vec::Vec<::envoy_plugin::__private::ConfigType> {
                let mut types = ::std::vec::Vec::new();
                #(#config_types)*
                types
            }

            #[allow(unused_mut)]
            fn user_scope_sets() -> ::std::vec::Vec<::envoy_plugin::user_api::ScopeSetInfo> {
                let mut sets = ::std::vec::Vec::new();
                #(#user_scope_sets)*
                sets
            }

            #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
            fn run(
                mut parts: ::envoy_plugin::__private::EventParts<Self::Event>,
            ) -> impl ::std::future::Future<Output = ::envoy_plugin::__private::JobResult> + 'static {
                #run_body
            }
        }

        impl ::envoy_plugin::__private::actix_web::dev::HttpServiceFactory for #ident {
            fn register(self, config: &mut ::envoy_plugin::__private::actix_web::dev::AppService) {
                ::envoy_plugin::__private::register_worker::<Self>(config);
            }
        }
    }
}

/// The marker type of a custom event (`<fn>_event`), its `Event` impl, and its payload as a worker
/// argument; plus the typo warning.
fn custom_event(
    ident: &Ident,
    vis: &syn::Visibility,
    name: &LitStr,
    payload: &Type,
) -> (TokenStream, TokenStream) {
    let marker = quote::format_ident!("{ident}_event");
    let doc = format!(
        "The event `{}`, named by the platform for this plugin.",
        name.value()
    );
    let warning = typo_warning(name);
    let tokens = quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        #vis struct #marker;

        impl ::envoy_plugin::__private::events::Event for #marker {
            const NAME: &'static str = #name;
            type Payload = #payload;
        }

        impl ::envoy_plugin::__private::FromEvent<#marker> for #payload {
            fn from_event(
                parts: &mut ::envoy_plugin::__private::EventParts<#marker>,
            ) -> ::std::result::Result<Self, ::envoy_plugin::PluginError> {
                ::envoy_plugin::__private::take_payload(parts)
            }
        }

        #warning
    };
    (quote!(#marker), tokens)
}
