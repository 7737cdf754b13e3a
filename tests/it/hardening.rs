//! The hardening issue, item by item: what an employer can compute back,
//! "shown for this vacancy", 404s that say nothing, connection deadlines,
//! one error shape, idempotent retries and the smaller input checks.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, vacancy_body};
use crate::matching::vacancy_near_schildersbuurt;
use crate::residents::resident_body;

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send(Method::POST, path, Some(token), Some(body)).await
}

fn id(value: &Value) -> &str {
    value["id"].as_str().expect("id")
}

/// The candidates list as `token` sees it.
async fn candidates(app: &TestApp, vacancy: &Value, token: &str) -> Vec<Value> {
    let path = format!("/api/v1/vacancies/{}/candidates?limit=100", id(vacancy));
    let (status, list) = app.get_with(&path, token).await;
    assert_eq!(status, 200, "{list}");
    list["candidates"].as_array().expect("candidates").clone()
}

fn entry_for<'a>(list: &'a [Value], resident: &Value) -> &'a Value {
    list.iter()
        .find(|c| c["resident_id"] == resident["id"])
        .unwrap_or_else(|| panic!("{} is a candidate", resident["id"]))
}

fn component<'a>(entry: &'a Value, name: &str) -> &'a Value {
    entry["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("component {name}"))
}

#[tokio::test]
async fn nothing_an_employer_receives_is_finer_than_the_rounded_journey() {
    let app = TestApp::spawn().await;
    let vacancy = vacancy_near_schildersbuurt(&app).await;
    let employer = app.token("employer", vacancy["organisation_id"].as_str()).await;
    let jobseeker_tokens = [
        app.token("jobseeker", None).await,
        app.token("jobseeker", None).await,
        app.token("jobseeker", None).await,
        app.token("jobseeker", None).await,
    ];
    // Four homes at different distances, so exact journeys differ.
    let homes = [
        json!({"postcode": "2525"}),
        json!({"postcode": "2526"}),
        json!({"postcode": "2571"}),
        json!({"wijk": "Transvaalkwartier"}),
    ];
    let mut residents = Vec::new();
    for (n, (token, home)) in jobseeker_tokens.iter().zip(homes).enumerate() {
        let mut body = resident_body(&format!("Kandidaat{n}"));
        body.as_object_mut().unwrap().remove("wijk");
        body.as_object_mut()
            .unwrap()
            .extend(home.as_object().unwrap().clone());
        residents.push(app.create_resident(token, &body).await);
    }
    let list = candidates(&app, &vacancy, &employer).await;
    let limit = resident_body("x")["max_travel_minutes"].as_f64().unwrap();
    for resident in &residents {
        let entry = entry_for(&list, resident);
        let minutes = entry["travel_minutes"].as_f64().unwrap();
        assert_eq!(minutes % 5.0, 0.0, "minutes to 5: {entry}");
        let travel = component(entry, "travel");
        let value = travel["value"].as_f64().unwrap();
        // The travel value is 1 - minutes / (2 × limit): back to minutes.
        let implied = (1.0 - value) * 2.0 * limit;
        assert!(
            (implied - minutes).abs() < 0.1,
            "the travel value gives {implied} minutes back, finer than the shown {minutes}: {entry}"
        );
        let points = travel["points"].as_f64().unwrap();
        let implied_by_points = (1.0 - points / 20.0) * 2.0 * limit;
        assert!(
            (implied_by_points - minutes).abs() < 0.5,
            "travel points give {implied_by_points} minutes back: {entry}"
        );
        // The total is the sum of the shown components, so subtracting the
        // others cannot reveal a finer travel figure either.
        let sum: f64 = entry["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["points"].as_f64().unwrap())
            .sum();
        let score = entry["score"].as_f64().unwrap();
        assert!(
            (sum - score).abs() < 0.35,
            "score {score} vs components {sum}: {entry}"
        );
        let distance = entry["distance_km"].as_f64().unwrap();
        assert_eq!(distance, distance.round(), "whole kilometres: {entry}");
    }
    let ranked: Vec<f64> = list.iter().map(|c| c["score"].as_f64().unwrap()).collect();
    assert!(
        ranked.windows(2).all(|w| w[0] >= w[1]),
        "ranked by the shown score: {ranked:?}"
    );
}

/// An employer's contact request and outcome for `vacancy` about `resident`.
async fn employer_acts(app: &TestApp, employer: &str, vacancy: &Value, resident: &Value) -> (u16, u16) {
    let pair = json!({"vacancy_id": id(vacancy), "resident_id": id(resident)});
    let (contact, _) = app
        .send(
            Method::POST,
            "/api/v1/contact-requests",
            Some(employer),
            Some(&pair),
        )
        .await;
    let mut outcome = pair.clone();
    outcome["status"] = json!("aangenomen");
    let (recorded, _) = app
        .send(Method::POST, "/api/v1/outcomes", Some(employer), Some(&outcome))
        .await;
    (contact.as_u16(), recorded.as_u16())
}

async fn set_consent(app: &TestApp, token: &str, resident: &Value, findable: bool) {
    let path = format!("/api/v1/residents/{}/consent", id(resident));
    let body = json!({"findable_by_employers": findable});
    let (status, answer) = app.send(Method::PUT, &path, Some(token), Some(&body)).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn employers_act_only_on_residents_shown_for_that_vacancy_under_the_current_consent() {
    let app = TestApp::spawn().await;
    let first = vacancy_near_schildersbuurt(&app).await;
    let organisation = first["organisation_id"].as_str().unwrap().to_string();
    let employer = app.token("employer", Some(&organisation)).await;
    let body = vacancy_body(
        "Chauffeur bestelbus",
        "Je rijdt met een bestelbus door de stad en levert pakketten af bij klanten.",
    );
    let (status, second) = post(&app, &employer, "/api/v1/vacancies", &body).await;
    assert_eq!(status, 201, "{second}");
    let jobseeker = app.token("jobseeker", None).await;
    let resident = app.create_resident(&jobseeker, &resident_body("Yara Smit")).await;
    entry_for(&candidates(&app, &first, &employer).await, &resident);

    assert_eq!(
        employer_acts(&app, &employer, &second, &resident).await,
        (404, 404),
        "never listed for the second vacancy"
    );
    set_consent(&app, &jobseeker, &resident, false).await;
    set_consent(&app, &jobseeker, &resident, true).await;
    assert_eq!(
        employer_acts(&app, &employer, &first, &resident).await,
        (404, 404),
        "listed before the consent now in force, not since"
    );
    entry_for(&candidates(&app, &first, &employer).await, &resident);
    assert_eq!(
        employer_acts(&app, &employer, &first, &resident).await,
        (201, 201)
    );
}

#[tokio::test]
async fn not_yours_and_not_there_read_the_same_on_every_route() {
    let app = TestApp::spawn().await;
    let vacancy = vacancy_near_schildersbuurt(&app).await;
    let employer = app.token("employer", vacancy["organisation_id"].as_str()).await;
    let coach = app.token("coach", None).await;
    let other_coach = app.token("coach", None).await;
    let client = app.create_resident(&coach, &resident_body("Ilse de Wit")).await;
    entry_for(&candidates(&app, &vacancy, &employer).await, &client);
    let pair = json!({"vacancy_id": id(&vacancy), "resident_id": id(&client)});
    let (status, request) = app
        .send(
            Method::POST,
            "/api/v1/contact-requests",
            Some(&employer),
            Some(&pair),
        )
        .await;
    assert_eq!(status, 201, "{request}");
    let training = app.search_ok("trainings", &[]).await["hits"][0]["id"].clone();

    let real = id(&client).to_string();
    let invented = "res-00000000000000000000000000000000".to_string();
    let routes = |resident: &str, request: &str| -> Vec<(Method, String, Option<Value>)> {
        vec![
            (Method::GET, format!("/api/v1/residents/{resident}"), None),
            (
                Method::PUT,
                format!("/api/v1/residents/{resident}"),
                Some(resident_body("X")),
            ),
            (Method::GET, format!("/api/v1/residents/{resident}/matches"), None),
            (Method::GET, format!("/api/v1/residents/{resident}/consent"), None),
            (
                Method::PUT,
                format!("/api/v1/residents/{resident}/consent"),
                Some(json!({"findable_by_employers": false})),
            ),
            (Method::GET, format!("/api/v1/residents/{resident}/views"), None),
            (
                Method::GET,
                format!("/api/v1/residents/{resident}/outcomes"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/residents/{resident}/training-outcomes"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/residents/{resident}/contact-requests"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/contact-requests/{request}"),
                Some(json!({"status": "afgewezen"})),
            ),
            (
                Method::POST,
                "/api/v1/outcomes".to_string(),
                Some(json!({"resident_id": resident, "vacancy_id": id(&vacancy), "status": "voorgesteld"})),
            ),
            (
                Method::POST,
                "/api/v1/training-outcomes".to_string(),
                Some(json!({"resident_id": resident, "training_id": training, "status": "gestart"})),
            ),
            (Method::DELETE, format!("/api/v1/residents/{resident}"), None),
        ]
    };
    let real_routes = routes(&real, id(&request));
    let invented_routes = routes(&invented, "con-00000000000000000000000000000000");
    for ((method, path, body), (_, invented_path, invented_body)) in
        real_routes.into_iter().zip(invented_routes)
    {
        let (status, answer) = app
            .send(method.clone(), &path, Some(&other_coach), body.as_ref())
            .await;
        let (invented_status, invented_answer) = app
            .send(
                method.clone(),
                &invented_path,
                Some(&other_coach),
                invented_body.as_ref(),
            )
            .await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
        assert_eq!(
            (status, &answer),
            (invented_status, &invented_answer),
            "{method} {path}: not yours and not there differ"
        );
    }
    let (status, still) = app.get_with(&format!("/api/v1/residents/{real}"), &coach).await;
    assert_eq!(status, 200, "the other coach changed nothing: {still}");
}

/// Reads until the server closes the connection; false if it stays open.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    tokio::time::timeout(wait, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn idle_and_slow_connections_are_closed_and_health_keeps_answering() {
    let limits = banenlift::web::ConnectionLimits {
        header_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(1),
        max_connections: 8,
    };
    let app = TestApp::spawn_with_limits(limits).await;
    let address = app.base.trim_start_matches("http://").to_string();
    // Three times the cap in silent connections: without deadlines the
    // server would keep them all and never answer /health again.
    let mut idle = Vec::new();
    for _ in 0..24 {
        idle.push(TcpStream::connect(&address).await.expect("connect"));
    }
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(&address).await.expect("connect");
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("write");
        slow.push(stream);
    }
    let trickle = tokio::spawn(async move {
        // A header byte every 300 ms: alive, but never complete.
        for _ in 0..40 {
            for stream in &mut slow {
                let _ = stream.write_all(b"X").await;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        slow
    });
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let health = client
        .get(format!("{}/health", app.base))
        .send()
        .await
        .expect("health answers");
    assert_eq!(health.status(), 200);
    for stream in &mut idle {
        assert!(
            closed_within(stream, Duration::from_secs(20)).await,
            "an idle connection stayed open"
        );
    }
    let mut slow = trickle.await.expect("trickle");
    for stream in &mut slow {
        assert!(
            closed_within(stream, Duration::from_secs(5)).await,
            "a slow header stayed open"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn every_error_has_our_shape() {
    let app = TestApp::spawn().await;
    let token = app.token("coach", None).await;
    let api_cases: Vec<(Method, String, u16)> = vec![
        (Method::DELETE, "/health".into(), 405),
        (Method::PATCH, "/api/v1/vacancies".into(), 405),
        (Method::GET, "/api/v1/vacancies/%FF%FE".into(), 400),
        (Method::GET, "/API/V1/VACANCIES".into(), 404),
        (Method::GET, "//api//v1//".into(), 404),
        (
            Method::GET,
            format!("/api/v1/vacancies?q={}", "a".repeat(9000)),
            414,
        ),
    ];
    for (method, path, status) in api_cases {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let shown = format!("{method} {}", &path[..path.len().min(60)]);
        assert_eq!(response.status().as_u16(), status, "{shown}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{shown}"
        );
        if status == 405 {
            assert!(
                response.headers().contains_key("allow"),
                "{shown}: 405 names the allowed methods"
            );
        }
        let body: Value = response.json().await.expect("a problem body");
        assert_eq!(body["status"], status, "{shown}");
        assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "{shown}");
        let detail = body["detail"].as_str().unwrap_or("");
        assert!(
            !detail.contains("Invalid URL"),
            "{shown}: framework text {detail}"
        );
    }
    let mut many = reqwest::header::HeaderMap::new();
    for n in 0..150 {
        many.insert(
            reqwest::header::HeaderName::from_bytes(format!("x-extra-{n}").as_bytes()).unwrap(),
            "1".parse().unwrap(),
        );
    }
    let response = app
        .client
        .get(format!("{}/api/v1/vacancies", app.base))
        .headers(many.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 431);
    assert_eq!(response.headers()["content-type"], "application/problem+json");

    // Pages answer with a page in the site's layout instead.
    for (method, path, status) in [
        (Method::DELETE, "/vacatures", 405),
        (Method::GET, "/vacatures/%FF", 400),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{method} {path}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains("bl-lead") && html.contains("Naar de startpagina"),
            "{html}"
        );
    }
    let response = app
        .client
        .get(format!("{}/vacatures", app.base))
        .headers(many)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 431);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

async fn post_with_key(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retried_post_with_the_same_key_creates_nothing_twice() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    let body = vacancy_body(
        "Zeepkistbouwer",
        "Je bouwt zeepkisten voor de jaarlijkse race door de wijk, met hout en oude wielen.",
    );
    let first = post_with_key(&app, &employer, "/api/v1/vacancies", "sleutel-1", &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post_with_key(&app, &employer, "/api/v1/vacancies", "sleutel-1", &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"], "the first answer, not a second vacancy");
    let found = app.search_ok("vacancies", &[("q", "zeepkistbouwer")]).await;
    assert_eq!(found["total"], 1, "{found}");

    let mut other = body.clone();
    other["title"] = json!("Zeepkistbouwer en racer");
    let reused = post_with_key(&app, &employer, "/api/v1/vacancies", "sleutel-1", &other).await;
    assert_eq!(reused.status(), 422);
    let reused: Value = reused.json().await.unwrap();
    assert_eq!(reused["code"], "idempotency_key_reused");

    // Another user's same key is another key.
    let colleague = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    let theirs = post_with_key(&app, &colleague, "/api/v1/vacancies", "sleutel-1", &body).await;
    assert_eq!(theirs.status(), 201);
    assert!(!theirs.headers().contains_key("idempotent-replayed"));

    // A refused request frees its key: fixed and sent again, it runs.
    let mut broken = body.clone();
    broken["sector"] = json!("ruimtevaart");
    let refused = post_with_key(&app, &employer, "/api/v1/vacancies", "sleutel-2", &broken).await;
    assert_eq!(refused.status(), 422);
    let fixed = post_with_key(&app, &employer, "/api/v1/vacancies", "sleutel-2", &broken).await;
    assert_eq!(
        fixed.status(),
        422,
        "the same bad request is checked again, not replayed"
    );
    let bad_key = post_with_key(&app, &employer, "/api/v1/vacancies", "met spatie", &body).await;
    assert_eq!(bad_key.status(), 400);

    // Residents too: the same key twice is one profile.
    let coach = app.token("coach", None).await;
    let mut profile = resident_body("Lotte");
    profile["consent_confirmed_with_resident"] = json!(true);
    let made = post_with_key(&app, &coach, "/api/v1/residents", "profiel-1", &profile).await;
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    let repeated: Value = post_with_key(&app, &coach, "/api/v1/residents", "profiel-1", &profile)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(repeated["id"], made["id"]);
    let (_, listed) = app.get_with("/api/v1/residents?limit=100", &coach).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    // A key expires after a day: then it counts as new.
    let now = banenlift::storage::now_unix();
    let claim = app
        .state
        .store
        .claim_idempotency_key("usr-test", "dag", "a", now, now - 86_400)
        .await
        .unwrap();
    assert_eq!(claim, banenlift::storage::Claim::New);
    let answer = banenlift::storage::StoredAnswer {
        status: 201,
        content_type: "application/json".into(),
        body: "{}".into(),
    };
    app.state
        .store
        .store_idempotent_answer("usr-test", "dag", &answer)
        .await
        .unwrap();
    let tomorrow = now + 86_401;
    let later = app
        .state
        .store
        .claim_idempotency_key("usr-test", "dag", "b", tomorrow, tomorrow - 86_400)
        .await
        .unwrap();
    assert_eq!(later, banenlift::storage::Claim::New, "expired, so free again");
}

#[tokio::test]
async fn erasure_removes_stored_answers_that_quote_the_profile() {
    let app = TestApp::spawn().await;
    let jobseeker = app.token("jobseeker", None).await;
    let made = post_with_key(
        &app,
        &jobseeker,
        "/api/v1/residents",
        "mijn-profiel",
        &resident_body("Zeynep"),
    )
    .await;
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    let (status, _) = app
        .send(
            Method::DELETE,
            &format!("/api/v1/residents/{}", id(&made)),
            Some(&jobseeker),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let left = crate::database::count(
        &app.db.url,
        "SELECT COUNT(*) FROM idempotency_keys WHERE body LIKE '%Zeynep%'",
        &[],
    )
    .await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn control_characters_odd_dates_coach_ids_and_double_credentials_are_refused() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    let mut body = vacancy_body(
        "Kok\u{0}",
        "Je kookt.\nMet een team.\tElke dag vers, in de keuken.",
    );
    let (status, problem) = post(&app, &employer, "/api/v1/vacancies", &body).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        crate::helpers::error_fields(&problem),
        ["title"],
        "line breaks in the description stay"
    );
    body["title"] = json!("Kok");
    let (status, made) = post(&app, &employer, "/api/v1/vacancies", &body).await;
    assert_eq!(status, 201, "{made}");
    assert!(made["description"].as_str().unwrap().contains('\n'));

    let coach = app.token("coach", None).await;
    let mut profile = resident_body("Mila\u{7}");
    profile["available_from"] = json!("0000-01-01");
    profile["consent_confirmed_with_resident"] = json!(true);
    let (status, problem) = post(&app, &coach, "/api/v1/residents", &profile).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(crate::helpers::error_fields(&problem), ["name", "available_from"]);

    let client = app.create_resident(&coach, &resident_body("Mila")).await;
    let other_coach = banenlift::auth::create_user(&app.state.store, "Ander", "coach", None)
        .await
        .unwrap()
        .0;
    let mut moved = resident_body("Mila");
    moved["coach_id"] = json!(other_coach.id);
    let path = format!("/api/v1/residents/{}", id(&client));
    let (status, problem) = app.send(Method::PUT, &path, Some(&coach), Some(&moved)).await;
    assert_eq!(status, 422, "a PUT refuses coach_id as a POST does: {problem}");
    assert_eq!(crate::helpers::error_fields(&problem), ["coach_id"]);
    let (_, still) = app.get_with(&path, &coach).await;
    assert_eq!(still["name"], "Mila", "nothing changed");

    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("Authorization", format!("Bearer {coach}"))
        .header("Authorization", "Bearer bl_someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "duplicate_authorization");
}
