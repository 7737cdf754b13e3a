//! The page frame every HTML page shares: skip link, header with
//! navigation and language switch, main landmark and footer.

use maud::{DOCTYPE, Markup, html};

use super::visitor::{Lang, Visitor};
use crate::auth::Role;

/// The stylesheet, compiled into the binary: the service works offline.
pub const STYLESHEET: &str = include_str!("static/banenlift.css");
pub const STYLESHEET_PATH: &str = "/static/banenlift.css";

/// What the frame needs to know about the page it wraps.
pub struct Frame<'a> {
    pub lang: Lang,
    /// The signed-in user's role, name and CSRF token, for nav and logout.
    pub user: Option<(Role, &'a str, &'a str)>,
    /// The path of this page, to mark the current nav item and to return
    /// to after switching language.
    pub path: &'a str,
    pub title: &'a str,
}

impl<'a> Frame<'a> {
    pub fn of(visitor: &'a Visitor, path: &'a str, title: &'a str) -> Self {
        Frame {
            lang: visitor.lang,
            user: visitor
                .signed_in
                .as_ref()
                .map(|s| (s.caller.role, s.name.as_str(), s.csrf.as_str())),
            path,
            title,
        }
    }
}

/// Navigation: the public pages, then the signed-in role's own page.
fn nav_items(lang: Lang, role: Option<Role>) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![
        ("/vacatures", lang.t("Vacatures", "Jobs")),
        ("/opleidingen", lang.t("Opleidingen", "Training")),
    ];
    match role {
        Some(Role::Jobseeker) => items.push(("/profiel", lang.t("Mijn profiel", "My profile"))),
        Some(Role::Coach) => items.push(("/coach", lang.t("Mijn klanten", "My clients"))),
        Some(Role::Employer) => items.push(("/werkgever", lang.t("Mijn vacatures", "My vacancies"))),
        Some(Role::Analyst | Role::Admin) => items.push(("/lift", lang.t("Liftrapport", "Lift report"))),
        _ => {}
    }
    items
}

fn is_current(path: &str, item: &str) -> bool {
    path == item || path.strip_prefix(item).is_some_and(|rest| rest.starts_with('/'))
}

pub fn page(frame: &Frame<'_>, body: Markup) -> Markup {
    let lang = frame.lang;
    let (other_code, other_name) = match lang {
        Lang::Nl => ("en", "English"),
        Lang::En => ("nl", "Nederlands"),
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " · Banenlift Den Haag" }
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                a.bl-skip-link href="#inhoud" { (lang.t("Direct naar de inhoud", "Skip to content")) }
                header.bl-header {
                    div.bl-header__inner {
                        a.bl-logo href="/" {
                            "Banenlift"
                            span.bl-logo__sub { (lang.t("Werk en opleiding in Den Haag", "Work and training in The Hague")) }
                        }
                        nav.bl-nav aria-label=(lang.t("Hoofdmenu", "Main menu")) {
                            ul {
                                @for (href, label) in nav_items(lang, frame.user.map(|u| u.0)) {
                                    li { a href=(href) aria-current=[is_current(frame.path, href).then_some("page")] { (label) } }
                                }
                            }
                        }
                        div.bl-header__tools {
                            a.bl-lang href={ "/taal?naar=" (other_code) "&terug=" (frame.path) } lang=(other_code) { (other_name) }
                            @if let Some((_, name, csrf)) = frame.user {
                                span.bl-muted { (name) }
                                form.bl-inline-form method="post" action="/uitloggen" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.bl-link-button type="submit" { (lang.t("Uitloggen", "Log out")) }
                                }
                            } @else {
                                a href="/inloggen" { (lang.t("Inloggen", "Log in")) }
                            }
                        }
                    }
                }
                main.bl-main id="inhoud" tabindex="-1" { (body) }
                footer.bl-footer {
                    div.bl-header__inner {
                        p { (lang.t(
                            "Banenlift is een dienst van de gemeente Den Haag en haar partners in de Wijkaanpak. Voorbeeldgegevens zijn verzonnen.",
                            "Banenlift is a service of the City of The Hague and its partners. Demo data is fictitious.")) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_nav_item_matches_its_subpages_only() {
        assert!(is_current("/vacatures", "/vacatures"));
        assert!(is_current("/vacatures/vac-1", "/vacatures"));
        assert!(!is_current("/vacaturesx", "/vacatures"));
        assert!(!is_current("/", "/vacatures"));
    }

    #[test]
    fn text_is_escaped() {
        let frame = Frame {
            lang: Lang::Nl,
            user: Some((Role::Coach, "<script>alert(1)</script>", "t")),
            path: "/\"><x",
            title: "<b>",
        };
        let out = page(&frame, html! { p { "ok" } }).into_string();
        assert!(!out.contains("<script>alert"), "{out}");
        assert!(!out.contains("\"><x"), "{out}");
        assert!(out.contains("lang=\"nl\""));
    }
}
