//! Feeds out: a consumer that keeps a copy of the vacancies from
//! `GET /api/v1/feeds/vacancies` and compares it with the database, and
//! the sitemap of open vacancies for search engines.

use std::collections::BTreeMap;

use banenlift::storage::{VacancyRow, now_unix};
use reqwest::Method;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LINK};
use serde_json::Value;

use crate::helpers::{EMPLOYER, TestApp, vacancy_body};

const FEED: &str = "/api/v1/feeds/vacancies";

/// What a consumer keeps of each vacancy: its status and JobPosting.
type Mirror = BTreeMap<String, (String, Value)>;

struct Sync {
    /// Where to go on from next time.
    next: String,
    pages: usize,
}

/// Follows the feed from `url` until it is caught up, storing each item
/// by id in page order, as the documentation tells a consumer to.
async fn sync(app: &TestApp, url: &str, copy: &mut Mirror) -> Sync {
    let mut url = url.to_string();
    let mut pages = 0;
    loop {
        let response = app.client.get(&url).send().await.expect("feed request");
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/ld+json");
        let link = response.headers()[LINK].to_str().expect("link").to_string();
        let page: Value = response.json().await.expect("feed page");
        pages += 1;
        assert_eq!(page["@type"], "DataFeed");
        let next = page["next"].as_str().expect("next").to_string();
        assert!(next.starts_with(&format!("{}{FEED}?cursor=", app.base)), "{next}");
        assert_eq!(link, format!("<{next}>; rel=\"next\""));
        for element in page["dataFeedElement"].as_array().expect("elements") {
            assert_eq!(element["@type"], "DataFeedItem");
            let id = element["id"].as_str().expect("id").to_string();
            assert_eq!(element["item"]["identifier"]["value"], id.as_str());
            let status = element["status"].as_str().expect("status").to_string();
            copy.insert(id, (status, element["item"].clone()));
        }
        if page["caught_up"] == true {
            return Sync { next, pages };
        }
        assert!(pages < 1000, "the feed never catches up");
        url = next;
    }
}

async fn post_vacancy(app: &TestApp, token: &str, title: &str, description: &str) -> Value {
    let body = vacancy_body(title, description);
    let (status, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(token), Some(&body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn close_vacancy(app: &TestApp, token: &str, id: &str) {
    let (status, _) = app
        .send(
            Method::DELETE,
            &format!("/api/v1/vacancies/{id}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

/// The copy holds every vacancy of the database, open or closed, as the
/// database has it now.
async fn assert_copy_matches_database(app: &TestApp, copy: &Mirror) {
    let rows: Vec<VacancyRow> = app
        .state
        .store
        .offers_after::<VacancyRow>("", 1_000_000)
        .await
        .expect("vacancies");
    assert_eq!(
        copy.keys().collect::<Vec<_>>(),
        rows.iter().map(|r| &r.id).collect::<Vec<_>>(),
        "the same vacancies"
    );
    for row in rows {
        let (status, posting) = &copy[&row.id];
        assert_eq!(status, &row.status, "{}: status", row.id);
        assert_eq!(posting["title"], row.title.as_str(), "{}: title", row.id);
        assert_eq!(
            posting["hiringOrganization"]["name"],
            row.organisation_name.as_str()
        );
        assert_eq!(posting["datePosted"], row.posted_on.as_str());
        if row.status == "closed" {
            let ends = posting["validThrough"].as_str().expect("a closed posting ends");
            let today = banenlift::dates::today().to_string();
            assert!(ends <= today.as_str(), "{}: ends {ends}", row.id);
        }
    }
}

/// A new consumer starting from a moment before every vacancy gets them all.
async fn assert_fresh_copy_is_whole(app: &TestApp, since: &str) {
    let mut copy = Mirror::new();
    sync(
        app,
        &format!("{}{FEED}?updated_since={since}", app.base),
        &mut copy,
    )
    .await;
    assert_copy_matches_database(app, &copy).await;
}

#[tokio::test]
async fn a_consumer_keeps_a_copy_in_sync_from_the_change_feed() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let mut copy = Mirror::new();
    let first = sync(&app, &format!("{}{FEED}?limit=7", app.base), &mut copy).await;
    assert!(first.pages > 1, "the demo data fills more than one page of 7");
    assert_copy_matches_database(&app, &copy).await;

    // A day's changes: one new, changed and closed; one new that stays.
    let created = post_vacancy(
        &app,
        &employer,
        "Orderpicker nacht",
        "Orders verzamelen in de nacht.",
    )
    .await;
    let created_id = created["id"].as_str().expect("id");
    let changed = vacancy_body("Chauffeur bestelbus", "Pakketten rondbrengen in de wijk.");
    let (status, _) = app
        .send(
            Method::PUT,
            &format!("/api/v1/vacancies/{created_id}"),
            Some(&employer),
            Some(&changed),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    close_vacancy(&app, &employer, created_id).await;
    post_vacancy(
        &app,
        &employer,
        "Chauffeur bestelbus (opnieuw)",
        "Pakketten rondbrengen in de wijk.",
    )
    .await;

    let before = copy.len();
    let again = sync(&app, &first.next, &mut copy).await;
    assert_eq!(again.pages, 1, "a day's few changes fit one page");
    assert_eq!(copy.len(), before + 2, "two new vacancies");
    assert_eq!(copy[created_id].0, "closed");
    assert_eq!(copy[created_id].1["title"], "Chauffeur bestelbus");
    assert_copy_matches_database(&app, &copy).await;

    // Caught up, the same cursor brings nothing new.
    let mut unchanged = copy.clone();
    let idle = sync(&app, &again.next, &mut unchanged).await;
    assert_eq!(idle.pages, 1);
    assert_eq!(unchanged, copy);
    app.stop().await;
}

#[tokio::test]
async fn a_feed_from_a_moment_holds_only_what_changed_after_it() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let mut copy = Mirror::new();
    let later = sync(
        &app,
        &format!("{}{FEED}?updated_since=2100-01-01", app.base),
        &mut copy,
    )
    .await;
    assert!(copy.is_empty(), "nothing changed after 2100");
    let created = post_vacancy(
        &app,
        &employer,
        "Schoonmaker",
        "Kantoren schoonmaken in de avond.",
    )
    .await;
    sync(&app, &later.next, &mut copy).await;
    assert_eq!(
        copy.keys().collect::<Vec<_>>(),
        [created["id"].as_str().expect("id")]
    );
    assert_eq!(copy.values().next().expect("one").0, "open");

    assert_fresh_copy_is_whole(&app, "2000-01-01T00:00:00%2B01:00").await;
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_or_expired_cursor_is_told_plainly() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    for (query, code) in [
        ("cursor=c.1", "invalid_cursor"),
        ("cursor=p.1.2.3.4.a%20b", "invalid_cursor"),
        ("updated_since=gisteren", "invalid_date"),
        ("updated_since=2026-12-01&cursor=c.0.0", "invalid_query"),
        ("limit=0", "invalid_number"),
        ("limit=501", "invalid_number"),
    ] {
        let (status, problem) = app.get(&format!("{FEED}?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {problem}");
        assert_eq!(problem["code"], code, "{query}");
    }

    let mut copy = Mirror::new();
    let first = sync(&app, &format!("{}{FEED}", app.base), &mut copy).await;
    post_vacancy(&app, &employer, "Kok", "Koken voor de buurt in het wijkcentrum.").await;
    // A week later the outbox has been pruned past the old cursor.
    app.state
        .store
        .prune_outbox(now_unix() + 1)
        .await
        .expect("pruned");
    let response = app.client.get(&first.next).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::GONE);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let problem: Value = response.json().await.expect("problem");
    assert_eq!(problem["code"], "gone");
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("updated_since")
    );
    // Starting over from a moment works again.
    assert_fresh_copy_is_whole(&app, "2000-01-01").await;
    app.stop().await;
}

/// The `<loc>` values of a sitemap document.
fn locations(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().expect("closed loc").to_string())
        .collect()
}

async fn text(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("request");
    let status = response.status();
    let kind = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, kind, response.text().await.expect("body"))
}

#[tokio::test]
async fn the_sitemap_lists_every_open_vacancy_page_and_no_closed_one() {
    let app = TestApp::spawn().await;
    let employer = app.token("employer", Some(EMPLOYER)).await;
    let created = post_vacancy(
        &app,
        &employer,
        "Kapper",
        "Haren knippen en klanten helpen in de salon.",
    )
    .await;
    let closed = created["id"].as_str().expect("id");
    close_vacancy(&app, &employer, closed).await;

    let (status, kind, robots) = text(&app, "/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/plain"));
    assert!(
        robots.contains(&format!("Sitemap: {}/sitemap.xml", app.base)),
        "{robots}"
    );
    assert!(robots.contains("Disallow: /profiel"));

    let (status, kind, index) = text(&app, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/xml"), "{kind}");
    assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let parts = locations(&index);
    assert_eq!(parts, [format!("{}/sitemaps/vacatures-1.xml", app.base)]);

    let path = parts[0].trim_start_matches(&app.base).to_string();
    let (status, _, part) = text(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(part.matches("<url>").count(), part.matches("<lastmod>").count());
    let listed = locations(&part);
    let open: Vec<String> = app
        .state
        .store
        .offers_after::<VacancyRow>("", 1_000_000)
        .await
        .expect("vacancies")
        .into_iter()
        .filter(|r| r.status == "open")
        .map(|r| format!("{}/vacatures/{}", app.base, r.id))
        .collect();
    assert!(!open.is_empty());
    assert_eq!(listed, open);
    assert!(!listed.iter().any(|l| l.ends_with(closed)));
    // Each listed page is there.
    let (status, _, _) = text(&app, listed[0].trim_start_matches(&app.base)).await;
    assert_eq!(status, StatusCode::OK);

    for missing in [
        "/sitemaps/vacatures-2.xml",
        "/sitemaps/vacatures-01.xml",
        "/sitemaps/vacatures-0.xml",
        "/sitemaps/iets.xml",
    ] {
        let (status, kind, _) = text(&app, missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert!(
            kind.starts_with("text/html"),
            "{missing}: a page in the site's layout"
        );
    }
    app.stop().await;
}
