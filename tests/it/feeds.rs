//! Vacancies from other systems: schema.org JobPosting documents in the
//! shapes applicant-tracking systems and the Google for Jobs guidelines
//! use (tests/data/jobpostings), posted as JSON-LD.

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::helpers::{EMPLOYER, TestApp, error_fields, strings_at};

const POSTINGS: &str = "tests/data/jobpostings";

fn posting(file: &str) -> String {
    std::fs::read_to_string(Path::new(POSTINGS).join(file)).expect("test posting")
}

async fn post_json_ld(app: &TestApp, token: &str, path: &str, body: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/ld+json")
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn as_set(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Each expected field of the vacancy, as the answer gives it.
fn check_vacancy(file: &str, vacancy: &Value, expected: &Value) {
    for (field, want) in expected.as_object().expect("expected vacancy") {
        match field.as_str() {
            "wijk" => assert_eq!(&vacancy["wijk"]["code"], want, "{file}: wijk"),
            "skills_required" => assert_eq!(
                strings_at(&vacancy["skills_required"], "/id")
                    .into_iter()
                    .collect::<BTreeSet<_>>(),
                as_set(want),
                "{file}: skills"
            ),
            "description_contains" => {
                for snippet in as_set(want) {
                    let description = vacancy["description"].as_str().unwrap_or_default();
                    assert!(
                        description.contains(&snippet),
                        "{file}: '{snippet}' in {description}"
                    );
                }
            }
            "description_lacks" => {
                for snippet in as_set(want) {
                    let description = vacancy["description"].as_str().unwrap_or_default();
                    assert!(
                        !description.contains(&snippet),
                        "{file}: no '{snippet}' in {description}"
                    );
                }
            }
            "salary_min" | "salary_max" if want.is_number() => {
                assert_eq!(vacancy[field].as_f64(), want.as_f64(), "{file}: {field}")
            }
            _ => assert_eq!(&vacancy[field], want, "{file}: {field}"),
        }
    }
}

#[tokio::test]
async fn each_job_posting_becomes_the_vacancy_it_describes_or_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let expected: Value = serde_json::from_str(&posting("expected.json")).expect("expected.json");
    let cases = expected.as_object().expect("cases by file");
    assert!(cases.len() >= 8, "the documented set of postings");
    for (file, case) in cases {
        let (status, answer) = post_json_ld(&app, &employer, "/api/v1/vacancies", &posting(file)).await;
        if case["accepted"] == true {
            assert_eq!(status, StatusCode::CREATED, "{file}: {answer}");
            check_vacancy(file, &answer, &case["vacancy"]);
            let unmapped: BTreeSet<String> = strings_at(&answer["unmapped"], "/field").into_iter().collect();
            assert_eq!(unmapped, as_set(&case["unmapped"]), "{file}: what was not mapped");
            for note in answer["unmapped"].as_array().into_iter().flatten() {
                assert!(
                    note["reason"].as_str().is_some_and(|r| r.len() > 20),
                    "{file}: {note}"
                );
            }
            let id = answer["id"].as_str().expect("id");
            let (_, stored) = app.get(&format!("/api/v1/vacancies/{id}")).await;
            check_vacancy(file, &stored, &case["vacancy"]);
            assert_eq!(
                stored["organisation_id"], EMPLOYER,
                "{file}: posted for the caller's organisation"
            );
            let (_, found) = app
                .search(
                    "vacancies",
                    &[("q", stored["title"].as_str().unwrap_or_default())],
                )
                .await;
            assert!(
                crate::helpers::hit_ids(&found).contains(&id.to_string()),
                "{file}: searchable at once"
            );
        } else {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{file}: {answer}");
            assert_eq!(answer["code"], "validation_failed");
            assert_eq!(
                error_fields(&answer),
                vec![case["field"].as_str().unwrap_or_default().to_string()],
                "{file}: refused for its {}",
                case["reason"]
            );
            let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(
                !message.contains("serde") && message.len() > 20,
                "{file}: {message}"
            );
        }
    }
}

#[tokio::test]
async fn the_same_posting_sent_again_is_recognised_by_its_identifier() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let document = posting("google-full.json");
    let (status, first) = post_json_ld(&app, &employer, "/api/v1/vacancies", &document).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = post_json_ld(&app, &employer, "/api/v1/vacancies", &document).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let id = first["id"].as_str().unwrap();
    assert!(
        again["detail"].as_str().is_some_and(|d| d.contains(id)),
        "{again}"
    );

    // Another organisation's system may use the same identifier.
    let other = app.token("employer", Some(crate::helpers::OTHER_EMPLOYER)).await;
    let (status, theirs) = post_json_ld(&app, &other, "/api/v1/vacancies", &document).await;
    assert_eq!(status, StatusCode::CREATED, "{theirs}");
    assert_ne!(theirs["id"], first["id"]);
}

/// What a vacancy page publishes for search engines reads back as the same
/// vacancy, except for what JobPosting has no place for.
#[tokio::test]
async fn what_the_vacancy_page_publishes_posts_back_as_the_same_vacancy() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let (_, page) = app.search("vacancies", &[("limit", "20")]).await;
    let ids = crate::helpers::hit_ids(&page);
    for id in &ids {
        let (_, original) = app.get(&format!("/api/v1/vacancies/{id}")).await;
        let html = app
            .client
            .get(format!("{}/vacatures/{id}", app.base))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let start = html.find("application/ld+json\">").expect("JSON-LD") + 21;
        let end = start + html[start..].find("</script>").expect("end of JSON-LD");
        let mut published: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
        published["hiringOrganization"]["identifier"] = original["organisation_id"].clone();
        let (status, copy) = post_json_ld(&app, &admin, "/api/v1/vacancies", &published.to_string()).await;
        assert_eq!(status, StatusCode::CREATED, "{id}: {copy}");
        for field in [
            "title",
            "description",
            "contract",
            "hours_min",
            "hours_max",
            "education",
            "dutch_level",
            "salary_min",
            "salary_max",
            "salary_period",
            "closes_on",
            "occupation_uri",
            "sector",
            "apply_url",
            "apply_email",
            "apply_phone",
            "posted_on",
            "lat",
            "lon",
            "wijk",
            "skills_required",
        ] {
            assert_eq!(copy[field], original[field], "{id}: {field}");
        }
        assert_eq!(
            copy["unmapped"],
            json!([]),
            "{id}: everything it published maps back"
        );
    }
    assert_eq!(ids.len(), 20, "twenty vacancies compared");
}

#[tokio::test]
async fn a_training_is_not_sent_as_a_job_posting() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider", Some(crate::offers::PROVIDER)).await;
    let (status, problem) =
        post_json_ld(&app, &provider, "/api/v1/trainings", &posting("google-full.json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["code"], "content_type");
}

#[tokio::test]
async fn an_admin_names_the_organisation_as_the_hiring_organisations_identifier() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let mut document: Value = serde_json::from_str(&posting("ats-minimal.json")).unwrap();
    let (status, problem) = post_json_ld(&app, &admin, "/api/v1/vacancies", &document.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    document["hiringOrganization"] =
        json!({"@type": "Organization", "name": "Wie dan ook", "identifier": EMPLOYER});
    let (status, created) = post_json_ld(&app, &admin, "/api/v1/vacancies", &document.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["organisation_id"], EMPLOYER);
}

#[tokio::test]
async fn a_document_that_is_no_job_posting_is_told_so() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    for body in [r#"{"@type": "Course", "name": "Koken"}"#, "[1, 2]", "\"tekst\""] {
        let (status, problem) = post_json_ld(&app, &employer, "/api/v1/vacancies", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert_eq!(error_fields(&problem), vec!["@type".to_string()], "{body}");
    }
    let (status, problem) = post_json_ld(&app, &employer, "/api/v1/vacancies", "{\"title\": ").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["code"], "malformed_json");
}
