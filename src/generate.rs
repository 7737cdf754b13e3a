//! `banenlift generate`: deterministic synthetic offers at any size, in the
//! fixtures' JSON Lines format, for benchmarks. Each generated offer is a
//! demo offer varied in employer, place, hours and dates, so texts stay
//! realistic Dutch while the volume grows.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::config::GenerateArgs;
use crate::fixtures::{self, OfferSet, days_before_reference, pick, write_jsonl};
use crate::geo::Wijk;
use crate::storage::{OrganisationRow, TrainingRow, VacancyRow};

pub const MAX_ROWS: usize = 1_000_000;
/// One generated employer per this many vacancies (at least the demo's).
const VACANCIES_PER_EMPLOYER: usize = 20;
/// How far (in degrees, about 150 m) a generated place may lie from the
/// wijk's inner point.
const JITTER_DEGREES: f64 = 0.0015;

pub fn write(args: &GenerateArgs) -> anyhow::Result<String> {
    anyhow::ensure!(
        args.vacancies <= MAX_ROWS && args.trainings <= MAX_ROWS && args.residents <= MAX_ROWS,
        "at most {MAX_ROWS} vacancies, trainings and residents"
    );
    let demo = OfferSet::demo()?;
    let wijken: Vec<Wijk> = fixtures::wijken()?.into_iter().map(|(w, _)| w).collect();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let employers = organisations(
        &demo,
        "employer",
        args.vacancies.div_ceil(VACANCIES_PER_EMPLOYER),
        &wijken,
        &mut rng,
    );
    let providers = organisations(
        &demo,
        "provider",
        args.trainings.div_ceil(VACANCIES_PER_EMPLOYER),
        &wijken,
        &mut rng,
    );
    std::fs::create_dir_all(&args.out)?;
    write_jsonl(
        &args.out.join("organisations.jsonl"),
        employers.iter().chain(&providers),
    )?;
    let vacancies = (0..args.vacancies).map(|i| vacancy(&demo.vacancies, &employers, i, &wijken, &mut rng));
    write_jsonl(&args.out.join("vacancies.jsonl"), vacancies)?;
    let mut rng = StdRng::seed_from_u64(args.seed ^ 0x5eed);
    let trainings = (0..args.trainings).map(|i| training(&demo.trainings, &providers, i, &wijken, &mut rng));
    write_jsonl(&args.out.join("trainings.jsonl"), trainings)?;
    let templates = fixtures::demo_residents()?;
    let mut rng = StdRng::seed_from_u64(args.seed ^ 0x7e51_de47);
    let residents = (0..args.residents).map(|i| resident(&templates, i, &wijken, &mut rng));
    write_jsonl(&args.out.join("residents.jsonl"), residents)?;
    Ok(format!(
        "{} organisaties, {} vacatures, {} opleidingen, {} bewoners geschreven naar {}",
        employers.len() + providers.len(),
        args.vacancies,
        args.trainings,
        args.residents,
        args.out.display()
    ))
}

fn place(wijken: &[Wijk], rng: &mut StdRng) -> (String, f64, f64) {
    let wijk = pick(wijken, rng);
    let jitter = |rng: &mut StdRng| rng.random_range(-JITTER_DEGREES..JITTER_DEGREES);
    (
        wijk.code.clone(),
        wijk.inner_lat + jitter(rng),
        wijk.inner_lon + jitter(rng),
    )
}

fn organisations(
    demo: &OfferSet,
    kind: &str,
    count: usize,
    wijken: &[Wijk],
    rng: &mut StdRng,
) -> Vec<OrganisationRow> {
    let templates: Vec<&OrganisationRow> = demo.organisations.iter().filter(|o| o.kind == kind).collect();
    (0..count.max(templates.len()))
        .map(|i| {
            let template = templates[i % templates.len()];
            let (wijk, lat, lon) = place(wijken, rng);
            OrganisationRow {
                id: format!("gen-{kind}-{i:07}"),
                name: format!("{} (vestiging {})", template.name, i / templates.len() + 1),
                wijk_code: Some(wijk),
                lat: Some(lat),
                lon: Some(lon),
                alliance: rng.random_bool(0.35),
                fictitious: true,
                ..template.clone()
            }
        })
        .collect()
}

fn vacancy(
    templates: &[VacancyRow],
    employers: &[OrganisationRow],
    i: usize,
    wijken: &[Wijk],
    rng: &mut StdRng,
) -> VacancyRow {
    let template = pick(templates, rng);
    let same_sector: Vec<&OrganisationRow> =
        employers.iter().filter(|e| e.sector == template.sector).collect();
    let employer = if same_sector.is_empty() {
        pick(employers, rng)
    } else {
        *pick(&same_sector, rng)
    };
    let (wijk, lat, lon) = place(wijken, rng);
    let hours_max = rng.random_range(template.hours_min.max(1)..=template.hours_max.max(1));
    let hours_min = rng
        .random_range(0..=hours_max)
        .max(template.hours_min.min(hours_max));
    let posted = rng.random_range(0..70);
    VacancyRow {
        id: format!("gen-vac-{i:07}"),
        organisation_id: employer.id.clone(),
        wijk_code: wijk,
        lat,
        lon,
        hours_min,
        hours_max,
        parttime: hours_min < 32,
        posted_on: days_before_reference(posted),
        closes_on: Some(days_before_reference(-rng.random_range(14..120))),
        fictitious: true,
        ..template.clone()
    }
}

fn training(
    templates: &[TrainingRow],
    providers: &[OrganisationRow],
    i: usize,
    wijken: &[Wijk],
    rng: &mut StdRng,
) -> TrainingRow {
    let template = pick(templates, rng);
    let (wijk, lat, lon) = place(wijken, rng);
    TrainingRow {
        id: format!("gen-trn-{i:07}"),
        organisation_id: pick(providers, rng).id.clone(),
        wijk_code: wijk,
        lat,
        lon,
        starts_on: Some(days_before_reference(-rng.random_range(0..150))),
        fictitious: true,
        ..template.clone()
    }
}

/// A demo resident moved to another wijk, without a coach (generated sets
/// have no users).
fn resident(
    templates: &[serde_json::Value],
    i: usize,
    wijken: &[Wijk],
    rng: &mut StdRng,
) -> serde_json::Value {
    let mut resident = pick(templates, rng).clone();
    if let Some(object) = resident.as_object_mut() {
        object.insert("id".into(), format!("gen-res-{i:07}").into());
        object.insert("postcode".into(), serde_json::Value::Null);
        object.insert("wijk".into(), pick(wijken, rng).code.clone().into());
        object.insert("coach_id".into(), serde_json::Value::Null);
        object.insert("fictitious".into(), true.into());
    }
    resident
}
