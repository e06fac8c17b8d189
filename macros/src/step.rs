//! `#[derive(OAuth2Step)]` and `#[derive(PopupStep)]`: the steps that save nothing by themselves.
//! Their struct is the validation payload (what the provider or the pop-up returned), and
//! `plugin!` refuses them without a `#[validate(Step)]` route, the only way they save data.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr, Path};

use crate::suggest::unknown_message;

/// A step derive: `expand` on the parsed struct; on error, the error and a placeholder step of the
/// same name, so `plugin!` and `#[validate]` that name it add no errors of their own.
pub fn derive(
    input: TokenStream,
    expand: fn(&DeriveInput) -> syn::Result<TokenStream>,
) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    expand(&input).unwrap_or_else(|err| {
        let ident = &input.ident;
        let error = err.to_compile_error();
        quote! {
            #error
            ::envoy_plugin::__private::placeholder_step!(#ident);
        }
    })
}

/// `key = "..."` settings of a step attribute, refusing unknown and repeated ones.
fn settings(
    input: &DeriveInput,
    attribute: &str,
    known: &[&str],
    mut each: impl FnMut(&str, syn::meta::ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut seen: Vec<String> = Vec::new();
    let mut found = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(attribute)) {
        found = true;
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(Ident::to_string)
                .unwrap_or_default();
            if !known.contains(&name.as_str()) {
                return Err(meta.error(unknown_message(
                    "setting",
                    &name,
                    &format!("`#[{attribute}]` takes"),
                    known,
                )));
            }
            if seen.contains(&name) {
                return Err(meta.error(format!("`{name}` is given twice")));
            }
            seen.push(name.clone());
            each(&name, meta)
        })?;
    }
    if !found {
        return Err(syn::Error::new(
            input.ident.span(),
            format!("missing `#[{attribute}(...)]` with the step's settings"),
        ));
    }
    Ok(())
}

fn required<T>(
    value: Option<T>,
    input: &DeriveInput,
    attribute: &str,
    name: &str,
) -> syn::Result<T> {
    value.ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            format!("`#[{attribute}]` needs `{name} = ...`"),
        )
    })
}

pub fn oauth2(input: &DeriveInput) -> syn::Result<TokenStream> {
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
    settings(input, "oauth2", &known, |name, meta| {
        if name == "scopes" {
            let value = meta.value()?;
            let content;
            syn::bracketed!(content in value);
            scopes =
                syn::punctuated::Punctuated::<LitStr, syn::Token![,]>::parse_terminated(&content)?
                    .into_iter()
                    .collect();
            return Ok(());
        }
        let value: LitStr = meta.value()?.parse()?;
        if name.ends_with("_url")
            && !value.value().starts_with("https://")
            && !value.value().starts_with("http://")
        {
            return Err(syn::Error::new(
                value.span(),
                format!("`{name}` is a URL: `https://...`"),
            ));
        }
        match name {
            "title" => title = Some(value),
            "authorize_url" => authorize = Some(value),
            "token_url" => token = Some(value),
            "client_id_variable" => id_var = Some(value),
            _ => secret_var = Some(value),
        }
        Ok(())
    })?;
    let authorize = required(authorize, input, "oauth2", "authorize_url")?;
    let token = required(token, input, "oauth2", "token_url")?;
    let id_var = required(id_var, input, "oauth2", "client_id_variable")?;
    let secret_var = required(secret_var, input, "oauth2", "client_secret_variable")?;
    let ident = &input.ident;
    let name = ident.to_string();
    let title = title.map(|t| t.value()).unwrap_or_else(|| name.clone());
    let private = quote!(::envoy_plugin::__private);
    Ok(quote! {
        impl #private::SetupStep for #ident {
            const NAME: &'static str = #name;
            const KIND: #private::StepKind = #private::StepKind::OAuth2;
            const KEYS: &'static [&'static str] = &[];
            const DESCRIPTION: #private::StepDescription = #private::StepDescription::oauth2(
                #name, #title, #authorize, #token, &[#(#scopes),*], #id_var, #secret_var,
            );
        }
    })
}

pub fn popup(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut title: Option<LitStr> = None;
    let mut content: Option<Path> = None;
    settings(input, "popup", &["title", "content"], |name, meta| {
        if name == "title" {
            title = Some(meta.value()?.parse()?);
        } else {
            content = Some(meta.value()?.parse()?);
        }
        Ok(())
    })?;
    let content = required(content, input, "popup", "content")?;
    let ident = &input.ident;
    let name = ident.to_string();
    let title = title.map(|t| t.value()).unwrap_or_else(|| name.clone());
    let private = quote!(::envoy_plugin::__private);
    let content_path =
        quote_spanned! {content.span()=> #private::popup_content_path::<#content>() };
    Ok(quote! {
        impl #private::SetupStep for #ident {
            const NAME: &'static str = #name;
            const KIND: #private::StepKind = #private::StepKind::Popup;
            const KEYS: &'static [&'static str] = &[];
            const DESCRIPTION: #private::StepDescription =
                #private::StepDescription::popup(#name, #title, #content_path);
        }

        const _: #private::StepDescription = <#ident as #private::SetupStep>::DESCRIPTION;
    })
}
