//! `#[webhook(auth = ..., ...)]`: parse the arguments, check the function, emit the webhook.
//!
//! The function becomes a unit struct of the same name that implements the runtime's `Endpoint` of
//! kind `Webhook` (its path, its settings: authentication and limits, and how it is called), the
//! `WebhookEndpoint` marker (what `plugin!`'s `webhooks` lists) and actix-web's
//! `HttpServiceFactory`; the
//! function itself lives on as the struct's associated `handle` function.
//!
//! Which argument is the payload and how the answer is written are decided by the types, through
//! the runtime's `webhook::shape` traits (never by how a type is spelt, so aliases and re-exports
//! work): `HttpRequest` is the request, any other argument a payload; `Result<(), _>` answers
//! 204, `Result<HttpResponse, _>` the response as it is, any other `Result<T, _>` `T` as JSON.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, LitStr, ReturnType, Token};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::{
    arg_types, check_function, endpoint, parse_budget, parse_handler, parse_millis, parse_path,
    path_or, respan, struct_and_handle,
};
use crate::suggest::{backticked, did_you_mean, unknown_message};

const ARGUMENTS: &[&str] = &[
    "auth",
    "path",
    "allow_from",
    "read_timeout",
    "budget",
    "request_id_header",
];
const AUTH_KINDS: &[&str] = &["hmac", "bearer", "none"];
const HMAC_KEYS: &[&str] = &["header", "algorithm", "encoding", "prefix", "secret_env"];
/// Each algorithm as written, with its `HmacAlgorithm` variant.
const ALGORITHMS: &[(&str, &str)] = &[
    ("sha256", "Sha256"),
    ("sha384", "Sha384"),
    ("sha512", "Sha512"),
];
/// Each encoding as written, with its `SignatureEncoding` variant.
const ENCODINGS: &[(&str, &str)] = &[("hex", "Hex"), ("base64", "Base64")];

/// `auth = ...`, as tokens of a `WebhookAuth` constant's value.
struct Auth(TokenStream);

/// The attribute's arguments.
struct WebhookArgs {
    auth: Auth,
    path: Option<LitStr>,
    allow_from: Option<Vec<LitStr>>,
    read_timeout: Option<u64>,
    budget: Option<TokenStream>,
    request_id_header: Option<LitStr>,
}

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match parse_handler(
        &item,
        "`#[webhook]` goes on an `async fn`, the handler of the webhook",
    ) {
        Ok(function) => function,
        Err(tokens) => return tokens,
    };
    let mut cx = Ctxt::new();
    let args = parse_args(&mut cx, args);
    check_function(
        &mut cx,
        &function,
        "webhook",
        "a webhook",
        "its answer: add `-> Result<T, PluginError>` (`T: Serialize`, `HttpResponse` or `()`)",
    );
    let errors = cx.to_compile_errors();
    let webhook = match args {
        Some(args) if cx.is_ok() => emit(&args, &function),
        _ => placeholder(&function),
    };
    quote!(#errors #webhook)
}

/// The arguments, or `None` when one is wrong (each error recorded).
fn parse_args(cx: &mut Ctxt, tokens: TokenStream) -> Option<WebhookArgs> {
    let mut auth: Option<Auth> = None;
    let mut path: Option<LitStr> = None;
    let mut allow_from: Option<Vec<LitStr>> = None;
    let mut read_timeout: Option<u64> = None;
    let mut budget: Option<TokenStream> = None;
    let mut request_id_header: Option<LitStr> = None;
    let mut keys = Keys::new(ARGUMENTS, "argument", "`#[webhook]` takes");
    let mut auth_given = false;
    for arg in args(tokens) {
        let (key, tokens) = match arg {
            Arg::Assign(key, tokens) => (key, tokens),
            Arg::Flag(key) | Arg::Call(key) => {
                if keys.accept(cx, &key) {
                    cx.error(key.span(), format!("`{key}` takes a value: `{key} = ...`"));
                    auth_given |= key == "auth";
                }
                continue;
            }
            Arg::Other(tokens) => {
                cx.error_on(
                    tokens,
                    format!(
                        "expected an argument of `#[webhook]`: it takes {}",
                        backticked(ARGUMENTS)
                    ),
                );
                continue;
            }
        };
        if !keys.accept(cx, &key) {
            continue;
        }
        match key.to_string().as_str() {
            "auth" => {
                auth_given = true;
                auth = cx.handle(value(&key, &tokens, parse_auth));
            }
            "path" => path = cx.handle(value(&key, &tokens, parse_path)),
            "allow_from" => allow_from = cx.handle(value(&key, &tokens, parse_allow_from)),
            "read_timeout" => {
                read_timeout = cx.handle(value(&key, &tokens, |input: ParseStream| {
                    parse_millis(
                        input,
                        "a read timeout is a duration such as \"500ms\", \"10s\" or \"1m\"",
                    )
                }))
            }
            "budget" => budget = cx.handle(value(&key, &tokens, parse_budget)),
            _ => request_id_header = cx.handle(value(&key, &tokens, parse_header_name)),
        }
    }
    if !auth_given {
        cx.error(
            Span::call_site(),
            "missing `auth`: say how callers authenticate, with `auth = hmac(header = \"...\", secret_env = \"...\")`, `auth = bearer(env = \"...\")` or `auth = none`",
        );
    }
    Some(WebhookArgs {
        auth: auth?,
        path,
        allow_from,
        read_timeout,
        budget,
        request_id_header,
    })
}

/// "unknown argument `x`: <what> `a`, `b`; did you mean `a`?", on `key`.
fn unknown(key: &Ident, what: &str, known: &[&str]) -> syn::Error {
    syn::Error::new(
        key.span(),
        unknown_message("argument", &key.to_string(), what, known),
    )
}

/// `hmac(header = "...", algorithm = "sha256", encoding = "hex", prefix = "sha256=", secret_env =
/// "...")`, `bearer(env = "...")` or `none`.
fn parse_auth(input: ParseStream) -> syn::Result<Auth> {
    let private = quote!(::envoy_plugin::__private::webhook);
    let kind: Ident = input.parse()?;
    match kind.to_string().as_str() {
        "none" => Ok(Auth(quote!(#private::WebhookAuth::None))),
        "bearer" => {
            let content = parenthesized(input, &kind, "bearer(env = \"MY_TOKEN\")")?;
            let mut env: Option<LitStr> = None;
            while !content.is_empty() {
                let key: Ident = content.parse()?;
                if key != "env" {
                    return Err(unknown(&key, "`bearer(...)` takes", &["env"]));
                }
                content.parse::<Token![=]>()?;
                if env.replace(parse_env_name(&content)?).is_some() {
                    return Err(syn::Error::new(key.span(), "`env` is given twice"));
                }
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            let env = env.ok_or_else(|| {
                syn::Error::new(
                    kind.span(),
                    "`bearer` needs the variable holding the token: `bearer(env = \"MY_TOKEN\")`",
                )
            })?;
            Ok(Auth(quote!(#private::WebhookAuth::Bearer { env: #env })))
        }
        "hmac" => parse_hmac(input, &kind),
        _ => Err(syn::Error::new(
            kind.span(),
            format!(
                "unknown authentication `{kind}`: use `hmac(...)`, `bearer(...)` or `none`{}",
                did_you_mean(&kind.to_string(), AUTH_KINDS.iter().copied())
            ),
        )),
    }
}

fn parse_hmac(input: ParseStream, kind: &Ident) -> syn::Result<Auth> {
    let private = quote!(::envoy_plugin::__private::webhook);
    let content = parenthesized(
        input,
        kind,
        "hmac(header = \"X-Signature\", secret_env = \"MY_SECRET\")",
    )?;
    let mut header: Option<LitStr> = None;
    let mut algorithm: Option<TokenStream> = None;
    let mut encoding: Option<TokenStream> = None;
    let mut prefix: Option<LitStr> = None;
    let mut secret_env: Option<LitStr> = None;
    while !content.is_empty() {
        let key: Ident = content.parse()?;
        let key_text = key.to_string();
        if !HMAC_KEYS.contains(&key_text.as_str()) {
            return Err(unknown(&key, "`hmac(...)` takes", HMAC_KEYS));
        }
        content.parse::<Token![=]>()?;
        let fresh = match key_text.as_str() {
            "header" => header.replace(parse_header_name(&content)?).is_none(),
            "algorithm" => {
                let variant = one_of(&content, "algorithm", ALGORITHMS)?;
                algorithm
                    .replace(quote!(#private::HmacAlgorithm::#variant))
                    .is_none()
            }
            "encoding" => {
                let variant = one_of(&content, "encoding", ENCODINGS)?;
                encoding
                    .replace(quote!(#private::SignatureEncoding::#variant))
                    .is_none()
            }
            "prefix" => prefix.replace(content.parse()?).is_none(),
            _ => secret_env.replace(parse_env_name(&content)?).is_none(),
        };
        if !fresh {
            return Err(syn::Error::new(
                key.span(),
                format!("`{key}` is given twice"),
            ));
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    let required = |value: Option<LitStr>, what: &str| {
        value.ok_or_else(|| {
            syn::Error::new(
                kind.span(),
                format!("`hmac` needs {what}: `hmac(header = \"X-Signature\", secret_env = \"MY_SECRET\")`"),
            )
        })
    };
    let header = required(header, "the header carrying the signature")?;
    let secret_env = required(secret_env, "the variable holding the key")?;
    let algorithm = algorithm.unwrap_or_else(|| quote!(#private::HmacAlgorithm::Sha256));
    let encoding = encoding.unwrap_or_else(|| quote!(#private::SignatureEncoding::Hex));
    let prefix = prefix.map_or_else(|| quote!(""), |p| quote!(#p));
    Ok(Auth(quote! {
        #private::WebhookAuth::Hmac(#private::HmacAuth {
            header: #header,
            algorithm: #algorithm,
            encoding: #encoding,
            prefix: #prefix,
            secret_env: #secret_env,
        })
    }))
}

/// The parenthesized arguments after `kind`, or an error on `kind` showing `example`.
fn parenthesized<'a>(
    input: ParseStream<'a>,
    kind: &Ident,
    example: &str,
) -> syn::Result<syn::parse::ParseBuffer<'a>> {
    if !input.peek(syn::token::Paren) {
        return Err(syn::Error::new(
            kind.span(),
            format!("`{kind}` takes its settings in parentheses: `{example}`"),
        ));
    }
    let content;
    syn::parenthesized!(content in input);
    Ok(content)
}

/// A string among `allowed`, or an error on it naming them.
fn one_of(input: ParseStream, what: &str, allowed: &[(&str, &str)]) -> syn::Result<Ident> {
    let value: LitStr = input.parse()?;
    let text = value.value();
    if let Some((_, variant)) = allowed.iter().find(|(name, _)| *name == text) {
        return Ok(Ident::new(variant, Span::call_site()));
    }
    let list = allowed
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Err(syn::Error::new(
        value.span(),
        format!(
            "unknown {what} \"{text}\": use {list}{}",
            did_you_mean(&text, allowed.iter().map(|(name, _)| *name))
        ),
    ))
}

/// An HTTP header name: a non-empty token (letters, digits, `-` and the like).
fn parse_header_name(input: ParseStream) -> syn::Result<LitStr> {
    let value: LitStr = input.parse()?;
    let text = value.value();
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if text.is_empty() || !text.chars().all(is_token) {
        return Err(syn::Error::new(
            value.span(),
            "not an HTTP header name: write one such as \"X-Request-Id\"",
        ));
    }
    Ok(value)
}

/// The name of an environment variable (never its value: secrets stay out of the code).
fn parse_env_name(input: ParseStream) -> syn::Result<LitStr> {
    let value: LitStr = input.parse()?;
    let text = value.value();
    if text.is_empty() || text.contains(['=', '\0']) || text.trim() != text {
        return Err(syn::Error::new(
            value.span(),
            "not an environment variable's name: write one such as \"MY_WEBHOOK_SECRET\" and set the secret there",
        ));
    }
    Ok(value)
}

/// `["10.0.0.0/8", "127.0.0.1"]`: addresses or CIDR networks, each checked here.
fn parse_allow_from(input: ParseStream) -> syn::Result<Vec<LitStr>> {
    let list;
    let bracket = syn::bracketed!(list in input);
    let entries = syn::punctuated::Punctuated::<LitStr, Token![,]>::parse_terminated(&list)?;
    if entries.is_empty() {
        return Err(syn::Error::new(
            bracket.span.join(),
            "an empty `allow_from` would refuse every caller: list addresses, or leave it out to accept any",
        ));
    }
    for entry in &entries {
        if !is_network(&entry.value()) {
            return Err(syn::Error::new(
                entry.span(),
                "not an IP address or CIDR network: write one such as \"127.0.0.1\", \"10.0.0.0/8\" or \"fd00::/8\"",
            ));
        }
    }
    Ok(entries.into_iter().collect())
}

/// Whether `text` is an address or `address/prefix` with the prefix in range (as the runtime reads
/// it).
fn is_network(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let Ok(address) = address.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max))
}

fn emit(args: &WebhookArgs, function: &ItemFn) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let shape = quote!(#private::webhook::shape);
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let path = path_or(args.path.as_ref(), "/webhooks", function);
    // Each argument's role (the request, or a payload decoded from the body) is found from its
    // type, spanned at it, so a type that can be neither is reported there.
    let types = arg_types(function);
    let names: Vec<Ident> = (0..types.len())
        .map(|i| format_ident!("__arg{i}"))
        .collect();
    let take = types.iter().zip(&names).map(|(ty, name)| {
        let role = respan(
            quote!(#shape::TakeArgument::<#ty>::take((&&#shape::Tag::<#ty>::new()).role(), &parts)),
            ty.span(),
        );
        quote! { let #name = #role?; }
    });
    let output = match &function.sig.output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => unreachable!("checked by check_function"),
    };
    // How the answer is written is found from the returned type, and written through one trait
    // bound spanned at the return type: a return type that is not a `Result` of something a
    // webhook can answer is one error, there.
    let answer = respan(
        quote! {{
            let kind = (&&&#shape::Tag::of(&value)).answer_kind();
            #shape::WriteAnswer::<#output>::write(kind, value)
        }},
        output.span(),
    );
    let Auth(auth) = &args.auth;
    let allow_from = args
        .allow_from
        .as_ref()
        .map(|entries| quote!(allow_from: &[#(#entries),*],));
    let read_timeout = args
        .read_timeout
        .map(|ms| quote!(read_timeout: ::core::time::Duration::from_millis(#ms),));
    let budget = &args.budget;
    let request_id_header = args
        .request_id_header
        .as_ref()
        .map(|h| quote!(request_id_header: #h,));
    let struct_and_handle = struct_and_handle(function, true);
    let endpoint = endpoint(
        ident,
        quote! {
            type Kind = #private::Webhook;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            #budget
            const SETTINGS: #private::WebhookSettings = #private::WebhookSettings {
                #allow_from
                #read_timeout
                #request_id_header
                ..#private::WebhookSettings::new(#auth)
            };

            // The references of `(&&Tag::<T>::new()).role()` order the candidate impls.
            #[allow(unused_variables, clippy::redundant_closure_call, clippy::needless_borrow)]
            fn run(
                parts: #private::webhook::WebhookParts,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#private::actix_web::HttpResponse, ::envoy_plugin::PluginError>,
            > + 'static {
                use #shape::{AnswersEmpty as _, AnswersJson as _, AnswersResponse as _, IsPayload as _, IsRequest as _};
                let taken = (|| -> ::std::result::Result<_, ::envoy_plugin::PluginError> {
                    #(#take)*
                    ::std::result::Result::Ok((#(#names,)*))
                })();
                ::std::mem::drop(parts);
                let future = taken.map(|(#(#names,)*)| Self::handle(#(#names),*));
                async move {
                    let value = future?.await;
                    #answer
                }
            }
        },
        &[quote!(#private::WebhookEndpoint)],
    );

    quote! {
        #struct_and_handle
        #endpoint
    }
}

/// The webhook's struct and impls with placeholder metadata (no path, never served), emitted next
/// to the errors so code that uses the webhook reports nothing more.
fn placeholder(function: &ItemFn) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let ident = &function.sig.ident;
    let struct_and_handle = struct_and_handle(function, false);
    let endpoint = endpoint(
        ident,
        quote! {
            type Kind = #private::Webhook;
            const NAME: &'static str = "";
            const PATH: &'static str = "";
            const SETTINGS: #private::WebhookSettings =
                #private::WebhookSettings::new(#private::webhook::WebhookAuth::None);

            fn run(
                _: #private::webhook::WebhookParts,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#private::actix_web::HttpResponse, ::envoy_plugin::PluginError>,
            > + 'static {
                #private::never_served()
            }
        },
        &[quote!(#private::WebhookEndpoint)],
    );
    quote! {
        #struct_and_handle
        #endpoint
    }
}
