//! `POST /api/v1/imports`: the nightly feed loaded over the API by its
//! employer, with a status resource that follows the run to its summary.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};

use banenlift::storage::{TrainingRow, VacancyRow};

use crate::helpers::{EMPLOYER, OTHER_EMPLOYER, TestApp, error_fields};

const PROVIDER: &str = "org-066";

const FEED: &str = "tests/data/feed.ndjson";
const NEXT_FEED: &str = "tests/data/feed-next.ndjson";
const CSV_FEED: &str = "tests/data/feed.csv";

struct Posted {
    status: StatusCode,
    location: Option<String>,
    body: Value,
}

async fn post_feed(app: &TestApp, token: &str, query: &str, content_type: &str, body: String) -> Posted {
    let response = app
        .client
        .post(format!("{}/api/v1/imports{query}", app.base))
        .bearer_auth(token)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().expect("location").to_string());
    let body = response.json().await.unwrap_or(Value::Null);
    Posted {
        status,
        location,
        body,
    }
}

fn feed(path: &str) -> String {
    std::fs::read_to_string(path).expect("test feed")
}

/// Reads the status resource until the run has ended.
async fn until_ended(app: &TestApp, token: &str, location: &str) -> Value {
    for _ in 0..300 {
        let (status, run) = app.get_with(location, token).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not end within 30 seconds");
}

fn summary(run: &Value) -> [u64; 5] {
    ["created", "updated", "unchanged", "closed", "rejected"].map(|k| run["summary"][k].as_u64().expect(k))
}

async fn started(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: &str,
    body: String,
) -> (String, Value) {
    let posted = post_feed(app, token, query, content_type, body).await;
    assert_eq!(posted.status, StatusCode::ACCEPTED, "{}", posted.body);
    let location = posted.location.expect("Location");
    assert_eq!(
        location,
        format!("/api/v1/imports/{}", posted.body["id"].as_str().expect("id"))
    );
    (location, posted.body)
}

#[tokio::test]
async fn an_employer_loads_the_nightly_feed_over_the_api_and_follows_its_status() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let (location, first) = started(&app, &employer, "", "application/x-ndjson", feed(FEED)).await;
    assert_eq!(first["organisation_id"], EMPLOYER);
    assert_eq!(first["source"], EMPLOYER);
    assert_eq!(first["total"], 12);
    let run = until_ended(&app, &employer, &location).await;
    assert_eq!(run["status"], "done", "{run}");
    assert_eq!(run["processed"], 12);
    assert_eq!(summary(&run), [10, 0, 0, 0, 2]);
    assert!(run["finished_at"].is_string());
    let rejects = run["rejects"].as_array().expect("rejects");
    assert_eq!(
        rejects
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [11, 12]
    );
    assert!(
        rejects[0]["reason"].as_str().unwrap().starts_with("jobLocation:"),
        "{run}"
    );

    let id = app
        .state
        .store
        .offer_from_source::<VacancyRow>(EMPLOYER, "REQ-2001")
        .await
        .expect("store")
        .expect("REQ-2001 was loaded");
    let (status, vacancy) = app.get(&format!("/api/v1/vacancies/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(vacancy["status"], "open");

    // The next night, as the command does it.
    let (location, _) = started(
        &app,
        &employer,
        "?close_missing=true",
        "application/ld+json",
        feed(NEXT_FEED),
    )
    .await;
    let next = until_ended(&app, &employer, &location).await;
    assert_eq!(summary(&next), [1, 1, 5, 4, 2], "{next}");
    let closed = app
        .state
        .store
        .offer_from_source::<VacancyRow>(EMPLOYER, "REQ-2007")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/vacancies/{closed}")).await.1["status"],
        "closed"
    );
}

#[tokio::test]
async fn a_csv_feed_loads_under_its_own_source() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let (location, run) = started(
        &app,
        &employer,
        "?source=wsp",
        "text/csv; charset=utf-8",
        feed(CSV_FEED),
    )
    .await;
    assert_eq!(run["source"], "wsp");
    let run = until_ended(&app, &employer, &location).await;
    assert_eq!(summary(&run), [10, 0, 0, 0, 2], "{run}");
    assert!(
        app.state
            .store
            .offer_from_source::<VacancyRow>("wsp", "REQ-2001")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_feed_larger_than_other_bodies_is_taken() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    // One posting of the test feed, 600 times under new identifiers, with a long description: over 2 MiB.
    let template: Value = serde_json::from_str(feed(FEED).lines().next().unwrap()).unwrap();
    let mut lines = Vec::new();
    for i in 0..600 {
        let mut posting = template.clone();
        posting["identifier"] = json!({"@type": "PropertyValue", "name": "ATS", "value": format!("BIG-{i}")});
        posting["description"] = json!(format!(
            "<p>{}</p>",
            "Werk in de haven van Den Haag. ".repeat(120)
        ));
        lines.push(posting.to_string());
    }
    let body = lines.join("\n");
    assert!(body.len() > 2 * 1024 * 1024);
    let (location, _) = started(&app, &employer, "", "application/x-ndjson", body).await;
    let run = until_ended(&app, &employer, &location).await;
    assert_eq!(summary(&run), [600, 0, 0, 0, 0], "{run}");
}

#[tokio::test]
async fn only_the_employer_and_an_admin_load_and_read_an_import() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let other = app.token("employer", Some(OTHER_EMPLOYER)).await;
    let admin = app.token("admin", None).await;
    let jobseeker = app.token("jobseeker", None).await;

    let posted = post_feed(&app, &jobseeker, "", "application/x-ndjson", feed(FEED)).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let posted = post_feed(&app, &admin, "", "application/x-ndjson", feed(FEED)).await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&posted.body), ["organisation_id"]);
    let posted = post_feed(
        &app,
        &other,
        &format!("?organisation_id={EMPLOYER}"),
        "application/x-ndjson",
        feed(FEED),
    )
    .await;
    assert_eq!(
        posted.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not for another organisation"
    );

    let (location, _) = started(
        &app,
        &admin,
        &format!("?organisation_id={EMPLOYER}"),
        "application/x-ndjson",
        feed(FEED),
    )
    .await;
    let run = until_ended(&app, &admin, &location).await;
    assert_eq!(run["organisation_id"], EMPLOYER);
    let (status, _) = app.get_with(&location, &employer).await;
    assert_eq!(status, StatusCode::OK, "the organisation's employer reads it");
    for token in [&other, &jobseeker] {
        let (status, problem) = app.get_with(&location, token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    }
    let (status, _) = app.get(&location).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.get_with("/api/v1/imports/imp-nothing", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_feed_that_cannot_be_read_is_refused_before_it_starts() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let posted = post_feed(
        &app,
        &employer,
        "",
        "text/csv",
        "identifier,title\nA,Kok\n".into(),
    )
    .await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&posted.body), ["body"]);
    let message = posted.body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("description"),
        "names a missing column: {message}"
    );

    let posted = post_feed(&app, &employer, "", "text/plain", feed(FEED)).await;
    assert_eq!(posted.status, StatusCode::BAD_REQUEST);
    assert_eq!(posted.body["code"], "content_type");
    let posted = post_feed(
        &app,
        &employer,
        "?close_missing=misschien",
        "application/x-ndjson",
        feed(FEED),
    )
    .await;
    assert_eq!(posted.status, StatusCode::BAD_REQUEST);
    let posted = post_feed(&app, &employer, "?source=%20", "application/x-ndjson", feed(FEED)).await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&posted.body), ["source"]);
    let none = app
        .state
        .store
        .offer_from_source::<VacancyRow>(EMPLOYER, "REQ-2001")
        .await
        .unwrap();
    assert_eq!(none, None, "nothing was loaded");
}

#[tokio::test]
async fn a_provider_loads_a_course_feed_and_only_a_provider_or_admin_may() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider", Some(PROVIDER)).await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let courses = feed("tests/data/courses.ndjson");

    let (location, first) = started(
        &app,
        &provider,
        "?kind=trainings",
        "application/x-ndjson",
        courses.clone(),
    )
    .await;
    assert_eq!(
        (&first["kind"], &first["total"]),
        (&json!("trainings"), &json!(7))
    );
    let run = until_ended(&app, &provider, &location).await;
    assert_eq!(run["status"], "done", "{run}");
    assert_eq!(summary(&run), [3, 0, 0, 0, 4], "{run}");
    let lines: Vec<u64> = run["rejects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [4, 5, 6, 7]);
    let id = app
        .state
        .store
        .offer_from_source::<TrainingRow>(PROVIDER, "OPL-101")
        .await
        .unwrap()
        .expect("stored under the provider as its source");
    let (status, training) = app.get(&format!("/api/v1/trainings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(training["organisation_id"], PROVIDER);

    let (status, problem) = app.get_with(&location, &employer).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    let posted = post_feed(
        &app,
        &employer,
        "?kind=trainings",
        "application/x-ndjson",
        courses.clone(),
    )
    .await;
    assert_eq!(
        posted.status,
        StatusCode::FORBIDDEN,
        "an employer posts no trainings"
    );
    let posted = post_feed(&app, &provider, "", "application/x-ndjson", feed(FEED)).await;
    assert_eq!(
        posted.status,
        StatusCode::FORBIDDEN,
        "a provider posts no vacancies"
    );
    let posted = post_feed(
        &app,
        &provider,
        "?kind=cursussen",
        "application/x-ndjson",
        courses,
    )
    .await;
    assert_eq!(posted.status, StatusCode::BAD_REQUEST);
    assert_eq!(posted.body["code"], "invalid_query");
}
