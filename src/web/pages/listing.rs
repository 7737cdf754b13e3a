//! Long lists on any page: page links and sortable column headers. Both are
//! plain links, so they work without JavaScript and can be bookmarked.

use maud::{Markup, html};

use crate::web::visitor::Lang;

/// Links to the previous and next pages and the nearby page numbers.
/// `current` counts from 0; `link` gives a page's address.
pub fn pagination(lang: Lang, current: usize, pages: usize, link: impl Fn(usize) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    let nearby = current.saturating_sub(2)..(current + 3).min(pages);
    html! {
        nav.bl-pagination aria-label=(lang.t("Paginering", "Pagination")) {
            ul {
                @if current > 0 {
                    li { a href=(link(current - 1)) rel="prev" { (lang.t("Vorige", "Previous")) } }
                }
                @for n in nearby {
                    li {
                        @if n == current {
                            span aria-current="page" { (n + 1) }
                        } @else {
                            a href=(link(n)) { span.bl-visually-hidden { (lang.t("Pagina ", "Page ")) } (n + 1) }
                        }
                    }
                }
                @if current + 1 < pages {
                    li { a href=(link(current + 1)) rel="next" { (lang.t("Volgende", "Next")) } }
                }
            }
        }
    }
}

/// The order a sorted column is in, as `aria-sort` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Ascending,
    Descending,
}

impl Order {
    fn aria(self) -> &'static str {
        match self {
            Order::Ascending => "ascending",
            Order::Descending => "descending",
        }
    }

    fn arrow(self) -> &'static str {
        match self {
            Order::Ascending => "▲",
            Order::Descending => "▼",
        }
    }
}

/// A column header that sorts the table by this column when followed;
/// `sorted` is the order when the table is sorted by it now.
pub fn sort_header(lang: Lang, label: &str, href: &str, sorted: Option<Order>) -> Markup {
    html! {
        th scope="col" aria-sort=[sorted.map(Order::aria)] {
            a.bl-sort href=(href) {
                (label)
                @match sorted {
                    Some(order) => { " " span aria-hidden="true" { (order.arrow()) } }
                    None => { span.bl-visually-hidden { ", " (lang.t("sorteer hierop", "sort by this")) } }
                }
            }
        }
    }
}
