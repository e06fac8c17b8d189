//! The page's stylesheet and scripts, embedded in the binary (no build step, no CDN).

use actix_web::HttpResponse;

/// `(name, content type, content)` of every asset.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "preview.css",
        "text/css; charset=utf-8",
        include_str!("assets/preview.css"),
    ),
    (
        "preview.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/preview.js"),
    ),
    (
        "finish.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/finish.js"),
    ),
];

/// The asset called `name`, or a 404.
pub(crate) fn serve(name: &str) -> HttpResponse {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, content)) => HttpResponse::Ok()
            .content_type(*content_type)
            .insert_header(("Cache-Control", "no-cache"))
            .body(*content),
        None => HttpResponse::NotFound().body("no such asset"),
    }
}
