//! `#[event("entry_sign_in")]`: parse the arguments, check the function, emit the worker.
//!
//! The function becomes a unit struct of the same name that implements the runtime's `Worker` (its
//! event, path and how its arguments are taken) and actix-web's `HttpServiceFactory`; the function
//! itself lives on as the struct's associated `handle` function. When anything is wrong, the same
//! struct and impls are emitted with placeholder metadata next to the errors, so code that uses the
//! worker (`App::service`, `plugin!`) reports nothing more.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, ItemFn, LitStr};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::{
    arg_types, check_function, convert_output, parse_budget, parse_handler, parse_path, run_body,
    struct_and_handle, take_args,
};
use crate::known_events::EVENTS;
use crate::suggest::did_you_mean;

/// The attribute's arguments, as far as they could be read.
#[derive(Default)]
struct EventArgs {
    event: Option<LitStr>,
    path: Option<LitStr>,
    budget: Option<TokenStream>,
}

const KEYS: &[&str] = &["path", "budget"];

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
                } else {
                    parsed.budget = cx.handle(value(&key, &tokens, parse_budget));
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
    if parsed.event.is_none() {
        cx.error(
            Span::call_site(),
            "missing event name: write `#[event(\"entry_sign_in\")]` with the event this worker handles",
        );
    }
    parsed
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
    let event_name = args.event.as_ref().map(LitStr::value).unwrap_or_default();
    if !ok || event_name.is_empty() {
        return quote! {
            #struct_and_handle

            impl #private::Worker for #ident {
                type Event = #private::PlaceholderEvent;
                const NAME: &'static str = "";
                const PATH: &'static str = "";

                fn config_types() -> ::std::vec::Vec<#private::ConfigType> {
                    ::std::vec::Vec::new()
                }

                fn run(
                    _: #private::EventParts<Self::Event>,
                ) -> impl ::std::future::Future<Output = #private::JobResult> + 'static {
                    #private::never_served()
                }
            }

            impl #private::actix_web::dev::HttpServiceFactory for #ident {
                fn register(self, _: &mut #private::actix_web::dev::AppService) {}
            }
        };
    }
    let name = ident.to_string();
    let event = Ident::new(
        &event_name,
        args.event
            .as_ref()
            .map_or_else(Span::call_site, LitStr::span),
    );
    let path = args
        .path
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| format!("/events/{event_name}"));
    let types = arg_types(function);
    let from_event = quote!(#private::FromEvent<Self::Event>);
    let (take, names) = take_args(
        &types,
        &from_event,
        &Ident::new("from_event", Span::call_site()),
    );
    let config_types = types.iter().map(|ty| {
        quote! { types.extend(<#ty as #from_event>::config_type()); }
    });
    let into_job_result = convert_output(function, &quote!(#private::into_job_result), None);
    let run_body = run_body(&take, &names, &into_job_result);
    let budget = &args.budget;

    quote! {
        #struct_and_handle

        impl #private::Worker for #ident {
            type Event = #private::events::#event;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            #budget

            #[allow(unused_mut)]
            fn config_types() -> ::std::vec::Vec<#private::ConfigType> {
                let mut types = ::std::vec::Vec::new();
                #(#config_types)*
                types
            }

            #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
            fn run(
                mut parts: #private::EventParts<Self::Event>,
            ) -> impl ::std::future::Future<Output = #private::JobResult> + 'static {
                #run_body
            }
        }

        impl #private::actix_web::dev::HttpServiceFactory for #ident {
            fn register(self, config: &mut #private::actix_web::dev::AppService) {
                #private::register_worker::<Self>(config);
            }
        }
    }
}
