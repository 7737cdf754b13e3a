//! Consent, the views log, outcomes, export, erasure, tokens and retention.

use banenlift::privacy::retention;
use banenlift::storage::now_unix;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, strings_at};
use crate::matching::vacancy_near_schildersbuurt;
use crate::residents::resident_body;

const MONTH: i64 = 31 * 86_400;

/// A running app, a vacancy that `resident_body` fits, and its employer.
struct Scene {
    app: TestApp,
    vacancy: Value,
    employer: String,
}

impl Scene {
    async fn new() -> Scene {
        let app = TestApp::spawn().await;
        let vacancy = vacancy_near_schildersbuurt(&app).await;
        let employer = app.token("employer", vacancy["organisation_id"].as_str()).await;
        Scene {
            app,
            vacancy,
            employer,
        }
    }
}

fn id(value: &Value) -> &str {
    value["id"].as_str().expect("id")
}

/// Whether `resident` is among the vacancy's candidates as `token` sees
/// them (the list is logged as shown).
async fn shown(app: &TestApp, vacancy: &Value, token: &str, resident: &Value) -> bool {
    let path = format!("/api/v1/vacancies/{}/candidates?limit=100", id(vacancy));
    let (status, list) = app.get_with(&path, token).await;
    assert_eq!(status, 200, "{list}");
    strings_at(&list["candidates"], "/resident_id").contains(&id(resident).to_string())
}

/// Rows that still mention a resident, over every table that holds
/// resident data.
async fn rows_about(app: &TestApp, resident_id: &str) -> i64 {
    let mut total = 0;
    for (table, column) in [
        ("residents", "id"),
        ("resident_skills", "resident_id"),
        ("resident_occupations", "resident_id"),
        ("findable_skills", "resident_id"),
        ("consent_events", "resident_id"),
        ("outcomes", "resident_id"),
        ("contact_requests", "resident_id"),
        ("training_outcomes", "resident_id"),
        ("match_summaries", "resident_id"),
    ] {
        total += crate::database::count(
            &app.db.url,
            &format!("SELECT COUNT(*) FROM {table} WHERE {column} = ?"),
            &[resident_id],
        )
        .await;
    }
    total
}

#[tokio::test]
async fn withdrawn_consent_hides_at_once_and_is_kept_with_its_version() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let jobseeker = app.token("jobseeker", None).await;
    let resident = app
        .create_resident(&jobseeker, &resident_body("Noor Bakker"))
        .await;
    let path = format!("/api/v1/vacancies/{}/candidates?limit=100", id(&vacancy));
    let (_, list) = app.get_with(&path, &employer).await;
    let entry = list["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resident_id"] == resident["id"])
        .unwrap_or_else(|| panic!("consented resident is a candidate: {list}"));
    assert_eq!(entry["name"], "Noor", "an employer sees the first name only");
    let distance = entry["distance_km"].as_f64().unwrap();
    assert_eq!(distance, distance.round(), "whole kilometres only");
    let minutes = entry["travel_minutes"].as_f64().unwrap();
    assert_eq!(minutes % 5.0, 0.0, "minutes to the nearest 5 only: {minutes}");
    let reasons = entry["reasons"].to_string();
    assert!(
        !reasons.contains(" km") && !reasons.contains("minuten"),
        "no exact journey: {reasons}"
    );

    let consent_path = format!("/api/v1/residents/{}/consent", id(&resident));
    let body = json!({"findable_by_employers": false});
    let (status, consent) = app
        .send(Method::PUT, &consent_path, Some(&jobseeker), Some(&body))
        .await;
    assert_eq!(status, 200, "{consent}");
    assert!(!shown(&app, &vacancy, &employer, &resident).await);
    let history = consent["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "given at creation, then withdrawn: {consent}");
    assert_eq!(history[1]["findable_by_employers"], false);
    assert_eq!(history[1]["version"], consent["current_version"]);

    let (status, _) = app
        .send(Method::PUT, &consent_path, Some(&employer), Some(&body))
        .await;
    assert_eq!(status, 403, "an employer cannot set anyone's consent");

    let coach = app.token("coach", None).await;
    let client = app.create_resident(&coach, &resident_body("Sem")).await;
    let client_consent = format!("/api/v1/residents/{}/consent", id(&client));
    for (body, expected) in [
        (json!({"findable_by_employers": false}), 200),
        (json!({"findable_by_employers": true}), 422),
        (
            json!({"findable_by_employers": true, "confirmed_with_resident": true}),
            200,
        ),
    ] {
        let (status, answer) = app
            .send(Method::PUT, &client_consent, Some(&coach), Some(&body))
            .await;
        assert_eq!(
            status, expected,
            "a coach turns consent on only with the resident: {body} {answer}"
        );
    }
    let (status, _) = app
        .send(
            Method::PUT,
            &consent_path,
            Some(&jobseeker),
            Some(&json!({"findable_by_employers": "ja"})),
        )
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn residents_see_who_viewed_them_and_export_everything() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let jobseeker = app.token("jobseeker", None).await;
    let resident = app.create_resident(&jobseeker, &resident_body("Amira")).await;
    assert!(shown(&app, &vacancy, &employer, &resident).await);
    app.matches(&resident, &jobseeker, "limit=5").await;

    let (status, views) = app
        .get_with(&format!("/api/v1/residents/{}/views", id(&resident)), &jobseeker)
        .await;
    assert_eq!(status, 200, "{views}");
    let views = views.as_array().unwrap();
    assert_eq!(
        views.len(),
        1,
        "the employer's look, not the resident's own: {views:?}"
    );
    assert_eq!(views[0]["purpose"], "candidate_shown");
    assert_eq!(views[0]["role"], "employer");
    assert_eq!(views[0]["algorithm_version"], "1");

    let coach = app.token("coach", None).await;
    let path = format!("/api/v1/residents/{}/views", id(&resident));
    assert_eq!(
        app.get_with(&path, &coach).await.0,
        404,
        "not this coach's client"
    );
    assert_eq!(app.get_with(&path, &employer).await.0, 403);

    let (status, export) = app.get_with("/api/v1/me/export", &jobseeker).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["account"]["role"], "jobseeker");
    assert_eq!(export["account"]["tokens"].as_array().unwrap().len(), 1);
    assert!(
        !export.to_string().contains("bl_"),
        "no token secrets in an export"
    );
    let profile = &export["profile"];
    assert_eq!(profile["resident"]["name"], "Amira");
    assert!(
        profile["matches"]["matches"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(profile["views"][0]["purpose"], "candidate_shown");
    assert_eq!(profile["consent"]["findable_by_employers"], true);

    let (status, export) = app.get_with("/api/v1/me/export", &employer).await;
    assert_eq!((status.as_u16(), &export["profile"]), (200, &Value::Null));
}

#[tokio::test]
async fn outcomes_are_recorded_by_the_coach_or_the_consented_employer() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let coach = app.token("coach", None).await;
    let other_coach = app.token("coach", None).await;
    let client = app.create_resident(&coach, &resident_body("Karim")).await;
    let mut private = resident_body("Lotte");
    private["findable_by_employers"] = json!(false);
    let private = app.create_resident(&coach, &private).await;
    let outcome = |resident: &Value, status: &str| json!({"resident_id": id(resident), "vacancy_id": id(&vacancy), "status": status});
    let record = |token: String, body: Value| {
        let app = &app;
        async move {
            app.send(Method::POST, "/api/v1/outcomes", Some(&token), Some(&body))
                .await
        }
    };
    let (status, history) = record(coach.clone(), outcome(&client, "gesolliciteerd")).await;
    assert_eq!(status, 201, "{history}");
    assert_eq!(
        record(employer.clone(), outcome(&client, "gesprek")).await.0,
        404,
        "not yet shown to this employer as a candidate"
    );
    assert!(shown(&app, &vacancy, &employer, &client).await);
    let (status, history) = record(employer.clone(), outcome(&client, "gesprek")).await;
    assert_eq!(status, 201, "{history}");
    assert_eq!(strings_at(&history, "/status"), ["gesolliciteerd", "gesprek"]);
    assert_eq!(history[1]["recorded_by_role"], "employer");

    assert_eq!(
        record(employer.clone(), outcome(&private, "gesprek")).await.0,
        404,
        "no consent"
    );
    assert_eq!(record(other_coach, outcome(&client, "aangenomen")).await.0, 404);
    let (status, problem) = record(coach.clone(), outcome(&client, "misschien")).await;
    assert_eq!(status, 422, "{problem}");
    let mut extra = outcome(&client, "gesprek");
    extra["recorded_by"] = json!("usr-someone-else");
    assert_eq!(record(coach.clone(), extra).await.0, 422, "no mass assignment");

    let (status, list) = app
        .get_with(&format!("/api/v1/residents/{}/outcomes", id(&client)), &coach)
        .await;
    assert_eq!((status.as_u16(), list.as_array().map(Vec::len)), (200, Some(2)));
}

/// Erasure removes the profile from every table and from what search and
/// candidate lists can reach; the jobseeker's account goes with it.
#[tokio::test]
async fn erasure_leaves_nothing_behind() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let jobseeker = app.token("jobseeker", None).await;
    let unique = "zeldzaamwoordxq";
    let mut body = resident_body("Fenna");
    body["skills"] = json!(["Orderpicken", "heftruk", unique]);
    let resident = app.create_resident(&jobseeker, &body).await;
    let coach = app.token("coach", None).await;
    assert!(shown(&app, &vacancy, &employer, &resident).await);
    let outcome = json!({"resident_id": id(&resident), "vacancy_id": id(&vacancy), "status": "voorgesteld"});
    assert_eq!(
        app.send(Method::POST, "/api/v1/outcomes", Some(&employer), Some(&outcome))
            .await
            .0,
        201
    );
    // What the lift report keeps: a training step and the match summary.
    let store = &app.state.store;
    store
        .insert_training_outcome(id(&resident), "trn-001", "gestart", ("usr-coach-01", "coach"), 1)
        .await
        .expect("training step");
    let summary = banenlift::storage::MatchSummaryRow {
        resident_id: id(&resident).to_string(),
        best_score: 70.0,
        missing_skills: vec!["heftruck-rijden".into()],
    };
    store
        .save_match_summaries("1", 1, &[summary])
        .await
        .expect("summary");
    assert!(rows_about(&app, id(&resident)).await > 5);

    let path = format!("/api/v1/residents/{}", id(&resident));
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&coach), None).await.0,
        404,
        "not their client"
    );
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&jobseeker), None).await.0,
        204
    );

    assert_eq!(rows_about(&app, id(&resident)).await, 0);
    assert!(!shown(&app, &vacancy, &employer, &resident).await);
    for kind in ["vacancies", "trainings"] {
        let found = app.search_ok(kind, &[("q", unique)]).await;
        assert_eq!(found["total"], 0, "{found}");
        assert!(
            !found.to_string().contains(unique),
            "not even as a correction: {found}"
        );
    }
    assert_eq!(
        app.get_with("/api/v1/me/export", &jobseeker).await.0,
        401,
        "the account is gone too"
    );
}

#[tokio::test]
async fn revoked_and_expired_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    let (user, first) = banenlift::auth::create_user(store, "Sanne", "coach", None)
        .await
        .unwrap();
    assert_eq!(app.get_with("/api/v1/residents", &first).await.0, 200);
    let (second_id, second) = banenlift::auth::issue_token(store, &user.id, 30).await.unwrap();
    let tokens = store.tokens_of(&user.id).await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens
            .iter()
            .all(|t| t.expires_at.is_some_and(|e| e > now_unix()))
    );

    assert!(store.revoke_token(&second_id).await.unwrap());
    assert_eq!(app.get_with("/api/v1/residents", &second).await.0, 401);
    assert_eq!(
        app.get_with("/api/v1/residents", &first).await.0,
        200,
        "only that token"
    );
    let (_, expired) = banenlift::auth::issue_token(store, &user.id, 0).await.unwrap();
    assert_eq!(app.get_with("/api/v1/residents", &expired).await.0, 401);
}

#[tokio::test]
async fn retention_purges_unused_profiles_and_old_log_entries_only() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let coach = app.token("coach", None).await;
    let resident = app.create_resident(&coach, &resident_body("Daan")).await;
    assert!(shown(&app, &vacancy, &employer, &resident).await);
    let store = &app.state.store;
    let policy = retention::Retention {
        profile_months: 24,
        audit_months: 6,
    };
    let soon = retention::purge(store, &policy, now_unix() + 5 * MONTH)
        .await
        .unwrap();
    assert_eq!((soon.profiles, soon.views), (0, 0), "nothing is due yet");
    assert!(!store.views_of(id(&resident), 10).await.unwrap().is_empty());

    let later = retention::purge(store, &policy, now_unix() + 7 * MONTH)
        .await
        .unwrap();
    assert_eq!(later.profiles, 0);
    assert!(later.views > 0);
    assert!(store.views_of(id(&resident), 10).await.unwrap().is_empty());

    let used = app.create_resident(&coach, &resident_body("Evi")).await;
    store
        .touch_resident(id(&used), now_unix() + 20 * MONTH)
        .await
        .unwrap();
    let much_later = retention::purge(store, &policy, now_unix() + 25 * MONTH)
        .await
        .unwrap();
    assert!(much_later.profiles >= 1, "{much_later:?}");
    assert!(store.resident(id(&resident)).await.unwrap().is_none());
    assert!(
        store.resident(id(&used)).await.unwrap().is_some(),
        "used five months ago: kept"
    );
}

/// The employer asks to contact `who` about `vacancy`.
async fn ask_contact(app: &TestApp, employer: &str, vacancy: &Value, who: &Value) -> (StatusCode, Value) {
    let body = json!({"vacancy_id": id(vacancy), "resident_id": id(who)});
    app.send(
        Method::POST,
        "/api/v1/contact-requests",
        Some(employer),
        Some(&body),
    )
    .await
}

/// The name and contact status the employer sees for a candidate.
async fn name_shown(app: &TestApp, vacancy: &Value, employer: &str, resident: &Value) -> (String, Value) {
    let path = format!("/api/v1/vacancies/{}/candidates?limit=100", id(vacancy));
    let (_, list) = app.get_with(&path, employer).await;
    let entry = list["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resident_id"] == resident["id"])
        .cloned()
        .expect("still a candidate");
    (
        entry["name"].as_str().unwrap().to_string(),
        entry["contact_status"].clone(),
    )
}

#[tokio::test]
async fn employers_learn_a_full_name_only_after_contact_is_accepted() {
    let Scene {
        app,
        vacancy,
        employer,
    } = Scene::new().await;
    let jobseeker = app.token("jobseeker", None).await;
    let resident = app
        .create_resident(&jobseeker, &resident_body("Yara El Amrani"))
        .await;
    let (status, _) = ask_contact(&app, &employer, &vacancy, &resident).await;
    assert_eq!(
        status, 404,
        "no contact before the employer was shown the candidate"
    );

    assert_eq!(
        name_shown(&app, &vacancy, &employer, &resident).await,
        ("Yara".to_string(), Value::Null)
    );
    let (status, request) = ask_contact(&app, &employer, &vacancy, &resident).await;
    assert_eq!(status, 201, "{request}");
    assert_eq!(request["status"], "open");
    assert_eq!(request["vacancy_title"], vacancy["title"]);
    assert_eq!(request["employer"], vacancy["employer"]);
    let (status, _) = ask_contact(&app, &employer, &vacancy, &resident).await;
    assert_eq!(status, 409, "one request per candidate and vacancy");
    let unseen = app
        .create_resident(&app.token("jobseeker", None).await, &resident_body("Bo Smit"))
        .await;
    let unseen_status = ask_contact(&app, &employer, &vacancy, &unseen).await.0;
    assert_eq!(unseen_status, 404, "{}", id(&unseen));
    assert_eq!(
        name_shown(&app, &vacancy, &employer, &resident).await,
        ("Yara".to_string(), json!("open"))
    );

    let inbox = format!("/api/v1/residents/{}/contact-requests", id(&resident));
    let (status, list) = app.get_with(&inbox, &jobseeker).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list[0]["vacancy_title"], vacancy["title"]);
    assert_eq!(
        app.get_with(&inbox, &employer).await.0,
        403,
        "the employer reads no inbox"
    );
    let answer_path = format!("/api/v1/contact-requests/{}", id(&request));
    let (status, _) = app
        .send(
            Method::PUT,
            &answer_path,
            Some(&employer),
            Some(&json!({"status": "geaccepteerd"})),
        )
        .await;
    assert_eq!(status, 403, "an employer cannot accept for the resident");
    for (body, field) in [
        (json!({"status": "geaccepteerd"}), "reach_by"),
        (json!({"status": "geaccepteerd", "reach_by": "telefoon"}), "phone"),
        (
            json!({"status": "geaccepteerd", "reach_by": "telefoon", "phone": "bel me"}),
            "phone",
        ),
        (
            json!({"status": "geaccepteerd", "reach_by": "werkcoach"}),
            "reach_by",
        ),
    ] {
        let (status, problem) = app
            .send(Method::PUT, &answer_path, Some(&jobseeker), Some(&body))
            .await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    assert_eq!(
        name_shown(&app, &vacancy, &employer, &resident).await,
        ("Yara".to_string(), json!("open")),
        "a refused answer changes nothing"
    );
    let accept = json!({"status": "geaccepteerd", "reach_by": "telefoon", "phone": "06 1234 5678"});
    let (status, answered) = app
        .send(Method::PUT, &answer_path, Some(&jobseeker), Some(&accept))
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(
        name_shown(&app, &vacancy, &employer, &resident).await,
        ("Yara El Amrani".to_string(), json!("geaccepteerd"))
    );
    let path = format!("/api/v1/vacancies/{}/candidates?limit=100", id(&vacancy));
    let (_, list) = app.get_with(&path, &employer).await;
    let entry = list["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resident_id"] == resident["id"])
        .cloned()
        .unwrap();
    assert_eq!(
        (entry["contact_route"].as_str(), entry["contact_detail"].as_str()),
        (Some("telefoon"), Some("06 1234 5678")),
        "the employer sees the chosen route"
    );
    let (status, _) = app
        .send(
            Method::PUT,
            &answer_path,
            Some(&jobseeker),
            Some(&json!({"status": "afgewezen"})),
        )
        .await;
    assert_eq!(status, 409, "answered once");
    let (_, export) = app.get_with("/api/v1/me/export", &jobseeker).await;
    assert_eq!(export["profile"]["contact_requests"][0]["status"], "geaccepteerd");
    assert_eq!(
        export["profile"]["contact_requests"][0]["contact_detail"],
        "06 1234 5678"
    );
}
