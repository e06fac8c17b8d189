//! The route attributes: `#[validate(Step)]`, `#[options(...)]`, `#[selected_values]`,
//! `#[remote_value]`, `#[migration]` and `#[popup_content(Step)]`.
//!
//! Each makes the function a unit struct implementing the runtime's `Endpoint` (of kind
//! `Route<K>`, `PopupPage<Step>` or `Callback`), the markers that say where it may be named
//! (`RouteEndpoint`, what `plugin!`'s `routes` lists; `OptionsHandler`, ...) and actix-web's
//! `HttpServiceFactory`. The route's kind (a type such as `Options<Cursor<true>>`) decides what the
//! handler may take and must return, so a wrong argument or answer is a trait error on the
//! offending type.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, LitStr, Type};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::{
    arg_types, check_function, convert_output, endpoint, parse_budget, parse_handler, parse_path,
    path_or, run_body, struct_and_handle, take_args, user_scope_sets_fn,
};
use crate::suggest::backticked;

/// Which attribute is expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    Validate,
    Options,
    SelectedValues,
    RemoteValue,
    Migration,
    PopupContent,
    Callback,
}

impl Attribute {
    fn name(self) -> &'static str {
        match self {
            Attribute::Validate => "validate",
            Attribute::Options => "options",
            Attribute::SelectedValues => "selected_values",
            Attribute::RemoteValue => "remote_value",
            Attribute::Migration => "migration",
            Attribute::PopupContent => "popup_content",
            Attribute::Callback => "callback",
        }
    }

    /// The flags the attribute takes.
    fn flags(self) -> &'static [&'static str] {
        match self {
            Attribute::Options => &["searchable", "paginated", "cursor"],
            // GET is opt-in: link previewers and prefetchers send it.
            Attribute::Callback => &["get"],
            _ => &[],
        }
    }

    /// Whether the attribute names a setup step first.
    fn takes_step(self) -> bool {
        matches!(self, Attribute::Validate | Attribute::PopupContent)
    }

    fn returns(self) -> &'static str {
        match self {
            Attribute::Validate => "a `Validation`: add `-> Result<Validation, PluginError>`",
            Attribute::Options => {
                "its options: add `-> Result<Vec<SelectOption>, PluginError>` (`CursorPage` with `cursor`)"
            }
            Attribute::SelectedValues => {
                "the matching options: add `-> Result<Vec<SelectOption>, PluginError>`"
            }
            Attribute::RemoteValue => "the value: add `-> Result<String, PluginError>`",
            Attribute::Migration => {
                "the new config: add `-> Result<serde_json::Value, PluginError>`"
            }
            Attribute::PopupContent => "the page: add `-> HttpResponse`",
            Attribute::Callback => "whether it worked: add `-> Result<(), PluginError>`",
        }
    }
}

/// The attribute's arguments, as far as they could be read.
#[derive(Default)]
struct RouteArgs {
    step: Option<Type>,
    flags: Vec<Ident>,
    path: Option<LitStr>,
    budget: Option<TokenStream>,
}

impl RouteArgs {
    fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// The `path` given, else `<prefix>/<fn name>`.
    fn path_or(&self, prefix: &str, function: &ItemFn) -> String {
        path_or(self.path.as_ref(), prefix, function)
    }
}

pub fn expand(attribute: Attribute, args: TokenStream, item: TokenStream) -> TokenStream {
    let message = format!("`#[{}]` goes on an `async fn`", attribute.name());
    let function = match parse_handler(&item, &message) {
        Ok(function) => function,
        Err(tokens) => return tokens,
    };
    let mut cx = Ctxt::new();
    let args = parse_args(&mut cx, attribute, args);
    check_function(
        &mut cx,
        &function,
        attribute.name(),
        "a route handler",
        attribute.returns(),
    );
    let errors = cx.to_compile_errors();
    let route = emit(attribute, &args, &function, cx.is_ok());
    quote!(#errors #route)
}

fn parse_args(cx: &mut Ctxt, attribute: Attribute, tokens: TokenStream) -> RouteArgs {
    let name = attribute.name();
    let mut parsed = RouteArgs::default();
    let mut known: Vec<&str> = attribute.flags().to_vec();
    known.push("path");
    if !matches!(attribute, Attribute::PopupContent | Attribute::Callback) {
        known.push("budget");
    }
    let takes = format!("`#[{name}]` takes");
    let mut keys = Keys::new(&known, "argument", takes);
    let mut args = args(tokens).into_iter().peekable();
    if attribute.takes_step() {
        match args.peek() {
            Some(Arg::Other(_)) | Some(Arg::Flag(_)) => {
                let step = match args.next() {
                    Some(Arg::Other(tokens)) => tokens,
                    Some(Arg::Flag(ident)) => ident.into_token_stream(),
                    _ => unreachable!("peeked"),
                };
                parsed.step = cx.handle(syn::parse2::<Type>(step));
            }
            _ => cx.error(
                Span::call_site(),
                format!(
                    "missing step: write `#[{name}(MyStep)]` with the setup step's struct first"
                ),
            ),
        }
    }
    for arg in args {
        match arg {
            Arg::Flag(flag) if attribute.flags().contains(&flag.to_string().as_str()) => {
                if keys.accept(cx, &flag) {
                    parsed.flags.push(flag);
                }
            }
            Arg::Assign(key, tokens) if key == "path" || key == "budget" => {
                if keys.accept(cx, &key) {
                    if key == "path" {
                        parsed.path = cx.handle(value(&key, &tokens, parse_path));
                    } else {
                        parsed.budget = cx.handle(value(&key, &tokens, parse_budget));
                    }
                }
            }
            Arg::Flag(key) | Arg::Assign(key, _) | Arg::Call(key) => {
                if keys.accept(cx, &key) {
                    let message = if attribute.flags().contains(&key.to_string().as_str()) {
                        format!("`{key}` is a flag: write it alone, without a value")
                    } else {
                        format!("`{key}` takes a value: `{key} = \"...\"`")
                    };
                    cx.error(key.span(), message);
                }
            }
            Arg::Other(tokens) => cx.error_on(
                tokens,
                format!(
                    "expected an argument of `#[{name}]`: it takes {}",
                    backticked(&known)
                ),
            ),
        }
    }
    if parsed.has("paginated") && parsed.has("cursor") {
        let cursor = parsed
            .flags
            .iter()
            .position(|f| f == "cursor")
            .expect("present");
        let cursor = parsed.flags.remove(cursor);
        cx.error(
            cursor.span(),
            "`cursor` pagination replaces page numbers: choose `paginated` or `cursor`",
        );
    }
    parsed
}

/// The route; with `ok` false, the same struct and impls with placeholder metadata (no name, no
/// path, never served), so whatever names the route reports nothing more.
fn emit(attribute: Attribute, args: &RouteArgs, function: &ItemFn, ok: bool) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let ident = &function.sig.ident;
    let (name, path) = if ok {
        let prefix = match attribute {
            Attribute::PopupContent => "/popup",
            Attribute::Callback => "/callbacks",
            _ => "/routes",
        };
        (ident.to_string(), args.path_or(prefix, function))
    } else {
        (String::new(), String::new())
    };
    let step = match &args.step {
        Some(step) => quote_spanned! {step.span()=> #step },
        None => quote!(#private::PlaceholderStep),
    };
    let struct_and_handle = struct_and_handle(function, ok);
    let budget = &args.budget;
    let head = quote! {
        const NAME: &'static str = #name;
        const PATH: &'static str = #path;
        #budget
    };
    let mut markers = vec![quote!(#private::RouteEndpoint)];
    let items = match attribute {
        Attribute::PopupContent => {
            markers.push(quote!(#private::PopupContent));
            emit_popup_content(ok, head, &step)
        }
        Attribute::Callback => {
            markers.push(quote!(#private::CallbackHandler));
            emit_callback(ok, args, head, function)
        }
        Attribute::Options => {
            markers.push(quote!(#private::OptionsHandler));
            emit_route(attribute, args, function, ok, head, &step)
        }
        Attribute::SelectedValues => {
            markers.push(quote!(#private::SelectedValuesHandler));
            emit_route(attribute, args, function, ok, head, &step)
        }
        _ => emit_route(attribute, args, function, ok, head, &step),
    };
    let endpoint = endpoint(ident, items, &markers);
    quote! {
        #struct_and_handle
        #endpoint
    }
}

/// The `Endpoint` items of a route of kind `Route<K>`.
fn emit_route(
    attribute: Attribute,
    args: &RouteArgs,
    function: &ItemFn,
    ok: bool,
    head: TokenStream,
    step: &TokenStream,
) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let (searchable, paginated, cursor) = (
        args.has("searchable"),
        args.has("paginated"),
        args.has("cursor"),
    );
    let kind = match attribute {
        Attribute::Validate => quote!(#private::Validate<#step>),
        Attribute::Options if cursor => quote!(#private::Options<#private::Cursor<#searchable>>),
        Attribute::Options => quote!(#private::Options<#private::List<#searchable, #paginated>>),
        Attribute::SelectedValues => quote!(#private::SelectedValues),
        Attribute::RemoteValue => quote!(#private::RemoteValue),
        _ => quote!(#private::Migration),
    };
    let (run_body, user_scope_sets) = if ok {
        let types = arg_types(function);
        let from_route = quote!(#private::FromRoute<#kind>);
        let (take, names) = take_args(
            &types,
            &from_route,
            &Ident::new("from_route", Span::call_site()),
        );
        let into_answer =
            convert_output(function, &quote!(#private::into_route_answer), Some(&kind));
        (
            run_body(&take, &names, &into_answer),
            user_scope_sets_fn(&types, &from_route),
        )
    } else {
        (
            quote!(#private::never_served()),
            user_scope_sets_fn(&[], &quote!(#private::FromRoute<#kind>)),
        )
    };

    quote! {
        type Kind = #private::Route<#kind>;
        #head
        const SETTINGS: () = ();

        #user_scope_sets

        #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
        fn run(
            mut parts: #private::RouteParts<#kind>,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                <#kind as #private::RouteKind>::Answer,
                ::envoy_plugin::PluginError,
            >,
        > + 'static {
            #run_body
        }
    }
}

/// The `Endpoint` items of a pop-up page.
fn emit_popup_content(ok: bool, head: TokenStream, step: &TokenStream) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let run = if ok {
        quote!(Self::handle(request))
    } else {
        quote!({ let _ = request; #private::never_served() })
    };
    quote! {
        type Kind = #private::PopupPage<#step>;
        #head
        const SETTINGS: () = ();

        fn run(
            request: ::envoy_plugin::PopupRequest,
        ) -> impl ::std::future::Future<Output = #private::actix_web::HttpResponse> + 'static {
            #run
        }
    }
}

/// The `Endpoint` items of a callback.
fn emit_callback(ok: bool, args: &RouteArgs, head: TokenStream, function: &ItemFn) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    let (run_body, user_scope_sets) = if ok {
        let types = arg_types(function);
        let from_callback = quote!(#private::FromCallback);
        let (take, names) = take_args(
            &types,
            &from_callback,
            &Ident::new("from_callback", Span::call_site()),
        );
        let into_answer = convert_output(function, &quote!(#private::into_callback_answer), None);
        (
            run_body(&take, &names, &into_answer),
            user_scope_sets_fn(&types, &from_callback),
        )
    } else {
        (
            quote!(#private::never_served()),
            user_scope_sets_fn(&[], &quote!(#private::FromCallback)),
        )
    };
    let allow_get = args.has("get");
    quote! {
        type Kind = #private::Callback;
        #head
        const SETTINGS: #private::CallbackSettings = #private::CallbackSettings {
            allow_get: #allow_get,
        };

        #user_scope_sets

        #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
        fn run(
            mut parts: #private::CallbackParts,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<(), ::envoy_plugin::PluginError>,
        > + 'static {
            #run_body
        }
    }
}
