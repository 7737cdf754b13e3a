use std::path::Path;
use std::process::{Command, Output};

use reqwest::Method;

use crate::helpers::{EMPLOYER, TestApp, vacancy_body};

fn banenlift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banenlift"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("banenlift.db").display())
}

#[tokio::test]
async fn user_add_prints_a_working_token_on_its_last_line() {
    let app = TestApp::spawn().await;
    let url = database_url(app.dir.path());
    let out = banenlift(&[
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
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str| {
        let out_dir = dir.path().join(name);
        let out = banenlift(&[
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
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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

    let url = database_url(dir.path());
    let seeded = banenlift(&["seed", "--from", a.to_str().unwrap(), "--database-url", &url]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let index = dir.path().join("index");
    let reindexed = banenlift(&[
        "reindex",
        "--database-url",
        &url,
        "--index-dir",
        index.to_str().unwrap(),
    ]);
    assert!(
        reindexed.status.success(),
        "{}",
        String::from_utf8_lossy(&reindexed.stderr)
    );
    assert!(String::from_utf8_lossy(&reindexed.stdout).contains("3300 documenten"));

    let store = banenlift::storage::Store::connect(&url).await.unwrap();
    assert_eq!(store.count_residents().await.unwrap(), 500);

    let too_many = banenlift(&["generate", "--vacancies", "1000001", "--out", a.to_str().unwrap()]);
    assert!(!too_many.status.success());
}
