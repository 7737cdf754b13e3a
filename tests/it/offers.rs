use reqwest::Method;
use serde_json::json;

use crate::helpers::{EMPLOYER, OTHER_EMPLOYER, TestApp, error_fields, hit_ids, vacancy_body};

pub const PROVIDER: &str = "org-066";

pub fn training_body() -> serde_json::Value {
    json!({
        "title": "Cursus trappenlopen met pallets",
        "description": "In twee dagen leer je veilig werken met een pompwagen en pallets in een magazijn.",
        "kind": "cursus",
        "duration_weeks": 1,
        "hours_per_week": 16,
        "cost": "gratis",
        "wijk": "WK051838",
        "languages": ["nl", "en"],
        "dutch_level": "A2",
        "signup_url": "https://opleider.example/aanmelden",
        "skills": ["pompwagen"]
    })
}

#[tokio::test]
async fn writes_need_a_valid_token() {
    let app = TestApp::spawn().await;
    let body = vacancy_body(
        "Kok",
        "Je kookt elke dag verse maaltijden voor onze gasten in Scheveningen.",
    );
    for token in [None, Some("bl_not-a-real-token"), Some("")] {
        let (status, problem) = app
            .send(Method::POST, "/api/v1/vacancies", token, Some(&body))
            .await;
        assert_eq!(status, 401, "{token:?}");
        assert_eq!(problem["code"], "unauthorized");
    }
    let (status, _) = app
        .send(Method::DELETE, "/api/v1/vacancies/vac-0001", None, None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_employer_changes_only_its_own_vacancies() {
    let app = TestApp::spawn().await;
    let own = app.token("employer", Some(EMPLOYER)).await;
    let other = app.token("employer", Some(OTHER_EMPLOYER)).await;
    let body = vacancy_body(
        "Orderpicker",
        "Je verzamelt bestellingen met een scanner in ons magazijn op het Forepark.",
    );
    let (status, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&own), Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["organisation_id"], EMPLOYER);
    assert_eq!(created["wijk"]["name"], "Schildersbuurt");
    assert_eq!(created["skills_required"][0]["id"], "heftruck-rijden");
    let path = format!("/api/v1/vacancies/{}", created["id"].as_str().unwrap());

    let (status, _) = app.send(Method::PUT, &path, Some(&other), Some(&body)).await;
    assert_eq!(status, 403);
    let (status, _) = app.send(Method::DELETE, &path, Some(&other), None).await;
    assert_eq!(status, 403);
    let (_, still) = app.get(&path).await;
    assert_eq!(still["status"], "open");

    // Posting for another organisation is refused, not silently rewritten.
    let mut for_other = body.clone();
    for_other["organisation_id"] = json!(OTHER_EMPLOYER);
    let (status, problem) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&own), Some(&for_other))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "organisation_id");
}

#[tokio::test]
async fn roles_other_than_employer_and_admin_cannot_post_vacancies() {
    let app = TestApp::spawn().await;
    let body = vacancy_body(
        "Kok",
        "Je kookt elke dag verse maaltijden voor onze gasten in Scheveningen.",
    );
    for (role, org) in [("provider", Some(PROVIDER)), ("coach", None), ("jobseeker", None)] {
        let token = app.token(role, org).await;
        let (status, _) = app
            .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
            .await;
        assert_eq!(status, 403, "{role}");
    }
    let admin = app.token("admin", None).await;
    let (status, _) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&admin), Some(&body))
        .await;
    assert_eq!(status, 422, "an admin must say for which organisation");
    let mut named = body.clone();
    named["organisation_id"] = json!(OTHER_EMPLOYER);
    let (status, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&admin), Some(&named))
        .await;
    assert_eq!(
        (status.as_u16(), &created["organisation_id"]),
        (201, &json!(OTHER_EMPLOYER))
    );
}

#[tokio::test]
async fn a_provider_posts_changes_and_closes_its_trainings() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider", Some(PROVIDER)).await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let body = training_body();
    let (status, _) = app
        .send(Method::POST, "/api/v1/trainings", Some(&employer), Some(&body))
        .await;
    assert_eq!(status, 403);
    let (status, created) = app
        .send(Method::POST, "/api/v1/trainings", Some(&provider), Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["skills"][0]["id"], "pompwagen");
    assert_eq!(
        hit_ids(&app.search_ok("trainings", &[("q", "trappenlopen")]).await),
        std::slice::from_ref(&id)
    );

    let mut changed = body.clone();
    changed["cost"] = json!("betaald");
    changed["price_eur"] = json!(250.0);
    let path = format!("/api/v1/trainings/{id}");
    let (status, updated) = app
        .send(Method::PUT, &path, Some(&provider), Some(&changed))
        .await;
    assert_eq!((status.as_u16(), &updated["cost"]), (200, &json!("betaald")));
    let paid = app
        .search_ok("trainings", &[("q", "trappenlopen"), ("cost", "betaald")])
        .await;
    assert_eq!(hit_ids(&paid), std::slice::from_ref(&id));

    let (status, _) = app.send(Method::DELETE, &path, Some(&provider), None).await;
    assert_eq!(status, 204);
    assert!(hit_ids(&app.search_ok("trainings", &[("q", "trappenlopen")]).await).is_empty());
}

#[tokio::test]
async fn full_records_and_wijken_are_served() {
    let app = TestApp::spawn().await;
    let (status, vacancy) = app.get("/api/v1/vacancies/vac-0001").await;
    assert_eq!(status, 200);
    for field in [
        "title",
        "description",
        "employer",
        "hours_min",
        "education",
        "dutch_level",
        "apply",
        "skills_required",
    ] {
        assert!(!vacancy[field].is_null(), "{field}");
    }
    let (status, wijken) = app.get("/api/v1/wijken").await;
    assert_eq!((status.as_u16(), wijken["total"].as_u64()), (200, Some(44)));
    let first = &wijken["wijken"][0];
    for field in ["code", "name", "stadsdeel", "lat", "lon", "area_km2"] {
        assert!(!first[field].is_null(), "{field}");
    }
    let (status, wijk) = app.get("/api/v1/wijken/wk051828").await;
    assert_eq!((status.as_u16(), wijk["name"].as_str()), (200, Some("Centrum")));
    let (status, _) = app.get("/api/v1/wijken/WK999999").await;
    assert_eq!(status, 404);
    let (status, health) = app.get("/health").await;
    assert_eq!((status.as_u16(), health["status"].as_str()), (200, Some("ok")));
}

/// What GET returns can be sent back with PUT: the fields Banenlift sets
/// are accepted when unchanged and refused, per field, when changed; a
/// wijk and skills may be the objects GET gave. A closed offer stays closed.
#[tokio::test]
async fn what_get_returns_can_be_put_back() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let provider = app.token("provider", Some(PROVIDER)).await;
    let vacancy = vacancy_body(
        "Orderpicker",
        "Je verzamelt bestellingen met een scanner in ons magazijn op het Forepark.",
    );
    // The most start dates there may be (24), `starts_on` among them: GET
    // returns all of them in `start_dates`, and that must go back as it came.
    let mut training = training_body();
    let today = time::OffsetDateTime::now_utc().date();
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    training["starts_on"] = json!(day(3));
    training["start_dates"] = json!((1..=23).map(|week| day(3 + 7 * week)).collect::<Vec<_>>());
    let mut too_many = training.clone();
    too_many["start_dates"]
        .as_array_mut()
        .unwrap()
        .push(json!(day(3 + 7 * 24)));
    let (status, problem) = app
        .send(
            Method::POST,
            "/api/v1/trainings",
            Some(&provider),
            Some(&too_many),
        )
        .await;
    assert_eq!(status, 422, "25 dates with starts_on: {problem}");
    for (kind, token, body, read_only) in [
        (
            "vacancies",
            &employer,
            vacancy,
            &["id", "employer", "parttime", "posted_on", "status", "fictitious"][..],
        ),
        (
            "trainings",
            &provider,
            training,
            &["id", "provider", "sector", "status", "fictitious"][..],
        ),
    ] {
        let (status, created) = app
            .send(Method::POST, &format!("/api/v1/{kind}"), Some(token), Some(&body))
            .await;
        assert_eq!(status, 201, "{created}");
        let path = format!("/api/v1/{kind}/{}", created["id"].as_str().unwrap());

        let (_, mut read) = app.get(&path).await;
        assert!(read["wijk"].is_object(), "{read}");
        read["title"] = json!("Teruggestuurd na GET");
        let (status, updated) = app.send(Method::PUT, &path, Some(token), Some(&read)).await;
        assert_eq!(status, 200, "{kind}: {updated}");
        assert_eq!(updated["title"], "Teruggestuurd na GET");
        let (_, mut again) = app.get(&path).await;
        again["title"] = read["title"].clone();
        assert_eq!(again, read, "{kind}: nothing else changed");

        for field in read_only {
            let mut changed = read.clone();
            changed[*field] = match &read[*field] {
                serde_json::Value::Bool(b) => json!(!b),
                _ => json!("anders"),
            };
            let (status, problem) = app.send(Method::PUT, &path, Some(token), Some(&changed)).await;
            assert_eq!(status, 422, "{kind}.{field}: {problem}");
            assert_eq!(problem["errors"][0]["field"], *field, "{problem}");
        }
        let (status, problem) = app
            .send(Method::POST, &format!("/api/v1/{kind}"), Some(token), Some(&read))
            .await;
        assert_eq!(status, 422, "a new offer cannot bring an id: {problem}");
        assert!(error_fields(&problem).contains(&"id".to_string()), "{problem}");

        let (status, _) = app.send(Method::DELETE, &path, Some(token), None).await;
        assert_eq!(status, 204);
        let (_, closed) = app.get(&path).await;
        let (status, kept) = app.send(Method::PUT, &path, Some(token), Some(&closed)).await;
        assert_eq!(
            (status.as_u16(), &kept["status"]),
            (200, &json!("closed")),
            "{kept}"
        );
    }
}

/// A body of the wrong shape names the field in plain words, never in
/// serde's terms.
#[tokio::test]
async fn a_body_of_the_wrong_shape_is_told_in_plain_words() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let mut body = vacancy_body(
        "Orderpicker",
        "Je verzamelt bestellingen met een scanner in ons magazijn op het Forepark.",
    );
    body["hours_min"] = json!("twintig");
    let (status, problem) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&employer), Some(&body))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "hours_min");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("Hier hoort een heel getal"), "{message}");
    assert!(!message.contains("i64") && !message.contains('`'), "{message}");

    body["hours_min"] = json!(20);
    body["wijk"] = json!(51836);
    let (_, problem) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&employer), Some(&body))
        .await;
    assert_eq!(problem["errors"][0]["field"], "wijk", "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("Geef een code of naam"), "{message}");

    let (status, problem) = app.get("/api/v1/vacancies?kleur=rood").await;
    assert_eq!(status, 400, "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("'kleur'") && detail.contains("Dit veld kennen we niet"),
        "{detail}"
    );
}
