//! Each user group's main job in headless Chromium, driven over WebDriver
//! (chromedriver), with axe-core checking WCAG 2.1 A/AA on every page the
//! flows reach. Screenshots of each flow's end state go to
//! `target/browser-screenshots/`. `.ci/run` installs chromium,
//! chromium-driver and axe-core; without them these tests fail, loudly.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{EMPLOYER, TestApp};
use crate::web::web_user;

/// chromedriver in its own process group, killed with the browsers it
/// started when the test ends however it ends (a failed test never closes
/// its session, and Chromium would outlive chromedriver).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn browser() -> (Driver, Client) {
    let binary = std::env::var("BANENLIFT_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start '{binary}' ({e}): install Debian's chromium and chromium-driver (.ci/run does)"
            )
        });
    let driver = Driver(child);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=nl"]}),
    );
    for _ in 0..100 {
        let connected = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        if let Ok(client) = connected {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver on port {port} did not accept a session");
}

fn axe_source() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run `npm ci --prefix tests/browser` (.ci/run does)",
            path.display()
        )
    })
}

/// Serious or critical WCAG 2.1 A/AA violations on the current page.
async fn accessibility_violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.expect("axe-core loads");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));
    "#;
    let found = client.execute_async(script, vec![]).await.expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}

struct Flow<'a> {
    client: &'a Client,
    app: &'a TestApp,
    axe: &'a str,
    checked: Vec<String>,
}

impl Flow<'_> {
    async fn open(&mut self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.app.base))
            .await
            .expect("page opens");
        self.check().await;
    }

    /// Checks the page now shown, once per path.
    async fn check(&mut self) {
        let url = self.client.current_url().await.expect("url");
        let path = url.path().to_string();
        if self.checked.contains(&path) {
            return;
        }
        self.assert_accessible(&path).await;
        self.checked.push(path);
    }

    /// Checks the page as it is now, also one already checked in another
    /// state (`what` says which).
    async fn assert_accessible(&self, what: &str) {
        let violations = accessibility_violations(self.client, self.axe).await;
        assert!(
            violations.is_empty(),
            "accessibility violations on {what}:\n{}",
            violations.join("\n")
        );
    }

    async fn script(&self, source: &str) -> Value {
        self.client
            .execute(source, vec![])
            .await
            .unwrap_or_else(|e| panic!("{source}: {e}"))
    }

    /// The element, waiting a little for a page that is still loading.
    async fn find(&self, locator: Locator<'_>) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("element {locator:?}: {e}"))
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = self.find(Locator::Id(id)).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("typing");
    }

    async fn choose(&self, id: &str, value: &str) {
        let select = self.find(Locator::Id(id)).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|_| panic!("option {value} of #{id}"));
    }

    /// Clicks a link or button that leads to a page, and waits until that
    /// page has replaced this one: WebDriver may answer the click before a
    /// form's navigation has begun, most often on a busy machine.
    async fn click(&mut self, css: &str) {
        let old_page = self.find(Locator::Css("html")).await;
        let element = self.find(Locator::Css(css)).await;
        element.click().await.unwrap_or_else(|_| panic!("click {css}"));
        self.wait_for_new_page(old_page, css).await;
    }

    /// Waits until `old_page` is gone (its element is stale), then checks
    /// the page that replaced it.
    async fn wait_for_new_page(&mut self, old_page: fantoccini::elements::Element, after: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while old_page.tag_name().await.is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "{after}: no new page within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.find(Locator::Css("body")).await;
        self.check().await;
    }

    async fn text(&self, css: &str) -> String {
        self.find(Locator::Css(css)).await.text().await.expect("text")
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot saved");
    }

    async fn log_in(&mut self, login: &str, password: &str) {
        self.open("/inloggen").await;
        self.type_into("veld-login", login).await;
        self.type_into("veld-password", password).await;
        self.click("form.bl-form button[type=submit]").await;
    }

    async fn log_out(&mut self) {
        self.click("form[action='/uitloggen'] button").await;
    }
}

#[tokio::test]
async fn every_user_group_does_its_main_job_in_a_real_browser() {
    let app = TestApp::spawn().await;
    let (_driver, client) = browser().await;
    let axe = axe_source();
    let mut flow = Flow {
        client: &client,
        app: &app,
        axe: &axe,
        checked: Vec::new(),
    };
    anonymous_search(&mut flow).await;
    jobseeker_adds_a_skill(&mut flow).await;
    coach_records_an_application(&mut flow).await;
    let vacancy = employer_posts_a_vacancy(&mut flow).await;
    jobseeker_applies_on_a_phone(&mut flow, &vacancy).await;
    employer_reaches_a_candidate_who_accepted(&mut flow, &vacancy).await;
    analyst_reads_the_lift_report(&mut flow).await;
    integrator_reads_the_api_reference(&mut flow).await;
    phone_shows_results_first(&mut flow).await;
    the_accessibility_check_can_fail(&flow).await;
    client.close().await.expect("browser closes");
}

/// Keyboard only: skip link first, then type and press Enter.
async fn anonymous_search(flow: &mut Flow<'_>) {
    flow.open("/").await;
    let body = flow.find(Locator::Css("body")).await;
    body.send_keys(&Key::Tab.to_string()).await.unwrap();
    let focused = flow
        .client
        .execute("return document.activeElement.className", vec![])
        .await
        .unwrap();
    assert_eq!(
        focused,
        json!("bl-skip-link"),
        "the first Tab reaches the skip link"
    );
    flow.type_into("veld-q", "magazijn").await;
    flow.choose("veld-wijk", "WK051829").await;
    flow.choose("veld-radius_km", "5").await;
    let old_page = flow.find(Locator::Css("html")).await;
    let query = flow.find(Locator::Id("veld-q")).await;
    query.send_keys(&Key::Enter.to_string()).await.unwrap();
    flow.wait_for_new_page(old_page, "Enter in the search field")
        .await;
    let url = flow.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/vacatures");
    assert!(url.query().unwrap_or_default().contains("wijk=WK051829"));
    let summary = flow.text(".bl-results__summary").await;
    assert!(
        !summary.starts_with('0'),
        "results near Schildersbuurt: {summary}"
    );
    flow.screenshot("1-zoeken-resultaten").await;
    flow.click("ol.bl-result-list li:first-child h2 a").await;
    assert!(
        flow.client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/vacatures/vac-")
    );
    assert!(flow.text("#solliciteren").await.contains("Solliciteren"));
    flow.screenshot("1-zoeken-vacature-detail").await;
}

async fn jobseeker_adds_a_skill(flow: &mut Flow<'_>) {
    let (login, password) = web_user(flow.app, "jobseeker", None, "browser.fatima").await;
    flow.log_in(&login, &password).await;
    assert!(flow.text("h1").await.contains("Maak je profiel"));
    flow.type_into("veld-name", "Fatima").await;
    flow.choose("veld-wijk", FATIMAS_WIJK).await;
    flow.choose("veld-education", "mbo2").await;
    flow.choose("veld-dutch_level", "A2").await;
    flow.choose("veld-travel_mode", "fiets").await;
    flow.choose("veld-max_travel_minutes", "30").await;
    flow.click("form.bl-form button[type=submit]").await;
    assert_eq!(flow.text("h1").await, "Mijn profiel");
    flow.type_into("veld-skill", "heftruckrijen").await;
    flow.click("form[action='/profiel/vaardigheden#vaardigheden'] button.bl-button--primary")
        .await;
    assert!(flow.text("main").await.contains("Bedoelde je een van deze?"));
    let suggestion = flow
        .find(Locator::XPath(
            "//button[@class='bl-suggestion' and text()='Heftruck rijden']",
        ))
        .await;
    let old_page = flow.find(Locator::Css("html")).await;
    suggestion.click().await.unwrap();
    flow.wait_for_new_page(old_page, "the suggestion").await;
    flow.find(Locator::Css("#matches li:first-child details.bl-why summary"))
        .await
        .click()
        .await
        .unwrap();
    let matches = flow.text("#matches").await;
    assert!(
        matches.contains("✓ Heftruck rijden"),
        "matches use the picked skill"
    );
    let reasons = flow
        .client
        .find_all(Locator::Css("#matches .bl-reasons li"))
        .await
        .unwrap();
    assert!(!reasons.is_empty(), "matches come with reasons");
    flow.screenshot("2-werkzoekende-matches").await;
    flow.open("/profiel/gegevens/overzicht").await;
    assert_eq!(flow.text("h1").await, "Al mijn gegevens");
    assert!(flow.text("main").await.contains("Heftruck rijden"));
    flow.check().await;
    flow.screenshot("2-mijn-gegevens").await;
    flow.log_out().await;
}

async fn coach_records_an_application(flow: &mut Flow<'_>) {
    banenlift::auth::login::set_password(
        &flow.app.state.store,
        "usr-coach-01",
        "browser.sanne",
        "sanne-wachtwoord-lang",
    )
    .await
    .unwrap();
    flow.log_in("browser.sanne", "sanne-wachtwoord-lang").await;
    assert_eq!(flow.client.current_url().await.unwrap().path(), "/coach");
    flow.client
        .set_window_size(PHONE_SIZE.0, PHONE_SIZE.1)
        .await
        .unwrap();
    flow.check().await;
    flow.screenshot("3-telefoon-klanten").await;
    let fits = flow
        .client
        .execute(
            "const page = document.documentElement; return page.scrollWidth <= page.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        fits,
        json!(true),
        "the wide caseload table scrolls inside its frame, not the page"
    );
    flow.click("a.bl-sort[href='/coach?sorteer=verzoeken']").await;
    let sorted = flow
        .find(Locator::Css("th[aria-sort='descending']"))
        .await
        .text()
        .await
        .unwrap();
    assert!(sorted.contains("Open verzoeken"), "{sorted}");
    flow.client.set_window_size(1280, 900).await.unwrap();
    flow.click("a[href='/coach/klanten/nieuw']").await;
    flow.type_into("veld-name", "Bram").await;
    flow.choose("veld-wijk", FATIMAS_WIJK).await;
    flow.type_into("veld-hours_min", "24").await;
    flow.type_into("veld-hours_max", "38").await;
    flow.choose("veld-travel_mode", "fiets").await;
    flow.choose("veld-max_travel_minutes", "30").await;
    flow.choose("veld-education", "geen").await;
    flow.choose("veld-dutch_level", "A2").await;
    flow.click("form.bl-form button[type=submit]").await;
    assert_eq!(flow.text("h1").await, "Bram", "the new client's page");
    flow.type_into("veld-skill", "heftruk").await;
    flow.click("form[action$='/vaardigheden#vaardigheden'] button.bl-button--primary")
        .await;
    assert!(
        flow.text("#vaardigheden")
            .await
            .contains("is bewaard als Heftruck rijden"),
        "the rename is said"
    );
    flow.check().await;
    flow.screenshot("3-coach-klant").await;
    let first_match = "#matches ol li:first-child";
    let select = flow
        .find(Locator::Css(&format!("{first_match} select[name=status]")))
        .await;
    select.select_by_value("gesolliciteerd").await.unwrap();
    flow.click(&format!("{first_match} form button")).await;
    assert!(flow.text("#uitkomsten").await.contains("gesolliciteerd"));
    flow.screenshot("3-coach-sollicitatie-vastgelegd").await;
    flow.log_out().await;
}

/// Posts a vacancy in Fatima's wijk that asks for her skill; returns its id.
async fn employer_posts_a_vacancy(flow: &mut Flow<'_>) -> String {
    let (login, password) = web_user(flow.app, "employer", Some(EMPLOYER), "browser.werkgever").await;
    flow.log_in(&login, &password).await;
    flow.click("a[href='/werkgever/vacatures/nieuw']").await;
    for (id, text) in [
        ("veld-title", "Magazijnmedewerker Browserhaven"),
        (
            "veld-description",
            "Je pakt bestellingen in en rijdt op de heftruck.",
        ),
        ("veld-hours_min", "24"),
        ("veld-hours_max", "36"),
        ("veld-skills_required", "Heftruck rijden"),
        ("veld-apply_phone", "070 000 0000"),
    ] {
        flow.type_into(id, text).await;
    }
    for (id, value) in [
        ("veld-sector", "logistiek"),
        ("veld-contract", "vast"),
        ("veld-education", "geen"),
        ("veld-dutch_level", "A2"),
        ("veld-wijk", FATIMAS_WIJK),
    ] {
        flow.choose(id, value).await;
    }
    flow.click("form.bl-form button[type=submit]").await;
    let url = flow.client.current_url().await.unwrap();
    assert!(
        url.path().starts_with("/vacatures/vac-"),
        "to the new vacancy: {url}"
    );
    let id = url.path().trim_start_matches("/vacatures/").to_string();
    flow.log_out().await;
    flow.open("/vacatures?q=browserhaven").await;
    let link = format!("ol.bl-result-list a[href^='/vacatures/{id}?']");
    // Waits up to 10 s: the new vacancy must be in the public search.
    flow.find(Locator::Css(&link)).await;
    flow.screenshot("4-werkgever-vacature-gevonden").await;
    id
}

const FATIMA: (&str, &str) = ("browser.fatima", "browser.fatima-wachtwoord-lang");
const FATIMAS_WIJK: &str = "WK051830";
const PHONE_SIZE: (u32, u32) = (390, 844);

/// On a phone: the vacancy's page offers each way to apply, and "ik heb
/// gesolliciteerd" is saved; then Fatima lets employers find her.
async fn jobseeker_applies_on_a_phone(flow: &mut Flow<'_>, vacancy: &str) {
    flow.client
        .set_window_size(PHONE_SIZE.0, PHONE_SIZE.1)
        .await
        .unwrap();
    flow.log_in(FATIMA.0, FATIMA.1).await;
    flow.open(&format!("/vacatures/{vacancy}")).await;
    let tel = flow
        .find(Locator::Css("#solliciteren a[href^='tel:']"))
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(tel.as_deref(), Some("tel:0700000000"));
    flow.find(Locator::Css("#solliciteren a.bl-button--primary"))
        .await;
    flow.screenshot("7-telefoon-solliciteren").await;
    flow.click("#solliciteren form button").await;
    assert!(flow.text("main").await.contains("u hebt gesolliciteerd"));
    flow.screenshot("7-telefoon-gesolliciteerd").await;
    flow.open("/profiel").await;
    let fill_in = "#matches a[href='/profiel/bewerken#veld-hours_min']";
    flow.click(fill_in).await;
    flow.type_into("veld-hours_min", "30").await;
    flow.type_into("veld-hours_max", "20").await;
    flow.click("form.bl-form button[type=submit]").await;
    let focused = flow
        .client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(
        focused,
        json!("foutmeldingen"),
        "focus moves to the error summary"
    );
    assert!(
        flow.text("#foutmeldingen")
            .await
            .contains("hoger dan het maximum")
    );
    flow.type_into("veld-hours_min", "24").await;
    flow.type_into("veld-hours_max", "36").await;
    flow.screenshot("7-telefoon-uren-invullen").await;
    flow.click("form.bl-form button[type=submit]").await;
    assert_eq!(flow.client.current_url().await.unwrap().path(), "/profiel");
    assert!(
        flow.client
            .find_all(Locator::Css(fill_in))
            .await
            .unwrap()
            .is_empty(),
        "the hours are known now"
    );
    flow.click("form[action='/profiel/toestemming'] button").await;
    assert!(flow.text("#toestemming").await.contains("Nu: ja"));
    flow.log_out().await;
    flow.client.set_window_size(1280, 900).await.unwrap();
}

/// The employer asks; Fatima accepts on her phone with her number; the
/// employer then sees the number to call.
async fn employer_reaches_a_candidate_who_accepted(flow: &mut Flow<'_>, vacancy: &str) {
    let users = crate::database::column(
        &flow.app.db.url,
        "SELECT id FROM users WHERE login = ?",
        &[FATIMA.0],
    )
    .await;
    let fatima = crate::database::column(
        &flow.app.db.url,
        "SELECT id FROM residents WHERE user_id = ?",
        &[&users[0]],
    )
    .await
    .remove(0);
    let employer = ("browser.werkgever", "browser.werkgever-wachtwoord-lang");
    let candidates = format!("/werkgever/vacatures/{vacancy}/kandidaten");
    flow.log_in(employer.0, employer.1).await;
    flow.open(&candidates).await;
    flow.click(&format!("form[action$='/kandidaten/{fatima}/contact'] button"))
        .await;
    flow.log_out().await;

    flow.client
        .set_window_size(PHONE_SIZE.0, PHONE_SIZE.1)
        .await
        .unwrap();
    flow.log_in(FATIMA.0, FATIMA.1).await;
    flow.click("#contact a.bl-button").await;
    assert!(flow.text("main").await.contains("Verder niets"));
    flow.find(Locator::Id("veld-reach_by-telefoon"))
        .await
        .click()
        .await
        .unwrap();
    flow.type_into("veld-phone", "06 1234 5678").await;
    flow.screenshot("8-telefoon-contact-accepteren").await;
    flow.click("form.bl-form button.bl-button--primary").await;
    assert!(flow.text("#contact").await.contains("06 1234 5678"));
    flow.log_out().await;
    flow.client.set_window_size(1280, 900).await.unwrap();

    flow.log_in(employer.0, employer.1).await;
    flow.open(&candidates).await;
    let call = flow
        .find(Locator::Css(".bl-contact-shared a[href='tel:0612345678']"))
        .await;
    assert_eq!(call.text().await.unwrap(), "06 1234 5678");
    flow.screenshot("8-werkgever-ziet-telefoonnummer").await;
    flow.log_out().await;
}

/// The map, the ranking and a wijk's trends; then the map by another figure.
async fn analyst_reads_the_lift_report(flow: &mut Flow<'_>) {
    let (login, password) = web_user(flow.app, "analyst", None, "browser.analist").await;
    flow.log_in(&login, &password).await;
    flow.find(Locator::Css("svg.lift-map")).await;
    flow.check().await;
    flow.screenshot("6-analist-liftrapport").await;
    flow.choose("veld-figure", "hired").await;
    flow.click("form.bl-filters button[type=submit]").await;
    let url = flow.client.current_url().await.unwrap();
    assert!(url.query().is_some_and(|q| q.contains("figure=hired")), "{url}");
    flow.click("table a.bl-sort[href*='sorteer=applied#']").await;
    let url = flow.client.current_url().await.unwrap();
    assert!(
        url.query().is_some_and(|q| q.contains("sorteer=applied")),
        "{url}"
    );
    flow.check().await;
    flow.screenshot("6-analist-tabel-gesorteerd").await;
    flow.click("table a[href='/lift/wijken/WK051836']").await;
    assert!(flow.text("h1").await.starts_with("Moerwijk"));
    flow.check().await;
    flow.screenshot("6-analist-wijk-trends").await;
    flow.log_out().await;
}

/// The API reference, from its contents to an operation, on a desktop and
/// on a phone (where each table row reads as a block), in both languages.
async fn integrator_reads_the_api_reference(flow: &mut Flow<'_>) {
    flow.open("/api/docs").await;
    flow.screenshot("9-api-documentatie").await;
    flow.find(Locator::Css("nav a[href='#post-vacancies']"))
        .await
        .click()
        .await
        .unwrap();
    let url = flow.client.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("post-vacancies"));
    assert!(flow.text("#post-vacancies").await.contains("/vacancies"));
    flow.client.set_window_size(390, 844).await.unwrap();
    no_horizontal_scroll(flow).await;
    flow.assert_accessible("/api/docs on a phone").await;
    flow.screenshot("9-api-documentatie-telefoon").await;
    flow.click("a.bl-lang").await;
    assert_eq!(flow.text("h1").await, "API reference");
    no_horizontal_scroll(flow).await;
    flow.assert_accessible("/api/docs in English on a phone").await;
    flow.screenshot("9-api-documentatie-telefoon-en").await;
    flow.click("a.bl-lang").await;
    assert_eq!(flow.text("h1").await, "API-documentatie");
    flow.client.set_window_size(1280, 900).await.unwrap();
}

/// On a 390 × 844 phone the results come before the filters, which open
/// from their summary without any script; a facet applies its filter.
async fn phone_shows_results_first(flow: &mut Flow<'_>) {
    flow.client.set_window_size(390, 844).await.unwrap();
    // A place adds a filter to remove and a sort to choose above the results.
    flow.open("/vacatures?q=magazijn&wijk=WK051829&radius_km=5").await;
    first_result_on_first_screen(flow).await;
    no_horizontal_scroll(flow).await;
    flow.assert_accessible("/vacatures on a phone").await;
    flow.screenshot("5-telefoon-zoeken").await;

    let scripts = "return document.querySelectorAll('script').length";
    assert_eq!(flow.script(scripts).await, json!(0), "the page needs no script");
    let wijk = flow.find(Locator::Id("veld-wijk")).await;
    assert!(!wijk.is_displayed().await.unwrap(), "the filters start closed");
    flow.find(Locator::Css("details.bl-filter-panel > summary"))
        .await
        .click()
        .await
        .unwrap();
    assert!(
        wijk.is_displayed().await.unwrap(),
        "the summary opens the filters"
    );
    no_horizontal_scroll(flow).await;
    flow.assert_accessible("/vacatures on a phone, filters open")
        .await;
    flow.screenshot("5-telefoon-filters-open").await;

    let facet = flow.find(Locator::Css(".bl-facets li a")).await;
    let promised = facet
        .find(Locator::Css(".bl-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = facet.attr("href").await.unwrap().unwrap();
    let param = href.rsplit('&').next().unwrap().to_string();
    flow.click(".bl-facets li a").await;
    let url = flow.client.current_url().await.unwrap();
    assert!(
        url.query().unwrap_or_default().contains(&param),
        "{url} applies {param}"
    );
    assert_eq!(flow.text(".bl-results__summary strong").await, promised);
    assert_eq!(
        flow.text("details.bl-filter-panel > summary").await,
        "Filters (2)"
    );
    flow.assert_accessible("/vacatures on a phone, a facet applied")
        .await;
    flow.screenshot("5-telefoon-filter-gekozen").await;
    flow.client.set_window_size(1280, 900).await.unwrap();
}

/// The title of the first result is on the screen before any scrolling.
async fn first_result_on_first_screen(flow: &Flow<'_>) {
    let screen = flow.script("return window.innerHeight").await.as_f64().unwrap();
    let first_title = flow
        .script(
            "const r = document.querySelector('.bl-result-list li h2').getBoundingClientRect();
             return r.bottom + window.scrollY",
        )
        .await
        .as_f64()
        .unwrap();
    assert!(
        first_title <= screen,
        "the first result's title on the first screen: {first_title} > {screen}"
    );
}

async fn no_horizontal_scroll(flow: &Flow<'_>) {
    let widths = flow
        .script("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await;
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(inner <= 400, "a phone-sized viewport: {inner}");
    assert!(scroll <= inner, "no horizontal scrolling: {scroll} > {inner}");
}

/// The check above is only worth something if it can fail: an input
/// without a label must be reported.
async fn the_accessibility_check_can_fail(flow: &Flow<'_>) {
    flow.client
        .execute(
            "document.querySelector('main').appendChild(document.createElement('input'));",
            vec![],
        )
        .await
        .unwrap();
    let violations = accessibility_violations(flow.client, flow.axe).await;
    assert!(
        violations.iter().any(|v| v.starts_with("label:")),
        "{violations:?}"
    );
}
