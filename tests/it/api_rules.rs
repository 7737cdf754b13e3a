//! The NL API Design Rules that apply to every answer: the `API-Version`
//! header, and cross-origin calls only from the origins configured.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

const ALLOWED: &str = "https://data.example.nl";
const OTHER: &str = "https://elders.example";

async fn headers(app: &TestApp, method: Method, path: &str, origin: Option<&str>) -> (StatusCode, HeaderMap) {
    let mut request = app.client.request(method.clone(), format!("{}{path}", app.base));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if method == Method::OPTIONS {
        request = request
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type");
    }
    let response = request.send().await.expect("request");
    (response.status(), response.headers().clone())
}

fn allowed_origin(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("access-control-allow-origin")
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn every_api_answer_names_the_version_and_pages_do_not() {
    let app = TestApp::spawn().await;
    let token = app.token("coach", None).await;
    let answers = [
        app.client
            .get(format!("{}/api/v1/skills?q=kassa", app.base))
            .send(),
        app.client.get(format!("{}/health", app.base)).send(),
        app.client.get(format!("{}/api/v1/geen-route", app.base)).send(),
        app.client.get(format!("{}/api/v1/residents", app.base)).send(),
        app.client
            .post(format!("{}/api/v1/vacancies", app.base))
            .bearer_auth(&token)
            .body("{")
            .header("content-type", "application/json")
            .send(),
    ];
    let mut statuses = Vec::new();
    for answer in answers {
        let response = answer.await.expect("request");
        statuses.push(response.status().as_u16());
        let version = response
            .headers()
            .get("api-version")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(version.as_deref(), Some("1.0.0"), "{}", response.url());
    }
    assert_eq!(statuses[..2], [200, 200]);
    assert!(
        statuses[2..].iter().all(|s| (400..500).contains(s)),
        "errors alike: {statuses:?}"
    );
    let (status, page) = headers(&app, Method::GET, "/vacatures", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.get("api-version").is_none(), "pages are no API answers");
}

#[tokio::test]
async fn without_configured_origins_no_cross_origin_call_is_allowed() {
    let app = TestApp::spawn().await;
    for method in [Method::OPTIONS, Method::GET] {
        let (_, answer) = headers(&app, method.clone(), "/api/v1/skills?q=kassa", Some(ALLOWED)).await;
        assert_eq!(allowed_origin(&answer), None, "{method}");
    }
}

#[tokio::test]
async fn only_configured_origins_may_call_the_api_from_a_browser() {
    let app = TestApp::spawn_with_cors(&[ALLOWED]).await;
    let (status, preflight) = headers(&app, Method::OPTIONS, "/api/v1/vacancies", Some(ALLOWED)).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(allowed_origin(&preflight), Some(ALLOWED));
    let allowed_headers = preflight["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed_headers.contains("authorization") && allowed_headers.contains("content-type"));
    assert!(
        preflight["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert!(
        preflight.get("access-control-allow-credentials").is_none(),
        "bearer tokens, no cookies"
    );

    let (status, read) = headers(&app, Method::GET, "/api/v1/skills?q=kassa", Some(ALLOWED)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(allowed_origin(&read), Some(ALLOWED));
    let exposed = read["access-control-expose-headers"].to_str().unwrap();
    assert!(exposed.contains("api-version"), "{exposed}");

    for method in [Method::OPTIONS, Method::GET] {
        let (_, answer) = headers(&app, method.clone(), "/api/v1/skills?q=kassa", Some(OTHER)).await;
        assert_eq!(allowed_origin(&answer), None, "{method} from another origin");
    }
}

/// The contract at `/api/v1/openapi.json` is OpenAPI 3.1, public, of the
/// version the answers name, and every operation it lists is a route the
/// server has (not the API's "no such route" answer, not a wrong method),
/// with its error answers in problem+json.
#[tokio::test]
async fn the_openapi_document_describes_the_routes_the_server_has() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let version = response.headers()["api-version"].to_str().unwrap().to_string();
    let doc: serde_json::Value = response.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], version.as_str());
    assert!(
        doc["info"].get("license").is_none(),
        "a license the project does not have"
    );
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let shared_errors = doc["components"]["responses"].as_object().expect("shared errors");
    assert!(!shared_errors.is_empty());
    for (name, error) in shared_errors {
        let problem = &error["content"]["application/problem+json"]["schema"]["$ref"];
        assert_eq!(problem, "#/components/schemas/Problem", "{name}");
    }
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path}: no success"
            );
            assert!(responses.contains_key("400"), "{method} {path}: no 400");
            if operation.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}: secured, no 401");
            }
            let url = format!(
                "{}/api/v1{}",
                app.base,
                path.replace("{id}", "x").replace("{code}", "x")
            );
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let answer = app
                .client
                .request(method.clone(), &url)
                .send()
                .await
                .expect("request");
            assert_ne!(answer.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let body = answer.text().await.unwrap();
            assert!(
                !body.contains("Deze API-route bestaat niet"),
                "{method} {path}: {body}"
            );
        }
    }
    assert!(operations >= 33, "{operations} operations");
}

/// `/api/docs` is the same document for people: every operation is in its
/// contents and every schema has a section, and nothing is loaded from
/// elsewhere.
#[tokio::test]
async fn the_api_reference_page_shows_every_operation_and_schema() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.get("/api/v1/openapi.json").await;
    let response = app
        .client
        .get(format!("{}/api/docs", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.text().await.unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let listed = format!(
                "<code class=\"bl-code\">{} {}</code>",
                method.to_uppercase(),
                path.replace('&', "&amp;")
            );
            assert!(page.contains(&listed), "{method} {path} is not in the contents");
        }
    }
    let anchors: Vec<&str> = page
        .split("<h3 id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let unique: std::collections::HashSet<&&str> = anchors.iter().collect();
    assert_eq!(unique.len(), anchors.len(), "every heading's anchor is unique");
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(page.contains(&format!("id=\"schema-{name}\"")), "schema {name}");
    }
    assert!(!page.contains("<script"), "no script");
    assert!(!page.contains("src=\"http"), "nothing from elsewhere");
    assert!(page.contains("href=\"/api/v1/openapi.json\""));
    assert!(
        page.contains("<summary>Voorbeeld</summary>"),
        "the body examples are shown"
    );
}

/// The document's example bodies are bodies the server accepts, so an
/// integrator who starts from them starts from something that works.
#[tokio::test]
async fn the_documented_example_bodies_are_accepted() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.get("/api/v1/openapi.json").await;
    let employer = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    let provider = app.token("provider", Some(crate::offers::PROVIDER)).await;
    for (schema, path, token) in [
        ("VacancyInput", "/api/v1/vacancies", &employer),
        ("TrainingInput", "/api/v1/trainings", &provider),
    ] {
        let example = &doc["components"]["schemas"][schema]["examples"][0];
        assert!(example.is_object(), "{schema} has an example");
        let (status, created) = app.send(Method::POST, path, Some(token), Some(example)).await;
        assert_eq!(status, StatusCode::CREATED, "{schema}: {created}");
    }
}
