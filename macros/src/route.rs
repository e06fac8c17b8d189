//! The route attributes: `#[validate(Step)]`, `#[options(...)]`, `#[selected_values]`,
//! `#[remote_value]`, `#[migration]` and `#[popup_content(Step)]`.
//!
//! Each makes the function a unit struct implementing the runtime's `Route` (or `PopupContent`),
//! `RouteEntry` (what `plugin!`'s `routes` lists) and actix-web's `HttpServiceFactory`. The route's
//! kind (a type such as `Options<Cursor<true>>`) decides what the handler may take and must return,
//! so a wrong argument or answer is a trait error on the offending type.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, LitStr, Token, Type};

use crate::handler::{
    arg_types, check_function, convert_output, fallback, parse_budget, parse_handler, parse_path,
    path_or, run_body, struct_and_handle, take_args,
};
use crate::suggest::unknown_message;

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

/// The attribute's arguments.
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
    let args = (|input: ParseStream| parse_args(attribute, input)).parse2(args);
    let checked = check_function(&function, "a route handler", attribute.returns());
    match (args, checked) {
        (Ok(args), Ok(())) => emit(attribute, &args, &function),
        (args, checked) => fallback(
            args.err().into_iter().chain(checked.err()),
            &function,
            "placeholder_route",
        ),
    }
}

fn parse_args(attribute: Attribute, input: ParseStream) -> syn::Result<RouteArgs> {
    let name = attribute.name();
    let mut args = RouteArgs {
        step: None,
        flags: Vec::new(),
        path: None,
        budget: None,
    };
    if attribute.takes_step() {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                format!("missing step: write `#[{name}(MyStep)]` with the setup step's struct"),
            ));
        }
        args.step = Some(input.parse()?);
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    let mut known: Vec<&str> = attribute.flags().to_vec();
    known.push("path");
    if !matches!(attribute, Attribute::PopupContent | Attribute::Callback) {
        known.push("budget");
    }
    while !input.is_empty() {
        let key: Ident = input.parse()?;
        let key_text = key.to_string();
        if key_text == "path" {
            input.parse::<Token![=]>()?;
            if args.path.replace(parse_path(input)?).is_some() {
                return Err(syn::Error::new(key.span(), "`path` is given twice"));
            }
        } else if key_text == "budget" && known.contains(&"budget") {
            input.parse::<Token![=]>()?;
            if args.budget.replace(parse_budget(input)?).is_some() {
                return Err(syn::Error::new(key.span(), "`budget` is given twice"));
            }
        } else if attribute.flags().contains(&key_text.as_str()) {
            if args.flags.contains(&key) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given twice"),
                ));
            }
            args.flags.push(key);
        } else {
            return Err(syn::Error::new(
                key.span(),
                unknown_message("argument", &key_text, &format!("`#[{name}]` takes"), &known),
            ));
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    if args.has("paginated") && args.has("cursor") {
        let cursor = args.flags.iter().find(|f| *f == "cursor").expect("present");
        return Err(syn::Error::new(
            cursor.span(),
            "`cursor` pagination replaces page numbers: choose `paginated` or `cursor`",
        ));
    }
    Ok(args)
}

fn emit(attribute: Attribute, args: &RouteArgs, function: &ItemFn) -> TokenStream {
    if attribute == Attribute::PopupContent {
        return emit_popup_content(args, function);
    }
    if attribute == Attribute::Callback {
        return emit_callback(args, function);
    }
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let path = args.path_or("/routes", function);
    let private = quote!(::envoy_plugin::__private);
    let kind = match attribute {
        Attribute::Validate => {
            let step = args.step.as_ref().expect("parsed");
            quote_spanned! {step.span()=> #private::Validate<#step> }
        }
        Attribute::Options => {
            let searchable = args.has("searchable");
            let paginated = args.has("paginated");
            if args.has("cursor") {
                quote!(#private::Options<#private::Cursor<#searchable>>)
            } else {
                quote!(#private::Options<#private::List<#searchable, #paginated>>)
            }
        }
        Attribute::SelectedValues => quote!(#private::SelectedValues),
        Attribute::RemoteValue => quote!(#private::RemoteValue),
        Attribute::Migration => quote!(#private::Migration),
        Attribute::PopupContent | Attribute::Callback => unreachable!("handled above"),
    };
    let types = arg_types(function);
    let from_route = quote!(#private::FromRoute<Self::Kind>);
    let (take, names) = take_args(
        &types,
        &from_route,
        &Ident::new("from_route", Span::call_site()),
    );
    let into_answer = convert_output(
        function,
        &quote!(#private::into_route_answer),
        Some(&quote!(Self::Kind)),
    );
    let run_body = run_body(&take, &names, &into_answer);
    let budget = &args.budget;
    let struct_and_handle = struct_and_handle(function);
    let validates = match (attribute, &args.step) {
        (Attribute::Validate, Some(step)) => quote! {
            const VALIDATES: &'static str = <#step as #private::SetupStep>::NAME;
        },
        _ => quote!(),
    };
    let handler_impl = match attribute {
        Attribute::Options => {
            let (searchable, paginated, cursor) = (
                args.has("searchable"),
                args.has("paginated"),
                args.has("cursor"),
            );
            quote! {
                impl #private::OptionsHandler for #ident {
                    const SEARCHABLE: bool = #searchable;
                    const PAGINATED: bool = #paginated;
                    const CURSOR: bool = #cursor;
                }
            }
        }
        Attribute::SelectedValues => quote! { impl #private::SelectedValuesHandler for #ident {} },
        _ => quote!(),
    };

    quote! {
        #struct_and_handle

        impl #private::Route for #ident {
            type Kind = #kind;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            #budget

            #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
            fn run(
                mut parts: #private::RouteParts<Self::Kind>,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<
                    <Self::Kind as #private::RouteKind>::Answer,
                    ::envoy_plugin::PluginError,
                >,
            > + 'static {
                #run_body
            }
        }

        impl #private::RouteEntry for #ident {
            const PATH: &'static str = #path;
            #validates
            fn info() -> #private::RouteInfo {
                #private::RouteInfo::of::<Self>()
            }
        }

        impl #private::actix_web::dev::HttpServiceFactory for #ident {
            fn register(self, config: &mut #private::actix_web::dev::AppService) {
                #private::actix_web::dev::HttpServiceFactory::register(
                    #private::RouteService::<Self>::new(),
                    config,
                );
            }
        }

        #handler_impl
    }
}

fn emit_popup_content(args: &RouteArgs, function: &ItemFn) -> TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let path = args.path_or("/popup", function);
    let step = args.step.as_ref().expect("parsed");
    let step = quote_spanned! {step.span()=> #step };
    let private = quote!(::envoy_plugin::__private);
    let struct_and_handle = struct_and_handle(function);
    quote! {
        #struct_and_handle

        impl #private::PopupContent for #ident {
            type Step = #step;
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;

            fn run(
                request: ::envoy_plugin::PopupRequest,
            ) -> impl ::std::future::Future<Output = #private::actix_web::HttpResponse> + 'static {
                async move { Self::handle(request).await }
            }
        }

        impl #private::RouteEntry for #ident {
            const PATH: &'static str = #path;
            fn info() -> #private::RouteInfo {
                #private::RouteInfo::popup_content::<Self>()
            }
        }
    }
}

fn emit_callback(args: &RouteArgs, function: &ItemFn) -> TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let path = args.path_or("/callbacks", function);
    let private = quote!(::envoy_plugin::__private);
    let types = arg_types(function);
    let from_callback = quote!(#private::FromCallback);
    let (take, names) = take_args(
        &types,
        &from_callback,
        &Ident::new("from_callback", Span::call_site()),
    );
    let into_answer = convert_output(function, &quote!(#private::into_callback_answer), None);
    let run_body = run_body(&take, &names, &into_answer);
    let struct_and_handle = struct_and_handle(function);
    let allow_get = args.has("get");
    quote! {
        #struct_and_handle

        impl #private::Callback for #ident {
            const NAME: &'static str = #name;
            const PATH: &'static str = #path;
            const ALLOW_GET: bool = #allow_get;

            #[allow(unused_mut, unused_variables, clippy::redundant_closure_call)]
            fn run(
                mut parts: #private::CallbackParts,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<(), ::envoy_plugin::PluginError>,
            > + 'static {
                #run_body
            }
        }

        impl #private::RouteEntry for #ident {
            const PATH: &'static str = #path;
            fn info() -> #private::RouteInfo {
                #private::RouteInfo::callback::<Self>()
            }
        }
    }
}
