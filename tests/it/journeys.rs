//! Each user journey to its goal over real HTTP: a jobseeker applies and
//! records it, signs up for a training, and an employer reaches a candidate
//! who accepted, by the route the candidate chose.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{EMPLOYER, TestApp, error_fields, vacancy_body};
use crate::offers::{PROVIDER, training_body};
use crate::residents::resident_body;
use crate::web::{Browser, csrf_of};

/// A user with both an API token and a web login, signed in on `browser`.
struct Person {
    id: String,
    token: String,
    browser: Browser,
}

impl Person {
    async fn new(app: &TestApp, role: &str, organisation: Option<&str>, login: &str, start: &str) -> Person {
        let (user, token) =
            banenlift::auth::create_user(&app.state.store, "Test Persoon", role, organisation)
                .await
                .expect("user");
        let password = format!("{login}-wachtwoord-lang");
        banenlift::auth::login::set_password(&app.state.store, &user.id, login, &password)
            .await
            .expect("password");
        let browser = Browser::new(app);
        browser.log_in(login, &password, start).await;
        Person {
            id: user.id,
            token,
            browser,
        }
    }

    /// Posts a form on `page_path` (for its CSRF token) to `action`.
    async fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> crate::web::Page {
        let csrf = csrf_of(&self.browser.get(page_path).await.html);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.browser.post(action, &form).await
    }
}

async fn create(app: &TestApp, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
    app.send(Method::POST, path, Some(token), Some(body)).await
}

#[tokio::test]
async fn a_vacancy_needs_a_way_to_apply_and_a_jobseeker_applies_and_records_it() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let mut body = vacancy_body(
        "Magazijnmedewerker Sollicitatiehaven",
        "Je pakt bestellingen in.\n\nWat je doet:\n- orders pakken\n- de heftruck rijden",
    );
    let ways = ["apply_url", "apply_email", "apply_phone"];
    for way in ways {
        body.as_object_mut().unwrap().remove(way);
    }
    let (status, problem) = create(&app, "/api/v1/vacancies", &employer, &body).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        error_fields(&problem),
        ["apply_url"],
        "no way to apply: {problem}"
    );
    body["apply_email"] = json!("geen apenstaartje");
    let (status, problem) = create(&app, "/api/v1/vacancies", &employer, &body).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["apply_email"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("e-mailadres")
    );

    body["apply_email"] = json!("werk@voorbeeld.example");
    body["apply_phone"] = json!("070 123 4567");
    body["apply_url"] = json!("https://werk.voorbeeld.example/solliciteer");
    let (status, vacancy) = create(&app, "/api/v1/vacancies", &employer, &body).await;
    assert_eq!(status, 201, "{vacancy}");
    let id = vacancy["id"].as_str().unwrap().to_string();

    let jobseeker = Person::new(&app, "jobseeker", None, "sollicitant", "/profiel").await;
    let resident = app
        .create_resident(&jobseeker.token, &resident_body("Nadia Sollicitant"))
        .await;
    let detail = format!("/vacatures/{id}");
    let page = jobseeker.browser.get(&detail).await;
    for expected in [
        "href=\"https://werk.voorbeeld.example/solliciteer\"",
        "href=\"tel:0701234567\"",
        "href=\"mailto:werk@voorbeeld.example?subject=Sollicitatie%3A%20Magazijnmedewerker%20Sollicitatiehaven\"",
        "<li>orders pakken</li>",
        "\"directApply\":true",
        "\"applicationContact\":{",
        "\"telephone\":\"070 123 4567\"",
        "\"url\":\"https://werk.voorbeeld.example/solliciteer\"",
        "Ik heb gesolliciteerd",
    ] {
        assert!(page.html.contains(expected), "{expected} on the detail page");
    }
    assert!(
        !Browser::new(&app)
            .get(&detail)
            .await
            .html
            .contains("Ik heb gesolliciteerd"),
        "only a signed-in jobseeker records an application"
    );

    let done = jobseeker
        .submit(&detail, &format!("{detail}/gesolliciteerd"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let back = done.location.expect("back to the vacancy");
    assert_eq!(back, format!("{detail}?opgeslagen=ja#solliciteren"));
    assert!(
        jobseeker
            .browser
            .get(&back)
            .await
            .html
            .contains("u hebt gesolliciteerd")
    );
    let outcomes_path = format!("/api/v1/residents/{}/outcomes", resident["id"].as_str().unwrap());
    let (_, outcomes) = app.get_with(&outcomes_path, &jobseeker.token).await;
    assert_eq!(outcomes[0]["status"], "gesolliciteerd", "{outcomes}");
    assert_eq!(outcomes[0]["recorded_by_role"], "jobseeker");

    let hired = json!({"resident_id": resident["id"], "vacancy_id": id, "status": "aangenomen"});
    let (status, problem) = create(&app, "/api/v1/outcomes", &jobseeker.token, &hired).await;
    assert_eq!(
        status, 403,
        "a jobseeker records only their application: {problem}"
    );
    let (_, outcomes) = app.get_with(&outcomes_path, &jobseeker.token).await;
    assert_eq!(outcomes.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_training_page_says_how_to_sign_up_and_a_jobseeker_records_it() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider", Some(PROVIDER)).await;
    let mut body = training_body();
    body["signup_phone"] = json!("+31 70 765 4321");
    body["starts_on"] = json!("2027-09-06");
    body["start_dates"] = json!(["2027-03-18", "2027-09-06"]);
    let (status, training) = create(&app, "/api/v1/trainings", &provider, &body).await;
    assert_eq!(status, 201, "{training}");
    assert_eq!(
        training["starts_on"], "2027-03-18",
        "the earliest date is the next start"
    );
    assert_eq!(training["start_dates"], json!(["2027-03-18", "2027-09-06"]));
    let id = training["id"].as_str().unwrap().to_string();

    let jobseeker = Person::new(&app, "jobseeker", None, "cursist", "/profiel").await;
    let resident = app
        .create_resident(&jobseeker.token, &resident_body("Karim Cursist"))
        .await;
    let detail = format!("/opleidingen/{id}");
    let page = jobseeker.browser.get(&detail).await;
    for expected in [
        "href=\"https://opleider.example/aanmelden\"",
        "href=\"tel:+31707654321\"",
        "18 maart 2027, 6 september 2027",
        "Ik heb me aangemeld",
    ] {
        assert!(page.html.contains(expected), "{expected} on the training page");
    }
    let done = jobseeker
        .submit(&detail, &format!("{detail}/aangemeld"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let path = format!(
        "/api/v1/residents/{}/training-outcomes",
        resident["id"].as_str().unwrap()
    );
    let (_, steps) = app.get_with(&path, &jobseeker.token).await;
    assert_eq!(
        (steps[0]["status"].as_str(), steps[0]["training_id"].as_str()),
        (Some("aangemeld"), Some(id.as_str()))
    );
}

/// A consenting resident the employer was shown for its new vacancy, with
/// an open contact request; returns the vacancy and request ids.
async fn open_request(app: &TestApp, employer: &str, resident: &Value) -> (String, String) {
    let (_, vacancy) = create(
        app,
        "/api/v1/vacancies",
        employer,
        &vacancy_body(
            "Orderpicker Contacthaven",
            "Je pakt bestellingen in ons magazijn.",
        ),
    )
    .await;
    let vacancy_id = vacancy["id"].as_str().unwrap().to_string();
    let (status, list) = app
        .get_with(
            &format!("/api/v1/vacancies/{vacancy_id}/candidates?limit=100"),
            employer,
        )
        .await;
    assert_eq!(status, 200, "{list}");
    let body = json!({"vacancy_id": vacancy_id, "resident_id": resident["id"]});
    let (status, request) = create(app, "/api/v1/contact-requests", employer, &body).await;
    assert_eq!(status, 201, "{request}");
    (vacancy_id, request["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_resident_accepts_with_a_phone_number_and_the_employer_sees_just_that() {
    let app = TestApp::spawn().await;
    let employer = Person::new(
        &app,
        "employer",
        Some(EMPLOYER),
        "werkgever.contact",
        "/werkgever",
    )
    .await;
    let jobseeker = Person::new(&app, "jobseeker", None, "kandidaat.contact", "/profiel").await;
    let resident = app
        .create_resident(&jobseeker.token, &resident_body("Yusuf van den Berg"))
        .await;
    let (vacancy_id, request_id) = open_request(&app, &employer.token, &resident).await;

    let profile = jobseeker.browser.get("/profiel").await.html;
    let answer_path = format!("/profiel/contact/{request_id}");
    assert!(
        profile.contains(&format!("href=\"{answer_path}\"")),
        "the request links to its answer page"
    );
    let answer_page = jobseeker.browser.get(&answer_path).await;
    assert_eq!(answer_page.status, 200);
    assert!(
        answer_page.html.contains("Yusuf van den Berg"),
        "says which name is shared"
    );
    assert!(answer_page.html.contains("Verder niets"));

    let refused = jobseeker
        .submit(
            &answer_path,
            &answer_path,
            &[("status", "geaccepteerd"), ("phone", "06 1234 5678")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("Kies hoe de werkgever u mag bereiken"));
    assert!(
        refused.html.contains("value=\"06 1234 5678\""),
        "nothing typed is lost"
    );

    let accepted = jobseeker
        .submit(
            &answer_path,
            &answer_path,
            &[
                ("status", "geaccepteerd"),
                ("reach_by", "telefoon"),
                ("phone", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    assert!(
        jobseeker
            .browser
            .get("/profiel")
            .await
            .html
            .contains("tel:0612345678")
    );

    let candidates = employer
        .browser
        .get(&format!("/werkgever/vacatures/{vacancy_id}/kandidaten"))
        .await
        .html;
    assert!(
        candidates.contains("Yusuf van den Berg"),
        "the full name after acceptance"
    );
    assert!(
        candidates.contains("href=\"tel:0612345678\""),
        "and the phone number to call"
    );
    assert!(!candidates.contains("mailto:"), "and no other route");
    let (_, export) = app.get_with("/api/v1/me/export", &jobseeker.token).await;
    assert_eq!(
        export["profile"]["contact_requests"][0]["contact_route"],
        "telefoon"
    );
}

#[tokio::test]
async fn a_coach_accepts_for_a_client_via_themselves() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let coach = Person::new(&app, "coach", None, "coach.contact", "/coach").await;
    let mut body = resident_body("Fatma Yilmaz");
    body["consent_confirmed_with_resident"] = json!(true);
    let client = app.create_resident(&coach.token, &body).await;
    let (vacancy_id, request_id) = open_request(&app, &employer, &client).await;
    let client_id = client["id"].as_str().unwrap();
    let answer_path = format!("/coach/klanten/{client_id}/contact/{request_id}");
    let without_details = coach.browser.get(&answer_path).await.html;
    assert!(
        !without_details.contains("value=\"werkcoach\""),
        "no coach route before the coach has contact details"
    );

    banenlift::auth::set_contact(
        &app.state.store,
        &coach.id,
        Some("070 353 0000"),
        Some("coach@gemeente.example"),
    )
    .await
    .expect("contact details");
    let page = coach.browser.get(&answer_path).await.html;
    assert!(page.contains("value=\"werkcoach\""));
    let accepted = coach
        .submit(
            &answer_path,
            &answer_path,
            &[("status", "geaccepteerd"), ("reach_by", "werkcoach")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    let (_, list) = app
        .get_with(
            &format!("/api/v1/vacancies/{vacancy_id}/candidates?limit=100"),
            &employer,
        )
        .await;
    let entry = list["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["resident_id"] == client["id"])
        .cloned()
        .unwrap();
    assert_eq!(entry["name"], "Fatma Yilmaz");
    assert_eq!(entry["contact_route"], "werkcoach");
    assert_eq!(
        entry["contact_detail"],
        "Test Persoon (werkcoach), 070 353 0000, coach@gemeente.example"
    );
}

/// Every field of the edit form, as a person would leave it filled in.
fn profile_fields<'a>(hours: (&'a str, &'a str)) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Samira"),
        ("wijk", "WK051830"),
        ("postcode", ""),
        ("hours_min", hours.0),
        ("hours_max", hours.1),
        ("available_from", ""),
        ("travel_mode", "fiets"),
        ("max_travel_minutes", ""),
        ("max_travel_km", "7,5"),
        ("education", "geen"),
        ("dutch_level", "A2"),
        ("languages", "ar, nl"),
        ("limits", "geen_weekend"),
        ("limits", "mantelzorg"),
        ("sectors_wanted", "logistiek"),
    ]
}

#[tokio::test]
async fn a_jobseeker_fills_in_hours_and_the_unknown_reason_goes() {
    let app = TestApp::spawn().await;
    let jobseeker = Person::new(&app, "jobseeker", None, "uren.invuller", "/profiel").await;
    let mut body = resident_body("Samira");
    for field in ["hours_min", "hours_max"] {
        body.as_object_mut().unwrap().remove(field);
    }
    let resident = app.create_resident(&jobseeker.token, &body).await;
    let profile = jobseeker.browser.get("/profiel").await.html;
    assert!(profile.contains("Je uren zijn nog niet bekend"));
    assert!(
        profile.contains("href=\"/profiel/bewerken#veld-hours_min\""),
        "the reason links to its field"
    );

    let edit = "/profiel/bewerken";
    assert_eq!(jobseeker.browser.get(edit).await.status, 200);
    let refused = jobseeker.submit(edit, edit, &profile_fields(("30", "20"))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("Het minimum aantal uren is hoger dan het maximum")
    );
    assert!(refused.html.contains("value=\"7,5\""), "nothing typed is lost");
    let saved = jobseeker.submit(edit, edit, &profile_fields(("24", "32"))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);

    let id = resident["id"].as_str().unwrap();
    let (_, now) = app
        .get_with(&format!("/api/v1/residents/{id}"), &jobseeker.token)
        .await;
    assert_eq!(
        (now["hours_min"].as_i64(), now["hours_max"].as_i64()),
        (Some(24), Some(32))
    );
    assert_eq!(now["limits"], json!(["geen_weekend", "mantelzorg"]));
    assert_eq!(now["max_travel_km"], 7.5);
    assert_eq!(now["languages"], json!(["ar", "nl"]));
    assert_eq!(now["skills"], resident["skills"], "skills stay as they were");
    let profile = jobseeker.browser.get("/profiel").await.html;
    assert!(!profile.contains("Je uren zijn nog niet bekend"));
}

#[tokio::test]
async fn a_coach_edits_a_clients_profile() {
    let app = TestApp::spawn().await;
    let coach = Person::new(&app, "coach", None, "coach.bewerkt", "/coach").await;
    let client = app.create_resident(&coach.token, &resident_body("Samira")).await;
    let id = client["id"].as_str().unwrap();
    let edit = format!("/coach/klanten/{id}/bewerken");
    let saved = coach.submit(&edit, &edit, &profile_fields(("16", "24"))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/coach/klanten/{id}").as_str())
    );
    let (_, now) = app
        .get_with(&format!("/api/v1/residents/{id}"), &coach.token)
        .await;
    assert_eq!(now["hours_max"], 24);
    let other = Person::new(&app, "coach", None, "coach.ander", "/coach").await;
    assert_eq!(other.browser.get(&edit).await.status, 404, "not their client");
}

#[tokio::test]
async fn a_coach_makes_a_client_on_the_web_and_sets_consent_with_them() {
    let app = TestApp::spawn().await;
    let coach = Person::new(&app, "coach", None, "coach.nieuw", "/coach").await;
    let new = "/coach/klanten/nieuw";
    assert!(
        coach
            .browser
            .get("/coach")
            .await
            .html
            .contains(&format!("href=\"{new}\""))
    );
    let made = coach.submit(new, new, &profile_fields(("24", "32"))).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let page = made.location.expect("to the new client");
    assert!(page.starts_with("/coach/klanten/res-"), "{page}");
    assert!(
        coach
            .browser
            .get("/coach")
            .await
            .html
            .contains(&format!("href=\"{page}\"")),
        "in the caseload"
    );

    let consent = format!("{page}/toestemming");
    let unconfirmed = coach.submit(&page, &consent, &[("findable", "true")]).await;
    assert_ne!(
        unconfirmed.status,
        StatusCode::SEE_OTHER,
        "not without the client's agreement"
    );
    let id = page.trim_start_matches("/coach/klanten/");
    let (_, client) = app
        .get_with(&format!("/api/v1/residents/{id}"), &coach.token)
        .await;
    assert_eq!(client["findable_by_employers"], false);
    let confirmed = coach
        .submit(&page, &consent, &[("findable", "true"), ("confirmed", "true")])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let (_, client) = app
        .get_with(&format!("/api/v1/residents/{id}"), &coach.token)
        .await;
    assert_eq!(client["findable_by_employers"], true);
}

/// Rows of the caseload table, as the client names in order.
fn caseload_names(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"/coach/klanten/")
        .skip(1)
        .filter_map(|row| {
            row.split_once("\">")?
                .1
                .split_once("</a>")
                .map(|(name, _)| name.to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_coachs_caseload_shows_where_each_client_stands_sorted_and_paged() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let coach = Person::new(&app, "coach", None, "coach.caseload", "/coach").await;
    let mut clients = Vec::new();
    for n in 1..=104 {
        let mut body = resident_body(&format!("Klant {n:03}"));
        body["consent_confirmed_with_resident"] = json!(n == 104);
        body["findable_by_employers"] = json!(n == 104);
        clients.push(app.create_resident(&coach.token, &body).await);
    }
    let (vacancy_id, _) = open_request(&app, &employer, &clients[103]).await;
    let step = json!({"resident_id": clients[1]["id"], "vacancy_id": vacancy_id, "status": "gesolliciteerd"});
    let (status, recorded) = create(&app, "/api/v1/outcomes", &coach.token, &step).await;
    assert_eq!(status, 201, "{recorded}");

    let first = coach.browser.get("/coach").await.html;
    assert!(
        first.contains("<strong>104</strong> klanten"),
        "all clients counted"
    );
    let names = caseload_names(&first);
    assert_eq!(names.len(), 50, "one page of clients");
    assert_eq!(names[0], "Klant 001");
    assert!(first.contains("aria-sort=\"ascending\""), "sorted by name");
    assert!(first.contains("href=\"/coach?pagina=3\""), "paging beyond 100");
    let last = coach.browser.get("/coach?pagina=3").await.html;
    assert_eq!(
        caseload_names(&last),
        ["Klant 101", "Klant 102", "Klant 103", "Klant 104"]
    );
    assert_eq!(
        caseload_names(&coach.browser.get("/coach?pagina=99").await.html),
        caseload_names(&last),
        "a page past the end shows the last page"
    );

    let by_requests = coach.browser.get("/coach?sorteer=verzoeken").await.html;
    assert_eq!(caseload_names(&by_requests)[0], "Klant 104");
    assert!(by_requests.contains(&format!(
        "href=\"/coach/klanten/{}#contact\">1</a>",
        clients[103]["id"].as_str().unwrap()
    )));
    let by_step = coach.browser.get("/coach?sorteer=stap").await.html;
    assert_eq!(caseload_names(&by_step)[0], "Klant 002");
    assert!(by_step.contains("<strong>gesolliciteerd</strong> — Orderpicker Contacthaven"));
    assert!(by_step.contains("aria-sort=\"descending\""));

    let found = coach.browser.get("/coach?q=klant+010&sorteer=wijk").await.html;
    assert_eq!(caseload_names(&found), ["Klant 010"]);
    assert!(
        found.contains("href=\"/coach?q=klant+010&amp;sorteer=stap\""),
        "sort links keep the filter"
    );
}

#[tokio::test]
async fn a_skill_saved_under_another_name_says_so_and_an_unknown_one_is_asked_first() {
    let app = TestApp::spawn().await;
    let jobseeker = Person::new(&app, "jobseeker", None, "vaardig", "/profiel").await;
    let mut body = resident_body("Karim");
    body["skills"] = json!(["Orderpicken"]);
    let resident = app.create_resident(&jobseeker.token, &body).await;
    let skills = || async {
        let (_, now) = app
            .get_with(
                &format!("/api/v1/residents/{}", resident["id"].as_str().unwrap()),
                &jobseeker.token,
            )
            .await;
        now["skills"].clone()
    };
    let profile = jobseeker.browser.get("/profiel").await.html;
    assert!(
        profile.contains("action=\"/profiel/vaardigheden#vaardigheden\""),
        "the answer comes back to the skills section"
    );

    let saved = jobseeker
        .submit("/profiel", "/profiel/vaardigheden", &[("skill", "heftruk")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let back = saved.location.expect("back to the profile");
    assert_eq!(
        back,
        "/profiel?vaardigheid=heftruk&als=Heftruck+rijden#vaardigheden"
    );
    let told = jobseeker.browser.get(&back).await.html;
    assert!(
        told.contains("“heftruk” is bewaard als <strong>Heftruck rijden</strong>"),
        "{told}"
    );
    assert!(
        told.contains("name=\"replace\" value=\"Heftruck rijden\""),
        "with an undo"
    );
    assert_eq!(skills().await, json!(["Orderpicken", "Heftruck rijden"]));
    let undone = jobseeker
        .submit(
            &back,
            "/profiel/vaardigheden",
            &[
                ("skill", "heftruk"),
                ("exact", "true"),
                ("replace", "Heftruck rijden"),
            ],
        )
        .await;
    assert_eq!(undone.location.as_deref(), Some("/profiel#vaardigheden"));
    assert_eq!(skills().await, json!(["Orderpicken", "heftruk"]), "kept as typed");
    let forged = jobseeker
        .browser
        .get("/profiel?vaardigheid=x&als=Koken")
        .await
        .html;
    assert!(
        !forged.contains("is bewaard als"),
        "only a skill the profile holds"
    );

    let asked = jobseeker
        .submit("/profiel", "/profiel/vaardigheden", &[("skill", "qqxxzz vvww")])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.html.contains("Deze vaardigheid kennen we niet"));
    assert_eq!(
        skills().await,
        json!(["Orderpicken", "heftruk"]),
        "not saved before asking"
    );
    let kept = jobseeker
        .submit(
            "/profiel",
            "/profiel/vaardigheden",
            &[("skill", "qqxxzz vvww"), ("exact", "true")],
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER);
    assert_eq!(skills().await, json!(["Orderpicken", "heftruk", "qqxxzz vvww"]));
}

#[tokio::test]
async fn a_coach_hands_a_client_a_one_time_link_to_choose_a_new_password() {
    let app = TestApp::spawn().await;
    let coach = Person::new(&app, "coach", None, "coach.wachtwoord", "/coach").await;
    let jobseeker = Person::new(&app, "jobseeker", None, "kwijt", "/profiel").await;
    let mut body = resident_body("Hamid");
    body["coach_id"] = json!(coach.id);
    let client = app.create_resident(&jobseeker.token, &body).await;
    let page = format!("/coach/klanten/{}", client["id"].as_str().unwrap());
    assert!(
        coach
            .browser
            .get(&page)
            .await
            .html
            .contains("Maak een link voor een nieuw wachtwoord")
    );
    let issued = coach.submit(&page, &format!("{page}/wachtwoordlink"), &[]).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.html);
    let at = issued.html.find("/wachtwoord/").expect("the link is shown");
    let link: String = issued.html[at..].chars().take_while(|c| *c != '<').collect();
    assert_eq!(link.len(), "/wachtwoord/".len() + 64, "{link}");

    let visitor = Browser::new(&app);
    let form = visitor.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("value=\"kwijt\""), "the login name is kept");
    let csrf = csrf_of(&form.html);
    let new_password = "een-nieuw-lang-wachtwoord";
    let mismatch = visitor
        .post(
            &link,
            &[
                ("csrf", &csrf),
                ("login", "kwijt"),
                ("password", new_password),
                ("repeat", "iets-anders-lang"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .html
            .contains("De twee wachtwoorden zijn niet hetzelfde.")
    );
    let chosen = visitor
        .post(
            &link,
            &[
                ("csrf", &csrf),
                ("login", "kwijt"),
                ("password", new_password),
                ("repeat", new_password),
            ],
        )
        .await;
    assert_eq!(chosen.location.as_deref(), Some("/inloggen?wachtwoord=nieuw"));
    assert_eq!(
        jobseeker.browser.get("/profiel").await.status,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    visitor.log_in("kwijt", new_password, "/profiel").await;
    let again = Browser::new(&app).get(&link).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");
    assert!(again.html.contains("Deze link werkt niet (meer)"));
    assert!(!again.html.contains("This link"), "a Dutch page in Dutch only");
    let english = Browser::new(&app);
    english.get("/taal?naar=en&terug=/").await;
    let in_english = english.get(&link).await;
    assert_eq!(in_english.status, StatusCode::NOT_FOUND);
    assert!(
        in_english.html.contains("<h1>Page not found</h1>")
            && in_english.html.contains("This link no longer works"),
        "{}",
        in_english.html
    );
    assert!(
        !in_english.html.contains("Deze link"),
        "and an English one in English"
    );

    let other = Person::new(&app, "coach", None, "coach.vreemd", "/coach").await;
    let refused = other
        .submit("/coach", &format!("{page}/wachtwoordlink"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "not their client");
    let own = app
        .create_resident(&coach.token, &resident_body("Zonder Account"))
        .await;
    let own_page = format!("/coach/klanten/{}", own["id"].as_str().unwrap());
    assert!(
        coach
            .browser
            .get(&own_page)
            .await
            .html
            .contains("nog geen eigen account")
    );
}
