//! `#[event("entry_sign_in")]`: parse the arguments, check the function, emit the worker.
//!
//! The function becomes a unit struct of the same name that implements the runtime's `Worker` (its
//! event, path and how its arguments are taken) and actix-web's `HttpServiceFactory`; the function
//! itself lives on as the struct's associated `handle` function.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, LitStr, ReturnType, Token};

use crate::known_events::EVENTS;
use crate::suggest::did_you_mean;

/// The attribute's arguments: the event's name and an optional path.
struct EventArgs {
    event: LitStr,
    path: Option<LitStr>,
}

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[event]` goes on an `async fn`, the worker for that event",
            );
            return [err.to_compile_error(), item].into_iter().collect();
        }
    };
    let args = parse_args.parse2(args);
    let checked = check_function(&function);
    match (args, checked) {
        (Ok(args), Ok(())) => emit(&args, function),
        (args, checked) => {
            let mut errors = Vec::new();
            errors.extend(args.err());
            errors.extend(checked.err());
            let mut errors = errors.into_iter();
            let mut first = errors.next().expect("one of the two failed");
            errors.for_each(|e| first.combine(e));
            fallback(first, function)
        }
    }
}

fn parse_args(input: ParseStream) -> syn::Result<EventArgs> {
    let mut event: Option<LitStr> = None;
    let mut path: Option<LitStr> = None;
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
        } else if input.peek(Ident) {
            let key: Ident = input.parse()?;
            if key != "path" {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`: `#[event]` takes the event's name and `path = \"/...\"`{}",
                        did_you_mean(&key.to_string(), ["path"])
                    ),
                ));
            }
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            if !value.value().starts_with('/') {
                return Err(syn::Error::new(
                    value.span(),
                    "a worker's path starts with `/`, e.g. `path = \"/hooks/sign-in\"`",
                ));
            }
            if path.replace(value).is_some() {
                return Err(syn::Error::new(key.span(), "`path` is given twice"));
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
    let event = event.ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "missing event name: write `#[event(\"entry_sign_in\")]` with the event this worker handles",
        )
    })?;
    Ok(EventArgs { event, path })
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

/// Everything about the function's shape that the worker relies on, each error on its own token.
fn check_function(function: &ItemFn) -> syn::Result<()> {
    let sig = &function.sig;
    let mut errors: Vec<syn::Error> = Vec::new();
    if sig.asyncness.is_none() {
        errors.push(syn::Error::new(
            sig.fn_token.span,
            "a worker must be an `async fn`: write `async fn`",
        ));
    }
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new(
            constness.span,
            "a worker cannot be a `const fn`",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new(
            abi.span(),
            "a worker cannot have an `extern` ABI",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            sig.generics.span(),
            "a worker cannot be generic: the framework calls it with concrete types",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new(
            variadic.span(),
            "a worker cannot be variadic",
        ));
    }
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => errors.push(syn::Error::new(
                receiver.span(),
                "a worker is a free function: it cannot take `self`",
            )),
            FnArg::Typed(arg) => {
                if let syn::Type::ImplTrait(_) = &*arg.ty {
                    errors.push(syn::Error::new(
                        arg.ty.span(),
                        "a worker's argument needs a concrete type such as `Entry` or `Job<Config>`",
                    ));
                }
            }
        }
    }
    if let ReturnType::Default = sig.output {
        errors.push(syn::Error::new(
            sig.ident.span(),
            "a worker returns the job's outcome: add `-> JobResult`",
        ));
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        None => Ok(()),
        Some(mut first) => {
            errors.for_each(|e| first.combine(e));
            Err(first)
        }
    }
}

fn emit(args: &EventArgs, function: ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = function;
    let ident = &sig.ident;
    let name = ident.to_string();
    let event = Ident::new(&args.event.value(), args.event.span());
    let path = args
        .path
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| format!("/events/{}", args.event.value()));
    let docs: Vec<_> = attrs.iter().filter(|a| a.path().is_ident("doc")).collect();

    let arg_types: Vec<_> = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(arg) => Some(&*arg.ty),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let arg_names: Vec<_> = (0..arg_types.len())
        .map(|i| format_ident!("__arg{i}"))
        .collect();
    // Each argument is taken through a trait call spanned at the argument's type, so an argument
    // the framework cannot provide is reported on that type, once. Only the trait call carries the
    // user's span: the local names stay at the macro's own, so hygiene holds when `#[event]` is
    // itself used inside a `macro_rules!`.
    let from_event = |ty: &syn::Type| {
        quote_spanned! {ty.span()=> <#ty as ::envoy_plugin::__private::FromEvent<Self::Event>> }
    };
    let take_args = arg_types.iter().zip(&arg_names).map(|(ty, name)| {
        let from_event = from_event(ty);
        quote! { let #name = #from_event::from_event(&mut parts)?; }
    });
    let config_types = arg_types.iter().map(|ty| {
        let from_event = from_event(ty);
        quote! { types.extend(#from_event::config_type()); }
    });
    let into_job_result = match &sig.output {
        ReturnType::Type(_, ty) => quote_spanned! {ty.span()=>
            ::envoy_plugin::__private::into_job_result::<#ty>
        },
        ReturnType::Default => quote!(::envoy_plugin::__private::into_job_result),
    };
    let inputs = &sig.inputs;
    let output = &sig.output;
    let asyncness = &sig.asyncness;

    quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        impl #ident {
            #(#attrs)*
            #vis #asyncness fn handle(#inputs) #output #block
        }

        impl ::envoy_plugin::__private::Worker for #ident {
            type Event = ::envoy_plugin::__private::events::#event;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;

            #[allow(unused_mut)]
            fn config_types() -> ::std::vec::Vec<::envoy_plugin::__private::ConfigType> {
                let mut types = ::std::vec::Vec::new();
                #(#config_types)*
                types
            }

            #[allow(unused_mut, unused_variables)]
            fn run(
                mut parts: ::envoy_plugin::__private::EventParts<Self::Event>,
            ) -> impl ::std::future::Future<Output = ::envoy_plugin::__private::JobResult> + 'static {
                async move {
                    #(#take_args)*
                    let result = Self::handle(#(#arg_names),*).await;
                    #into_job_result(result)
                }
            }
        }

        impl ::envoy_plugin::__private::actix_web::dev::HttpServiceFactory for #ident {
            fn register(self, config: &mut ::envoy_plugin::__private::actix_web::dev::AppService) {
                ::envoy_plugin::__private::register_worker::<Self>(config);
            }
        }
    }
}

/// On error: the errors, the function as written (so the rest of the file still type-checks and
/// rust-analyzer keeps working) and a placeholder worker of the same name, so a `plugin!` that lists
/// it does not add errors of its own.
fn fallback(error: syn::Error, function: ItemFn) -> TokenStream {
    let vis = &function.vis;
    let ident = &function.sig.ident;
    let error = error.to_compile_error();
    quote! {
        #error
        #[allow(dead_code)]
        #function
        ::envoy_plugin::__private::placeholder_worker!(#vis #ident);
    }
}
