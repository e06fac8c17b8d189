//! Attribute arguments, one at a time: the list is cut at its top-level commas and each piece is
//! read on its own, so one bad argument is reported and the others are still read and checked.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::Ident;
use syn::parse::Parser;

use crate::ctxt::Ctxt;
use crate::suggest::{closest, unknown_message};

/// One argument of an attribute.
pub enum Arg {
    /// `key`
    Flag(Ident),
    /// `key = value`: the value's tokens.
    Assign(Ident, TokenStream),
    /// `key(...)`.
    Call(Ident),
    /// Anything else (a string, a type): its tokens.
    Other(TokenStream),
}

impl Arg {
    /// The key, if the argument has one.
    pub fn key(&self) -> Option<&Ident> {
        match self {
            Arg::Flag(key) | Arg::Assign(key, _) | Arg::Call(key) => Some(key),
            Arg::Other(_) => None,
        }
    }
}

/// The pieces of `tokens` between top-level commas (empty pieces, as after a trailing comma, are
/// dropped).
pub fn split(tokens: TokenStream) -> Vec<TokenStream> {
    let mut pieces = vec![TokenStream::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(TokenStream::new()),
            _ => pieces.last_mut().expect("never empty").extend([token]),
        }
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// Reads every argument of `tokens`.
pub fn args(tokens: TokenStream) -> Vec<Arg> {
    split(tokens).into_iter().map(arg).collect()
}

/// Reads one argument.
fn arg(piece: TokenStream) -> Arg {
    let tokens: Vec<TokenTree> = piece.clone().into_iter().collect();
    let key = match tokens.first() {
        Some(TokenTree::Ident(key)) => key.clone(),
        _ => return Arg::Other(piece),
    };
    match &tokens[1..] {
        [] => Arg::Flag(key),
        [TokenTree::Punct(eq), rest @ ..]
            if eq.as_char() == '='
                && !matches!(rest.first(), Some(TokenTree::Punct(p)) if p.as_char() == '=') =>
        {
            Arg::Assign(key, rest.iter().cloned().collect())
        }
        [TokenTree::Group(group)] if group.delimiter() == Delimiter::Parenthesis => Arg::Call(key),
        _ => Arg::Other(piece),
    }
}

/// The keys an attribute accepts, and those already given: refuses an unknown key (listing the
/// accepted ones, with a suggestion) and a repeated one, on the key.
pub struct Keys<'a> {
    accepted: &'a [&'a str],
    noun: &'a str,
    takes: String,
    seen: Vec<String>,
    /// The keys suggested for misspelt ones: not reported missing as well.
    suggested: Vec<&'a str>,
}

impl<'a> Keys<'a> {
    /// `noun` names what a key is ("argument", "setting"); `takes` introduces the list ("`#[event]`
    /// takes").
    pub fn new(accepted: &'a [&'a str], noun: &'a str, takes: impl Into<String>) -> Self {
        Keys {
            accepted,
            noun,
            takes: takes.into(),
            seen: Vec::new(),
            suggested: Vec::new(),
        }
    }

    /// Whether `name` was given, or a misspelling of it was (then its error names it already).
    pub fn given(&self, name: &str) -> bool {
        self.seen.iter().any(|seen| seen == name) || self.suggested.contains(&name)
    }

    /// Whether `key` is accepted and given for the first time; records the error otherwise.
    pub fn accept(&mut self, cx: &mut Ctxt, key: &Ident) -> bool {
        let name = key.to_string();
        if !self.accepted.contains(&name.as_str()) {
            self.suggested
                .extend(closest(&name, self.accepted.iter().copied()));
            cx.error(
                key.span(),
                unknown_message(self.noun, &name, &self.takes, self.accepted),
            );
            return false;
        }
        if self.seen.contains(&name) {
            cx.error(key.span(), format!("`{name}` is given twice: keep one"));
            return false;
        }
        self.seen.push(name);
        true
    }
}

/// Parses `tokens` (a value after `key =` or in `key(...)`) with `parser`; an error points at the
/// value, or at `key` when the value is missing.
pub fn value<T>(
    key: &Ident,
    tokens: &TokenStream,
    parser: impl Parser<Output = T>,
) -> syn::Result<T> {
    if tokens.is_empty() {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` needs a value after `=`"),
        ));
    }
    parser.parse2(tokens.clone())
}
