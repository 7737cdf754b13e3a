use banenlift::app::{App, StartOptions};
use banenlift::geo::Point;
use banenlift::web::{AppState, ConnectionLimits, serve_with_limits};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub use crate::database::{TestDatabase, Workspace};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pub db: TestDatabase,
    app: Option<App>,
    stop_server: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// A fresh database with the reference and demo data, a fresh index.
    pub async fn spawn() -> TestApp {
        Self::spawn_in(Workspace::new().await).await
    }

    /// A fresh database with the reference data only.
    pub async fn spawn_without_demo() -> TestApp {
        let workspace = Workspace::new().await;
        let options = StartOptions {
            demo: false,
            ..options(&workspace)
        };
        Self::start(workspace, &options).await
    }

    /// On a database and dir that a test prepared (or a stopped app left).
    pub async fn spawn_in(workspace: Workspace) -> TestApp {
        let options = options(&workspace);
        Self::start(workspace, &options).await
    }

    /// With the demo data, served under these connection limits.
    pub async fn spawn_with_limits(limits: ConnectionLimits) -> TestApp {
        let workspace = Workspace::new().await;
        let options = options(&workspace);
        Self::start_with(workspace, &options, limits, &[]).await
    }

    /// With the demo data, letting browsers call the API from these origins.
    pub async fn spawn_with_cors(origins: &[&str]) -> TestApp {
        let workspace = Workspace::new().await;
        let options = options(&workspace);
        let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
        Self::start_with(workspace, &options, ConnectionLimits::default(), &origins).await
    }

    async fn start(workspace: Workspace, options: &StartOptions) -> TestApp {
        Self::start_with(workspace, options, ConnectionLimits::default(), &[]).await
    }

    async fn start_with(
        workspace: Workspace,
        options: &StartOptions,
        limits: ConnectionLimits,
        cors_origins: &[String],
    ) -> TestApp {
        let Workspace { dir, db } = workspace;
        let app = App::start(options).await.expect("app starts");
        // A new index is built in the background; tests start on a full one.
        while app.services.search.is_rebuilding() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop_server, stopped) = oneshot::channel::<()>();
        let state = AppState::new(app.services.clone(), false, &base).with_cors_origins(cors_origins);
        let server = tokio::spawn(serve_with_limits(listener, state.clone(), limits, async {
            let _ = stopped.await;
        }));
        TestApp {
            base,
            client: reqwest::Client::new(),
            state,
            dir,
            db,
            app: Some(app),
            stop_server: Some(stop_server),
            server: Some(server),
        }
    }

    /// Stops the server and the index sync; keeps the files and database.
    pub async fn stop(mut self) -> Workspace {
        if let Some(stop) = self.stop_server.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server ran");
        }
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        Workspace {
            dir: self.dir,
            db: self.db,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        read(response).await
    }

    pub async fn get_with(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, Some(token), None).await
    }

    /// GET with query parameters, encoded properly.
    pub async fn search(&self, kind: &str, params: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self
            .client
            .get(format!("{}/api/v1/{kind}", self.base))
            .query(params)
            .send()
            .await
            .expect("request");
        read(response).await
    }

    pub async fn search_ok(&self, kind: &str, params: &[(&str, &str)]) -> Value {
        let (status, body) = self.search(kind, params).await;
        assert_eq!(status, StatusCode::OK, "{params:?}: {body}");
        body
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        read(request.send().await.expect("request")).await
    }

    /// Creates a resident profile; panics unless it is created. A coach
    /// who creates it is taken to have agreed consent with the resident
    /// (`privacy::withdrawn_consent…` tests the refusal without it).
    pub async fn create_resident(&self, token: &str, body: &Value) -> Value {
        let mut body = body.clone();
        body["consent_confirmed_with_resident"] = json!(true);
        let (status, created) = self
            .send(
                reqwest::Method::POST,
                "/api/v1/residents",
                Some(token),
                Some(&body),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created
    }

    /// A resident's matches (any status is a test failure but 200).
    pub async fn matches(&self, resident: &Value, token: &str, query: &str) -> Value {
        let id = resident["id"].as_str().expect("resident id");
        let (status, body) = self
            .get_with(&format!("/api/v1/residents/{id}/matches?{query}"), token)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// A user with an API token, made the way `banenlift user add` does.
    pub async fn token(&self, role: &str, organisation: Option<&str>) -> String {
        let (_, token) =
            banenlift::auth::create_user(&self.state.store, "Test Gebruiker", role, organisation)
                .await
                .expect("user created");
        token
    }
}

fn options(workspace: &Workspace) -> StartOptions {
    StartOptions {
        database_url: workspace.url().to_string(),
        index_dir: workspace.dir.path().join("index"),
        demo: true,
        lift_scale: 1.0,
        priority_wijken: Vec::new(),
        retention: None,
        lift_refresh: None,
    }
}

async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

pub fn hits(body: &Value) -> &Vec<Value> {
    body["hits"].as_array().expect("hits array")
}

pub fn hit_ids(body: &Value) -> Vec<String> {
    hits(body)
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

pub fn total(body: &Value) -> u64 {
    body["total"].as_u64().expect("total")
}

/// Haversine written out again here, independent of the code under test.
pub fn km_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

pub fn point(p: Point) -> (f64, f64) {
    (p.lat, p.lon)
}

/// The organisation id of the first demo employer, and of a second one.
pub const EMPLOYER: &str = "org-001";
pub const OTHER_EMPLOYER: &str = "org-002";

/// A valid vacancy body; tests change what they need.
pub fn vacancy_body(title: &str, description: &str) -> Value {
    json!({
        "title": title,
        "description": description,
        "sector": "logistiek",
        "contract": "tijdelijk",
        "hours_min": 24,
        "hours_max": 36,
        "education": "geen",
        "dutch_level": "A2",
        "salary_min": 14.5,
        "salary_max": 16.0,
        "salary_period": "uur",
        "wijk": "Schildersbuurt",
        "apply": "Vraag naar Fatima.",
        "apply_email": "werk@voorbeeld.example",
        "apply_phone": "070-000 0000",
        "skills_required": ["Heftruck rijden"],
        "skills_optional": ["orderpicken"]
    })
}

/// The `field` of each entry of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect()
}

/// The string at `key` of each object in `list`.
pub fn strings_at(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|item| {
            item.pointer(key)
                .and_then(Value::as_str)
                .expect("string")
                .to_string()
        })
        .collect()
}
