//! Several `banenlift serve` processes over one database, each with its own
//! index: writes, erasures and sessions cross replicas; a replica that was
//! down (or killed with -9) catches up, or rebuilds when the outbox it
//! needs was pruned; once-only jobs run once. The suite's backend is used
//! (two processes over one SQLite file work too, by polling); the
//! interleaved-commit case needs writers side by side, so it always runs
//! on PostgreSQL.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use banenlift::app::{App, StartOptions};
use banenlift::outbox::OutboxPosition;

use crate::database::TestDatabase;
use crate::helpers::{TestApp, Workspace, vacancy_body};
use crate::web::Browser;

/// A server process, killed (-9) when dropped.
struct Replica {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Replica {
    /// Starts `serve` on `url` with its own index dir; returns once it
    /// listens and `/health` says ready.
    async fn start(url: &str, index: &std::path::Path, extra: &[&str]) -> Replica {
        let mut child = Command::new(env!("CARGO_BIN_EXE_banenlift"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                url,
                "--index-dir",
            ])
            .arg(index)
            .args(extra)
            .env("RUST_LOG", "info,tantivy=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<String>();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("addr=") {
                    let addr: String = line[at + 5..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .collect();
                    let _ = addr_tx.send(addr);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the replica did not start: {:?}", log.lock().unwrap()));
        let replica = Replica {
            child,
            base: format!("http://{addr}"),
            log,
        };
        replica.wait_until_ready().await;
        replica
    }

    async fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = reqwest::get(format!("{}/health", self.base)).await;
            if health.is_ok_and(|h| h.status() == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "never ready: {:?}",
                self.log.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_lines_with(&self, text: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(text))
            .count()
    }

    /// Waits until a log line holds `text`.
    async fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.log_lines_with(text) == 0 {
            assert!(
                Instant::now() < deadline,
                "no '{text}' in {:?}",
                self.log.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }

    /// Vacancy ids a search for `q` finds here.
    async fn found(&self, q: &str) -> Vec<String> {
        let body: Value = reqwest::Client::new()
            .get(format!("{}/api/v1/vacancies", self.base))
            .query(&[("q", q)])
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
        crate::helpers::hit_ids(&body)
    }

    /// Waits (up to `within`) until a search for `q` finds `id`; returns how long it took.
    async fn wait_to_find(&self, q: &str, id: &str, within: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.found(q).await.iter().any(|hit| hit == id) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < within,
                "{id} not found through {} within {within:?}",
                self.base
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn post_vacancy(&self, token: &str, word: &str) -> reqwest::Result<reqwest::Response> {
        let body = vacancy_body(
            &format!("Magazijnmedewerker {word}"),
            "Je pakt bestellingen in en laadt de bus, in een klein team in Laak.",
        );
        reqwest::Client::new()
            .post(format!("{}/api/v1/vacancies", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The database with reference and demo data, ready for replicas, and a
/// user of `role` with a token and a web password.
async fn prepared(workspace: &Workspace, role: &str) -> (String, String) {
    let index = tempfile::tempdir().expect("dir");
    let app = App::start(&StartOptions {
        database_url: workspace.url().to_string(),
        index_dir: index.path().to_path_buf(),
        demo: true,
        lift_scale: 1.0,
        priority_wijken: Vec::new(),
        retention: None,
        lift_refresh: None,
    })
    .await
    .expect("app starts");
    let store = &app.services.store;
    let organisation = (role == "employer").then_some(crate::helpers::EMPLOYER);
    let (user, token) = banenlift::auth::create_user(store, "Replica Gebruiker", role, organisation)
        .await
        .expect("user");
    let login = format!("replica.{role}");
    banenlift::auth::login::set_password(store, &user.id, &login, "replica-wachtwoord-lang")
        .await
        .expect("password");
    app.stop().await;
    (token, login)
}

fn created_id(body: &Value) -> String {
    body["id"].as_str().expect("created id").to_string()
}

#[tokio::test]
async fn writes_erasures_and_sessions_cross_replicas() {
    let workspace = Workspace::new().await;
    let (employer, _) = prepared(&workspace, "employer").await;
    let (coach, coach_login) = prepared(&workspace, "coach").await;
    let a = Replica::start(workspace.url(), &workspace.dir.path().join("index-a"), &[]).await;
    let b = Replica::start(workspace.url(), &workspace.dir.path().join("index-b"), &[]).await;

    let posted = a.post_vacancy(&employer, "kwartelkoning").await.expect("post");
    assert_eq!(posted.status(), 201);
    let id = created_id(&posted.json().await.unwrap());
    b.wait_to_find("kwartelkoning", &id, Duration::from_secs(1)).await;

    let client = reqwest::Client::new();
    let mut body = crate::residents::resident_body("Ilse Overstap");
    body["consent_confirmed_with_resident"] = serde_json::json!(true);
    let made: Value = client
        .post(format!("{}/api/v1/residents", a.base))
        .bearer_auth(&coach)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let resident = format!("/api/v1/residents/{}", created_id(&made));
    let read = |base: &str| client.get(format!("{base}{resident}")).bearer_auth(&coach).send();
    assert_eq!(read(&b.base).await.unwrap().status(), 200);
    let erased = client
        .delete(format!("{}{resident}", b.base))
        .bearer_auth(&coach)
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 204);
    assert_eq!(
        read(&a.base).await.unwrap().status(),
        404,
        "erased through B, gone through A"
    );

    let browser = Browser::at(&a.base);
    browser
        .log_in(&coach_login, "replica-wachtwoord-lang", "/coach")
        .await;
    let on_b = browser.on(&b.base).get("/coach").await;
    assert_eq!(on_b.status, 200, "the session from A is valid on B");
    assert!(on_b.html.contains("Uitloggen"));
}

#[tokio::test]
async fn a_replica_catches_up_after_downtime_and_rebuilds_after_pruning() {
    let workspace = Workspace::new().await;
    let (employer, _) = prepared(&workspace, "employer").await;
    let index_b = workspace.dir.path().join("index-b");
    let a = Replica::start(workspace.url(), &workspace.dir.path().join("index-a"), &[]).await;
    let b = Replica::start(workspace.url(), &index_b, &[]).await;
    b.kill();

    let posted = a.post_vacancy(&employer, "roerdomp").await.unwrap();
    let while_down = created_id(&posted.json().await.unwrap());
    let b = Replica::start(workspace.url(), &index_b, &[]).await;
    b.wait_to_find("roerdomp", &while_down, Duration::from_secs(5))
        .await;
    assert_eq!(
        b.log_lines_with("rebuilt the search index"),
        0,
        "caught up from the outbox"
    );
    b.kill();

    let posted = a.post_vacancy(&employer, "grutto").await.unwrap();
    let pruned_away = created_id(&posted.json().await.unwrap());
    let store = banenlift::storage::Store::connect(workspace.url()).await.unwrap();
    let pruned = store
        .prune_outbox(banenlift::storage::now_unix() + 60)
        .await
        .unwrap();
    assert!(pruned > 0);
    store.close().await;
    let b = Replica::start(workspace.url(), &index_b, &[]).await;
    b.wait_for_log("rebuilt the search index").await;
    b.wait_to_find("grutto", &pruned_away, Duration::from_secs(5))
        .await;
    b.wait_to_find("roerdomp", &while_down, Duration::from_secs(5))
        .await;
}

/// `kill -9` of the replica that takes the writes loses none it
/// acknowledged: the other serves them all, and the killed one rejoins.
#[tokio::test]
async fn a_replica_killed_during_writes_loses_no_acknowledged_write() {
    let workspace = Workspace::new().await;
    let (employer, _) = prepared(&workspace, "employer").await;
    let index_a = workspace.dir.path().join("index-a");
    let a = Replica::start(workspace.url(), &index_a, &[]).await;
    let b = Replica::start(workspace.url(), &workspace.dir.path().join("index-b"), &[]).await;

    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (base, token) = (a.base.clone(), employer.clone());
    let writer = tokio::spawn(async move {
        let client = reqwest::Client::new();
        for n in 0.. {
            let body = vacancy_body(
                &format!("Orderpicker ijsvogel{n}"),
                "Je verzamelt bestellingen in een koel magazijn, ijsvogel in ploegen.",
            );
            let sent = client
                .post(format!("{base}/api/v1/vacancies"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(answer) if answer.status() == 201 => {
                    let body: Value = answer.json().await.expect("json");
                    let _ = acked_tx.send(created_id(&body));
                }
                _ => return,
            }
        }
    });
    let mut acked = Vec::new();
    while acked.len() < 5 {
        acked.push(acked_rx.recv().await.expect("a write acknowledged"));
    }
    a.kill();
    let _ = writer.await;
    while let Ok(id) = acked_rx.try_recv() {
        acked.push(id);
    }
    for id in &acked {
        b.wait_to_find("ijsvogel", id, Duration::from_secs(5)).await;
    }
    let a = Replica::start(workspace.url(), &index_a, &[]).await;
    for id in &acked {
        a.wait_to_find("ijsvogel", id, Duration::from_secs(5)).await;
    }
}

#[tokio::test]
async fn once_only_jobs_run_once_under_two_replicas() {
    let workspace = Workspace::new().await;
    // Started together on an empty database: the migrator's and the load's
    // locks let one migrate and load, and the other wait (a second load of
    // the same ids would fail its start).
    let (index_a, index_b) = (
        workspace.dir.path().join("index-a"),
        workspace.dir.path().join("index-b"),
    );
    let (a, b) = tokio::join!(
        Replica::start(workspace.url(), &index_a, &[]),
        Replica::start(workspace.url(), &index_b, &[])
    );
    // Both ask at start; give the slower one time to have asked too.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (job, line) in [
        ("retention", "retention purge"),
        ("outbox pruning", "outbox pruned"),
    ] {
        let runs = a.log_lines_with(line) + b.log_lines_with(line);
        assert_eq!(runs, 1, "{job} ran {runs} times");
    }
}

/// With transactions side by side, entry 101 can commit before 100. The
/// index must then wait for 100 instead of recording "done up to 101": a
/// change held back is fine, a change skipped is lost for good.
#[tokio::test]
async fn interleaved_commits_are_all_indexed_and_none_is_skipped() {
    use sqlx::Connection;
    let workspace = Workspace {
        dir: tempfile::tempdir().expect("dir"),
        db: TestDatabase::postgres().await,
    };
    let app = TestApp::spawn_in(workspace).await;
    let open = app.search_ok("vacancies", &[]).await;
    let ids = crate::helpers::hit_ids(&open);
    let (first, second, third) = (&ids[0], &ids[1], &ids[2]);
    let retitle = "UPDATE vacancies SET title = $1 WHERE id = $2";
    let outbox =
        "INSERT INTO outbox (entity, entity_id, created_at) VALUES ('vacancy', $1, now()) RETURNING xid, seq";
    let position = |row: (i64, i64)| OutboxPosition {
        xid: row.0,
        seq: row.1,
    };

    let mut early = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let mut late = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let mut rolled_back = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    sqlx::raw_sql("BEGIN").execute(&mut early).await.unwrap();
    sqlx::query(retitle)
        .bind("Heftruckchauffeur zilverreiger")
        .bind(first)
        .execute(&mut early)
        .await
        .unwrap();
    let early_at = position(
        sqlx::query_as(outbox)
            .bind(first)
            .fetch_one(&mut early)
            .await
            .unwrap(),
    );
    sqlx::raw_sql("BEGIN").execute(&mut rolled_back).await.unwrap();
    let gap_at = position(
        sqlx::query_as(outbox)
            .bind(third)
            .fetch_one(&mut rolled_back)
            .await
            .unwrap(),
    );
    sqlx::raw_sql("BEGIN").execute(&mut late).await.unwrap();
    sqlx::query(retitle)
        .bind("Heftruckchauffeur lepelaar")
        .bind(second)
        .execute(&mut late)
        .await
        .unwrap();
    let late_at = position(
        sqlx::query_as(outbox)
            .bind(second)
            .fetch_one(&mut late)
            .await
            .unwrap(),
    );
    assert!(
        early_at.seq < gap_at.seq && gap_at.seq < late_at.seq,
        "101 after 100"
    );
    sqlx::raw_sql("COMMIT").execute(&mut late).await.unwrap();
    sqlx::raw_sql("ROLLBACK").execute(&mut rolled_back).await.unwrap();

    // The later commit is visible; a few sync rounds pass over it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let reached = app.state.search.committed_position();
    assert!(
        reached < early_at,
        "the index recorded {reached} while {early_at} was still in flight"
    );
    sqlx::raw_sql("COMMIT").execute(&mut early).await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(5);
    for (word, id) in [("zilverreiger", first), ("lepelaar", second)] {
        loop {
            let body = app.search_ok("vacancies", &[("q", word)]).await;
            if crate::helpers::hit_ids(&body).contains(id) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the change to {id} ({word}) was skipped"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(app.state.search.committed_position() >= late_at);
}

/// Behind a load balancer every connection comes from its address. With
/// `--trusted-proxy`, the per-address login limit counts the clients
/// `X-Forwarded-For` names; without it the header is ignored, so a client
/// cannot dodge the limit by writing addresses into it. Both replicas count
/// in the one database.
#[tokio::test]
async fn the_login_limit_counts_real_clients_behind_a_trusted_proxy() {
    use banenlift::auth::login::MAX_FAILURES_PER_ADDRESS;
    let workspace = Workspace::new().await;
    prepared(&workspace, "coach").await;
    let (index_t, index_u) = (
        workspace.dir.path().join("index-t"),
        workspace.dir.path().join("index-u"),
    );
    let (trusting, plain) = tokio::join!(
        Replica::start(workspace.url(), &index_t, &["--trusted-proxy", "127.0.0.1"]),
        Replica::start(workspace.url(), &index_u, &[])
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{}/inloggen", trusting.base))
        .send()
        .await
        .unwrap();
    let csrf = crate::web::csrf_of(&form.text().await.unwrap());
    let attempt = |base: String, forwarded: String, n: i64| {
        let (client, csrf) = (client.clone(), csrf.clone());
        async move {
            let login = format!("onbekend{n}");
            client
                .post(format!("{base}/inloggen"))
                .header("x-forwarded-for", forwarded)
                .form(&[
                    ("login", login.as_str()),
                    ("password", "fout-wachtwoord"),
                    ("csrf", csrf.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for n in 0..MAX_FAILURES_PER_ADDRESS {
        assert_eq!(attempt(trusting.base.clone(), "203.0.113.7".into(), n).await, 401);
    }
    let again = attempt(trusting.base.clone(), "203.0.113.7".into(), 100).await;
    assert_eq!(again, 429, "that client is blocked");
    let other = attempt(trusting.base.clone(), "198.51.100.9".into(), 101).await;
    assert_eq!(other, 401, "another client behind the same proxy is not");

    for n in 0..MAX_FAILURES_PER_ADDRESS {
        assert_eq!(
            attempt(plain.base.clone(), format!("192.0.2.{n}"), 200 + n).await,
            401
        );
    }
    let spoofed = attempt(plain.base.clone(), "192.0.2.250".into(), 300).await;
    assert_eq!(spoofed, 429, "an untrusted X-Forwarded-For is ignored");
}

/// Transaction ids are shared by every database on the server: a long
/// transaction in another database must not hold back this one's index.
#[tokio::test]
async fn a_long_transaction_elsewhere_on_the_server_does_not_hold_back_search() {
    use sqlx::Connection;
    let workspace = Workspace {
        dir: tempfile::tempdir().expect("dir"),
        db: TestDatabase::postgres().await,
    };
    let app = TestApp::spawn_in(workspace).await;
    let elsewhere = TestDatabase::postgres().await;
    let mut holder = sqlx::PgConnection::connect(&elsewhere.url).await.unwrap();
    sqlx::raw_sql("BEGIN; SELECT pg_current_xact_id();")
        .execute(&mut holder)
        .await
        .unwrap();
    let employer = app.token("employer", Some(crate::helpers::EMPLOYER)).await;
    let body = vacancy_body(
        "Koerier tureluur",
        "Je bezorgt pakketten op de fiets in het centrum.",
    );
    let (status, created) = app
        .send(
            reqwest::Method::POST,
            "/api/v1/vacancies",
            Some(&employer),
            Some(&body),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let found = app.search_ok("vacancies", &[("q", "tureluur")]).await;
    assert_eq!(
        crate::helpers::hit_ids(&found),
        [created_id(&created)],
        "searchable when the write returns"
    );
    sqlx::raw_sql("ROLLBACK").execute(&mut holder).await.unwrap();
}
