//! `#[derive(OAuth2Step)]` and `#[derive(PopupStep)]`: the steps that save nothing by themselves.
//! Their struct is the validation payload (what the provider or the pop-up returned), and
//! `plugin!` refuses them without a `#[validate(Step)]` route, the only way they save data.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr, Path};

use crate::args::{Arg, Keys, args, value};
use crate::ctxt::Ctxt;
use crate::handler::respan;
use crate::suggest::backticked;

/// A step derive: `expand` on the parsed struct, recording every mistake; on error, the errors and
/// a placeholder step of the same name, so `plugin!` and `#[validate]` that name it add no errors
/// of their own.
pub fn derive(
    input: TokenStream,
    expand: fn(&mut Ctxt, &DeriveInput) -> TokenStream,
) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let step = expand(&mut cx, &input);
    if cx.is_ok() {
        return step;
    }
    let errors = cx.to_compile_errors();
    let ident = &input.ident;
    quote! {
        #errors
        ::envoy_plugin::__private::placeholder_step!(#ident);
    }
}

/// `key = "..."` settings of a step attribute, refusing unknown and repeated ones; each setting is
/// read on its own, so every mistake is reported.
fn settings(
    cx: &mut Ctxt,
    input: &DeriveInput,
    attribute: &str,
    known: &[&str],
    mut each: impl FnMut(&mut Ctxt, &Ident, &TokenStream),
) {
    let takes = format!("`#[{attribute}]` takes");
    let mut keys = Keys::new(known, "setting", takes);
    let mut found = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(attribute)) {
        found = true;
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            _ => TokenStream::new(),
        };
        for arg in args(tokens) {
            match arg {
                Arg::Assign(key, value) => {
                    if keys.accept(cx, &key) {
                        each(cx, &key, &value);
                    }
                }
                Arg::Flag(key) | Arg::Call(key) => {
                    if keys.accept(cx, &key) {
                        cx.error(key.span(), format!("`{key}` takes a value: `{key} = ...`"));
                    }
                }
                Arg::Other(tokens) => cx.error_on(
                    tokens,
                    format!(
                        "expected a setting: `#[{attribute}]` takes {}",
                        backticked(known)
                    ),
                ),
            }
        }
    }
    if !found {
        cx.error(
            input.ident.span(),
            format!("missing `#[{attribute}(...)]` with the step's settings"),
        );
    }
}

/// A required setting's value, or an error on the struct's name naming it.
fn required<T>(
    cx: &mut Ctxt,
    value: Option<T>,
    input: &DeriveInput,
    attribute: &str,
    name: &str,
) -> Option<T> {
    if value.is_none() {
        cx.error(
            input.ident.span(),
            format!("`#[{attribute}]` needs `{name} = ...`"),
        );
    }
    value
}

pub fn oauth2(cx: &mut Ctxt, input: &DeriveInput) -> TokenStream {
    let (mut title, mut authorize, mut token, mut id_var, mut secret_var) =
        (None, None, None, None, None);
    let mut scopes: Vec<LitStr> = Vec::new();
    let known = [
        "title",
        "authorize_url",
        "token_url",
        "scopes",
        "client_id_variable",
        "client_secret_variable",
    ];
    let mut given: Vec<String> = Vec::new();
    settings(cx, input, "oauth2", &known, |cx, key, tokens| {
        let name = key.to_string();
        given.push(name.clone());
        if name == "scopes" {
            let list = |input: syn::parse::ParseStream| {
                let content;
                syn::bracketed!(content in input);
                syn::punctuated::Punctuated::<LitStr, syn::Token![,]>::parse_terminated(&content)
            };
            if let Some(list) = cx.handle(value(key, tokens, list)) {
                scopes = list.into_iter().collect();
            }
            return;
        }
        let Some(value) = cx.handle(value(key, tokens, <LitStr as syn::parse::Parse>::parse))
        else {
            return;
        };
        if name.ends_with("_url")
            && !value.value().starts_with("https://")
            && !value.value().starts_with("http://")
        {
            cx.error(value.span(), format!("`{name}` is a URL: `https://...`"));
            return;
        }
        match name.as_str() {
            "title" => title = Some(value),
            "authorize_url" => authorize = Some(value),
            "token_url" => token = Some(value),
            "client_id_variable" => id_var = Some(value),
            _ => secret_var = Some(value),
        }
    });
    let need = |cx: &mut Ctxt, value: Option<LitStr>, name: &str| {
        if given.iter().any(|g| g == name) {
            value
        } else {
            required(cx, value, input, "oauth2", name)
        }
    };
    let authorize = need(cx, authorize, "authorize_url");
    let token = need(cx, token, "token_url");
    let id_var = need(cx, id_var, "client_id_variable");
    let secret_var = need(cx, secret_var, "client_secret_variable");
    let (Some(authorize), Some(token), Some(id_var), Some(secret_var)) =
        (authorize, token, id_var, secret_var)
    else {
        return TokenStream::new();
    };
    let ident = &input.ident;
    let name = ident.to_string();
    let title = title.map(|t| t.value()).unwrap_or_else(|| name.clone());
    let private = quote!(::envoy_plugin::__private);
    quote! {
        impl #private::SetupStep for #ident {
            const NAME: &'static str = #name;
            const KIND: #private::StepKind = #private::StepKind::OAuth2;
            const KEYS: &'static [&'static str] = &[];
            const DESCRIPTION: #private::StepDescription = #private::StepDescription::oauth2(
                #name, #title, #authorize, #token, &[#(#scopes),*], #id_var, #secret_var,
            );
        }
    }
}

pub fn popup(cx: &mut Ctxt, input: &DeriveInput) -> TokenStream {
    let mut title: Option<LitStr> = None;
    let mut content: Option<Path> = None;
    let mut content_given = false;
    settings(
        cx,
        input,
        "popup",
        &["title", "content"],
        |cx, key, tokens| {
            if key == "title" {
                title = cx.handle(value(key, tokens, <LitStr as syn::parse::Parse>::parse));
            } else {
                content_given = true;
                content = cx.handle(value(key, tokens, Path::parse_mod_style));
            }
        },
    );
    let content = if content_given {
        content
    } else {
        required(cx, content, input, "popup", "content")
    };
    let Some(content) = content else {
        return TokenStream::new();
    };
    let ident = &input.ident;
    let name = ident.to_string();
    let title = title.map(|t| t.value()).unwrap_or_else(|| name.clone());
    let private = quote!(::envoy_plugin::__private);
    let content_path = respan(
        quote!(#private::popup_content_path(#content)),
        content.span(),
    );
    quote! {
        impl #private::SetupStep for #ident {
            const NAME: &'static str = #name;
            const KIND: #private::StepKind = #private::StepKind::Popup;
            const KEYS: &'static [&'static str] = &[];
            const DESCRIPTION: #private::StepDescription =
                #private::StepDescription::popup(#name, #title, #content_path);
        }

        const _: #private::StepDescription = <#ident as #private::SetupStep>::DESCRIPTION;
    }
}
