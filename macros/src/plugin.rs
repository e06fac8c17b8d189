//! `plugin! { Name { name: "...", config: Type, events: [worker, ...] } }`: parse the declaration,
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
use syn::{Attribute, Ident, LitStr, Token, Type, Visibility, braced, bracketed};

use crate::suggest::did_you_mean;

const KEYS: &[&str] = &["name", "config", "events"];

struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    name: LitStr,
    config: Option<Type>,
    events: Vec<Ident>,
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
        let mut config: Option<Type> = None;
        let mut events: Option<Vec<Ident>> = None;
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
                "config" => {
                    if config.replace(content.parse()?).is_some() {
                        return Err(duplicate());
                    }
                }
                "events" => {
                    let list;
                    bracketed!(list in content);
                    let workers = Punctuated::<Ident, Token![,]>::parse_terminated(&list)?;
                    if events.replace(unique(workers)?).is_some() {
                        return Err(duplicate());
                    }
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown key `{other}`: a plugin declares {}{}",
                            KEYS.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            did_you_mean(other, KEYS.iter().copied())
                        ),
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
            config,
            events: events.unwrap_or_default(),
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
        config,
        events,
    } = declaration;
    let config = config
        .as_ref()
        .map(|ty| quote!(#ty))
        .unwrap_or_else(|| quote!(::envoy_plugin::UntypedConfig));
    let infos = events.iter().map(|worker| {
        quote_spanned! {worker.span()=> ::envoy_plugin::__private::WorkerInfo::of::<#worker>() }
    });
    let mut checks = Vec::new();
    for (i, later) in events.iter().enumerate() {
        for earlier in &events[..i] {
            let same_event = format!(
                "`{later}` handles the same event as `{earlier}`: a plugin has one worker per event"
            );
            let same_path = format!(
                "`{later}` is served at the same path as `{earlier}`: give one of them another `path`"
            );
            checks.push(quote_spanned! {later.span()=>
                const _: () = {
                    if ::envoy_plugin::__private::same_event::<#earlier, #later>() {
                        ::core::panic!(#same_event);
                    }
                    if ::envoy_plugin::__private::same_path::<#earlier, #later>() {
                        ::core::panic!(#same_path);
                    }
                };
            });
        }
    }
    quote! {
        #(#attrs)*
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #ident;

        impl ::envoy_plugin::__private::Plugin for #ident {
            const NAME: &'static str = #name;
            type Config = #config;

            fn workers() -> ::std::vec::Vec<::envoy_plugin::__private::WorkerInfo> {
                ::std::vec![#(#infos),*]
            }
        }

        #(#checks)*
    }
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
