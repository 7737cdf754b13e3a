//! What each command does.

use std::io::Write;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::app::{App, StartOptions};
use crate::auth;
use crate::config::{
    Cli, Command, GenerateArgs, ImportArgs, ImportCommand, OrgAddArgs, OrgCommand, PurgeArgs, ReportArgs,
    ReportFormat, SeedArgs, ServeArgs, StorageArgs, TokenCommand, UserAddArgs, UserCommand, UserContactArgs,
    UserPasswordArgs, UserResetLinkArgs,
};
use crate::fixtures::{self, OfferSet};
use crate::generate;
use crate::offers::course::Trainings;
use crate::offers::import::FeedKind;
use crate::offers::indexing::{DocSource, rebuild};
use crate::offers::jobposting::Vacancies;
use crate::search::SearchIndex;
use crate::storage::Store;
use crate::web::client::TrustedProxies;
use crate::web::{AppState, ConnectionLimits, serve_with_limits};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => run_server(cli.serve).await,
        Some(Command::Serve(args)) => run_server(args).await,
        Some(Command::User(UserCommand::Add(args))) => add_user(args).await,
        Some(Command::User(UserCommand::Token(command))) => token(command).await,
        Some(Command::User(UserCommand::Password(args))) => set_password(args).await,
        Some(Command::User(UserCommand::Contact(args))) => set_contact(args).await,
        Some(Command::User(UserCommand::ResetLink(args))) => reset_link(args).await,
        Some(Command::Org(OrgCommand::Add(args))) => add_organisation(args).await,
        Some(Command::Purge(args)) => purge(args).await,
        Some(Command::Seed(args)) => seed(args).await,
        Some(Command::Reindex(args)) => reindex(args).await,
        Some(Command::Generate(args)) => generate_files(args),
        Some(Command::Report(args)) => report(args).await,
        Some(Command::Import(ImportCommand::Vacancies(args))) => import_feed::<Vacancies>(args).await,
        Some(Command::Import(ImportCommand::Trainings(args))) => import_feed::<Trainings>(args).await,
        Some(Command::Bench(args)) => {
            println!("{}", crate::bench::run(args).await?);
            Ok(())
        }
    }
}

async fn run_server(args: ServeArgs) -> anyhow::Result<()> {
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(args.connections.header_timeout_secs),
        idle_timeout: Duration::from_secs(args.connections.idle_timeout_secs),
        max_connections: usize::try_from(args.connections.max_connections).unwrap_or(usize::MAX),
    };
    limits.check().map_err(anyhow::Error::msg)?;
    let app = App::start(&StartOptions {
        database_url: args.storage.database.database_url,
        index_dir: args.storage.index_dir,
        demo: !args.no_demo,
        lift_scale: args.lift_scale,
        priority_wijken: args.priority_wijken,
        retention: Some(args.retention.policy()),
        lift_refresh: (args.lift_refresh_minutes > 0)
            .then(|| Duration::from_secs(60 * args.lift_refresh_minutes)),
    })
    .await?;
    let listener = TcpListener::bind(args.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "Banenlift luistert / listening");
    let public_url = match &args.public_url {
        Some(url) => url.clone(),
        None => format!("http://{}", listener.local_addr()?),
    };
    let state = AppState::new(app.services.clone(), args.secure_cookies, &public_url)
        .with_trusted_proxies(TrustedProxies::new(args.trusted_proxies.clone()))
        .with_cors_origins(&args.cors_origins);
    serve_with_limits(listener, state, limits, shutdown_signal()).await?;
    app.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Shows how far an import is: a bar on a terminal, plain lines in a log.
struct ImportProgress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
}

impl ImportProgress {
    fn new(total: usize, noun: &str) -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {noun} ({{per_sec}}, nog {{eta}})"
            )) {
                bar.set_style(style);
            }
            bar
        });
        Self { bar, total }
    }
}

impl crate::offers::import::Progress for ImportProgress {
    fn advanced(&self, done: usize) {
        match &self.bar {
            Some(bar) => bar.set_position(done as u64),
            None => eprintln!(
                "{done} van {} gelezen / {done} of {} read",
                self.total, self.total
            ),
        }
    }
}

async fn import_feed<K: FeedKind>(args: ImportArgs) -> anyhow::Result<()> {
    use crate::offers::import;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("kan {} niet lezen / cannot read the file", args.file.display()))?;
    let csv = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let feed = import::read_feed::<K>(&text, csv)?;
    drop(text);
    let store = Store::connect(&args.database.database_url).await?;
    fixtures::ensure_reference(&store).await?;
    let source = DocSource::load(&store).await?;
    let options = import::ImportOptions {
        source: args.source.unwrap_or_else(|| args.organisation.clone()),
        organisation: args.organisation,
        close_missing: args.close_missing,
    };
    let progress = ImportProgress::new(feed.records.len(), K::NOUN);
    let outcome = import::import::<K>(&store, &source.context(), &options, feed.records, &progress).await;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    store.close().await;
    let outcome = outcome?;
    let rejects = args.rejects.unwrap_or_else(|| {
        let mut name = args.file.clone().into_os_string();
        name.push(if csv { ".rejects.csv" } else { ".rejects.ndjson" });
        name.into()
    });
    if outcome.rejected.is_empty() {
        // Last night's rejects must not read as tonight's.
        let _ = std::fs::remove_file(&rejects);
    } else {
        std::fs::write(
            &rejects,
            import::rejects_file(feed.header.as_deref(), &outcome.rejected),
        )?;
    }
    let s = &outcome.summary;
    println!(
        "Klaar / done: {} nieuw (created), {} bijgewerkt (updated), {} ongewijzigd (unchanged), {} gesloten (closed), {} afgewezen (rejected)",
        s.created, s.updated, s.unchanged, s.closed, s.rejected
    );
    if !outcome.rejected.is_empty() {
        println!(
            "Afgewezen, met de reden / rejected, with the reason: {}",
            rejects.display()
        );
    }
    Ok(())
}

async fn add_organisation(args: OrgAddArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    fixtures::ensure_reference(&store).await?;
    let created = crate::offers::create_organisation(
        &store,
        &args.name,
        &args.kind,
        &args.sector,
        &args.wijk,
        args.alliance,
    )
    .await;
    store.close().await;
    let row = created?;
    println!(
        "Organisatie toegevoegd / organisation added: {} ({}, {})",
        row.id, row.name, row.kind
    );
    Ok(())
}

async fn set_password(args: UserPasswordArgs) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    let store = Store::connect(&args.database.database_url).await?;
    let outcome = auth::login::set_password(&store, &args.user, &args.login, password).await;
    store.close().await;
    outcome?;
    println!(
        "Wachtwoord ingesteld / password set: {} logs in as '{}'",
        args.user,
        args.login.trim().to_lowercase()
    );
    Ok(())
}

async fn reset_link(args: UserResetLinkArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    let outcome = auth::login::issue_reset(&store, &args.user, "command line").await;
    store.close().await;
    let code = outcome?;
    println!(
        "Link voor een nieuw wachtwoord, één keer te gebruiken en 24 uur geldig / one-time reset link, valid for 24 hours:"
    );
    println!(
        "{}{}",
        args.base_url.trim_end_matches('/'),
        auth::login::reset_path(&code)
    );
    Ok(())
}

async fn set_contact(args: UserContactArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    let outcome = auth::set_contact(&store, &args.user, args.phone.as_deref(), args.email.as_deref()).await;
    store.close().await;
    let contact = outcome?;
    println!(
        "Contactgegevens opgeslagen / contact details saved: {} — telefoon {}, e-mail {}",
        args.user,
        contact.phone.as_deref().unwrap_or("-"),
        contact.email.as_deref().unwrap_or("-")
    );
    Ok(())
}

async fn add_user(args: UserAddArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    fixtures::ensure_reference(&store).await?;
    let created = auth::create_user_for(&store, &args.name, &args.role, args.org.as_deref(), args.days).await;
    store.close().await;
    let (user, token) = created?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Gebruiker aangemaakt / user created: {} ({}, {})",
        user.id, user.name, user.role
    )?;
    writeln!(out, "API-token (wordt maar één keer getoond / shown only once):")?;
    writeln!(out, "{token}")?;
    Ok(())
}

async fn token(command: TokenCommand) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        TokenCommand::Create(args) => {
            let store = Store::connect(&args.database.database_url).await?;
            let issued = auth::issue_token(&store, &args.user, args.days).await;
            store.close().await;
            let (id, token) = issued?;
            writeln!(
                out,
                "Token {id} voor / for {} ({} dagen / days):",
                args.user, args.days
            )?;
            writeln!(out, "{token}")?;
        }
        TokenCommand::List(args) => {
            let store = Store::connect(&args.database.database_url).await?;
            let tokens = store.tokens_of(&args.user).await;
            store.close().await;
            writeln!(out, "id\tcreated_at\texpires_at\trevoked_at")?;
            for t in tokens? {
                let date = |t: Option<i64>| t.map_or_else(|| "-".to_string(), crate::privacy::timestamp);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    t.id,
                    date(Some(t.created_at)),
                    date(t.expires_at),
                    date(t.revoked_at)
                )?;
            }
        }
        TokenCommand::Revoke(args) => {
            let store = Store::connect(&args.database.database_url).await?;
            let revoked = store.revoke_token(&args.token_id).await;
            store.close().await;
            anyhow::ensure!(revoked?, "no active token '{}'", args.token_id);
            writeln!(out, "Ingetrokken / revoked: {}", args.token_id)?;
        }
    }
    Ok(())
}

async fn purge(args: PurgeArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    let purged =
        crate::privacy::retention::purge(&store, &args.retention.policy(), crate::storage::now_unix()).await;
    store.close().await;
    let purged = purged?;
    println!(
        "Verwijderd / erased: {} profielen / profiles, {} logregels / log entries",
        purged.profiles, purged.views
    );
    Ok(())
}

/// Loads the whole set in one transaction: an interrupted seed leaves
/// nothing behind, and running it again completes it.
async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    let seeded = seed_into(&store, args.from.as_deref()).await;
    store.close().await;
    match seeded {
        Ok(true) => println!(
            "Klaar. Een draaiende server pikt de wijzigingen op; anders bouwt 'reindex' of de volgende start de index bij."
        ),
        Ok(false) => println!(
            "De database heeft al gegevens; demo niet geladen. / The database already has data; demo not loaded."
        ),
        Err(e) if is_duplicate(&e) => anyhow::bail!(
            "deze gegevens staan al (deels) in de database: dezelfde id's bestaan al; er is niets veranderd / this set overlaps data already in the database (same ids); nothing was changed"
        ),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn is_duplicate(error: &anyhow::Error) -> bool {
    matches!(error.downcast_ref(), Some(fixtures::FixtureError::Store(e)) if e.is_unique_violation())
}

/// Whether anything was loaded: the demo is only loaded into an empty
/// database.
async fn seed_into(store: &Store, from: Option<&std::path::Path>) -> anyhow::Result<bool> {
    fixtures::ensure_reference(store).await?;
    let source = DocSource::load(store).await?;
    let Some(dir) = from else {
        return Ok(fixtures::load_demo_if_empty(store, &source.context()).await?);
    };
    let set = OfferSet::from_dir(dir)?;
    let residents = dir.join("residents.jsonl");
    let residents = if residents.exists() {
        Some(std::fs::read_to_string(&residents).with_context(|| format!("{}", residents.display()))?)
    } else {
        None
    };
    let mut load = store.begin_load().await?;
    fixtures::load_offers(&mut load, &set).await?;
    if let Some(text) = &residents {
        fixtures::load_residents(&mut load, &source.context(), "residents.jsonl", text).await?;
    }
    load.commit().await?;
    Ok(true)
}

async fn reindex(args: StorageArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database.database_url).await?;
    fixtures::ensure_reference(&store).await?;
    let source = DocSource::load(&store).await?;
    let opened = SearchIndex::open(&args.index_dir, source.vocabulary.skill_names())?;
    let started = std::time::Instant::now();
    let (_, count) = rebuild(&source, opened.indexer).await?;
    store.close().await;
    println!(
        "Index herbouwd / rebuilt: {count} documenten in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn generate_files(args: GenerateArgs) -> anyhow::Result<()> {
    let written = if args.demo_year {
        crate::fixtures::lift_year::write(&args.out, args.seed)?
    } else {
        generate::write(&args)?
    };
    println!("{written}");
    Ok(())
}

/// Runs on its own index, rebuilt from the database in a scratch
/// directory: a running server holds the index's only writer.
async fn report(args: ReportArgs) -> anyhow::Result<()> {
    let params = crate::lift::LiftParams {
        from: args.from,
        to: args.to,
        level: Some(args.level),
        threshold: args.threshold,
        ..Default::default()
    };
    let request = crate::lift::ReportRequest::parse(&params).map_err(|e| match e {
        crate::error::AppError::Validation(fields) => {
            let messages: Vec<String> = fields
                .iter()
                .map(|f| format!("--{}: {}", f.field, f.message))
                .collect();
            anyhow::anyhow!(messages.join("\n"))
        }
        other => anyhow::anyhow!(other.detail()),
    })?;
    let scratch = std::env::temp_dir().join(format!("banenlift-report-{}", std::process::id()));
    let app = App::start(&StartOptions {
        database_url: args.database.database_url,
        index_dir: scratch.clone(),
        demo: false,
        lift_scale: 1.0,
        priority_wijken: args.priority_wijken,
        retention: None,
        lift_refresh: None,
    })
    .await;
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(e);
        }
    };
    let made = make_report(&app.services, request, args.format).await;
    app.stop().await;
    let _ = std::fs::remove_dir_all(&scratch);
    println!("{}", made?);
    Ok(())
}

async fn make_report(
    services: &crate::services::Services,
    request: crate::lift::ReportRequest,
    format: ReportFormat,
) -> anyhow::Result<String> {
    crate::lift::summaries::refresh(services, None).await?;
    let report = crate::lift::report(services, &auth::Caller::command_line(), request).await?;
    Ok(match format {
        ReportFormat::Table => crate::lift::export::to_table(&report),
        ReportFormat::Csv => crate::lift::export::to_csv(&report, crate::lift::export::CsvDialect::Tools)?,
        ReportFormat::Json => serde_json::to_string_pretty(&report)?,
    })
}
