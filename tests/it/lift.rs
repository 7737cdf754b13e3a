//! The lift report through its API, its page and its CSV, on a real
//! database: a hand-built scenario with known counts, suppression, period
//! boundaries, roles and the map's SVG.

use banenlift::lift::figures::Figure;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, vacancy_body};
use crate::residents::resident_body;
use crate::web::{Browser, web_user};

const MOERWIJK: &str = "WK051836";
const DUINDORP: &str = "WK051808";

fn area<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("area {code}"))
}

fn shown(report: &Value, code: &str, figure: &str) -> String {
    area(report, code)["figures"][figure]["display"]
        .as_str()
        .expect("display")
        .to_string()
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn yesterday() -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string()
}

/// Eight residents without demo data: six in Moerwijk (all proposed and
/// interviewed, five applied, five started a training, one finished it),
/// two in Duindorp.
async fn scenario(app: &TestApp) {
    let org = banenlift::offers::create_organisation(
        &app.state.store,
        "Haven BV",
        "employer",
        "logistiek",
        "Laakkwartier en Spoorwijk",
        true,
    )
    .await
    .expect("employer");
    let provider = banenlift::offers::create_organisation(
        &app.state.store,
        "ROC Test",
        "provider",
        "logistiek",
        "Laakkwartier en Spoorwijk",
        false,
    )
    .await
    .expect("provider");
    let employer = app.token("employer", Some(&org.id)).await;
    let (status, vacancy) = app
        .send(
            Method::POST,
            "/api/v1/vacancies",
            Some(&employer),
            Some(&vacancy_body(
                "Orderpicker",
                "Je verzamelt orders in ons magazijn in Laak.",
            )),
        )
        .await;
    assert_eq!(status, 201, "{vacancy}");
    let trainer = app.token("provider", Some(&provider.id)).await;
    let (status, training) = app
        .send(
            Method::POST,
            "/api/v1/trainings",
            Some(&trainer),
            Some(&crate::offers::training_body()),
        )
        .await;
    assert_eq!(status, 201, "{training}");
    let coach = app.token("coach", None).await;
    for n in 0..8 {
        let mut body = resident_body(&format!("Bewoner {n}"));
        body["wijk"] = json!(if n < 6 { MOERWIJK } else { DUINDORP });
        let resident = app.create_resident(&coach, &body).await;
        if n >= 6 {
            continue;
        }
        let mut steps = vec!["voorgesteld", "gesprek"];
        if n < 5 {
            steps.push("gesolliciteerd");
        }
        for status in steps {
            let outcome =
                json!({"resident_id": resident["id"], "vacancy_id": vacancy["id"], "status": status});
            let (code, body) = app
                .send(Method::POST, "/api/v1/outcomes", Some(&coach), Some(&outcome))
                .await;
            assert_eq!(code, 201, "{body}");
        }
        let routes: &[&str] = match n {
            0 => &["gestart", "afgerond"],
            1..5 => &["gestart"],
            _ => &[],
        };
        for status in routes {
            let route =
                json!({"resident_id": resident["id"], "training_id": training["id"], "status": status});
            let (code, body) = app
                .send(
                    Method::POST,
                    "/api/v1/training-outcomes",
                    Some(&coach),
                    Some(&route),
                )
                .await;
            assert_eq!(code, 201, "{body}");
        }
    }
}

#[tokio::test]
async fn the_report_counts_a_hand_built_scenario_and_suppresses_small_numbers() {
    let app = TestApp::spawn_without_demo().await;
    scenario(&app).await;
    let analyst = app.token("analyst", None).await;
    let (status, report) = app.get_with("/api/v1/lift", &analyst).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["areas"].as_array().unwrap().len(), 44);
    assert_eq!(report["to"], today());
    // Counts of persons are rounded to fives (6 shows as 5); a share of
    // everyone (6 of 6 went on) is suppressed like a small count.
    for (figure, expected) in [
        ("registered", "5"),
        ("new_registrations", "5"),
        ("proposed", "5"),
        ("applied", "5"),
        ("interviewed", "5"),
        ("hired", "<5"),
        ("applied_rate", "<5"),
        ("interview_rate", "<5"),
        ("hire_rate", "<5"),
        ("trainings_started", "5"),
        ("trainings_completed", "<5"),
    ] {
        assert_eq!(shown(&report, MOERWIJK, figure), expected, "{figure}");
    }
    assert_eq!(area(&report, MOERWIJK)["priority"], true);
    assert_eq!(
        area(&report, DUINDORP)["figures"]["registered"],
        json!({"value": null, "display": "<5", "suppressed": true})
    );
    assert_eq!(
        report["city"]["figures"]["registered"]["value"], 10,
        "8, rounded to fives"
    );
    assert_eq!(
        report["matches"],
        json!({"residents_matched": 10, "residents_pending": 0})
    );
    let within = area(&report, MOERWIJK)["figures"]["vacancies_within_5km"]["value"].as_u64();
    assert_eq!(
        within,
        Some(1),
        "the one vacancy, in Schildersbuurt, is near Moerwijk"
    );
    for area in report["areas"].as_array().unwrap() {
        for (key, cell) in area["figures"].as_object().unwrap() {
            if cell["suppressed"] == true {
                assert!(
                    cell["value"].is_null() && cell["display"] == "<5",
                    "{key}: {cell}"
                );
            }
        }
    }
}

#[tokio::test]
async fn periods_include_both_days_and_nothing_outside() {
    let app = TestApp::spawn_without_demo().await;
    scenario(&app).await;
    let analyst = app.token("analyst", None).await;
    let day = today();
    let (_, only_today) = app
        .get_with(&format!("/api/v1/lift?from={day}&to={day}"), &analyst)
        .await;
    assert_eq!(shown(&only_today, MOERWIJK, "proposed"), "5");
    let before = yesterday();
    let (status, until_yesterday) = app.get_with(&format!("/api/v1/lift?to={before}"), &analyst).await;
    assert_eq!(status, 200);
    assert_eq!(
        shown(&until_yesterday, MOERWIJK, "registered"),
        "<5",
        "registered today"
    );
    assert_eq!(shown(&until_yesterday, MOERWIJK, "proposed"), "<5");
    let (_, districts) = app.get_with("/api/v1/lift?level=stadsdeel", &analyst).await;
    assert_eq!(districts["areas"].as_array().unwrap().len(), 8);
    assert_eq!(
        shown(&districts, "Escamp", "registered"),
        "5",
        "Moerwijk lies in Escamp"
    );
    assert_eq!(area(&districts, "Escamp")["priority"], true);
}

#[tokio::test]
async fn only_analysts_and_admins_read_it_and_bad_queries_are_explained() {
    let app = TestApp::spawn().await;
    for role in ["coach", "jobseeker"] {
        let token = app.token(role, None).await;
        let (status, body) = app.get_with("/api/v1/lift", &token).await;
        assert_eq!(status, 403, "{role}: {body}");
    }
    let employer = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    assert_eq!(app.get_with("/api/v1/lift?format=csv", &employer).await.0, 403);
    assert_eq!(app.get("/api/v1/lift").await.0, 401);
    let analyst = app.token("analyst", None).await;
    for (query, field) in [
        ("level=buurt", "level"),
        ("from=2026-13-01", "from"),
        ("from=2026-05-02&to=2026-05-01", "from"),
        ("threshold=0", "threshold"),
        ("format=xml", "format"),
        ("from=1900-01-01&to=2026-01-01", "from"),
    ] {
        let (status, body) = app.get_with(&format!("/api/v1/lift?{query}"), &analyst).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
    let (status, _) = app.get_with("/api/v1/lift?wijk=Moerwijk", &analyst).await;
    assert_eq!(status, 400, "unknown parameter");
    let (status, trend) = app.get_with("/api/v1/lift/wijken/Moerwijk/trend", &analyst).await;
    assert_eq!(status, 200, "{trend}");
    assert_eq!(trend["code"], MOERWIJK);
    assert_eq!(trend["months"].as_array().unwrap().len(), 12);
    assert!(
        trend["months"][0]["figures"].get("with_match").is_none(),
        "no history of today's matches"
    );
    let (status, _) = app.get_with("/api/v1/lift/wijken/Atlantis/trend", &analyst).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_demo_year_fills_the_report_and_the_csv_keeps_suppression() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let response = app
        .client
        .get(format!("{}/api/v1/lift?format=csv", app.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "personal-data aggregates stay off shared caches"
    );
    let kind = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = response.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "code");
    assert!(header.iter().any(|h| h == "hire_rate"));
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 44 + 2, "44 wijken, the city total and the average");
    let hired = header.iter().position(|h| h == "hired").unwrap();
    assert!(
        records.iter().any(|r| &r[hired] == "<5"),
        "some wijk hired fewer than five"
    );
    let city: u64 = records[44][hired].parse().expect("the city total is shown");
    assert!(city >= 50, "a year of demo outcomes: {city}");
}

#[tokio::test]
async fn the_lift_page_draws_a_map_of_44_wijken_with_titles_and_a_ranking() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "analyst", None, "analist").await;
    let browser = Browser::new(&app);
    browser.log_in(&login, &password, "/lift").await;
    let page = browser.get("/lift?figure=hired").await;
    assert_eq!(page.status, 200, "{}", page.html);
    let map = svg_with_class(&page.html, "lift-map");
    let doc = roxmltree::Document::parse(&map).expect("the map is well-formed SVG");
    let shapes: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("class").is_some_and(|c| c.contains("lift-wijk")))
        .collect();
    assert_eq!(shapes.len(), 44);
    for shape in &shapes {
        let title = shape
            .children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default();
        assert!(title.contains(": "), "a wijk and its figure: {title:?}");
    }
    assert!(shapes.iter().any(|s| {
        s.children()
            .any(|t| t.text().is_some_and(|x| x.starts_with("Moerwijk")))
    }));
    let root = doc.root_element();
    assert_eq!(
        root.attribute("role"),
        Some("group"),
        "a map of links is a group, not an image"
    );
    assert!(root.attribute("aria-labelledby").is_some());
    let ranking = svg_with_class(&page.html, "lift-bars");
    roxmltree::Document::parse(&ranking).expect("the ranking is well-formed SVG");
    assert!(page.html.contains("Gemiddelde Den Haag"));
    assert!(page.html.contains("href=\"/lift.csv?"));
    let wijk = browser.get(&format!("/lift/wijken/{MOERWIJK}")).await;
    assert_eq!(wijk.status, 200);
    assert!(wijk.html.contains("prioriteitswijk"));
    let trends = wijk
        .html
        .match_indices("<svg")
        .filter(|(at, _)| {
            wijk.html[*at..]
                .split('>')
                .next()
                .is_some_and(|t| t.contains("lift-trend"))
        })
        .count();
    assert_eq!(trends, 16, "one chart per figure with a history");
    assert_eq!(browser.get("/lift?onbekend=1").await.status, 400);
    let refused = browser.get("/lift?from=2026-02-30").await;
    assert_eq!(
        refused.status, 200,
        "a wrong date shows the default period with the error"
    );
    assert!(
        refused.html.contains("veld-from-fout"),
        "the error sits at the field"
    );
    let csv = browser.get("/lift.csv?level=stadsdeel").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.html.lines().count(), 1 + 8 + 2);
    let (coach_login, coach_password) = web_user(&app, "coach", None, "coach-lift").await;
    let coach = Browser::new(&app);
    coach.log_in(&coach_login, &coach_password, "/coach").await;
    assert_eq!(coach.get("/lift").await.status, 403);
    let anonymous = Browser::new(&app).get("/lift").await;
    assert_eq!(anonymous.location.as_deref(), Some("/inloggen"));
}

/// The first `<svg>` element whose class list holds `class`.
fn svg_with_class(html: &str, class: &str) -> String {
    let start = html
        .match_indices("<svg")
        .map(|(at, _)| at)
        .find(|at| {
            html[*at..]
                .split('>')
                .next()
                .is_some_and(|tag| tag.contains(class))
        })
        .unwrap_or_else(|| panic!("an svg with class {class}"));
    let end = start + html[start..].find("</svg>").expect("closing tag") + "</svg>".len();
    html[start..end].to_string()
}

/// The table sorts by any column, titles carry units, and the Excel
/// download opens in Dutch Excel: semicolons, decimal commas and a BOM.
#[tokio::test]
async fn the_lift_table_sorts_by_column_and_the_excel_csv_suits_dutch_excel() {
    let app = TestApp::spawn().await;
    let (login, password) = web_user(&app, "analyst", None, "analist.tabel").await;
    let browser = Browser::new(&app);
    browser.log_in(&login, &password, "/lift").await;
    let page = browser.get("/lift?sorteer=hired").await.html;
    assert!(
        page.contains("Kaart: Aandeel met een passende vacature (in %)"),
        "a title with its unit"
    );
    assert!(page.contains("aria-sort=\"descending\""));
    assert!(page.contains("sorteer=naam#tabel-kop"), "every column sorts");
    let table = &page[page.find("id=\"tabel-kop\"").unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    let hired_column = Figure::ALL.iter().position(|f| f.key() == "hired").unwrap();
    let hired: Vec<Option<f64>> = body
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cell = row.split("<td>").nth(hired_column + 1).unwrap();
            cell.split("</td>").next().unwrap().replace(',', ".").parse().ok()
        })
        .collect();
    assert_eq!(hired.len(), 44);
    let shown: Vec<f64> = hired.iter().map(|h| h.unwrap_or(f64::MIN)).collect();
    assert!(shown.windows(2).all(|w| w[0] >= w[1]), "highest first: {hired:?}");

    let excel = browser.get("/lift.csv?format=excel").await;
    assert_eq!(excel.status, 200);
    assert!(excel.html.starts_with('\u{feff}'), "a UTF-8 byte-order mark");
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(excel.html.trim_start_matches('\u{feff}').as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "code");
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 46);
    let numbers: Vec<&str> = records
        .iter()
        .flat_map(|r| r.iter().skip(4).take(Figure::ALL.len()))
        .collect();
    let decimal = |sep: char| {
        numbers.iter().any(|n| {
            n.split_once(sep)
                .is_some_and(|(a, b)| !a.is_empty() && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit()))
        })
    };
    assert!(decimal(','), "decimal commas: {numbers:?}");
    assert!(!decimal('.'), "and no decimal points");
}
