//! `banenlift import vacancies` and `banenlift import trainings`: a nightly
//! feed loaded with one command, again the next night, in JSON-LD and CSV,
//! and after an interruption.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use banenlift::offers::import::{self, ImportOptions, Progress};
use banenlift::offers::indexing::DocSource;
use banenlift::offers::jobposting::Vacancies;
use banenlift::storage::{StoredOffer, TrainingRow, VacancyRow};
use serde_json::Value;

use crate::helpers::{EMPLOYER, TestApp, hit_ids};

const FEED: &str = "tests/data/feed.ndjson";
const NEXT_FEED: &str = "tests/data/feed-next.ndjson";
const CSV_FEED: &str = "tests/data/feed.csv";
const COURSES: &str = "tests/data/courses.ndjson";
const NEXT_COURSES: &str = "tests/data/courses-next.ndjson";
const CSV_COURSES: &str = "tests/data/courses.csv";
/// A training provider of the demo data.
const PROVIDER: &str = "org-066";

fn import_cli(app: &TestApp, file: &Path, extra: &[&str]) -> Output {
    import_cli_of(app, "vacancies", EMPLOYER, file, extra)
}

fn import_cli_of(app: &TestApp, kind: &str, organisation: &str, file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(["import", kind])
        .arg(file)
        .args(["--organisation", organisation, "--database-url", &app.db.url])
        .args(extra)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

/// The summary line's count for each word, such as "nieuw".
fn summary(out: &Output) -> BTreeMap<String, usize> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Klaar"))
        .expect("summary line");
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .filter_map(|pair| Some((pair[1].to_string(), pair[0].parse().ok()?)))
        .collect()
}

fn counts(
    created: usize,
    updated: usize,
    unchanged: usize,
    closed: usize,
    rejected: usize,
) -> BTreeMap<String, usize> {
    [
        ("nieuw", created),
        ("bijgewerkt", updated),
        ("ongewijzigd", unchanged),
        ("gesloten", closed),
        ("afgewezen", rejected),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Each posting of `source` as GET shows its vacancy, by identifier, without
/// the id Banenlift gave it.
async fn vacancies_by_identifier(app: &TestApp, source: &str) -> BTreeMap<String, Value> {
    offers_by_identifier::<VacancyRow>(app, "vacancies", source).await
}

async fn offers_by_identifier<R: StoredOffer>(
    app: &TestApp,
    path: &str,
    source: &str,
) -> BTreeMap<String, Value> {
    let sources = app.state.store.offer_sources::<R>(source).await.expect("sources");
    let mut found = BTreeMap::new();
    for (identifier, sourced) in sources {
        let (status, mut view) = app.get(&format!("/api/v1/{path}/{}", sourced.offer_id)).await;
        assert_eq!(status, 200, "{view}");
        view.as_object_mut().expect("vacancy").remove("id");
        found.insert(identifier, view);
    }
    found
}

/// Whether a search for `title` finds offer `id` within ten seconds.
async fn found_within_10s(app: &TestApp, kind: &str, title: &str, id: &String) -> bool {
    for _ in 0..50 {
        let found = app.search_ok(kind, &[("q", title)]).await;
        if hit_ids(&found).contains(id) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

fn copy_to(dir: &Path, feed: &str) -> std::path::PathBuf {
    let target = dir.join(Path::new(feed).file_name().expect("file name"));
    std::fs::copy(feed, &target).expect("copy feed");
    target
}

#[tokio::test]
async fn a_nightly_feed_loads_with_one_command_and_the_next_night_updates_it() {
    let app = TestApp::spawn().await;
    let feed = copy_to(app.dir.path(), FEED);
    let first = import_cli(&app, &feed, &[]);
    assert_eq!(summary(&first), counts(10, 0, 0, 0, 2));

    let rejects =
        std::fs::read_to_string(app.dir.path().join("feed.ndjson.rejects.ndjson")).expect("rejects file");
    let rejected: Vec<Value> = rejects
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(rejected.len(), 2, "{rejects}");
    assert_eq!(rejected[0]["line"], 11);
    assert!(
        rejected[0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("jobLocation:")),
        "{rejects}"
    );
    assert_eq!(rejected[1]["line"], 12);
    assert!(
        rejected[1]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("validThrough:")),
        "{rejects}"
    );
    assert_eq!(
        rejected[1]["posting"]["identifier"]["value"], "REQ-2012",
        "the posting as the feed had it"
    );

    let loaded = vacancies_by_identifier(&app, EMPLOYER).await;
    assert_eq!(loaded.len(), 10);
    let title = loaded["REQ-2001"]["title"].as_str().unwrap().to_string();
    let id = app
        .state
        .store
        .offer_from_source::<VacancyRow>(EMPLOYER, "REQ-2001")
        .await
        .unwrap()
        .unwrap();
    assert!(
        found_within_10s(&app, "vacancies", &title, &id).await,
        "the running server's index follows the import"
    );

    let again = import_cli(&app, &feed, &[]);
    assert_eq!(
        summary(&again),
        counts(0, 0, 10, 0, 2),
        "the same feed again changes nothing"
    );
    assert_eq!(vacancies_by_identifier(&app, EMPLOYER).await, loaded);

    let next = copy_to(app.dir.path(), NEXT_FEED);
    let next_night = import_cli(&app, &next, &["--close-missing"]);
    assert_eq!(summary(&next_night), counts(1, 1, 5, 4, 2));
    let now = vacancies_by_identifier(&app, EMPLOYER).await;
    for identifier in ["REQ-2007", "REQ-2008", "REQ-2009", "REQ-2010"] {
        assert_eq!(
            now[identifier]["status"], "closed",
            "{identifier} is missing from the feed"
        );
    }
    assert_eq!(now["REQ-2013"]["status"], "open");
    assert_ne!(
        now["REQ-2006"]["title"], loaded["REQ-2006"]["title"],
        "the changed title"
    );
    for identifier in ["REQ-2001", "REQ-2002", "REQ-2003", "REQ-2004", "REQ-2005"] {
        assert_eq!(now[identifier], loaded[identifier], "{identifier} is unchanged");
    }
    let demo_vacancy = app.get("/api/v1/vacancies/vac-0001").await.1;
    assert_eq!(
        demo_vacancy["status"], "open",
        "vacancies from elsewhere stay as they were"
    );

    // Back in the feed, a closed vacancy opens again.
    let back = import_cli(&app, &feed, &["--close-missing"]);
    let back = summary(&back);
    assert_eq!(back["gesloten"], 1, "REQ-2013 is missing now");
    assert_eq!(
        vacancies_by_identifier(&app, EMPLOYER).await["REQ-2008"]["status"],
        "open"
    );
}

#[tokio::test]
async fn csv_and_json_ld_feeds_give_the_same_vacancies() {
    let app = TestApp::spawn().await;
    let csv = copy_to(app.dir.path(), CSV_FEED);
    let json = copy_to(app.dir.path(), FEED);
    assert_eq!(
        summary(&import_cli(&app, &csv, &["--source", "csv"])),
        counts(10, 0, 0, 0, 2)
    );
    assert_eq!(
        summary(&import_cli(&app, &json, &["--source", "json"])),
        counts(10, 0, 0, 0, 2)
    );
    let rejects = std::fs::read_to_string(app.dir.path().join("feed.csv.rejects.csv")).expect("rejects file");
    let mut reader = csv::Reader::from_reader(rejects.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &header[..3],
        ["line", "reason", "identifier"],
        "the feed's own columns after line and reason"
    );
    assert_eq!(reader.records().count(), 2);

    let from_csv = vacancies_by_identifier(&app, "csv").await;
    let from_json = vacancies_by_identifier(&app, "json").await;
    assert_eq!(from_csv.len(), 10);
    for (identifier, vacancy) in &from_json {
        assert_eq!(from_csv.get(identifier), Some(vacancy), "{identifier}");
    }
}

#[tokio::test]
async fn a_feed_whose_csv_header_is_wrong_is_refused_whole() {
    let app = TestApp::spawn().await;
    let file = app.dir.path().join("feed.csv");
    std::fs::write(&file, "identifier,titel\nREQ-1,Kok\n").unwrap();
    let out = import_cli(&app, &file, &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("title") && stderr.contains("description"),
        "names the missing columns: {stderr}"
    );
    assert!(
        app.state
            .store
            .offer_sources::<VacancyRow>(EMPLOYER)
            .await
            .unwrap()
            .is_empty()
    );

    let feed = copy_to(app.dir.path(), FEED);
    let out = import_cli_of(&app, "vacancies", PROVIDER, &feed, &[]);
    assert!(!out.status.success(), "a training provider has no vacancies");
    assert!(String::from_utf8_lossy(&out.stderr).contains("geen werkgever"));
}

struct Steps(AtomicUsize);

impl Progress for Steps {
    fn advanced(&self, _done: usize) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The feed's ten valid postings, each under an identifier per copy: 120
/// copies make 1,200 postings.
fn copies_of_feed(copies: std::ops::Range<usize>) -> Vec<import::Record> {
    let text = std::fs::read_to_string(FEED).unwrap();
    let postings: Vec<Value> = text
        .lines()
        .take(10)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut lines = Vec::new();
    for copy in copies {
        for posting in &postings {
            let mut posting = posting.clone();
            let identifier = format!("{}-{copy}", posting["identifier"]["value"].as_str().unwrap());
            posting["identifier"]["value"] = identifier.into();
            lines.push(posting.to_string());
        }
    }
    import::read_feed::<Vacancies>(&lines.join("\n"), false)
        .unwrap()
        .records
}

async fn run_import(app: &TestApp, records: Vec<import::Record>, close_missing: bool) -> import::Summary {
    let source = DocSource::load(&app.state.store).await.unwrap();
    let options = ImportOptions {
        organisation: EMPLOYER.into(),
        source: "nightly".into(),
        close_missing,
    };
    let steps = Steps(AtomicUsize::new(0));
    let outcome = import::import::<Vacancies>(&app.state.store, &source.context(), &options, records, &steps)
        .await
        .unwrap();
    assert!(steps.0.load(Ordering::Relaxed) >= 1, "progress is told");
    outcome.summary
}

#[tokio::test]
async fn an_interrupted_import_run_again_ends_as_one_uninterrupted_run() {
    let whole = TestApp::spawn().await;
    let interrupted = TestApp::spawn().await;
    let records = copies_of_feed(0..120);
    for app in [&whole, &interrupted] {
        run_import(app, copies_of_feed(0..1), false).await;
    }

    let uninterrupted = run_import(&whole, records.clone(), true).await;
    assert_eq!(uninterrupted.created, 1190);
    assert_eq!(uninterrupted.updated + uninterrupted.unchanged, 10);

    // Stopped after the first of three steps had been written: what the
    // second step had begun was rolled back with its transaction.
    run_import(&interrupted, records[..500].to_vec(), false).await;
    run_import(&interrupted, records, true).await;
    assert_eq!(
        vacancies_by_identifier(&interrupted, "nightly").await,
        vacancies_by_identifier(&whole, "nightly").await
    );
}

fn rejects_ndjson(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("rejects file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn skill_ids(training: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = training["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["id"].as_str().expect("skill id"))
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_course_feed_loads_with_one_command_and_the_next_night_updates_it() {
    let app = TestApp::spawn().await;
    let feed = copy_to(app.dir.path(), COURSES);
    let first = import_cli_of(&app, "trainings", PROVIDER, &feed, &[]);
    assert_eq!(summary(&first), counts(3, 0, 0, 0, 4));

    let rejected = rejects_ndjson(&app.dir.path().join("courses.ndjson.rejects.ndjson"));
    let reasons: Vec<(u64, &str)> = rejected
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(reasons.len(), 4, "{rejected:?}");
    assert!(reasons[0].0 == 4 && reasons[0].1.starts_with("location:") && reasons[0].1.contains("3011"));
    assert!(reasons[1].0 == 5 && reasons[1].1.starts_with("expires:"));
    assert!(reasons[2].0 == 6 && reasons[2].1.contains("identifier"));
    assert!(
        reasons[3].0 == 7 && reasons[3].1.contains("courseWorkload:") && reasons[3].1.contains("offers:"),
        "both missing properties are named: {}",
        reasons[3].1
    );

    let loaded = offers_by_identifier::<TrainingRow>(&app, "trainings", PROVIDER).await;
    let mbo = &loaded["OPL-101"];
    assert_eq!(
        (
            &mbo["kind"],
            &mbo["crebo"],
            &mbo["level"],
            &mbo["duration_weeks"],
            &mbo["hours_per_week"]
        ),
        (
            &"mbo".into(),
            &"25371".into(),
            &"mbo2".into(),
            &104.into(),
            &32.into()
        )
    );
    assert_eq!(
        (&mbo["cost"], &mbo["price_eur"]),
        (&"betaald".into(), &1400.0.into())
    );
    assert_eq!(
        mbo["wijk"]["code"], "WK051838",
        "postcode 2521 of the course instance"
    );
    assert_eq!(mbo["languages"], serde_json::json!(["nl"]), "nl-NL is Dutch");
    assert_eq!(mbo["starts_on"], "2027-02-08");
    assert_eq!(
        mbo["start_dates"],
        serde_json::json!(["2027-02-08", "2027-09-01"])
    );
    assert_eq!(
        skill_ids(mbo),
        ["heftruck-rijden", "orderpicken"],
        "a label and an ESCO termCode"
    );
    assert_eq!(mbo["signup_phone"], "070 123 4567");
    assert_eq!(mbo["bbl"], false, "BOL is not work-based learning");

    let short = &loaded["KORT-7"];
    assert_eq!(short["title"], "Veilig werken met een pompwagen");
    let text = short["description"].as_str().unwrap();
    assert!(
        text.contains("pompwagen & pallets") && !text.contains('<') && !text.contains("alert"),
        "{text}"
    );
    assert_eq!(
        (&short["kind"], &short["cost"]),
        (&"cursus".into(), &"gratis".into())
    );
    assert_eq!(
        (&short["duration_weeks"], &short["hours_per_week"]),
        (&1.into(), &16.into())
    );
    assert_eq!(short["wijk"]["code"], "WK051843", "geo in Forepark");
    assert_eq!(short["languages"], serde_json::json!(["nl", "en"]));
    assert_eq!(skill_ids(short), ["laden-en-lossen", "pompwagen"]);

    let language = &loaded["NT2-12"];
    assert_eq!(
        (&language["kind"], &language["cost"]),
        (&"taal".into(), &"gesubsidieerd".into())
    );
    assert_eq!(
        (&language["duration_weeks"], &language["dutch_level"]),
        (&13.into(), &"A1".into())
    );
    assert_eq!(language["starts_on"], "2027-03-01", "the start in 2025 is past");
    assert!(
        language["description"]
            .as_str()
            .unwrap()
            .contains("sollicitatiebrief schrijven"),
        "a skill the vocabulary lacks stays as text"
    );

    let title = mbo["title"].as_str().unwrap().to_string();
    let id = app
        .state
        .store
        .offer_from_source::<TrainingRow>(PROVIDER, "OPL-101")
        .await
        .unwrap()
        .unwrap();
    assert!(
        found_within_10s(&app, "trainings", &title, &id).await,
        "the running server's index follows the import"
    );

    let again = import_cli_of(&app, "trainings", PROVIDER, &feed, &[]);
    assert_eq!(
        summary(&again),
        counts(0, 0, 3, 0, 4),
        "the same feed again changes nothing"
    );
    assert_eq!(
        offers_by_identifier::<TrainingRow>(&app, "trainings", PROVIDER).await,
        loaded
    );

    let next = copy_to(app.dir.path(), NEXT_COURSES);
    let next_night = import_cli_of(&app, "trainings", PROVIDER, &next, &["--close-missing"]);
    assert_eq!(summary(&next_night), counts(1, 1, 1, 1, 0));
    assert!(
        !app.dir.path().join("courses-next.ndjson.rejects.ndjson").exists(),
        "no rejects file when nothing was refused"
    );
    let now = offers_by_identifier::<TrainingRow>(&app, "trainings", PROVIDER).await;
    assert_eq!(now["KORT-7"]["status"], "closed", "missing from the feed");
    assert_eq!(now["ZORG-1"]["status"], "open");
    assert_eq!(
        now["OPL-101"]["start_dates"].as_array().unwrap().len(),
        3,
        "a third start"
    );
    assert_eq!(now["NT2-12"], loaded["NT2-12"]);
    assert_eq!(
        app.get("/api/v1/trainings/trn-001").await.1["status"],
        "open",
        "the provider's trainings from elsewhere stay as they were"
    );
}

#[tokio::test]
async fn csv_and_json_ld_course_feeds_give_the_same_trainings() {
    let app = TestApp::spawn().await;
    let csv = copy_to(app.dir.path(), CSV_COURSES);
    let json = copy_to(app.dir.path(), COURSES);
    let from_csv = import_cli_of(&app, "trainings", PROVIDER, &csv, &["--source", "csv"]);
    assert_eq!(summary(&from_csv), counts(2, 0, 0, 0, 2));
    let from_json = import_cli_of(&app, "trainings", PROVIDER, &json, &["--source", "json"]);
    assert_eq!(summary(&from_json), counts(3, 0, 0, 0, 4));
    let rejects =
        std::fs::read_to_string(app.dir.path().join("courses.csv.rejects.csv")).expect("rejects file");
    let mut reader = csv::Reader::from_reader(rejects.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!((&rows[0][0], &rows[0][2]), ("4", "RTM-1"));

    let csv_trainings = offers_by_identifier::<TrainingRow>(&app, "trainings", "csv").await;
    let json_trainings = offers_by_identifier::<TrainingRow>(&app, "trainings", "json").await;
    assert_eq!(csv_trainings.len(), 2);
    for (identifier, training) in &csv_trainings {
        assert_eq!(json_trainings.get(identifier), Some(training), "{identifier}");
    }

    let wrong = app.dir.path().join("wrong.csv");
    std::fs::write(&wrong, "identifier,title\nOPL-1,Kok\n").unwrap();
    let out = import_cli_of(&app, "trainings", PROVIDER, &wrong, &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("duration_weeks"),
        "names the missing columns: {stderr}"
    );
    let out = import_cli_of(&app, "trainings", EMPLOYER, &json, &[]);
    assert!(!out.status.success(), "an employer has no trainings");
    assert!(String::from_utf8_lossy(&out.stderr).contains("geen opleider"));
}
