use std::path::Path;
use std::process::{Command, Output};

use reqwest::Method;

use crate::database;
use crate::helpers::{EMPLOYER, TestApp, Workspace, vacancy_body};

fn banenlift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

/// Runs the binary and fails the test, showing its stderr, unless it
/// succeeds.
fn succeeded(args: &[&str]) -> Output {
    let out = banenlift(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[tokio::test]
async fn user_add_prints_a_working_token_on_its_last_line() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let out = succeeded(&[
        "user",
        "add",
        "--name",
        "Fatima",
        "--role",
        "employer",
        "--org",
        EMPLOYER,
        "--database-url",
        &url,
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("bl_"), "{stdout}");
    let body = vacancy_body(
        "Bezorger",
        "Je bezorgt pakketten met een elektrische bus in Escamp en Loosduinen.",
    );
    let (status, _) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    assert_eq!(status, 201);

    let user = stdout
        .split_whitespace()
        .find(|w| w.starts_with("usr-"))
        .expect("user id");
    let listed = banenlift(&["user", "token", "list", "--user", user, "--database-url", &url]);
    let listed = String::from_utf8(listed.stdout).unwrap();
    let token_id = listed
        .split_whitespace()
        .find(|w| w.starts_with("tok-"))
        .expect("token id");
    assert!(!listed.contains(&token), "a listing never shows the token itself");
    succeeded(&["user", "token", "revoke", token_id, "--database-url", &url]);
    let (status, _) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    assert_eq!(status, 401, "revoked at once, also for a running server");
    let again = banenlift(&["user", "token", "revoke", token_id, "--database-url", &url]);
    assert!(!again.status.success(), "revoking twice is reported");

    for (role, says) in [("employer", "--org"), ("koning", "unknown role")] {
        let refused = banenlift(&[
            "user",
            "add",
            "--name",
            "X",
            "--role",
            role,
            "--database-url",
            &url,
        ]);
        assert!(!refused.status.success(), "{role}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains(says), "{role}");
    }
}

#[tokio::test]
async fn generate_is_deterministic_and_seeds_and_reindexes() {
    let workspace = Workspace::new().await;
    let dir = &workspace.dir;
    let run = |name: &str, seed: &str| {
        let out_dir = dir.path().join(name);
        succeeded(&[
            "generate",
            "--vacancies",
            "3000",
            "--trainings",
            "300",
            "--residents",
            "500",
            "--seed",
            seed,
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        out_dir
    };
    let (a, b, c) = (run("a", "7"), run("b", "7"), run("c", "8"));
    let read = |d: &Path, f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert_eq!(read(&a, "vacancies.jsonl"), read(&b, "vacancies.jsonl"));
    assert_ne!(read(&a, "vacancies.jsonl"), read(&c, "vacancies.jsonl"));
    assert_eq!(read(&a, "vacancies.jsonl").lines().count(), 3000);
    assert_eq!(read(&a, "trainings.jsonl").lines().count(), 300);
    assert_eq!(read(&a, "residents.jsonl"), read(&b, "residents.jsonl"));
    assert_eq!(read(&a, "residents.jsonl").lines().count(), 500);

    let url = workspace.url().to_string();
    succeeded(&["seed", "--from", a.to_str().unwrap(), "--database-url", &url]);
    let index = dir.path().join("index");
    let reindexed = succeeded(&[
        "reindex",
        "--database-url",
        &url,
        "--index-dir",
        index.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&reindexed.stdout).contains("3300 documenten"));

    let store = banenlift::storage::Store::connect(&url).await.unwrap();
    assert_eq!(store.count_residents().await.unwrap(), 500);

    let too_many = banenlift(&["generate", "--vacancies", "1000001", "--out", a.to_str().unwrap()]);
    assert!(!too_many.status.success());
}

/// A child server that is stopped however the test ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Tokens, names and profile content never reach the logs, even at debug
/// level: a real server process, its stderr captured.
#[tokio::test]
async fn logs_hold_no_tokens_or_names() {
    let workspace = Workspace::new().await;
    let (dir, url) = (&workspace.dir, workspace.url().to_string());
    let index = dir.path().join("index");
    let added = succeeded(&[
        "user",
        "add",
        "--name",
        "Wilhelmina Zeldzaam",
        "--role",
        "coach",
        "--database-url",
        &url,
    ]);
    let added = String::from_utf8(added.stdout).unwrap();
    let token = added.lines().last().unwrap().trim().to_string();
    let user = added
        .split_whitespace()
        .find(|w| w.starts_with("usr-"))
        .expect("user id");
    let password = "Zeer-Geheim-Wachtwoord-42";
    set_password(&url, user, "wilhelmina", password);
    let mut server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_banenlift"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                &url,
                "--index-dir",
            ])
            .arg(&index)
            .env("RUST_LOG", "debug,tantivy=info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("server starts"),
    );
    let stderr = server.0.stderr.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut log = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let base = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .expect("server logs its address in time");
        log.push(line.clone());
        if let Some(at) = line.find("addr=") {
            let addr: String = line[at + 5..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            break format!("http://{addr}");
        }
    };
    let client = reqwest::Client::new();
    let mut body = crate::residents::resident_body("Bartholomeus Quirijnsz");
    body["skills"] = serde_json::json!(["Orderpicken", "geheimzinnigvaardig"]);
    body["consent_confirmed_with_resident"] = serde_json::json!(true);
    let created: serde_json::Value = client
        .post(format!("{base}/api/v1/residents"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("created");
    for path in [
        format!("/api/v1/residents/{id}"),
        format!("/api/v1/residents/{id}/matches"),
    ] {
        let status = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
    // The password set on the command line opens a web session.
    crate::web::Browser::at(&base)
        .log_in("wilhelmina", password, "/coach")
        .await;
    let wrong = "bl_0000000000000000000000000000000000000000000000000000000000000000";
    let status = client
        .get(format!("{base}/api/v1/residents"))
        .bearer_auth(wrong)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    drop(server);
    reader.join().unwrap();
    log.extend(lines_rx.try_iter());
    let log = log.join("\n");
    assert!(
        log.contains("/api/v1/residents"),
        "requests are logged at debug level:\n{log}"
    );
    for secret in [
        token.as_str(),
        wrong,
        "Wilhelmina",
        "Zeldzaam",
        "Bartholomeus",
        "Quirijnsz",
        "geheimzinnigvaardig",
        password,
    ] {
        assert!(!log.contains(secret), "'{secret}' leaked into the log");
    }
}

/// `banenlift user password`, with the password on standard input.
fn set_password(url: &str, user: &str, login: &str, password: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args([
            "user",
            "password",
            "--user",
            user,
            "--login",
            login,
            "--database-url",
            url,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn org_add_makes_an_organisation_its_employers_post_for() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let refused = banenlift(&[
        "org",
        "add",
        "--name",
        "Bakkerij",
        "--kind",
        "employer",
        "--sector",
        "bakkerij",
        "--wijk",
        "Moerwijk",
        "--database-url",
        &url,
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown sector"));
    let added = banenlift(&[
        "org",
        "add",
        "--name",
        "Bakkerij De Lift",
        "--kind",
        "employer",
        "--sector",
        "detailhandel",
        "--wijk",
        "Moerwijk",
        "--alliance",
        "--database-url",
        &url,
    ]);
    let stdout = String::from_utf8(added.stdout).unwrap();
    let org = stdout
        .split_whitespace()
        .find(|w| w.starts_with("org-"))
        .expect("the new id");
    let user = succeeded(&[
        "user",
        "add",
        "--name",
        "Bakker",
        "--role",
        "employer",
        "--org",
        org,
        "--database-url",
        &url,
    ]);
    let token = String::from_utf8(user.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let body = vacancy_body(
        "Verkoper brood",
        "Je verkoopt ons brood in de winkel in Moerwijk.",
    );
    let (status, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["organisation_id"], org);
    assert_eq!(created["employer"], "Bakkerij De Lift");
}

#[tokio::test]
async fn report_prints_the_lift_report_as_csv_json_and_table_while_the_server_runs() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let csv = succeeded(&[
        "report",
        "--format",
        "csv",
        "--level",
        "stadsdeel",
        "--database-url",
        &url,
    ]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("code,naam,stadsdeel,prioriteit,registered,"),
        "{text}"
    );
    assert_eq!(text.trim_end().lines().count(), 1 + 8 + 2, "{text}");
    assert!(text.contains("Escamp"));

    let json = succeeded(&[
        "report",
        "--format",
        "json",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--database-url",
        &url,
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        (report["from"].as_str(), report["to"].as_str()),
        (Some("2026-01-01"), Some("2026-03-31"))
    );
    assert_eq!(report["areas"].as_array().map(Vec::len), Some(44));

    let table = banenlift(&["report", "--database-url", &url]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("Schildersbuurt *"),
        "priority wijken are starred: {text}"
    );
    assert!(text.contains("Ingeschreven bewoners"));

    let wrong = banenlift(&["report", "--from", "gisteren", "--database-url", &url]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("2026-01-31"),
        "the error shows the format"
    );
}

#[test]
fn the_committed_demo_year_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().unwrap();
    succeeded(&["generate", "--demo-year", "--out", dir.path().to_str().unwrap()]);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    for file in [
        "lift_residents.jsonl",
        "lift_registrations.jsonl",
        "lift_vacancies.jsonl",
        "lift_outcomes.jsonl",
    ] {
        let written = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let committed = std::fs::read_to_string(fixtures.join(file)).unwrap();
        assert!(
            written == committed,
            "{file} differs from `banenlift generate --demo-year`"
        );
    }
}

/// Organisations, vacancies, trainings and residents in a database.
async fn counts(url: &str) -> [i64; 4] {
    let mut out = [0; 4];
    for (n, table) in ["organisations", "vacancies", "trainings", "residents"]
        .iter()
        .enumerate()
    {
        out[n] = database::count(url, &format!("SELECT COUNT(*) FROM {table}"), &[]).await;
    }
    out
}

/// `kill -9` in the middle of `seed --from` leaves nothing half loaded; the
/// rerun completes it; a third run says in one line that the set is there
/// already; and a server start adds no demo data to a database with data.
#[tokio::test]
async fn an_interrupted_seed_leaves_nothing_and_a_rerun_completes_it() {
    let workspace = Workspace::new().await;
    let dir = &workspace.dir;
    let set = dir.path().join("set");
    succeeded(&[
        "generate",
        "--vacancies",
        "30000",
        "--trainings",
        "1000",
        "--residents",
        "1000",
        "--seed",
        "11",
        "--out",
        set.to_str().unwrap(),
    ]);
    let lines = |file: &str| std::fs::read_to_string(set.join(file)).unwrap().lines().count() as i64;
    let full = [
        lines("organisations.jsonl"),
        lines("vacancies.jsonl"),
        lines("trainings.jsonl"),
        lines("residents.jsonl"),
    ];
    let url = workspace.url().to_string();
    // Migrations and reference data first, so that the kill lands in the load.
    let index = dir.path().join("scratch-index");
    succeeded(&[
        "reindex",
        "--database-url",
        &url,
        "--index-dir",
        index.to_str().unwrap(),
    ]);

    let mut child = Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(["seed", "--from", set.to_str().unwrap(), "--database-url", &url])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("seed starts");
    let wal = dir.path().join("banenlift.db-wal");
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3)
        && std::fs::metadata(&wal).map_or(0, |m| m.len()) < 2 << 20
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the seed finished before it could be interrupted; the test needs a larger set"
    );
    child.kill().expect("kill -9");
    child.wait().unwrap();
    assert_eq!(
        counts(&url).await,
        [0; 4],
        "an interrupted seed leaves nothing behind"
    );

    succeeded(&["seed", "--from", set.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(counts(&url).await, full);

    let again = Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(["seed", "--from", set.to_str().unwrap(), "--database-url", &url])
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("niets veranderd"), "{stderr}");
    assert!(
        !stderr.to_lowercase().contains("backtrace") && !stderr.contains("UNIQUE"),
        "{stderr}"
    );
    assert_eq!(counts(&url).await, full, "the failed rerun changed nothing");

    let app = TestApp::spawn_in(workspace).await;
    let url = app.db.url.clone();
    assert_eq!(counts(&url).await, full, "no demo data on top of existing data");
    app.stop().await;
}

#[tokio::test]
async fn a_server_adds_no_demo_to_a_database_that_holds_an_organisation() {
    let workspace = Workspace::new().await;
    let url = workspace.url().to_string();
    succeeded(&[
        "org",
        "add",
        "--name",
        "Bakkerij De Korenbloem",
        "--kind",
        "employer",
        "--sector",
        "detailhandel",
        "--wijk",
        "Moerwijk",
        "--database-url",
        &url,
    ]);
    let app = TestApp::spawn_in(workspace).await;
    assert_eq!(counts(&url).await, [1, 0, 0, 0]);
    app.stop().await;
}

#[tokio::test]
async fn user_contact_sets_a_coachs_work_details_and_refuses_bad_ones() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let base = [
        "user",
        "contact",
        "--user",
        "usr-coach-01",
        "--database-url",
        &url,
    ];
    let refused = banenlift(&[&base[..], &["--phone", "bel me", "--email", "geen-adres"]].concat());
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("telefoonnummer") && message.contains("e-mailadres"),
        "both problems at once: {message}"
    );
    succeeded(
        &[
            &base[..],
            &["--phone", "070 353 0000", "--email", "sanne@gemeente.example"],
        ]
        .concat(),
    );
    let contact = app
        .state
        .store
        .user_contact("usr-coach-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (contact.phone.as_deref(), contact.email.as_deref()),
        (Some("070 353 0000"), Some("sanne@gemeente.example"))
    );
    let unknown = banenlift(&[
        "user",
        "contact",
        "--user",
        "usr-niemand",
        "--phone",
        "070 353 0000",
        "--database-url",
        &url,
    ]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user"));
}

#[tokio::test]
async fn user_reset_link_prints_a_link_that_opens_the_password_page_once() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let out = succeeded(&[
        "user",
        "reset-link",
        "--user",
        "usr-coach-01",
        "--base-url",
        &app.base,
        "--database-url",
        &url,
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    let link = printed
        .lines()
        .last()
        .expect("the link on the last line")
        .to_string();
    let path = link
        .strip_prefix(&app.base)
        .unwrap_or_else(|| panic!("an address on this server: {printed}"));
    let browser = crate::web::Browser::new(&app);
    let form = browser.get(path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("Kies een wachtwoord"));
    let csrf = crate::web::csrf_of(&form.html);
    let password = "via-de-opdrachtregel";
    let chosen = browser
        .post(
            path,
            &[
                ("csrf", &csrf),
                ("login", "sanne.nieuw"),
                ("password", password),
                ("repeat", password),
            ],
        )
        .await;
    assert_eq!(chosen.status, 303, "{}", chosen.html);
    browser.log_in("sanne.nieuw", password, "/coach").await;
    assert_eq!(browser.get(path).await.status, 404, "spent");

    let unknown = banenlift(&[
        "user",
        "reset-link",
        "--user",
        "usr-niemand",
        "--database-url",
        &url,
    ]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("usr-niemand"));
}

/// The side-by-side table: one row per engine, every engine finding
/// vacancies for the same mix, raw tantivy exactly as many as ours, and the
/// PostgreSQL baseline's scratch database gone afterwards.
#[tokio::test]
async fn bench_compare_puts_four_engines_side_by_side_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let postgres = database::admin_url();
    let child = Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(["bench", "--size", "smoke", "--runs", "1", "--only", "compare"])
        .args(["--compare-postgres-url", &postgres, "--dir"])
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = stdout.split_once("Side by side").expect("the comparison table").1;
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| engine") && !l.starts_with("| ---"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let engines: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(engines.len(), 4, "{table}");
    for (engine, prefix) in engines
        .iter()
        .zip(["Banenlift", "raw tantivy", "SQLite FTS5", "PostgreSQL"])
    {
        assert!(engine.starts_with(prefix), "{engine} in {table}");
    }
    let hits: Vec<f64> = rows.iter().map(|r| r[5].parse().unwrap()).collect();
    assert!(hits.iter().all(|&h| h > 0.0), "{table}");
    assert_eq!(hits[0], hits[1], "raw tantivy does the same work: {table}");
    // Milliseconds and ratios are numbers, whatever they are.
    for row in &rows {
        for cell in &row[1..5] {
            cell.parse::<f64>()
                .unwrap_or_else(|_| panic!("{cell} in {table}"));
        }
    }

    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&postgres).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(format!("banenlift_bench_fulltext_{pid}"))
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(left, 0, "the scratch database is dropped");
}
