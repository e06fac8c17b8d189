//! What every handler attribute shares: checking the function's shape, keeping the function as the
//! generated struct's `handle`, and taking its arguments one by one through a trait.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, LitStr, Pat, ReturnType, Type};

use crate::ctxt::Ctxt;

/// The `async fn` an attribute goes on; when the item is not a function, the error to emit
/// (`message`, at the attribute) with the item left as it was.
///
/// A method (a function taking `self`) is refused the same way: the unit struct a handler becomes
/// cannot be declared inside an `impl` block, so nothing but the error is emitted for it.
pub fn parse_handler(item: &TokenStream, message: &str) -> Result<ItemFn, TokenStream> {
    let refuse = |err: syn::Error| -> TokenStream {
        [err.to_compile_error(), item.clone()].into_iter().collect()
    };
    let function = syn::parse2::<ItemFn>(item.clone())
        .map_err(|_| refuse(syn::Error::new(proc_macro2::Span::call_site(), message)))?;
    if let Some(receiver) = function.sig.receiver() {
        return Err(refuse(syn::Error::new(
            receiver.span(),
            "a handler is a free function, not a method: move it out of the `impl` block and take what it needs as arguments",
        )));
    }
    Ok(function)
}

/// Everything about the function's shape that a handler relies on, each error on its own token.
/// `attribute` is the attribute's name (`event`); `what` names the handler in messages ("a
/// worker", "a route handler"); `returns` says what to add when there is no return type.
pub fn check_function(
    cx: &mut Ctxt,
    function: &ItemFn,
    attribute: &str,
    what: &str,
    returns: &str,
) {
    let sig = &function.sig;
    // The unit struct the attribute makes is named after the function: an argument of that name
    // would be a pattern matching the struct, not a binding.
    for shadowing in handler_named_bindings(function) {
        let name = &sig.ident;
        cx.error(
            shadowing.span(),
            format!(
                "the argument `{name}` has the handler's name; `#[{attribute}]` makes `{name}` a unit struct, which this pattern would match: rename the argument"
            ),
        );
    }
    if sig.asyncness.is_none() {
        cx.error(
            sig.fn_token.span,
            format!("{what} must be an `async fn`: write `async fn`"),
        );
    }
    if let Some(constness) = &sig.constness {
        cx.error(
            constness.span,
            format!("{what} cannot be a `const fn`: remove `const`"),
        );
    }
    if let Some(abi) = &sig.abi {
        cx.error(
            abi.span(),
            format!("{what} cannot have an `extern` ABI: remove it"),
        );
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error(
            sig.generics.span(),
            format!("{what} cannot be generic: the framework calls it with concrete types"),
        );
    }
    if let Some(variadic) = &sig.variadic {
        cx.error(variadic.span(), format!("{what} cannot be variadic"));
    }
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(_) => {}
            FnArg::Typed(arg) => {
                if let Type::ImplTrait(_) = &*arg.ty {
                    cx.error(
                        arg.ty.span(),
                        format!("{what}'s argument needs a concrete type, not `impl Trait`"),
                    );
                }
            }
        }
    }
    if let ReturnType::Default = sig.output {
        cx.error(sig.ident.span(), format!("{what} returns {returns}"));
    }
}

/// The bindings in the function's argument patterns that have the function's own name.
pub fn handler_named_bindings(function: &ItemFn) -> Vec<&Ident> {
    let mut found = Vec::new();
    for input in &function.sig.inputs {
        if let FnArg::Typed(arg) = input {
            named_in(&arg.pat, &function.sig.ident, &mut found);
        }
    }
    found
}

/// Collects the identifiers in `pat` that are `name`.
fn named_in<'a>(pat: &'a Pat, name: &Ident, found: &mut Vec<&'a Ident>) {
    match pat {
        Pat::Ident(binding) => {
            if binding.ident == *name {
                found.push(&binding.ident);
            }
            if let Some((_, sub)) = &binding.subpat {
                named_in(sub, name, found);
            }
        }
        Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| named_in(p, name, found)),
        Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|p| named_in(p, name, found)),
        Pat::Struct(fields) => fields
            .fields
            .iter()
            .for_each(|f| named_in(&f.pat, name, found)),
        Pat::Slice(slice) => slice.elems.iter().for_each(|p| named_in(p, name, found)),
        Pat::Or(or) => or.cases.iter().for_each(|p| named_in(p, name, found)),
        Pat::Reference(reference) => named_in(&reference.pat, name, found),
        Pat::Paren(paren) => named_in(&paren.pat, name, found),
        Pat::Type(typed) => named_in(&typed.pat, name, found),
        _ => {}
    }
}

/// The function's argument types, in order.
pub fn arg_types(function: &ItemFn) -> Vec<&Type> {
    function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(arg) => Some(&*arg.ty),
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The unit struct named after the function, and the function itself (its signature as written,
/// under the name `handle`) as its associated function. A placeholder expansion (`used` false)
/// never calls it, so it is allowed to be unused.
pub fn struct_and_handle(function: &ItemFn, used: bool) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = function;
    let ident = &sig.ident;
    let docs: Vec<_> = attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let mut handle = sig.clone();
    handle.ident = Ident::new("handle", ident.span());
    // An argument named after the handler matches the unit struct: its error is reported already,
    // so the placeholder binds nothing and keeps only the signature, not the body that reads it.
    let mut body = quote!(#block);
    if !used && !handler_named_bindings(function).is_empty() {
        for input in &mut handle.inputs {
            if let FnArg::Typed(arg) = input {
                *arg.pat = Pat::Wild(syn::PatWild {
                    attrs: Vec::new(),
                    underscore_token: Default::default(),
                });
            }
        }
        body = quote!({ ::core::unreachable!() });
    }
    let unused = (!used).then(|| quote!(#[allow(dead_code)]));
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        impl #ident {
            #(#attrs)*
            #unused
            #vis #handle #body
        }
    }
}

/// The statements that take each argument from `parts` through `trait_path` (e.g.
/// `::envoy_plugin::__private::FromEvent<Self::Event>`), and the names they bind.
///
/// Each trait call is spanned at its argument's type, so an argument the framework cannot provide is
/// reported there, once; the local names keep the macro's own span, so hygiene holds when the
/// attribute is used inside a `macro_rules!`.
pub fn take_args(
    types: &[&Type],
    trait_path: &TokenStream,
    method: &Ident,
) -> (Vec<TokenStream>, Vec<Ident>) {
    let names: Vec<Ident> = (0..types.len())
        .map(|i| format_ident!("__arg{i}"))
        .collect();
    let statements = types
        .iter()
        .zip(&names)
        .map(|(ty, name)| {
            let from = quote_spanned! {ty.span()=> <#ty as #trait_path> };
            quote! { let #name = #from::#method(&mut parts)?; }
        })
        .collect();
    (statements, names)
}

/// The conversion of the handler's result through `convert` (a function generic over the return
/// type), with the return type as explicit type argument and spanned at it, so a wrong return type
/// is reported on that type, once.
pub fn convert_output(
    function: &ItemFn,
    convert: &TokenStream,
    kind: Option<&TokenStream>,
) -> TokenStream {
    let kind = kind.map(|k| quote!(#k,));
    match &function.sig.output {
        ReturnType::Type(_, ty) => quote_spanned! {ty.span()=> #convert::<#kind #ty> },
        ReturnType::Default => quote! { #convert::<#kind _> },
    }
}

/// A handler's `path = "/..."`.
pub fn parse_path(input: ParseStream) -> syn::Result<LitStr> {
    let value: LitStr = input.parse()?;
    if !value.value().starts_with('/') {
        return Err(syn::Error::new(
            value.span(),
            "a path starts with `/`, e.g. `path = \"/hooks/sign-in\"`",
        ));
    }
    Ok(value)
}

/// A handler's path: the `path` given, else `<prefix>/<fn name>`.
pub fn path_or(given: Option<&LitStr>, prefix: &str, function: &ItemFn) -> String {
    given
        .map(LitStr::value)
        .unwrap_or_else(|| format!("{prefix}/{}", function.sig.ident))
}

/// The body of a generated `run`: take every argument first, then make the handler's future and
/// convert its output with `convert`. Taking the arguments before the future exists keeps them in
/// the future once (an `async` block would hold the request's parts as well), which keeps the
/// per-request allocation small.
/// The `Endpoint::user_scope_sets` of a handler whose arguments `types` are taken through
/// `extractor` (`FromEvent<..>`, `FromRoute<..>`, `FromCallback`): the user-API scope sets they call
/// with, for the plugin's startup check. A failed expansion passes no types: no sets.
pub fn user_scope_sets_fn(types: &[&Type], extractor: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_mut)]
        fn user_scope_sets() -> ::std::vec::Vec<::envoy_plugin::user_api::ScopeSetInfo> {
            let mut sets = ::std::vec::Vec::new();
            #(sets.extend(<#types as #extractor>::user_scopes());)*
            sets
        }
    }
}

pub fn run_body(take: &[TokenStream], names: &[Ident], convert: &TokenStream) -> TokenStream {
    quote! {
        let taken = (|| -> ::std::result::Result<_, ::envoy_plugin::PluginError> {
            #(#take)*
            ::std::result::Result::Ok((#(#names,)*))
        })();
        ::std::mem::drop(parts);
        ::envoy_plugin::__private::run_handler(
            taken.map(|(#(#names,)*)| Self::handle(#(#names),*)),
            #convert,
        )
    }
}

/// The one shape every attribute emits after its unit struct: one impl of the runtime's `Endpoint`
/// (`items` are its kind, constants and functions), the marker traits that say which lists and
/// fields may name it, and actix-web's `HttpServiceFactory`, which registers it through its kind.
pub fn endpoint(ident: &Ident, items: TokenStream, markers: &[TokenStream]) -> TokenStream {
    let private = quote!(::envoy_plugin::__private);
    quote! {
        impl #private::Endpoint for #ident {
            #items
        }

        #(impl #markers for #ident {})*

        impl #private::actix_web::dev::HttpServiceFactory for #ident {
            fn register(self, config: &mut #private::actix_web::dev::AppService) {
                #private::register::<Self>(config);
            }
        }
    }
}

/// `budget = "500ms" | "5s" | "2m"`, as the handler trait's `BUDGET` constant, which the emitted
/// impl writes as it is.
pub fn parse_budget(input: syn::parse::ParseStream) -> syn::Result<TokenStream> {
    let ms = parse_millis(
        input,
        "a budget is a duration such as \"500ms\", \"20s\" or \"2m\"",
    )?;
    Ok(quote! {
        const BUDGET: ::core::option::Option<::core::time::Duration> =
            ::core::option::Option::Some(::core::time::Duration::from_millis(#ms));
    })
}

/// A duration literal (`"500ms"`, `"5s"`, `"2m"`, more than zero) in milliseconds; `message` is the
/// error, on the literal, for anything else.
pub fn parse_millis(input: syn::parse::ParseStream, message: &str) -> syn::Result<u64> {
    let value: syn::LitStr = input.parse()?;
    let text = value.value();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let millis = number.parse::<u64>().ok().and_then(|n| match unit.trim() {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        _ => None,
    });
    match millis {
        Some(ms) if ms > 0 => Ok(ms),
        _ => Err(syn::Error::new(value.span(), message)),
    }
}

/// `tokens` with every token (nested ones too) on `span`, so an error about the expression they
/// make is reported on `span` and nowhere else.
pub fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let proc_macro2::TokenTree::Group(group) = &token {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                token = inner.into();
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}
