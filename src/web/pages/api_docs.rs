//! `/api/docs`: the API reference for integrators, rendered from the same
//! OpenAPI document that `/api/v1/openapi.json` serves, so that the two
//! cannot drift apart. Everything comes from the binary: no CDN, no script.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use pulldown_cmark::{Event, Parser};
use serde_json::Value;

use crate::web::AppState;
use crate::web::layout::{Frame, page};
use crate::web::openapi::API_BASE;
use crate::web::visitor::{Lang, Visitor};

pub const PATH: &str = "/api/docs";
const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

/// The reference is the same for every visitor but for the language, so
/// it is rendered once per language when the router is built; a request
/// only wraps it in the frame.
pub fn router(doc: &utoipa::openapi::OpenApi) -> Router<AppState> {
    // The document is our own typed value; it always serialises.
    let doc = serde_json::to_value(doc).expect("the OpenAPI document is JSON");
    let rendered = Arc::new([reference(&doc, Lang::Nl), reference(&doc, Lang::En)]);
    Router::new().route(
        PATH,
        get(move |visitor: Visitor| async move {
            let body = match visitor.lang {
                Lang::Nl => &rendered[0],
                Lang::En => &rendered[1],
            };
            page(&Frame::of(&visitor, PATH, title(visitor.lang)), body.clone())
        }),
    )
}

fn title(lang: Lang) -> &'static str {
    lang.t("API-documentatie", "API reference")
}

/// One operation of the document, with where it lives.
struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    spec: &'a Value,
}

impl Operation<'_> {
    /// An anchor from method and path: unique while no two paths differ
    /// only in `-` against `/` (the reference page's test checks it).
    fn anchor(&self) -> String {
        let slug: String = self
            .path
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("{}{}", self.method, slug.trim_end_matches('-'))
    }

    fn tag(&self) -> &str {
        self.spec["tags"][0].as_str().unwrap_or("")
    }
}

fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = doc["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |&method| item.get(method).map(|spec| Operation { method, path, spec }))
        })
        .collect()
}

fn reference(doc: &Value, lang: Lang) -> Markup {
    let operations = operations(doc);
    let tags: Vec<(&str, &str)> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| Some((tag["name"].as_str()?, tag["description"].as_str().unwrap_or(""))))
        .collect();
    html! {
        h1 { (title(lang)) }
        (introduction(doc, lang))
        nav aria-labelledby="api-inhoud" {
            h2 id="api-inhoud" { (lang.t("Inhoud", "Contents")) }
            ul {
                @for (tag, description) in &tags {
                    li {
                        a href={ "#tag-" (tag) } { (description) }
                        ul { @for operation in operations.iter().filter(|o| o.tag() == *tag) {
                            li { a href={ "#" (operation.anchor()) } {
                                code.bl-code { (operation.method.to_uppercase()) " " (operation.path) }
                            } }
                        } }
                    }
                }
                li { a href="#schemas" { (lang.t("Gegevenstypen (schema's)", "Data types (schemas)")) } }
            }
        }
        @for (tag, description) in &tags {
            section aria-labelledby={ "tag-" (tag) } {
                h2 id={ "tag-" (tag) } { (description) }
                @for operation in operations.iter().filter(|o| o.tag() == *tag) {
                    (operation_section(doc, operation, lang))
                }
            }
        }
        (schemas(doc, lang))
    }
}

fn introduction(doc: &Value, lang: Lang) -> Markup {
    let openapi = format!("{API_BASE}/openapi.json");
    html! {
        p.bl-lead { (lang.t(
            "Voor wie Banenlift koppelt aan een ander systeem. De teksten hieronder zijn in het Engels, net als de namen van de velden.",
            "For those who connect Banenlift to another system.")) }
        (markdown(doc["info"]["description"].as_str().unwrap_or("")))
        dl.bl-data-list {
            dt { (lang.t("Adres van de API", "API address")) }
            dd { code.bl-code { (API_BASE) } }
            dt { (lang.t("Versie", "Version")) }
            dd { (doc["info"]["version"].as_str().unwrap_or("")) }
            dt { (lang.t("Voor programma's", "For programs")) }
            dd { a href=(openapi) { (lang.t("Het OpenAPI-document (JSON)", "The OpenAPI document (JSON)")) } }
            dt { (lang.t("Inloggen", "Authentication")) }
            dd { (lang.t(
                "Een token in de kop: Authorization: Bearer <token>. Een beheerder maakt het met banenlift user add.",
                "A token in the header: Authorization: Bearer <token>. An administrator makes one with banenlift user add.")) }
        }
    }
}

fn operation_section(doc: &Value, operation: &Operation<'_>, lang: Lang) -> Markup {
    let spec = operation.spec;
    let secured = spec["security"].as_array().is_some_and(|s| !s.is_empty());
    let name = format!("{} {}", operation.method.to_uppercase(), operation.path);
    let parameters: Vec<&Value> = spec["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| resolve(doc, parameter))
        .collect();
    html! {
        article.bl-api-operation aria-labelledby=(operation.anchor()) {
            h3 id=(operation.anchor()) {
                span.bl-api-method { (operation.method.to_uppercase()) }
                " " code.bl-code { (operation.path) }
            }
            @if let Some(summary) = spec["summary"].as_str() { p { strong { (summary) } } }
            (markdown(spec["description"].as_str().unwrap_or("")))
            p.bl-muted { @if secured {
                (lang.t("Met een token (bearer).", "Needs a token (bearer)."))
            } @else {
                (lang.t("Open: zonder token.", "Open: no token needed."))
            } }
            @if !parameters.is_empty() { (parameter_table(&name, &parameters, lang)) }
            @if let Some(body) = spec.get("requestBody").map(|body| resolve(doc, body)) {
                (request_body(doc, body, lang))
            }
            (response_table(doc, &name, &spec["responses"], lang))
        }
    }
}

fn parameter_table(name: &str, parameters: &[&Value], lang: Lang) -> Markup {
    table_region(
        &format!("Parameters: {name}"),
        html! {
            table.bl-table {
                caption { "Parameters" }
                thead { tr {
                    th scope="col" { (lang.t("Naam", "Name")) }
                    th scope="col" { (lang.t("Waar", "In")) }
                    th scope="col" { "Type" }
                    th scope="col" { (lang.t("Betekenis", "Meaning")) }
                } }
                tbody { @for parameter in parameters { tr {
                    th scope="row" {
                        code.bl-code { (parameter["name"].as_str().unwrap_or("")) }
                        @if parameter["required"].as_bool() == Some(true) {
                            " " span.bl-muted { (lang.t("(verplicht)", "(required)")) }
                        }
                    }
                    td { (parameter["in"].as_str().unwrap_or("")) }
                    td { (type_label(&parameter["schema"])) }
                    td { (markdown(parameter["description"].as_str().unwrap_or(""))) }
                } } }
            }
        },
    )
}

fn request_body(doc: &Value, body: &Value, lang: Lang) -> Markup {
    let contents: Vec<(&String, &Value)> = body["content"].as_object().into_iter().flatten().collect();
    let example = contents
        .iter()
        .find_map(|(_, content)| resolve(doc, &content["schema"])["examples"].get(0));
    html! {
        p { strong { (lang.t("Inhoud van het verzoek", "Request body")) } }
        ul { @for (content_type, content) in &contents {
            li { code.bl-code { (content_type) } ": " (type_label(&content["schema"])) }
        } }
        @if let Some(example) = example {
            details {
                summary { (lang.t("Voorbeeld", "Example")) }
                pre { code { (serde_json::to_string_pretty(example).unwrap_or_default()) } }
            }
        }
    }
}

fn response_table(doc: &Value, name: &str, responses: &Value, lang: Lang) -> Markup {
    let caption = lang.t("Antwoorden", "Responses");
    table_region(
        &format!("{caption}: {name}"),
        html! {
            table.bl-table {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Status" }
                    th scope="col" { (lang.t("Betekenis", "Meaning")) }
                    th scope="col" { (lang.t("Inhoud", "Body")) }
                } }
                tbody { @for (status, response) in responses.as_object().into_iter().flatten() {
                    @let response = resolve(doc, response);
                    tr {
                        th scope="row" { (status) }
                        td { (markdown(response["description"].as_str().unwrap_or(""))) }
                        td { @for (content_type, content) in response["content"].as_object().into_iter().flatten() {
                            div { code.bl-code { (content_type) } ": " (type_label(&content["schema"])) }
                        } }
                    }
                } }
            }
        },
    )
}

fn schemas(doc: &Value, lang: Lang) -> Markup {
    html! {
        section aria-labelledby="schemas" {
            h2 id="schemas" { (lang.t("Gegevenstypen (schema's)", "Data types (schemas)")) }
            @for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
                article.bl-api-operation aria-labelledby={ "schema-" (name) } {
                    h3 id={ "schema-" (name) } { code.bl-code { (name) } }
                    (markdown(schema["description"].as_str().unwrap_or("")))
                    @match schema["properties"].as_object() {
                        Some(properties) => (property_table(name, schema, properties, lang)),
                        None => p { (type_label(schema)) },
                    }
                }
            }
        }
    }
}

fn property_table(
    name: &str,
    schema: &Value,
    properties: &serde_json::Map<String, Value>,
    lang: Lang,
) -> Markup {
    let required = |name: &str| {
        schema["required"]
            .as_array()
            .is_some_and(|names| names.iter().any(|n| n == name))
    };
    let caption = lang.t("Velden", "Fields");
    table_region(
        &format!("{caption}: {name}"),
        html! {
            table.bl-table {
                caption.bl-visually-hidden { (caption) }
                thead { tr {
                    th scope="col" { (lang.t("Veld", "Field")) }
                    th scope="col" { "Type" }
                    th scope="col" { (lang.t("Betekenis", "Meaning")) }
                } }
                tbody { @for (field, property) in properties {
                    tr {
                        th scope="row" {
                            code.bl-code { (field) }
                            @if required(field) { " " span.bl-muted { (lang.t("(verplicht)", "(required)")) } }
                        }
                        td { (type_label(property)) }
                        td { (markdown(property["description"].as_str().unwrap_or(""))) }
                    }
                } }
            }
        },
    )
}

/// A table that may scroll sideways on a phone: a region that the keyboard
/// can reach, so that its hidden columns can be scrolled to.
fn table_region(label: &str, table: Markup) -> Markup {
    html! {
        div.bl-table-wrapper role="region" aria-label=(label) tabindex="0" { (table) }
    }
}

/// A `$ref` to a parameter, body, response or schema, followed; anything
/// else as is.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// A schema in a few words: its type, format, allowed values and limits,
/// with a link to the named schemas it uses.
fn type_label(schema: &Value) -> Markup {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return html! { a href={ "#schema-" (name) } { (name) } };
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[combinator].as_array() {
            return html! { @for (i, part) in parts.iter().enumerate() {
                @if i > 0 { " | " } (type_label(part))
            } };
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    html! {
        @if types.is_empty() { "any" }
        @for (i, kind) in types.iter().enumerate() {
            @if i > 0 { " | " }
            @if *kind == "array" { "array of " (type_label(&schema["items"])) } @else { (kind) }
        }
        @if let Some(format) = schema["format"].as_str() { " (" (format) ")" }
        @if let Some(values) = schema["enum"].as_array() {
            ": " @for (i, value) in values.iter().enumerate() {
                @if i > 0 { ", " } code.bl-code { (value.as_str().map_or_else(|| value.to_string(), str::to_string)) }
            }
        }
        @let limits = limits(schema);
        @if !limits.is_empty() { " " span.bl-muted { "(" (limits) ")" } }
    }
}

/// The document's limits on a value, as `min 1, max 100`.
fn limits(schema: &Value) -> String {
    [
        ("minimum", "min"),
        ("maximum", "max"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("maxItems", "max items"),
        ("pattern", "pattern"),
    ]
    .iter()
    .filter_map(|(key, label)| {
        let value = &schema[*key];
        let shown = value.as_str().map_or_else(|| value.to_string(), str::to_string);
        (!value.is_null()).then(|| format!("{label} {shown}"))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

/// The document's descriptions are CommonMark. Raw HTML in them is shown
/// as text, never passed on as markup.
fn markdown(text: &str) -> Markup {
    let events = Parser::new(text).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_a_description_is_shown_as_text() {
        let out = markdown("Use `<b>` <script>alert(1)</script> *here*").into_string();
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("<code>&lt;b&gt;</code>"), "{out}");
        assert!(out.contains("<em>here</em>"), "{out}");
    }

    #[test]
    fn a_type_label_follows_refs_arrays_and_nullable_types() {
        let label = |schema: Value| type_label(&schema).into_string();
        assert_eq!(
            label(serde_json::json!({"$ref": "#/components/schemas/SkillRef"})),
            "<a href=\"#schema-SkillRef\">SkillRef</a>"
        );
        assert_eq!(
            label(serde_json::json!({"type": "array", "items": {"type": "string"}, "maxItems": 50})),
            "array of string <span class=\"bl-muted\">(max items 50)</span>"
        );
        assert_eq!(
            label(serde_json::json!({"type": ["string", "null"], "format": "date"})),
            "string | null (date)"
        );
    }

    #[test]
    fn anchors_are_unique_per_method_and_path() {
        let spec = Value::Null;
        let get = Operation {
            method: "get",
            path: "/vacancies/{id}",
            spec: &spec,
        };
        let put = Operation {
            method: "put",
            path: "/vacancies/{id}",
            spec: &spec,
        };
        assert_eq!(get.anchor(), "get-vacancies--id");
        assert_ne!(get.anchor(), put.anchor());
    }
}
