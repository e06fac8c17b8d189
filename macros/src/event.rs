//! `#[event("entry_sign_in")]`: parse the arguments, check the function, emit the worker.
//!
//! The function becomes a unit struct of the same name that implements the runtime's `Endpoint` of
//! kind `Worker<Event>` (its path and how its arguments are taken), the `EventWorker` marker (what
//! `plugin!`'s `events` lists) and actix-web's `HttpServiceFactory`; the function
//! itself lives on as the struct's associated `handle` function. When anything is wrong, the same
//! struct and impls are emitted with placeholder metadata next to the errors, so code that uses the
//! worker (`App::service`, `plugin!`) reports nothing more.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, ItemFn, LitStr, Type};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::{
    arg_types, check_function, convert_output, endpoint, parse_budget, parse_handler, parse_path,
    run_body, struct_and_handle, take_args, user_scope_sets_fn,
};
use crate::known_events::EVENTS;
use crate::suggest::did_you_mean;

/// The attribute's arguments, as far as they could be read.
#[derive(Default)]
struct EventArgs {
    event: Option<LitStr>,
    path: Option<LitStr>,
    budget: Option<TokenStream>,
    /// An event the platform names for this plugin: `custom = "name", payload = Type`.
    custom: Option<LitStr>,
    payload: Option<Type>,
}

const KEYS: &[&str] = &["path", "budget", "custom", "payload"];

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match parse_handler(
        &item,
        "`#[event]` goes on an `async fn`, the worker for that event",
    ) {
        Ok(function) => function,
        Err(tokens) => return tokens,
    };
    let mut cx = Ctxt::new();
    let args = parse_args(&mut cx, args);
    check_function(
        &mut cx,
        &function,
        "event",
        "a worker",
        "the job's outcome: add `-> JobResult`",
    );
    let errors = cx.to_compile_errors();
    let worker = emit(&args, &function, cx.is_ok());
    quote!(#errors #worker)
}

fn parse_args(cx: &mut Ctxt, tokens: TokenStream) -> EventArgs {
    let mut parsed = EventArgs::default();
    let mut keys = Keys::new(KEYS, "argument", "`#[event]` takes the event's name, then");
    for arg in args(tokens) {
        match arg {
            Arg::Other(tokens) => match syn::parse2::<LitStr>(tokens.clone()) {
                Ok(name) if parsed.event.is_some() => cx.error(
                    name.span(),
                    "a worker handles one event: declare one worker per event",
                ),
                Ok(name) => {
                    if check_event_name(cx, &name) {
                        parsed.event = Some(name);
                    } else {
                        // Known to be given, if misspelt: not "missing" as well.
                        parsed.event = Some(LitStr::new("", name.span()));
                    }
                }
                Err(_) => cx.error_on(
                    tokens,
                    "expected the event's name as a string, e.g. `#[event(\"entry_sign_in\")]`",
                ),
            },
            Arg::Assign(key, tokens) if keys.accept(cx, &key) => {
                if key == "path" {
                    parsed.path = cx.handle(value(&key, &tokens, parse_path));
                } else if key == "budget" {
                    parsed.budget = cx.handle(value(&key, &tokens, parse_budget));
                } else if key == "custom" {
                    let name = cx.handle(value(&key, &tokens, |input: syn::parse::ParseStream| {
                        input.parse::<LitStr>()
                    }));
                    // Known to be given, if refused: not "missing" as well.
                    parsed.custom = name.map(|name| {
                        if check_custom_name(cx, &name) {
                            name
                        } else {
                            LitStr::new("", name.span())
                        }
                    });
                } else {
                    parsed.payload =
                        cx.handle(value(&key, &tokens, |input: syn::parse::ParseStream| {
                            input.parse::<Type>()
                        }));
                }
            }
            Arg::Assign(..) => {}
            Arg::Flag(key) | Arg::Call(key) => {
                if keys.accept(cx, &key) {
                    cx.error(
                        key.span(),
                        format!("`{key}` takes a value: `{key} = \"...\"`"),
                    );
                }
            }
        }
    }
    match (&parsed.event, &parsed.custom, &parsed.payload) {
        (Some(event), Some(_), _) => cx.error(
            event.span(),
            "a worker handles one event: give either a built-in event's name or `custom = \"...\"`",
        ),
        (Some(event), None, Some(_)) => cx.error(
            event.span(),
            "a built-in event has its own payload type: `payload = ...` goes with `custom = \"...\"` only",
        ),
        (None, Some(name), None) => cx.error(
            name.span(),
            "a custom event names its payload type: add `payload = Notification` (or `Takeover`, or a type of your own)",
        ),
        (None, None, _) => cx.error(
            Span::call_site(),
            "missing event name: write `#[event(\"entry_sign_in\")]` with the event this worker handles",
        ),
        _ => {}
    }
    parsed
}

/// A custom event's name: not empty, and not a built-in event's (that one has its own check).
fn check_custom_name(cx: &mut Ctxt, name: &LitStr) -> bool {
    let value = name.value();
    if value.trim().is_empty() {
        cx.error(name.span(), "a custom event's name cannot be empty");
        return false;
    }
    if EVENTS.contains(&value.as_str()) {
        cx.error(
            name.span(),
            format!("`{value}` is a built-in event: write `#[event(\"{value}\")]`"),
        );
        return false;
    }
    true
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

            const READS_PAYLOAD: bool = true;
        }

        #warning
    };
    (quote!(#marker), tokens)
}

/// Whether `name` is an event the platform sends; records the error otherwise.
fn check_event_name(cx: &mut Ctxt, name: &LitStr) -> bool {
    let value = name.value();
    if EVENTS.contains(&value.as_str()) {
        return true;
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
    cx.error(name.span(), message);
    false
}

/// The worker; with `ok` false, the same struct and impls with placeholder metadata (no event, no
/// path) and a `run` that is never called.
fn emit(args: &EventArgs, function: &ItemFn, ok: bool) -> TokenStream {
    let ident = &function.sig.ident;
    let private = quote!(::envoy_plugin::__private);
    let struct_and_handle = struct_and_handle(function, ok);
    let custom = args.custom.as_ref().zip(args.payload.as_ref());
    let event_name = custom
        .map(|(name, _)| name)
        .or(args.event.as_ref())
        .map(LitStr::value)
        .unwrap_or_default();
    let markers = [quote!(#private::EventWorker)];
    if !ok || event_name.is_empty() {
        let event = quote!(#private::PlaceholderEvent);
        let endpoint = endpoint(
            ident,
            quote! {
                type Kind = #private::Worker<#event>;
                const NAME: &'static str = "";
                const PATH: &'static str = "";
                const SETTINGS: #private::WorkerSettings =
                    #private::WorkerSettings { reads_payload: true };

                fn run(
                    _: #private::EventParts<#event>,
                ) -> impl ::std::future::Future<Output = #private::JobResult> + 'static {
                    #private::never_served()
                }
            },
            &markers,
        );
        return quote! {
            #struct_and_handle
            #endpoint
        };
    }
    let name = ident.to_string();
    let (event_type, custom_event) = match custom {
        Some((custom, payload)) => custom_event(ident, &function.vis, custom, payload),
        None => {
            let event = Ident::new(
                &event_name,
                args.event
                    .as_ref()
                    .map_or_else(Span::call_site, LitStr::span),
            );
            (quote!(#private::events::#event), TokenStream::new())
        }
    };
    let path = args
        .path
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| format!("/events/{event_name}"));
    let types = arg_types(function);
    let from_event = quote!(#private::FromEvent<#event_type>);
    let (take, names) = take_args(
        &types,
        &from_event,
        &Ident::new("from_event", Span::call_site()),
    );
    let config_types = types.iter().map(|ty| {
        quote! { types.extend(<#ty as #from_event>::config_type()); }
    });
    // User API: the scope sets the arguments call it with, for the plugin's startup check.
    let user_scope_sets = user_scope_sets_fn(&types, &from_event);
    let into_job_result = convert_output(function, &quote!(#private::into_job_result), None);
    let run_body = run_body(&take, &names, &into_job_result);
    let budget = &args.budget;

    let endpoint = endpoint(
        ident,
        quote! {
            type Kind = #private::Worker<#event_type>;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            #budget
            // The payload is decoded with the request only when an argument is the typed payload.
            const SETTINGS: #private::WorkerSettings = #private::WorkerSettings {
                reads_payload: false #(|| <#types as #from_event>::READS_PAYLOAD)*,
            };

            #[allow(unused_mut)]
            fn config_types() -> ::std::vec::Vec<#private::ConfigType> {
                let mut types = ::std::vec::Vec::new();
                #(#config_types)*
                types
            }

            #user_scope_sets

            #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
            fn run(
                mut parts: #private::EventParts<#event_type>,
            ) -> impl ::std::future::Future<Output = #private::JobResult> + 'static {
                #run_body
            }
        },
        &markers,
    );

    quote! {
        #struct_and_handle
        #custom_event
        #endpoint
    }
}
