//! The command line. Every flag can also come from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://banenlift.db";

#[derive(Debug, Parser)]
#[command(
    name = "banenlift",
    version,
    about = "Banenlift: werk en opleiding dichtbij, voor elke Haagse wijk",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a command, Banenlift serves with these options.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve(ServeArgs),
    /// Manage users and their API tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage organisations (employers and training providers).
    #[command(subcommand)]
    Org(OrgCommand),
    /// Load the demo data (or a generated set) into the database.
    Seed(SeedArgs),
    /// Rebuild the search index from the database (stop the server first).
    Reindex(StorageArgs),
    /// Write deterministic synthetic offers in the fixtures' format.
    Generate(GenerateArgs),
    /// Erase profiles and views-log entries past their retention period
    /// (a running server does this daily).
    Purge(PurgeArgs),
    /// Measure ingest, rebuild, search, matching, HTTP and memory on
    /// generated data; prints a Markdown table.
    Bench(BenchArgs),
    /// The lift report per wijk or stadsdeel: does work reach the wijken
    /// that need it? Matches every resident first where needed.
    Report(ReportArgs),
    /// Load a feed of vacancies (schema.org JobPosting) or trainings
    /// (schema.org Course), as JSON-LD or CSV; run it again with the next
    /// feed to update
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// JobPostings as a JSON array or one per line (NDJSON), or CSV with
    /// the header in README; upserted by (source, identifier)
    Vacancies(ImportArgs),
    /// schema.org Courses as a JSON array or NDJSON, or CSV with the
    /// training header in README; upserted by (source, identifier)
    Trainings(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The feed: `.csv` is read as CSV, anything else as JSON-LD.
    pub file: PathBuf,
    /// The organisation the offers belong to (its id, such as org-001): an
    /// employer for vacancies, a provider for trainings.
    #[arg(long)]
    pub organisation: String,
    /// The feed's name, with the identifiers unique within it; default:
    /// the organisation, as for postings over the API.
    #[arg(long)]
    pub source: Option<String>,
    /// Close the source's open offers that are not in this feed.
    #[arg(long)]
    pub close_missing: bool,
    /// Where refused entries go, each with its reason; default: beside
    /// the file, as FILE.rejects.csv or FILE.rejects.ndjson.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD); default: a year before `--to`.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, included (YYYY-MM-DD); default: today.
    #[arg(long)]
    pub to: Option<String>,
    /// wijk or stadsdeel.
    #[arg(long, default_value = "wijk")]
    pub level: String,
    /// Lowest match score (1-100) that counts as a good match.
    #[arg(long)]
    pub threshold: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Priority wijken (codes or names, comma separated); default: the
    /// city's focus areas of the Wijkaanpak.
    #[arg(long, env = "BANENLIFT_PRIORITY_WIJKEN", value_delimiter = ',')]
    pub priority_wijken: Vec<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BenchSize {
    /// 5,000 vacancies: checks the harness (CI).
    Smoke,
    /// 100,000 vacancies, 10,000 trainings, 100,000 residents.
    City,
    /// 1,000,000 vacancies, 50,000 trainings, 1,000,000 residents.
    National,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(long, value_enum, default_value = "city")]
    pub size: BenchSize,
    /// Runs per figure; the table shows medians.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Keep the generated data, database and index here (default: a
    /// temporary directory, removed afterwards).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Measure on this database instead of SQLite files in the bench dir,
    /// e.g. an empty PostgreSQL database. It must hold no offers or
    /// residents; the bench loads it once. Not read from `DATABASE_URL`,
    /// so that a bench never writes into a production database by accident.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Measure one phase only, for example to take a profile of it. With
    /// `--dir`, a later phase reuses the database and index an earlier
    /// run of the same size and seed left there.
    #[arg(long, value_enum)]
    pub only: Option<BenchPhase>,
    /// Also run the same searches through SQLite FTS5 and PostgreSQL's
    /// full-text search, and print them side by side with ours and raw
    /// tantivy.
    #[arg(long)]
    pub compare: bool,
    /// The PostgreSQL server for `--compare`; the bench creates and drops
    /// a scratch database `banenlift_bench_fulltext_<pid>` on it.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub compare_postgres_url: String,
}

/// The bench's phases, in the order a full run measures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchPhase {
    /// Offers through the import path into the database and the index.
    Ingest,
    /// Residents' profiles imported, skills normalised.
    Residents,
    /// The vacancies as a JobPosting feed through `import vacancies`.
    Feed,
    /// The index rebuilt from the database.
    Rebuild,
    /// Search in-process, ours and raw tantivy.
    Search,
    /// The search phase, and the same searches through SQLite FTS5 and
    /// PostgreSQL full-text search beside it (`--compare`).
    Compare,
    /// Skill suggestions for typed words.
    Skills,
    /// One resident's matches.
    Matches,
    /// Candidates for a vacancy.
    Candidates,
    /// The lift report's match summaries, every resident.
    Refresh,
    /// Throughput, write → searchable and memory over HTTP.
    Http,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// `sqlite://PATH` (created when missing).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory of the search index (derived data; safe to delete).
    #[arg(long, env = "BANENLIFT_INDEX_DIR", default_value = "index")]
    pub index_dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, env = "BANENLIFT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Do not load the demo data into an empty database.
    #[arg(long, env = "BANENLIFT_NO_DEMO")]
    pub no_demo: bool,
    /// Social-lift scale for matching: 1 (default) to 0 (off).
    #[arg(long, env = "BANENLIFT_LIFT_SCALE", default_value_t = 1.0)]
    pub lift_scale: f64,
    /// Priority wijken (codes or names, comma separated); default: the
    /// city's focus areas of the Wijkaanpak.
    #[arg(long, env = "BANENLIFT_PRIORITY_WIJKEN", value_delimiter = ',')]
    pub priority_wijken: Vec<String>,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Mark session cookies `Secure`: set this when users reach the service
    /// over HTTPS (for example behind a TLS-terminating proxy).
    #[arg(long, env = "BANENLIFT_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Load balancers or reverse proxies (addresses or networks, comma
    /// separated) whose `X-Forwarded-For` header names the client. Without
    /// it the header is ignored, and behind a proxy every client would
    /// share the proxy's login limit.
    #[arg(long = "trusted-proxy", env = "BANENLIFT_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Minutes between background refreshes of the lift report's match
    /// summaries (matching every resident); 0 turns them off, leaving it to
    /// report requests and `banenlift report`.
    #[arg(long, env = "BANENLIFT_LIFT_REFRESH_MINUTES", default_value_t = 60)]
    pub lift_refresh_minutes: u64,
    /// Web origins (such as `https://data.example.nl`), comma separated,
    /// whose pages may call the API from a browser. None by default, so
    /// browsers refuse cross-origin calls.
    #[arg(long = "cors-origin", env = "BANENLIFT_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
    /// Where users reach the service, such as `https://werk.denhaag.nl`:
    /// the start of absolute links in the sitemap and the change feed.
    /// Default: `http://` and the address it listens on.
    #[arg(long, env = "BANENLIFT_PUBLIC_URL", value_parser = parse_origin)]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub connections: ConnectionArgs,
}

/// Deadlines and a cap on client connections, so that idle or slow clients
/// cannot exhaust the server's file descriptors.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Seconds a client has to send a complete request head, counted from
    /// when the server starts waiting for it (also between requests).
    #[arg(long, env = "BANENLIFT_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout_secs: u64,
    /// Seconds a keep-alive connection may stay silent between requests
    /// before it is closed; at most the header timeout.
    #[arg(long, env = "BANENLIFT_IDLE_TIMEOUT_SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub idle_timeout_secs: u64,
    /// Open connections at most; further clients wait until one closes.
    #[arg(long, env = "BANENLIFT_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a new API token as the last line.
    Add(UserAddArgs),
    /// Issue, list and revoke a user's API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Set a user's web login name and password; the password is read from
    /// standard input (never from the command line, where `ps` shows it).
    Password(UserPasswordArgs),
    /// Set the work phone and e-mail that a coach's clients may choose to
    /// share with an employer ("via mijn werkcoach").
    Contact(UserContactArgs),
    /// Print a one-time link (valid for a day) with which the user chooses
    /// a new login and password; hand it over yourself, there is no e-mail.
    ResetLink(UserResetLinkArgs),
}

#[derive(Debug, Args)]
pub struct UserResetLinkArgs {
    /// The user's id (`usr-…`).
    #[arg(long)]
    pub user: String,
    /// The address residents use to reach Banenlift; the link starts with it.
    #[arg(long, env = "BANENLIFT_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct UserContactArgs {
    /// The user's id (`usr-…`).
    #[arg(long)]
    pub user: String,
    /// A phone number, such as "070 123 4567"; empty clears it.
    #[arg(long)]
    pub phone: Option<String>,
    /// An e-mail address; empty clears it.
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an employer or training provider; prints its new id.
    Add(OrgAddArgs),
}

#[derive(Debug, Args)]
pub struct OrgAddArgs {
    #[arg(long)]
    pub name: String,
    /// employer or provider.
    #[arg(long)]
    pub kind: String,
    /// The sector code, as in the search filters (logistiek, zorg, …).
    #[arg(long)]
    pub sector: String,
    /// The wijk (code or name) where it is based.
    #[arg(long)]
    pub wijk: String,
    /// A member of the local alliance of the Wijkaanpak.
    #[arg(long)]
    pub alliance: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct UserPasswordArgs {
    /// The user's id (`usr-…`).
    #[arg(long)]
    pub user: String,
    /// The name to log in with: 3 to 64 letters, digits or . _ @ -.
    #[arg(long)]
    pub login: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue another token for a user; prints it as the last line.
    Create(TokenCreateArgs),
    /// List a user's tokens (ids and dates; never the tokens themselves).
    List(TokenListArgs),
    /// Revoke a token by its id (`tok-…`), at once.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The user's id (`usr-…`).
    #[arg(long)]
    pub user: String,
    /// Days until the token expires.
    #[arg(long, default_value_t = crate::auth::DEFAULT_TOKEN_DAYS)]
    pub days: u32,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct TokenListArgs {
    #[arg(long)]
    pub user: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    /// The token's id, as `user token list` shows it.
    pub token_id: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// How long personal data is kept (AVG: storage limitation).
#[derive(Debug, Clone, Copy, Args)]
pub struct RetentionArgs {
    /// Profiles unused for this many months are erased.
    #[arg(long, env = "BANENLIFT_PROFILE_RETENTION_MONTHS", default_value_t = 24,
          value_parser = clap::value_parser!(u32).range(1..=120))]
    pub profile_retention_months: u32,
    /// Views-log entries are kept this many months (at least 6).
    #[arg(long, env = "BANENLIFT_AUDIT_RETENTION_MONTHS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(6..=120))]
    pub audit_retention_months: u32,
}

impl RetentionArgs {
    pub fn policy(&self) -> crate::privacy::retention::Retention {
        crate::privacy::retention::Retention {
            profile_months: self.profile_retention_months,
            audit_months: self.audit_retention_months,
        }
    }
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    #[command(flatten)]
    pub retention: RetentionArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub name: String,
    /// admin, employer, provider, coach, jobseeker or analyst.
    #[arg(long)]
    pub role: String,
    /// The organisation of an employer or provider.
    #[arg(long)]
    pub org: Option<String>,
    /// Days until the token expires.
    #[arg(long, default_value_t = crate::auth::DEFAULT_TOKEN_DAYS)]
    pub days: u32,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// A directory written by `banenlift generate`; without it, the demo data.
    #[arg(long)]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 1000)]
    pub vacancies: usize,
    #[arg(long, default_value_t = 100)]
    pub trainings: usize,
    #[arg(long, default_value_t = 0)]
    pub residents: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write the lift report's demo year (residents, past vacancies,
    /// outcomes) instead of offers at scale.
    #[arg(long)]
    pub demo_year: bool,
    #[arg(long)]
    pub out: PathBuf,
}

/// A proxy as configured: one address (`10.0.0.5`) or a network
/// (`10.0.0.0/24`).
pub fn parse_proxy(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{text}' is no IP address or network (like 10.0.0.5 or 10.0.0.0/24)"))
}

/// A web origin as browsers send it: `scheme://host[:port]`, lower case,
/// with no path, query or user.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let refused = || format!("'{text}' is no web origin (like https://data.example.nl, without a path)");
    let url = url::Url::parse(text).map_err(|_| refused())?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    if !plain {
        return Err(refused());
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod parse_tests {
    use super::{parse_origin, parse_proxy};

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin(" https://Data.Example.nl/ ").unwrap(),
            "https://data.example.nl"
        );
        assert_eq!(
            parse_origin("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        for refused in [
            "data.example.nl",
            "ftp://example.nl",
            "https://example.nl/api",
            "https://example.nl/?a=1",
            "https://user@example.nl",
            "*",
        ] {
            assert!(parse_origin(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn proxies_are_addresses_or_networks() {
        assert_eq!(parse_proxy("10.0.0.5").unwrap().to_string(), "10.0.0.5/32");
        assert_eq!(parse_proxy(" 10.0.0.0/24 ").unwrap().to_string(), "10.0.0.0/24");
        assert!(parse_proxy("10.0.0.0/33").is_err());
        assert!(parse_proxy("proxy.example").is_err());
    }
}
