//! Collect, then fail once: the errors of one attribute, struct or `plugin!` call, gathered in one
//! pass (in the manner of serde_derive's `Ctxt`), each on its own token, each reported once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The errors found so far in one macro input.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    /// No errors yet.
    pub fn new() -> Self {
        Ctxt::default()
    }

    /// Records `error` (every message it holds), unless the same message is already recorded on
    /// the same token: one mistake, one error.
    pub fn push(&mut self, error: syn::Error) {
        for single in error {
            let repeated = self.errors.iter().any(|known| {
                known.to_string() == single.to_string()
                    && format!("{:?}", known.span()) == format!("{:?}", single.span())
            });
            if !repeated {
                self.errors.push(single);
            }
        }
    }

    /// Records an error with `message` on `span`.
    pub fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error with `message` on the tokens of `tokens`.
    pub fn error_on(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// The value of `result`, or `None` with its error recorded.
    pub fn handle<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// How many errors are recorded (to tell whether a step added any).
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether nothing went wrong.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every recorded error, as `compile_error!`s each on its token.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_error_once() {
        let mut cx = Ctxt::new();
        let span = Span::call_site();
        cx.error(span, "first");
        cx.error(span, "second");
        cx.error(span, "first");
        let text = cx.to_compile_errors().to_string();
        assert_eq!(text.matches("first").count(), 1);
        assert_eq!(text.matches("second").count(), 1);
        assert!(!cx.is_ok());
    }
}
