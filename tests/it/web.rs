//! The HTML pages over real HTTP: rendering, search, detail with JSON-LD,
//! login sessions, CSRF and login rate limits.

use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::Value;

use crate::database;
use crate::helpers::TestApp;

/// A cookie-keeping client that does not follow redirects, like a browser
/// whose every step the test looks at.
pub struct Browser {
    client: reqwest::Client,
    base: String,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub html: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser::at(&app.base)
    }

    /// A browser for a server at `base` (also one in a child process).
    pub fn at(base: &str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: base.to_string(),
        }
    }

    /// The same browser (its cookies too) pointed at another server.
    pub fn on(&self, base: &str) -> Browser {
        Browser {
            client: self.client.clone(),
            base: base.to_string(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        page(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("get"),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("post");
        page(response).await
    }

    /// Logs in through the form; panics unless it redirects to `start`.
    pub async fn log_in(&self, login: &str, password: &str, start: &str) -> Page {
        let form = self.get("/inloggen").await;
        let csrf = csrf_of(&form.html);
        let done = self
            .post(
                "/inloggen",
                &[("login", login), ("password", password), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
        assert_eq!(done.location.as_deref(), Some(start));
        self.get(start).await
    }
}

async fn page(response: reqwest::Response) -> Page {
    let headers = response.headers().clone();
    Page {
        status: response.status(),
        location: headers
            .get(LOCATION)
            .map(|v| v.to_str().unwrap_or_default().to_string()),
        set_cookies: headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .collect(),
        html: response.text().await.expect("body"),
    }
}

/// The CSRF token a page's forms carry.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[at..].chars().take_while(|c| *c != '"').collect()
}

/// A user of `role` with a web login; returns the login name and password.
pub async fn web_user(
    app: &TestApp,
    role: &str,
    organisation: Option<&str>,
    login: &str,
) -> (String, String) {
    let (user, _) = banenlift::auth::create_user(&app.state.store, "Web Gebruiker", role, organisation)
        .await
        .expect("user");
    let password = format!("{login}-wachtwoord-lang");
    banenlift::auth::login::set_password(&app.state.store, &user.id, login, &password)
        .await
        .expect("password set");
    (login.to_string(), password)
}

fn links_to<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.match_indices(&format!("href=\"{prefix}"))
        .map(|(at, _)| {
            let start = at + 6;
            let end = start + html[start..].find('"').unwrap_or(0);
            &html[start..end]
        })
        .collect()
}

#[tokio::test]
async fn search_pages_filter_by_wijk_and_radius_and_lead_to_a_detail_with_job_posting() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app);
    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.html.contains("<html lang=\"nl\""));
    assert!(
        home.html.contains("action=\"/vacatures\""),
        "the home page searches"
    );

    let params = [("q", "magazijn"), ("wijk", "WK051829"), ("radius_km", "5")];
    let api = app.search_ok("vacancies", &params).await;
    let results = browser
        .get("/vacatures?q=magazijn&wijk=WK051829&radius_km=5")
        .await;
    assert_eq!(results.status, 200);
    let total = api["total"].as_u64().unwrap();
    assert!(total > 0, "the demo data has warehouse jobs near Schildersbuurt");
    assert!(
        results
            .html
            .contains(&format!("<strong>{total}</strong> resultaten")),
        "the page reports the API's count"
    );
    let details = links_to(&results.html, "/vacatures/vac-");
    let first = api["hits"][0]["id"].as_str().unwrap();
    assert_eq!(
        details.first().copied(),
        Some(format!("/vacatures/{first}?terug=q%3Dmagazijn%26wijk%3DWK051829%26radius_km%3D5").as_str()),
        "a result remembers the search, for the way back"
    );
    assert!(results.html.contains("aria-current=\"page\">Vacatures"));
    assert!(
        results.html.contains("<option value=\"WK051829\" selected>"),
        "the filter stays chosen"
    );

    let detail = browser.get(details[0]).await;
    assert_eq!(detail.status, 200);
    let start = detail.html.find("application/ld+json\">").expect("JSON-LD") + 21;
    let end = start + detail.html[start..].find("</script>").unwrap();
    let posting: Value = serde_json::from_str(&detail.html[start..end]).expect("JSON-LD parses");
    assert_eq!(posting["@type"], "JobPosting");
    let (_, vacancy) = app.get(&format!("/api/v1/vacancies/{first}")).await;
    assert_eq!(posting["title"], vacancy["title"]);
    assert_eq!(posting["hiringOrganization"]["name"], vacancy["employer"]);
    assert!(detail.html.contains("id=\"solliciteren\""));
    assert_eq!(
        posting["directApply"],
        vacancy["apply_url"].is_string(),
        "JSON-LD says whether the link applies directly"
    );
}

#[tokio::test]
async fn typos_are_corrected_and_syntax_characters_are_plain_text() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app);
    let typo = browser.get("/vacatures?q=magazjin").await;
    assert!(
        typo.html.contains("Bedoelde u <strong>magazijn</strong>"),
        "{}",
        typo.status
    );
    for q in ["%22", "AND(", "%3Cscript%3E", "a%20OR%20b)"] {
        let page = browser.get(&format!("/vacatures?q={q}")).await;
        assert_eq!(page.status, 200, "{q}");
        assert!(!page.html.contains("<script>"), "{q} is escaped");
    }
    let bad = browser.get("/vacatures?postcode=9999").await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.html.contains("href=\"#veld-postcode\""),
        "the summary links to the field"
    );
    assert!(bad.html.contains("aria-invalid=\"true\""));
    let trainings = browser.get("/opleidingen?q=heftruck").await;
    assert_eq!(trainings.status, 200);
    assert!(!links_to(&trainings.html, "/opleidingen/").is_empty());
}

/// The count a facet link on `html` promises.
fn facet_count(html: &str, href: &str) -> u64 {
    let link = html.find(&format!("href=\"{href}\"")).expect("the facet link");
    let count = link + html[link..].find("class=\"bl-count\">").expect("its count") + 17;
    let digits: String = html[count..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("a number")
}

#[tokio::test]
async fn facet_links_find_what_they_count_and_the_filters_say_how_many_apply() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app);
    let plain = browser.get("/vacatures?q=magazijn").await;
    assert!(plain.html.contains("<summary>Filters (0)</summary>"));
    assert!(
        plain.html.contains("<details class=\"bl-filter-panel\">"),
        "closed while there are results: they come first"
    );
    assert!(
        !plain.html.contains("sort=distance"),
        "no distance without a place"
    );

    let sector = links_to(&plain.html, "/vacatures?q=magazijn&amp;sector=")[0];
    let mut facets = vec![sector];
    facets.extend(links_to(&plain.html, "/vacatures?q=magazijn&amp;education="));
    assert!(facets.len() > 1, "education facets too");
    for href in facets {
        let promised = facet_count(&plain.html, href);
        let filtered = browser.get(&href.replace("&amp;", "&")).await;
        assert_eq!(filtered.status, 200, "{href}");
        assert!(
            filtered
                .html
                .contains(&format!("<strong>{promised}</strong> resulta")),
            "{href} finds the {promised} it counts"
        );
        assert!(filtered.html.contains("<summary>Filters (1)</summary>"), "{href}");
        assert!(
            filtered
                .html
                .contains("<a href=\"/vacatures?q=magazijn\" aria-current=\"true\">"),
            "{href}: the value in use is marked, and its link removes it"
        );
    }

    let near = browser
        .get("/vacatures?q=magazijn&wijk=WK051829&radius_km=5")
        .await;
    assert!(
        near.html.contains("<summary>Filters (1)</summary>"),
        "the place is one filter"
    );
    let by_distance = links_to(
        &near.html,
        "/vacatures?q=magazijn&amp;wijk=WK051829&amp;radius_km=5&amp;sort=distance\"",
    );
    assert_eq!(by_distance.len(), 1, "distance is offered from a place");
    let sorted = browser
        .get("/vacatures?q=magazijn&wijk=WK051829&radius_km=5&sort=distance")
        .await;
    assert!(sorted.html.contains("<span aria-current=\"true\">Afstand</span>"));
    assert!(
        sorted.html.contains("name=\"sort\" value=\"distance\""),
        "the form keeps the order"
    );
    let cleared = browser.get("/vacatures?q=magazijn&wijk=&sort=distance").await;
    assert_eq!(
        cleared.status, 200,
        "a place cleared in the form leaves the usual order"
    );

    let wrong = browser.get("/vacatures?postcode=9999").await;
    assert!(
        wrong.html.contains("<details class=\"bl-filter-panel\" open>"),
        "open when a filter needs fixing"
    );
}

#[tokio::test]
async fn unknown_pages_are_styled_and_the_api_stays_json() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app);
    let missing = browser.get("/vacatures/vac-bestaat-niet").await;
    assert_eq!(missing.status, 404);
    assert!(missing.html.contains("Pagina niet gevonden"));
    assert!(missing.html.contains("/static/banenlift.css"));
    let nowhere = browser.get("/nergens").await;
    assert_eq!(nowhere.status, 404);
    let (status, body) = app.get("/api/v1/nergens").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let css = browser.get("/static/banenlift.css").await;
    assert_eq!(css.status, 200);
    assert!(css.html.contains(".bl-skip-link"));
    assert!(
        !css.html.contains("http://") && !css.html.contains("https://"),
        "nothing from a CDN"
    );
}

#[tokio::test]
async fn login_opens_a_safe_session_and_logout_ends_it() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "coach", None, "coach.sanne").await;
    let browser = Browser::new(&app);
    let form = browser.get("/inloggen").await;
    let csrf = csrf_of(&form.html);
    let done = browser
        .post(
            "/inloggen",
            &[("login", "Coach.Sanne"), ("password", &password), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "login names ignore case");
    let cookie = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("bl_sessie="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains(&login), "the cookie is a random id");
    let signed_in = browser.get("/vacatures").await;
    assert!(signed_in.html.contains("Uitloggen"));
    assert!(
        signed_in.html.contains("href=\"/coach\""),
        "the coach's own page is in the menu"
    );

    let csrf = csrf_of(&signed_in.html);
    let out = browser.post("/uitloggen", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = browser.get("/vacatures").await;
    assert!(after.html.contains("href=\"/inloggen\""), "signed out");
    let session_id = cookie.trim_start_matches("bl_sessie=").split(';').next().unwrap();
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/vacatures", app.base))
        .header("Cookie", format!("bl_sessie={session_id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        replay.contains("href=\"/inloggen\""),
        "the old session id opens nothing"
    );
}

#[tokio::test]
async fn csrf_attempts_on_forms_are_refused() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "employer", Some(crate::helpers::EMPLOYER), "werkgever.ali").await;
    let browser = Browser::new(&app);
    browser.log_in(&login, &password, "/werkgever").await;

    // A forged logout from another site has no token, or a guessed one.
    for forged in [vec![], vec![("csrf", "0".repeat(64))]] {
        let form: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = browser.post("/uitloggen", &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{form:?}");
        assert!(refused.html.contains("Formulier verlopen"));
    }
    let still = browser.get("/vacatures").await;
    assert!(
        still.html.contains("Uitloggen"),
        "the forged posts changed nothing"
    );

    // Login CSRF: a form posted from elsewhere lacks our double-submit cookie.
    let stranger = Browser::new(&app);
    let forged = stranger
        .post(
            "/inloggen",
            &[("login", &login), ("password", &password), ("csrf", "abc")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.set_cookies.iter().all(|c| !c.starts_with("bl_sessie=")));
}

#[tokio::test]
async fn failed_logins_are_limited_per_account_and_per_address() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "coach", None, "coach.limiet").await;
    let browser = Browser::new(&app);
    let csrf = csrf_of(&browser.get("/inloggen").await.html);
    let attempt = |password: String| {
        let (browser, login, csrf) = (&browser, login.clone(), csrf.clone());
        async move {
            browser
                .post(
                    "/inloggen",
                    &[("login", &login), ("password", &password), ("csrf", &csrf)],
                )
                .await
        }
    };
    for n in 0..banenlift::auth::login::MAX_FAILURES_PER_ACCOUNT {
        let wrong = attempt(format!("verkeerd-{n}")).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "attempt {n}");
        assert!(wrong.html.contains("kennen we niet"));
    }
    let blocked = attempt(password.clone()).await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(blocked.html.contains("Wacht 15 minuten"));

    // Another account from the same address still gets in, until the
    // address itself has failed too often.
    let (other, other_password) = web_user(&app, "coach", None, "coach.ander").await;
    let other_browser = Browser::new(&app);
    other_browser.log_in(&other, &other_password, "/coach").await;
    let spent = banenlift::auth::login::MAX_FAILURES_PER_ACCOUNT;
    for n in spent..banenlift::auth::login::MAX_FAILURES_PER_ADDRESS {
        let unknown = browser
            .post(
                "/inloggen",
                &[
                    ("login", &format!("onbekend{n}")),
                    ("password", "x"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let third_browser = Browser::new(&app);
    let csrf = csrf_of(&third_browser.get("/inloggen").await.html);
    let from_same_address = third_browser
        .post(
            "/inloggen",
            &[("login", &other), ("password", &other_password), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(from_same_address.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The resident id behind a signed-in jobseeker's profile page.
async fn own_resident_id(app: &TestApp, login: &str) -> String {
    let users = database::column(&app.db.url, "SELECT id FROM users WHERE login = ?", &[login]).await;
    database::column(
        &app.db.url,
        "SELECT id FROM residents WHERE user_id = ?",
        &[&users[0]],
    )
    .await
    .remove(0)
}

#[tokio::test]
async fn a_jobseeker_makes_a_profile_picks_a_suggested_skill_and_sees_matches() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "jobseeker", None, "fatima").await;
    let browser = Browser::new(&app);
    let empty = browser.log_in(&login, &password, "/profiel").await;
    assert!(empty.html.contains("Maak je profiel"));
    let csrf = csrf_of(&empty.html);
    let missing = browser.post("/profiel", &[("csrf", &csrf), ("name", "")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.html.contains("href=\"#veld-name\""),
        "the summary links to the name field"
    );
    let created = browser
        .post(
            "/profiel",
            &[
                ("csrf", &csrf),
                ("name", "Fatima"),
                ("wijk", "WK051829"),
                ("education", "mbo2"),
                ("dutch_level", "B1"),
                ("travel_mode", "fiets"),
                ("max_travel_minutes", "30"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);

    let choose = browser
        .post(
            "/profiel/vaardigheden",
            &[("csrf", &csrf), ("skill", "heftruckrijen")],
        )
        .await;
    assert_eq!(choose.status, 200);
    assert!(choose.html.contains("Bedoelde je een van deze?"));
    assert!(
        choose.html.contains(">Heftruck rijden</button>"),
        "the suggestion is offered"
    );
    let picked = browser
        .post(
            "/profiel/vaardigheden",
            &[("csrf", &csrf), ("skill", "Heftruck rijden"), ("exact", "true")],
        )
        .await;
    assert_eq!(picked.status, StatusCode::SEE_OTHER);
    let profile = browser.get("/profiel").await;
    assert!(
        profile
            .html
            .contains("<span class=\"bl-tag\">Heftruck rijden</span>")
    );
    assert!(
        profile.html.contains("bl-tag bl-tag--match\">✓ Heftruck rijden"),
        "matches use the skill"
    );
    assert!(
        profile.html.contains("class=\"bl-reasons\""),
        "matches come with reasons"
    );
    let (first, more) = profile
        .html
        .split_once("<details class=\"bl-more\">")
        .expect("more than five matches, the rest behind a disclosure");
    let cards = first.matches("<li class=\"bl-card\">").count();
    assert_eq!(cards, 5, "five compact cards first");
    assert!(more.contains("<summary>Meer banen (5)</summary>"), "{more}");
    assert_eq!(
        first.matches("<details class=\"bl-why\">").count(),
        cards,
        "each card explains itself behind Waarom?"
    );

    let resident = own_resident_id(&app, &login).await;
    let (_, api) = app
        .get_with(
            &format!("/api/v1/residents/{resident}"),
            &app.token("admin", None).await,
        )
        .await;
    assert_eq!(api["code"], "forbidden", "admins still read no profiles");
    let download = browser.get("/profiel/gegevens").await;
    let export: Value = serde_json::from_str(&download.html).expect("a JSON download");
    assert_eq!(export["profile"]["resident"]["skills"][0], "Heftruck rijden");
    let readable = browser.get("/profiel/gegevens/overzicht").await;
    assert_eq!(readable.status, 200);
    for shown in [
        "<h1>Al mijn gegevens</h1>",
        "<dd>Fatima</dd>",
        "Heftruck rijden",
        "Toestemming voor werkgevers",
        "Wie bekeek je gegevens",
        "Banen die we je lieten zien",
    ] {
        assert!(readable.html.contains(shown), "{shown} on the printable page");
    }
    assert!(
        profile.html.contains("href=\"/profiel/gegevens/overzicht\""),
        "linked next to the download"
    );
    let erased = browser
        .post("/profiel/verwijderen", &[("csrf", &csrf), ("confirm", "true")])
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER);
    let told = browser
        .get(erased.location.as_deref().expect("to the start page"))
        .await;
    assert!(told.html.contains("Je profiel en je account zijn verwijderd"));
    let after = Browser::new(&app);
    let form = after.get("/inloggen").await;
    let refused = after
        .post(
            "/inloggen",
            &[
                ("login", &login),
                ("password", &password),
                ("csrf", &csrf_of(&form.html)),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "the account went with the profile"
    );
}

#[tokio::test]
async fn a_coach_opens_a_client_and_records_an_application() {
    let app = TestApp::spawn().await;
    let coach_id = "usr-coach-01";
    banenlift::auth::login::set_password(&app.state.store, coach_id, "sanne", "sanne-wachtwoord-lang")
        .await
        .unwrap();
    let browser = Browser::new(&app);
    let caseload = browser.log_in("sanne", "sanne-wachtwoord-lang", "/coach").await;
    assert_eq!(caseload.status, 200);
    let clients: Vec<&str> = links_to(&caseload.html, "/coach/klanten/")
        .into_iter()
        .filter(|link| *link != "/coach/klanten/nieuw")
        .collect();
    assert!(!clients.is_empty(), "the demo coach has clients");
    let client = browser.get(clients[0]).await;
    assert_eq!(client.status, 200);
    let action = links_to(&client.html, "/vacatures/vac-");
    assert!(!action.is_empty(), "the client has matches");
    let vacancy = action[0].trim_start_matches("/vacatures/");
    let csrf = csrf_of(&client.html);
    let recorded = browser
        .post(
            &format!("{}/uitkomst", clients[0]),
            &[
                ("csrf", &csrf),
                ("vacancy_id", vacancy),
                ("status", "gesolliciteerd"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.html);
    let after = browser.get(clients[0]).await;
    assert!(after.html.contains("<strong>gesolliciteerd</strong>"));
    let resident = clients[0].trim_start_matches("/coach/klanten/");
    let outcomes = database::count(
        &app.db.url,
        "SELECT COUNT(*) FROM outcomes WHERE resident_id = ? AND vacancy_id = ?",
        &[resident, vacancy],
    )
    .await;
    assert_eq!(outcomes, 1);

    let others = browser.get("/coach?q=zzzzzz").await;
    assert!(
        others.html.contains("<strong>0</strong> klanten"),
        "the name filter filters"
    );
    let candidates = browser
        .get(&format!("/coach/vacatures/{vacancy}/kandidaten"))
        .await;
    assert_eq!(candidates.status, 200);
    assert!(
        !candidates.html.contains("Vraag contact aan"),
        "coaches see their own clients, no contact form"
    );
    assert_eq!(browser.get("/werkgever").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_employer_posts_a_vacancy_that_search_finds_and_asks_a_candidate_for_contact() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "employer", Some(crate::helpers::EMPLOYER), "werkgever.ina").await;
    let browser = Browser::new(&app);
    let overview = browser.log_in(&login, &password, "/werkgever").await;
    let csrf = csrf_of(&overview.html);
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("title", "Orderpicker Zeldzaamhaven"),
        (
            "description",
            "Je pakt bestellingen in ons magazijn in de Schilderswijk.",
        ),
        ("sector", "logistiek"),
        ("contract", "tijdelijk"),
        ("hours_min", "24"),
        ("hours_max", "36"),
        ("education", "geen"),
        ("dutch_level", "A2"),
        ("salary_min", "14,50"),
        ("salary_period", "uur"),
        ("wijk", "WK051829"),
        ("skills_required", "heftruckrijen"),
        ("apply_phone", "070 000 0000"),
    ];
    let refused = browser.post("/werkgever/vacatures", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("Heftruck rijden?"),
        "the unknown skill comes back with a suggestion"
    );
    assert!(
        refused.html.contains("Orderpicker Zeldzaamhaven"),
        "nothing typed is lost"
    );
    form.retain(|(k, _)| *k != "skills_required");
    form.push(("skills_required", "Heftruck rijden\nOrderpicken"));
    let posted = browser.post("/werkgever/vacatures", &form).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    let location = posted.location.expect("to the new vacancy");
    let detail = location.trim_end_matches("?geplaatst=ja").to_string();
    assert_ne!(detail, location, "with word that it was posted");
    assert!(browser.get(&location).await.html.contains("Vacature geplaatst."));
    let found = Browser::new(&app).get("/vacatures?q=zeldzaamhaven").await;
    assert!(
        found.html.contains(&format!("href=\"{detail}?terug=")),
        "the public search finds it at once"
    );
    let id = detail.trim_start_matches("/vacatures/");
    let close = format!("/werkgever/vacatures/{id}/sluiten");
    assert!(
        browser.get(&close).await.html.contains("Ja, sluit de vacature"),
        "asks first"
    );
    let (rival, rival_password) = web_user(
        &app,
        "employer",
        Some(crate::helpers::OTHER_EMPLOYER),
        "werkgever.rivaal",
    )
    .await;
    let other = Browser::new(&app);
    other.log_in(&rival, &rival_password, "/werkgever").await;
    assert_eq!(
        other.get(&close).await.status,
        404,
        "not another employer's to close"
    );
    let closed = browser.post(&close, &[("csrf", &csrf)]).await;
    assert_eq!(
        closed.location.as_deref(),
        Some(format!("/werkgever?gesloten={id}").as_str())
    );
    let overview = browser.get(closed.location.as_deref().unwrap()).await.html;
    assert!(overview.contains("Vacature gesloten: ") && overview.contains("Ongedaan maken"));
    assert!(
        !Browser::new(&app)
            .get("/vacatures?q=zeldzaamhaven")
            .await
            .html
            .contains(&detail)
    );
    let undone = browser
        .post(
            &format!("/werkgever/vacatures/{id}/heropenen"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER);
    assert!(
        Browser::new(&app)
            .get("/vacatures?q=zeldzaamhaven")
            .await
            .html
            .contains(&detail),
        "open and found again after the undo"
    );

    let jobseeker = app.token("jobseeker", None).await;
    let mut body = crate::residents::resident_body("Layla Zeldzaam");
    body["skills"] = serde_json::json!(["Heftruck rijden", "Orderpicken"]);
    let resident = app.create_resident(&jobseeker, &body).await;
    let resident_id = resident["id"].as_str().unwrap();
    let vacancy = detail.trim_start_matches("/vacatures/");
    let candidates = browser
        .get(&format!("/werkgever/vacatures/{vacancy}/kandidaten"))
        .await;
    assert!(
        candidates
            .html
            .contains("<h2 class=\"bl-card__title\">Layla</h2>"),
        "first name only"
    );
    assert!(!candidates.html.contains("Zeldzaam</h2>"));
    let asked = browser
        .post(
            &format!("/werkgever/vacatures/{vacancy}/kandidaten/{resident_id}/contact"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let (_, inbox) = app
        .get_with(
            &format!("/api/v1/residents/{resident_id}/contact-requests"),
            &jobseeker,
        )
        .await;
    assert_eq!(inbox[0]["status"], "open");
    assert_eq!(inbox[0]["vacancy_title"], "Orderpicker Zeldzaamhaven");

    let other = Browser::new(&app);
    let (other_login, other_password) = web_user(
        &app,
        "employer",
        Some(crate::helpers::OTHER_EMPLOYER),
        "werkgever.ander",
    )
    .await;
    other.log_in(&other_login, &other_password, "/werkgever").await;
    assert_eq!(
        other
            .get(&format!("/werkgever/vacatures/{vacancy}/bewerken"))
            .await
            .status,
        404
    );
    assert_eq!(
        other
            .get(&format!("/werkgever/vacatures/{vacancy}/kandidaten"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn role_pages_need_the_right_role() {
    let app = TestApp::spawn().await;
    let anonymous = Browser::new(&app);
    for path in ["/profiel", "/coach", "/werkgever", "/werkgever/vacatures/nieuw"] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location.as_deref(), Some("/inloggen"), "{path}");
    }
    let (login, password) = web_user(&app, "analyst", None, "analist.ed").await;
    let analyst = Browser::new(&app);
    analyst.log_in(&login, &password, "/lift").await;
    for path in ["/profiel", "/coach", "/werkgever"] {
        assert_eq!(analyst.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn a_coach_records_a_training_step_the_lift_report_counts() {
    let app = TestApp::spawn().await;
    banenlift::auth::login::set_password(&app.state.store, "usr-coach-01", "sanne", "sanne-wachtwoord-lang")
        .await
        .unwrap();
    let browser = Browser::new(&app);
    let caseload = browser.log_in("sanne", "sanne-wachtwoord-lang", "/coach").await;
    let mut with_routes = None;
    for client in links_to(&caseload.html, "/coach/klanten/") {
        let page = browser.get(client).await;
        if page.html.contains(&format!("action=\"{client}/opleiding\"")) {
            with_routes = Some((client.to_string(), page));
            break;
        }
    }
    let (client, page) = with_routes.expect("a demo client with proposed training");
    let select = page.html.find("name=\"training_id\"").expect("a training choice");
    let option = page.html[select..].find("option value=\"").unwrap() + select + 14;
    let training: String = page.html[option..].chars().take_while(|c| *c != '"').collect();
    let form = [
        ("csrf", csrf_of(&page.html)),
        ("training_id", training.clone()),
        ("status", "gestart".into()),
    ];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let recorded = browser.post(&format!("{client}/opleiding"), &pairs).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.html);
    assert!(
        browser
            .get(&client)
            .await
            .html
            .contains("<strong>gestart</strong>")
    );
    let forged = browser
        .post(
            &format!("{client}/opleiding"),
            &[("training_id", &training), ("status", "afgerond")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token, no record");
    let resident = client.trim_start_matches("/coach/klanten/");
    let rows = database::column(
        &app.db.url,
        "SELECT status FROM training_outcomes WHERE resident_id = ?",
        &[resident],
    )
    .await;
    assert_eq!(rows, ["gestart"]);
}
