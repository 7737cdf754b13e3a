use reqwest::Method;
use serde_json::json;

use crate::helpers::{EMPLOYER, TestApp, error_fields, total, vacancy_body};

#[tokio::test]
async fn odd_query_syntax_is_searched_as_words() {
    let app = TestApp::spawn().await;
    for q in [
        "\"AND(",
        "+-",
        "\"kok",
        "kok\"",
        "title:kok",
        "a AND (b OR",
        "*",
        "\\",
        "(((",
        "kok~2^3",
        "'; DROP TABLE vacancies; --",
    ] {
        let (status, body) = app.search("vacancies", &[("q", q)]).await;
        assert_eq!(status, 200, "{q}: {body}");
        assert!(body["total"].is_u64(), "{q}");
    }
    // Punctuation around a real word does not stop it from matching.
    let plain = total(&app.search_ok("vacancies", &[("q", "kok")]).await);
    assert!(plain > 0);
    assert_eq!(total(&app.search_ok("vacancies", &[("q", "\"kok")]).await), plain);
    assert_eq!(
        total(&app.search_ok("vacancies", &[("q", "(kok AND")]).await),
        plain
    );
}

#[tokio::test]
async fn bad_search_parameters_get_a_problem_response() {
    let app = TestApp::spawn().await;
    let cases: [(&[(&str, &str)], &str); 12] = [
        (&[("wijk", "centrum"), ("radius_km", "-1")], "invalid_radius"),
        (&[("wijk", "centrum"), ("radius_km", "100000")], "invalid_radius"),
        (&[("wijk", "centrum"), ("radius_km", "NaN")], "invalid_number"),
        (&[("radius_km", "3")], "location_required"),
        (&[("wijk", "Atlantis")], "unknown_wijk"),
        (&[("postcode", "9999")], "unknown_postcode"),
        (&[("postcode", "25XX")], "invalid_postcode"),
        (&[("limit", "101")], "invalid_number"),
        (&[("offset", "-5")], "invalid_number"),
        (&[("education", "phd")], "invalid_filter"),
        (&[("sort", "random")], "invalid_sort"),
        (&[("unknown", "1")], "invalid_query"),
    ];
    for (params, code) in cases {
        let (status, body) = app.search("vacancies", params).await;
        assert_eq!(status, 400, "{params:?}: {body}");
        assert_eq!(body["code"], code, "{params:?}");
        assert_eq!(body["status"], 400);
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let long = "woord ".repeat(100);
    let (status, body) = app.search("vacancies", &[("q", &long)]).await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (400, Some("query_too_long"))
    );
}

#[tokio::test]
async fn errors_are_problem_json() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/api/v1/vacancies/does-not-exist", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = response.json().await.unwrap();
    for field in ["type", "title", "status", "detail", "code"] {
        assert!(!body[field].is_null(), "{field} missing");
    }
    let (status, _) = app.get("/api/v1/vacancies/..%2F..%2Fetc").await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/no/such/route").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn malformed_unknown_and_oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let url = format!("{}/api/v1/vacancies", app.base);
    let send = |body: String| {
        app.client
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let response = send("{\"title\": ".into()).await.unwrap();
    assert_eq!(response.status(), 400);
    let mut with_unknown = vacancy_body(
        "IJsbeeldhouwer",
        "Je maakt beelden van ijs voor evenementen in Scheveningen.",
    );
    with_unknown["salary_bonus"] = json!(100);
    let response = send(with_unknown.to_string()).await.unwrap();
    assert_eq!(response.status(), 422);
    let mut huge = vacancy_body("IJsbeeldhouwer", &"ijs ".repeat(600_000));
    huge["title"] = json!("IJsbeeldhouwer");
    let huge = huge.to_string();
    let response = send(huge).await.unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    // Nothing of the refused bodies was stored.
    assert_eq!(
        total(&app.search_ok("vacancies", &[("q", "ijsbeeldhouwer")]).await),
        0
    );
}

#[tokio::test]
async fn invalid_fields_are_listed_one_by_one() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let mut body = vacancy_body("K", "te kort");
    body["sector"] = json!("ruimtevaart");
    body["hours_min"] = json!(30);
    body["hours_max"] = json!(20);
    body["wijk"] = json!("Atlantis");
    body["skills_required"] = json!(["vliegen op een bezem"]);
    body["closes_on"] = json!("morgen");
    let (status, problem) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    assert_eq!(status, 422, "{problem}");
    let fields = error_fields(&problem);
    for field in [
        "title",
        "description",
        "sector",
        "hours_min",
        "wijk",
        "skills_required",
        "closes_on",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} not in {fields:?}");
    }
}
