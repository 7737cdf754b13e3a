//! The HTTP figures, against a real `banenlift serve` child process on
//! loopback: throughput and latency at several concurrencies, how long a
//! write takes to become searchable, and the server's peak memory.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{Caseload, Percentiles, Report, percentiles, queries};
use crate::auth::create_user;
use crate::storage::Store;

const CONCURRENCIES: [usize; 3] = [1, 16, 64];
const WRITES: usize = 30;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts a replica and waits until `/health` says it is ready, which
    /// includes building its index if `index_dir` is new.
    async fn start(url: &str, index_dir: &std::path::Path) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(std::env::current_exe()?)
            .args([
                "serve",
                "--no-demo",
                // Matching every resident for the lift report would take
                // the CPU the figures measure.
                "--lift-refresh-minutes",
                "0",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                url,
                "--index-dir",
            ])
            .arg(index_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client
                .get(format!("{}/health", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the server was not ready within a minute")
    }

    /// Peak resident memory (VmHWM) in MB.
    fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }
}

pub async fn over_http(
    url: &str,
    index_dir: &std::path::Path,
    seconds: u64,
    seed: u64,
    caseload: &Caseload,
    report: &mut Report,
) -> anyhow::Result<()> {
    let store = Store::connect(url).await?;
    let employer_org = store
        .any_organisation("employer")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no employer"))?;
    let (_, employer) = create_user(&store, "Bench werkgever", "employer", Some(&employer_org)).await?;
    store.close().await;
    let server = Server::start(url, index_dir).await?;
    let search_url = format!("{}/api/v1/vacancies", server.base);
    let mix: Vec<String> = queries::mix(super::QUERY_MIX, seed)
        .iter()
        .map(|p| reqwest::Url::parse_with_params(&search_url, queries::query_string(p)).map(String::from))
        .collect::<Result<_, _>>()?;
    let match_urls: Vec<String> = caseload
        .residents
        .iter()
        .map(|id| format!("{}/api/v1/residents/{id}/matches?limit=20", server.base))
        .collect();
    for (name, urls) in [("search", &mix), ("matches", &match_urls)] {
        for concurrency in CONCURRENCIES {
            let (throughput, latency) =
                load(urls, &caseload.token, concurrency, Duration::from_secs(seconds)).await?;
            report.add(
                format!("HTTP {name}, concurrency {concurrency}"),
                format!(
                    "{throughput:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
                    latency.p50, latency.p99
                ),
            );
        }
    }
    let latency = write_to_searchable(&server, &server, &employer, "a").await?;
    report.add(
        format!("write → searchable over HTTP ({WRITES} writes)"),
        format!("p50 {:.1} ms, p99 {:.1} ms", latency.p50, latency.p99),
    );
    let rss = server
        .peak_rss_mb()
        .map_or_else(|| "unavailable".to_string(), |mb| format!("{mb:.0} MB"));
    report.add("server peak RSS (VmHWM) after the runs above", rss);
    report.add(
        format!("write → searchable across two replicas ({WRITES} writes on A, searched on B)"),
        across_replicas(url, index_dir, &server, &employer).await?,
    );
    Ok(())
}

/// Replicas share a PostgreSQL database; a second replica, with an index of
/// its own, reads what the first one writes from the outbox.
async fn across_replicas(
    url: &str,
    index_dir: &std::path::Path,
    writer: &Server,
    token: &str,
) -> anyhow::Result<String> {
    if !url.starts_with("postgres") {
        return Ok("not measured: replicas need PostgreSQL".to_string());
    }
    let reader_index = index_dir.with_file_name("index-replica-b");
    let reader = Server::start(url, &reader_index).await?;
    let latency = write_to_searchable(writer, &reader, token, "b").await?;
    drop(reader);
    std::fs::remove_dir_all(&reader_index)?;
    Ok(format!("p50 {:.1} ms, p99 {:.1} ms", latency.p50, latency.p99))
}

/// `concurrency` clients cycling through `urls` until the time is up.
async fn load(
    urls: &[String],
    token: &str,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<(f64, Percentiles)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, urls, token) = (client.clone(), urls.to_vec(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut i = worker;
            while Instant::now() < deadline {
                let url = &urls[i % urls.len()];
                let sent = Instant::now();
                let response = client.get(url).bearer_auth(&token).send().await?;
                anyhow::ensure!(response.status().is_success(), "{url}: {}", response.status());
                response.bytes().await?;
                samples.push(sent.elapsed());
                i += concurrency;
            }
            anyhow::Ok(samples)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await??);
    }
    let throughput = all.len() as f64 / started.elapsed().as_secs_f64();
    Ok((throughput, percentiles(all)))
}

/// From sending a new vacancy to `writer` until a search on `reader` finds
/// it. `series` keeps the words of one series apart from another's.
async fn write_to_searchable(
    writer: &Server,
    reader: &Server,
    token: &str,
    series: &str,
) -> anyhow::Result<Percentiles> {
    let client = reqwest::Client::new();
    let mut samples = Vec::new();
    for n in 0..WRITES {
        let word = format!("benchwoord{series}{}", letters(n));
        let body = serde_json::json!({
            "title": format!("Medewerker {word}"),
            "description": "Een vacature die de benchmark aanmaakt om te meten wanneer hij vindbaar is.",
            "sector": "logistiek", "contract": "tijdelijk", "hours_min": 24, "hours_max": 36,
            "education": "geen", "dutch_level": "A2", "wijk": "Laakkwartier en Spoorwijk", "apply_email": "bench@voorbeeld.example"
        });
        let started = Instant::now();
        let response = client
            .post(format!("{}/api/v1/vacancies", writer.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "write refused: {}",
            response.status()
        );
        let created: serde_json::Value = response.json().await?;
        let id = created["id"].clone();
        anyhow::ensure!(id.is_string(), "the created vacancy has no id");
        // A word the index does not know yet is "corrected" to its nearest
        // neighbour (an earlier write), so only the new id itself counts.
        loop {
            let found: serde_json::Value = client
                .get(format!("{}/api/v1/vacancies", reader.base))
                .query(&[("q", &word)])
                .send()
                .await?
                .json()
                .await?;
            let hits = found["hits"].as_array().map_or(&[][..], Vec::as_slice);
            if hits.iter().any(|hit| hit["id"] == id) {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(10),
                "not searchable after 10 s"
            );
        }
        samples.push(started.elapsed());
    }
    Ok(percentiles(samples))
}

/// A distinct letters-only word part per write ("a", "b", … "ba"), so the
/// tokenizer keeps it whole.
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
