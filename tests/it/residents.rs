use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{EMPLOYER, TestApp, error_fields};

/// A jobseeker in Schildersbuurt looking for warehouse work by bike.
pub fn resident_body(name: &str) -> Value {
    json!({
        "name": name,
        "wijk": "Schildersbuurt",
        "skills": ["Orderpicken", "heftruk", "bakfiets repareren"],
        "sectors_wanted": ["logistiek"],
        "hours_min": 24,
        "hours_max": 38,
        "travel_mode": "fiets",
        "max_travel_minutes": 45,
        "education": "geen",
        "dutch_level": "A2",
        "languages": ["ar"],
        "findable_by_employers": true
    })
}

#[tokio::test]
async fn typed_skills_are_normalised_or_kept_as_free_text() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach", None).await;
    let created = app.create_resident(&coach, &resident_body("Samira")).await;
    assert_eq!(
        created["skills"],
        json!(["Orderpicken", "heftruk", "bakfiets repareren"])
    );
    let normalised = &created["skills_normalised"];
    assert_eq!(normalised[0]["id"], "orderpicken");
    assert_eq!(normalised[1]["id"], "heftruck-rijden", "a typo is normalised");
    assert!(
        normalised[2]["id"].is_null(),
        "unknown skills are kept as free text"
    );
    assert_eq!(created["wijk"]["name"], "Schildersbuurt");
    assert_eq!(created["findable_by_employers"], true);
}

#[tokio::test]
async fn residents_are_seen_only_by_themselves_and_their_coach() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach", None).await;
    let other_coach = app.token("coach", None).await;
    let jobseeker = app.token("jobseeker", None).await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let admin = app.token("admin", None).await;
    let own = app.create_resident(&jobseeker, &resident_body("Noor")).await;
    let path = format!("/api/v1/residents/{}", own["id"].as_str().unwrap());
    let (status, _) = app
        .send(
            Method::POST,
            "/api/v1/residents",
            Some(&jobseeker),
            Some(&resident_body("Noor 2")),
        )
        .await;
    assert_eq!(status, 409, "one profile per jobseeker");
    assert_eq!(app.get_with(&path, &jobseeker).await.0, 200);
    assert_eq!(app.get_with(&path, &coach).await.0, 404);
    assert_eq!(app.get_with(&path, &employer).await.0, 403);
    assert_eq!(
        app.get_with(&path, &admin).await.0,
        403,
        "least privilege: admins manage accounts, not profiles"
    );
    assert_eq!(app.get(&path).await.0, 401);

    let client = app.create_resident(&coach, &resident_body("Karim")).await;
    let client_path = format!("/api/v1/residents/{}", client["id"].as_str().unwrap());
    assert_eq!(app.get_with(&client_path, &coach).await.0, 200);
    assert_eq!(app.get_with(&client_path, &other_coach).await.0, 404);
    assert_eq!(
        app.get_with(&format!("{client_path}/matches"), &other_coach)
            .await
            .0,
        404
    );
    let (_, caseload) = app.get_with("/api/v1/residents", &coach).await;
    assert_eq!(caseload.as_array().unwrap().len(), 1);

    let mut changed = resident_body("Karim");
    changed["hours_max"] = json!(30);
    let (status, updated) = app
        .send(Method::PUT, &client_path, Some(&coach), Some(&changed))
        .await;
    assert_eq!((status.as_u16(), &updated["hours_max"]), (200, &json!(30)));
    let (status, _) = app
        .send(Method::DELETE, &client_path, Some(&other_coach), None)
        .await;
    assert_eq!(status, 404);
    let (status, _) = app.send(Method::DELETE, &client_path, Some(&coach), None).await;
    assert_eq!(status, 204);
    assert_eq!(app.get_with(&client_path, &coach).await.0, 404);
}

#[tokio::test]
async fn invalid_profiles_are_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach", None).await;
    let mut body = resident_body("X");
    body["postcode"] = json!("2525");
    body["travel_mode"] = json!("raket");
    body["education"] = json!("phd");
    body["hours_min"] = json!(50);
    body["max_travel_km"] = json!(3);
    let (status, problem) = app
        .send(Method::POST, "/api/v1/residents", Some(&coach), Some(&body))
        .await;
    assert_eq!(status, 422, "{problem}");
    let fields = error_fields(&problem);
    for field in [
        "postcode",
        "travel_mode",
        "education",
        "hours_min",
        "max_travel_minutes",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let mut other_coach = resident_body("Y");
    other_coach["coach_id"] = json!("usr-coach-01");
    let (status, _) = app
        .send(
            Method::POST,
            "/api/v1/residents",
            Some(&coach),
            Some(&other_coach),
        )
        .await;
    assert_eq!(status, 422, "a coach cannot file a client under another coach");
}
