//! The role matrix: every route × every role × own/other/anonymous, each
//! with the status it must answer. Objects: a resident profile of
//! `jobseeker` with `coach` as their coach, a vacancy of `employer`, a
//! training of `provider` and `employer`'s open contact request; the `other_…` actors own nothing of these.

use banenlift::auth::create_user;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{EMPLOYER, OTHER_EMPLOYER, TestApp, vacancy_body};
use crate::offers::{PROVIDER, training_body};
use crate::residents::resident_body;

const OTHER_PROVIDER: &str = "org-067";

/// Column order of every expectation row.
const ACTORS: [&str; 11] = [
    "anonymous",
    "jobseeker",
    "other_jobseeker",
    "coach",
    "other_coach",
    "employer",
    "other_employer",
    "provider",
    "other_provider",
    "analyst",
    "admin",
];

/// The objects one row works on, and the tokens of those who own them.
struct World {
    tokens: Vec<Option<String>>,
    resident: String,
    vacancy: String,
    training: String,
    contact: String,
    coach_id: String,
}

impl World {
    /// Fresh objects; `shared` supplies every actor's token except the
    /// jobseeker's, who gets a new account (one profile per jobseeker).
    async fn build(app: &TestApp, shared: &Shared) -> World {
        let (_, jobseeker) = create_user(&app.state.store, "Jamal", "jobseeker", None)
            .await
            .unwrap();
        let mut body = resident_body("Jamal de Vries");
        body["coach_id"] = json!(shared.coach_id);
        let resident = app.create_resident(&jobseeker, &body).await;
        let vacancy = create(
            app,
            "/api/v1/vacancies",
            &shared.token("employer"),
            &vacancy_body(
                "Magazijnmedewerker",
                "Je pakt bestellingen in ons magazijn in Laak.",
            ),
        )
        .await;
        let training = create(
            app,
            "/api/v1/trainings",
            &shared.token("provider"),
            &training_body(),
        )
        .await;
        // The employer has seen its candidates: only then may it record outcomes.
        let candidates = format!("/api/v1/vacancies/{vacancy}/candidates");
        assert_eq!(app.get_with(&candidates, &shared.token("employer")).await.0, 200);
        // Straight into the store: in fresh worlds, many identical earlier
        // residents may push this one out of the employer's top list.
        let resident_id = resident["id"].as_str().unwrap().to_string();
        let contact = format!("con-{resident_id}");
        let employer = ACTORS.iter().position(|a| *a == "employer").unwrap();
        app.state
            .store
            .insert_contact_request(
                &contact,
                &vacancy,
                &resident_id,
                EMPLOYER,
                &format!("actor-{employer}"),
                0,
            )
            .await
            .unwrap();
        let mut tokens = shared.tokens.clone();
        tokens[1] = Some(jobseeker);
        World {
            tokens,
            resident: resident["id"].as_str().unwrap().to_string(),
            vacancy,
            training,
            contact,
            coach_id: shared.coach_id.clone(),
        }
    }

    fn path(&self, template: &str) -> String {
        template
            .replace("{resident}", &self.resident)
            .replace("{vacancy}", &self.vacancy)
            .replace("{training}", &self.training)
            .replace("{contact}", &self.contact)
    }

    fn body(&self, kind: Body) -> Option<Value> {
        match kind {
            Body::None => None,
            Body::Vacancy => Some(vacancy_body(
                "Orderpicker",
                "Je verzamelt orders in een koel magazijn.",
            )),
            Body::Training => Some(training_body()),
            Body::Resident => {
                let mut body = resident_body("Jamal de Vries");
                body["coach_id"] = json!(self.coach_id);
                body["consent_confirmed_with_resident"] = json!(true);
                Some(body)
            }
            Body::Consent => Some(json!({"findable_by_employers": true, "confirmed_with_resident": true})),
            Body::Outcome => Some(json!({
                "resident_id": self.resident,
                "vacancy_id": self.vacancy,
                "status": "gesolliciteerd"
            })),
            Body::TrainingOutcome => Some(json!({
                "resident_id": self.resident,
                "training_id": self.training,
                "status": "gestart"
            })),
            Body::Contact => Some(json!({"vacancy_id": self.vacancy, "resident_id": self.resident})),
            Body::Answer => {
                Some(json!({"status": "geaccepteerd", "reach_by": "telefoon", "phone": "06 1234 5678"}))
            }
        }
    }
}

async fn create(app: &TestApp, path: &str, token: &str, body: &Value) -> String {
    let (status, created) = app.send(Method::POST, path, Some(token), Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

struct Shared {
    tokens: Vec<Option<String>>,
    coach_id: String,
}

impl Shared {
    async fn new(app: &TestApp) -> Shared {
        let store = &app.state.store;
        let mut tokens = vec![None];
        let mut coach_id = String::new();
        for (role, organisation) in [
            ("jobseeker", None),
            ("jobseeker", None),
            ("coach", None),
            ("coach", None),
            ("employer", Some(EMPLOYER)),
            ("employer", Some(OTHER_EMPLOYER)),
            ("provider", Some(PROVIDER)),
            ("provider", Some(OTHER_PROVIDER)),
            ("analyst", None),
            ("admin", None),
        ] {
            let (user, token) = create_user(store, "Actor", role, organisation).await.unwrap();
            if role == "coach" && coach_id.is_empty() {
                coach_id = user.id;
            }
            tokens.push(Some(token));
        }
        Shared { tokens, coach_id }
    }

    fn token(&self, actor: &str) -> String {
        let i = ACTORS.iter().position(|a| *a == actor).unwrap();
        self.tokens[i].clone().unwrap()
    }
}

#[derive(Clone, Copy)]
enum Body {
    None,
    Vacancy,
    Training,
    Resident,
    Consent,
    Outcome,
    TrainingOutcome,
    Contact,
    Answer,
}

/// A route and the status each actor must get, in `ACTORS` order. Rows
/// that destroy their object get a fresh world per actor.
struct Row {
    method: Method,
    path: &'static str,
    body: Body,
    fresh: bool,
    expect: [u16; 11],
}

fn row(method: Method, path: &'static str, body: Body, expect: [u16; 11]) -> Row {
    Row {
        method,
        path,
        body,
        fresh: false,
        expect,
    }
}

/// The matrix, one route per line.
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Body as B;
    use Method as M;
    let fresh = |r: Row| Row { fresh: true, ..r };
    //                          anon  js  js2 coach c2  emp emp2 prov prv2 anal admin
    const PUBLIC: [u16; 11] =    [200; 11];
    const PROFILE: [u16; 11] =   [401, 200, 404, 200, 404, 403, 403, 403, 403, 403, 403];
    const SIGNED_IN: [u16; 11] = [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200];
    const READERS: [u16; 11] =   [401, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200];
    vec![
        row(M::GET, "/health", B::None, PUBLIC),
        row(M::GET, "/api/v1/vacancies?q=magazijn&wijk=Schildersbuurt&radius_km=5", B::None, PUBLIC),
        row(M::GET, "/api/v1/vacancies/{vacancy}", B::None, PUBLIC),
        row(M::GET, "/api/v1/trainings?q=pallets", B::None, PUBLIC),
        row(M::GET, "/api/v1/trainings/{training}", B::None, PUBLIC),
        row(M::GET, "/api/v1/skills?q=heftruk", B::None, PUBLIC),
        row(M::GET, "/api/v1/wijken", B::None, PUBLIC),
        // An admin must name the organisation (422 without it).
        row(M::POST, "/api/v1/vacancies", B::Vacancy,     [401, 403, 403, 403, 403, 201, 201, 403, 403, 403, 422]),
        row(M::PUT, "/api/v1/vacancies/{vacancy}", B::Vacancy, [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 200]),
        fresh(row(M::DELETE, "/api/v1/vacancies/{vacancy}", B::None, [401, 403, 403, 403, 403, 204, 403, 403, 403, 403, 204])),
        row(M::POST, "/api/v1/trainings", B::Training,    [401, 403, 403, 403, 403, 403, 403, 201, 201, 403, 422]),
        row(M::PUT, "/api/v1/trainings/{training}", B::Training, [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200]),
        fresh(row(M::DELETE, "/api/v1/trainings/{training}", B::None, [401, 403, 403, 403, 403, 403, 403, 204, 403, 403, 204])),
        row(M::GET, "/api/v1/residents", B::None,         [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
        // The body names `coach` as coach: another coach may not file it there (422).
        fresh(row(M::POST, "/api/v1/residents", B::Resident, [401, 409, 201, 201, 422, 403, 403, 403, 403, 403, 403])),
        row(M::GET, "/api/v1/residents/{resident}", B::None, PROFILE),
        row(M::PUT, "/api/v1/residents/{resident}", B::Resident, PROFILE),
        row(M::GET, "/api/v1/residents/{resident}/matches", B::None, PROFILE),
        row(M::GET, "/api/v1/residents/{resident}/consent", B::None, PROFILE),
        row(M::PUT, "/api/v1/residents/{resident}/consent", B::Consent, PROFILE),
        row(M::GET, "/api/v1/residents/{resident}/views", B::None, PROFILE),
        row(M::GET, "/api/v1/residents/{resident}/outcomes", B::None, PROFILE),
        row(M::GET, "/api/v1/vacancies/{vacancy}/candidates", B::None, [401, 403, 403, 200, 200, 200, 404, 403, 403, 403, 403]),
        // A jobseeker records `gesolliciteerd` for their own profile only.
        row(M::POST, "/api/v1/outcomes", B::Outcome,      [401, 201, 404, 201, 404, 201, 404, 403, 403, 403, 403]),
        // The world holds one open request by `employer`: asking again is a 409.
        row(M::POST, "/api/v1/contact-requests", B::Contact, [401, 403, 403, 403, 403, 409, 404, 403, 403, 403, 403]),
        row(M::GET, "/api/v1/residents/{resident}/contact-requests", B::None, PROFILE),
        fresh(row(M::PUT, "/api/v1/contact-requests/{contact}", B::Answer, PROFILE)),
        row(M::GET, "/api/v1/me/export", B::None, SIGNED_IN),
        row(M::POST, "/api/v1/training-outcomes", B::TrainingOutcome, [401, 403, 403, 201, 404, 403, 403, 403, 403, 403, 403]),
        row(M::GET, "/api/v1/residents/{resident}/training-outcomes", B::None, PROFILE),
        row(M::GET, "/api/v1/lift?level=stadsdeel", B::None, READERS),
        row(M::GET, "/api/v1/lift/wijken/WK051829/trend", B::None, READERS),
        fresh(row(M::DELETE, "/api/v1/residents/{resident}", B::None, [401, 204, 404, 204, 404, 403, 403, 403, 403, 403, 403])),
    ]
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let shared = Shared::new(&app).await;
    let world = World::build(&app, &shared).await;
    let mut wrong = Vec::new();
    for row in rows() {
        for (i, actor) in ACTORS.iter().enumerate() {
            let fresh;
            let here = if row.fresh {
                fresh = World::build(&app, &shared).await;
                &fresh
            } else {
                &world
            };
            let path = here.path(row.path);
            let body = here.body(row.body);
            let (status, answer) = app
                .send(
                    row.method.clone(),
                    &path,
                    here.tokens[i].as_deref(),
                    body.as_ref(),
                )
                .await;
            if status.as_u16() != row.expect[i] {
                wrong.push(format!(
                    "{} {} as {actor}: {} (expected {}) {answer}",
                    row.method, row.path, status, row.expect[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Fields a caller may not set are refused, not ignored.
#[tokio::test]
async fn mass_assignment_is_refused() {
    let app = TestApp::spawn().await;
    let shared = Shared::new(&app).await;
    let world = World::build(&app, &shared).await;
    let employer = shared.token("employer");
    let mut foreign = vacancy_body("Kok", "Je kookt voor onze gasten.");
    foreign["organisation_id"] = json!(OTHER_EMPLOYER);
    let (status, problem) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&employer), Some(&foreign))
        .await;
    assert_eq!(status, 422, "{problem}");
    let coach = shared.token("coach");
    let path = world.path("/api/v1/residents/{resident}");
    for (field, value) in [
        ("user_id", json!("usr-x")),
        ("id", json!("res-x")),
        ("fictitious", json!(true)),
    ] {
        let mut body = world.body(Body::Resident).unwrap();
        body[field] = value;
        let (status, problem) = app.send(Method::PUT, &path, Some(&coach), Some(&body)).await;
        assert_eq!(status, 422, "{field}: {problem}");
    }
    let mut consent = world.body(Body::Consent).unwrap();
    consent["version"] = json!("1999-01");
    let consent_path = world.path("/api/v1/residents/{resident}/consent");
    assert_eq!(
        app.send(Method::PUT, &consent_path, Some(&coach), Some(&consent))
            .await
            .0,
        422
    );
}
