//! `/lift`: the lift report for analysts and admins: a map of the wijken
//! coloured by a chosen figure, a ranking against the city average, every
//! figure in a table, and per wijk a page with twelve months of trends.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{Markup, html};

use crate::error::AppError;
use crate::lift::export::CsvDialect;
use crate::lift::figures::{Figure, Figures, Kind};
use crate::lift::{AreaReport, Level, LiftParams, LiftReport, ReportRequest, check_reader, export};
use crate::web::AppState;
use crate::web::api::lift::csv_response;
use crate::web::charts::{Bar, MapArea, TrendPoint, WijkOutlines, bar_chart, line_chart, wijk_map};
use crate::web::forms::{FieldErrors, error_summary, field_frame, field_id};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::listing::{Order, sort_header};
use crate::web::visitor::{Lang, SignedIn, Visitor};

const DEFAULT_FIGURE: Figure = Figure::WithMatchShare;

fn reader(visitor: &Visitor) -> Result<&SignedIn, PageError> {
    let signed_in = visitor.required()?;
    check_reader(&signed_in.caller)?;
    Ok(signed_in)
}

pub async fn overview(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<LiftParams>, QueryRejection>,
) -> Result<Markup, PageError> {
    let signed_in = reader(&visitor)?;
    let params = known_params(params)?;
    let lang = visitor.lang;
    let figure = params
        .figure
        .as_deref()
        .and_then(Figure::parse)
        .unwrap_or(DEFAULT_FIGURE);
    let (request, errors) = match ReportRequest::parse(&params) {
        Ok(request) => (request, FieldErrors::default()),
        Err(crate::error::AppError::Validation(list)) => (
            ReportRequest::parse(&LiftParams::default())?,
            FieldErrors::from_service(lang, list),
        ),
        Err(other) => return Err(other.into()),
    };
    let report = crate::lift::report(&state, &signed_in.caller, request).await?;
    let title = lang.t("Liftrapport", "Lift report");
    let body = html! {
        h1 { (lang.t("Stopt de lift in de wijken die het nodig hebben?", "Does the lift stop where it is needed?")) }
        p.bl-lead { (lang.t(
            "Per wijk: bewoners, passende vacatures, uitkomsten en opleidingen, naast het gemiddelde van de stad. Cijfers over minder dan 5 personen staan er als <5.",
            "Per wijk: residents, suitable vacancies, outcomes and training, next to the city average. Figures about fewer than 5 persons show as <5.")) }
        (filter_form(lang, &params, &report, figure, &errors))
        (period_note(lang, &report))
        (map_and_ranking(lang, &state.wijk_outlines, &report, figure))
        (figures_table(lang, &report, figure, TableSort::from_param(params.sorteer.as_deref())))
    };
    Ok(page(&Frame::of(&visitor, "/lift", title), body))
}

/// The same report as CSV, for a signed-in analyst's spreadsheet.
pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<LiftParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let signed_in = reader(&visitor)?;
    let params = known_params(params)?;
    let dialect = match params.format.as_deref() {
        Some("excel") => CsvDialect::DutchExcel,
        _ => CsvDialect::Tools,
    };
    let request = ReportRequest::parse(&params)?;
    let report = crate::lift::report(&state, &signed_in.caller, request).await?;
    let body = export::to_csv(&report, dialect).map_err(|e| PageError::Internal(e.into()))?;
    Ok(csv_response(body, &report.from, &report.to, dialect))
}

pub async fn wijk(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Markup, PageError> {
    let signed_in = reader(&visitor)?;
    let lang = visitor.lang;
    let trend = crate::lift::trend(&state, &signed_in.caller, &code).await?;
    let request = ReportRequest::parse(&LiftParams::default())?;
    let report = crate::lift::report(&state, &signed_in.caller, request).await?;
    let area = report
        .areas
        .iter()
        .find(|a| a.code == trend.code)
        .ok_or_else(PageError::not_found)?;
    let path = format!("/lift/wijken/{}", trend.code);
    let body = html! {
        p { a href="/lift" { "← " (lang.t("Alle wijken", "All wijken")) } }
        h1 { (trend.name) @if trend.priority { " " span.bl-badge { (lang.t("prioriteitswijk", "priority wijk")) } } }
        p.bl-lead { (lang.t("Stadsdeel", "District")) " " (trend.stadsdeel) ". "
            (lang.t("Laatste 12 maanden", "Last 12 months")) ": " (report.from) " – " (report.to) "." }
        (area_versus_city(lang, area, &report.city_average))
        (missing_skills(lang, area))
        h2 { (lang.t("Per maand", "By month")) }
        p { (lang.t(
            "Elke grafiek toont de wijk per maand; de stippellijn is het maandgemiddelde van de wijken over deze 12 maanden. Een gat betekent minder dan 5 personen.",
            "Each chart shows the wijk by month; the dashed line is the wijken's monthly average over these 12 months. A gap means fewer than 5 persons.")) }
        div.lift-trends {
            @for (n, figure) in Figure::ALL.iter().filter(|f| !f.is_current_state()).enumerate() {
                (trend_chart(lang, n, *figure, &trend.months))
            }
        }
    };
    Ok(page(&Frame::of(&visitor, &path, &trend.name), body))
}

/// The page's query, or a 400 page naming what was wrong (after the role
/// check, so an outsider learns nothing from it).
fn known_params(params: Result<Query<LiftParams>, QueryRejection>) -> Result<LiftParams, PageError> {
    params.map(|Query(p)| p).map_err(|_| {
        AppError::bad_request(
            "invalid_query",
            "Onbekende of onjuiste parameters. / Unknown or malformed parameters.",
        )
        .into()
    })
}

fn label(lang: Lang, figure: Figure) -> &'static str {
    let (nl, en) = figure.labels();
    lang.t(nl, en)
}

/// What a figure counts, for titles and legends.
fn unit(lang: Lang, figure: Figure) -> &'static str {
    match figure.kind() {
        Kind::Persons => lang.t("aantal personen", "number of persons"),
        Kind::Rate => lang.t("in %", "in %"),
        Kind::Days => lang.t("in dagen", "in days"),
        Kind::Offers => lang.t("aantal vacatures", "number of vacancies"),
    }
}

/// A chart's visible title: the figure and its unit.
fn titled(lang: Lang, figure: Figure) -> String {
    format!("{} ({})", label(lang, figure), unit(lang, figure))
}

fn filter_form(
    lang: Lang,
    params: &LiftParams,
    report: &LiftReport,
    figure: Figure,
    errors: &FieldErrors,
) -> Markup {
    let date = |name: &str, shown: &str| {
        html! { input.bl-textbox type="date" id=(field_id(name)) name=(name) value=(shown)
        aria-invalid=[errors.of(name).is_some().then_some("true")]; }
    };
    // A refused period shows what was typed, next to the error.
    let from = params
        .from
        .as_deref()
        .filter(|_| errors.of("from").is_some())
        .unwrap_or(&report.from);
    let to = params
        .to
        .as_deref()
        .filter(|_| errors.of("to").is_some())
        .unwrap_or(&report.to);
    let level = html! {
        select.bl-select id=(field_id("level")) name="level" {
            option value="wijk" selected[report.level == Level::Wijk] { (lang.t("wijk", "wijk")) }
            option value="stadsdeel" selected[report.level == Level::Stadsdeel] { (lang.t("stadsdeel", "district")) }
        }
    };
    let figures = html! {
        select.bl-select id=(field_id("figure")) name="figure" {
            @for f in Figure::ALL {
                option value=(f.key()) selected[f == figure] { (label(lang, f)) }
            }
        }
    };
    html! {
        (error_summary(lang, errors))
        @if !errors.is_empty() {
            p { (lang.t("Hieronder staan de laatste 12 maanden.", "Below: the last 12 months.")) }
        }
        form.bl-filters.lift-filters method="get" action="/lift" {
            (field_frame("from", lang.t("Van", "From"), None, errors, date("from", from)))
            (field_frame("to", lang.t("Tot en met", "To (inclusive)"), None, errors, date("to", to)))
            (field_frame("level", lang.t("Per", "By"), None, errors, level))
            (field_frame("figure", lang.t("Kleur de kaart naar", "Colour the map by"), None, errors, figures))
            button.bl-button type="submit" { (lang.t("Toon", "Show")) }
        }
        @let download = format!("/lift.csv?from={}&to={}&level={}&threshold={}", report.from, report.to, report.level.code(), report.threshold);
        ul.bl-downloads {
            li { a href={ (download) "&format=excel" } { (lang.t("Download voor Excel", "Download for Excel")) } " "
                span.bl-muted { (lang.t("(puntkomma's en decimale komma's, zoals Excel in het Nederlands verwacht)", "(semicolons and decimal commas, as Dutch Excel expects)")) } }
            li { a href=(download) { (lang.t("Download als CSV", "Download as CSV")) } " "
                span.bl-muted { (lang.t("(komma's, voor andere programma's)", "(commas, for other programs)")) } }
        }
    }
}

fn period_note(lang: Lang, report: &LiftReport) -> Markup {
    html! {
        p {
            (lang.t("Periode", "Period")) ": " (report.from) " – " (report.to) ". "
            (lang.t("Een passende vacature: score ", "A good match: score ")) (report.threshold) "+, "
            (lang.t("gemeten tegen de vacatures van vandaag.", "measured against today's vacancies."))
            @if report.matches.residents_pending > 0 {
                " " strong { (report.matches.residents_pending) }
                (lang.t(" bewoners wachten nog op een nieuwe berekening; ververs de pagina straks.",
                    " residents still await a fresh calculation; reload the page later."))
            }
        }
    }
}

/// The value the map and the ranking use for an area.
fn value_of(figures: &Figures, figure: Figure) -> (Option<f64>, String) {
    figures
        .get(figure)
        .map_or((None, String::new()), |cell| (cell.value, cell.display.clone()))
}

fn map_and_ranking(lang: Lang, outlines: &WijkOutlines, report: &LiftReport, figure: Figure) -> Markup {
    let title = titled(lang, figure);
    let title = title.as_str();
    let by_code = |code: &str| report.areas.iter().find(|a| a.code == code);
    let WijkOutlines { wijken, shapes } = outlines;
    let areas: Vec<MapArea<'_>> = wijken
        .iter()
        .filter_map(|wijk| {
            let area = match report.level {
                Level::Wijk => by_code(&wijk.code),
                Level::Stadsdeel => by_code(&wijk.stadsdeel),
            }?;
            let (value, label) = value_of(&area.figures, figure);
            Some(MapArea {
                code: &wijk.code,
                name: &wijk.name,
                shape: shapes.get(&wijk.code)?,
                value,
                label,
                priority: area.priority && report.level == Level::Wijk,
                href: Some(format!("/lift/wijken/{}", wijk.code)),
            })
        })
        .collect();
    let mut ranked: Vec<&AreaReport> = report.areas.iter().collect();
    ranked.sort_by(|a, b| {
        let (x, y) = (value_of(&a.figures, figure).0, value_of(&b.figures, figure).0);
        y.unwrap_or(f64::MIN)
            .total_cmp(&x.unwrap_or(f64::MIN))
            .then(a.name.cmp(&b.name))
    });
    let bars: Vec<Bar<'_>> = ranked
        .iter()
        .map(|a| {
            let (value, label) = value_of(&a.figures, figure);
            Bar {
                name: &a.name,
                value,
                label,
                priority: a.priority,
                href: (report.level == Level::Wijk).then(|| format!("/lift/wijken/{}", a.code)),
            }
        })
        .collect();
    let (average, average_text) = value_of(&report.city_average, figure);
    let average_label = format!(
        "{}: {}",
        lang.t("Gemiddelde Den Haag", "Hague average"),
        average_text
    );
    html! {
        div.lift-panels {
            section.lift-panel aria-labelledby="kaart-kop" {
                h2 id="kaart-kop" { (lang.t("Kaart", "Map")) ": " (title) }
                (wijk_map("lift-kaart", title, &areas))
            }
            section.lift-panel aria-labelledby="rangorde-kop" {
                h2 id="rangorde-kop" { (lang.t("Rangorde", "Ranking")) ": " (title) }
                (bar_chart("lift-rangorde", title, &bars, average, &average_label))
            }
        }
    }
}

/// The order of the figures table: by area name, or by one figure,
/// highest first (suppressed cells last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableSort {
    Name,
    By(Figure),
}

impl TableSort {
    fn from_param(param: Option<&str>) -> Self {
        param
            .and_then(Figure::parse)
            .map_or(TableSort::Name, TableSort::By)
    }

    fn key(self) -> &'static str {
        match self {
            TableSort::Name => "naam",
            TableSort::By(figure) => figure.key(),
        }
    }
}

/// Every figure for every area: the text behind the map and the chart.
/// Each column header sorts by it; the area names stay in view while the
/// wide table scrolls sideways.
fn figures_table(lang: Lang, report: &LiftReport, figure: Figure, sorted: TableSort) -> Markup {
    let mut areas: Vec<&AreaReport> = report.areas.iter().collect();
    if let TableSort::By(by) = sorted {
        areas.sort_by(|a, b| {
            let (x, y) = (value_of(&a.figures, by).0, value_of(&b.figures, by).0);
            y.unwrap_or(f64::MIN)
                .total_cmp(&x.unwrap_or(f64::MIN))
                .then(a.name.cmp(&b.name))
        });
    } else {
        areas.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let href = |sort: TableSort| {
        format!(
            "/lift?from={}&to={}&level={}&threshold={}&figure={}&sorteer={}#tabel-kop",
            report.from,
            report.to,
            report.level.code(),
            report.threshold,
            figure.key(),
            sort.key()
        )
    };
    let header = |sort: TableSort, text: &str, order: Order| {
        sort_header(lang, text, &href(sort), (sort == sorted).then_some(order))
    };
    html! {
        h2 id="tabel-kop" { (lang.t("Alle cijfers", "All figures")) }
        div.bl-table-wrapper role="region" aria-labelledby="tabel-kop" tabindex="0" {
            table.bl-table.bl-table--sticky {
                thead {
                    tr {
                        (header(TableSort::Name, lang.t("Gebied", "Area"), Order::Ascending))
                        @for f in Figure::ALL { (header(TableSort::By(f), &titled(lang, f), Order::Descending)) }
                    }
                }
                tbody {
                    @for area in &areas {
                        tr {
                            th scope="row" {
                                @if report.level == Level::Wijk {
                                    a href={ "/lift/wijken/" (area.code) } { (area.name) }
                                } @else { (area.name) }
                                @if area.priority { " " span.bl-badge { (lang.t("prioriteit", "priority")) } }
                            }
                            @for (_, cell) in &area.figures.0 { td { (cell.display) } }
                        }
                    }
                }
                tfoot {
                    tr {
                        th scope="row" { (lang.t("Den Haag (totaal)", "The Hague (total)")) }
                        @for (_, cell) in &report.city.figures.0 { td { (cell.display) } }
                    }
                    tr {
                        th scope="row" { (lang.t("Gemiddelde", "Average")) }
                        @for (_, cell) in &report.city_average.0 { td { (cell.display) } }
                    }
                }
            }
        }
    }
}

fn area_versus_city(lang: Lang, area: &AreaReport, average: &Figures) -> Markup {
    html! {
        div.bl-table-wrapper { table.bl-table {
            caption { (lang.t("De wijk naast het gemiddelde van de stad", "The wijk next to the city average")) }
            thead { tr {
                th scope="col" { (lang.t("Cijfer", "Figure")) }
                th scope="col" { (area.name) }
                th scope="col" { (lang.t("Gemiddelde Den Haag", "Hague average")) }
            } }
            tbody {
                @for ((figure, cell), (_, city)) in area.figures.0.iter().zip(&average.0) {
                    tr { th scope="row" { (label(lang, *figure)) } td { (cell.display) } td { (city.display) } }
                }
            }
        } }
    }
}

fn missing_skills(lang: Lang, area: &AreaReport) -> Markup {
    html! {
        h2 { (lang.t("Vaardigheden die het vaakst ontbreken", "Skills most often missing")) }
        @if area.top_missing_skills.is_empty() {
            p { (lang.t("Geen vaardigheid ontbreekt bij 5 of meer bewoners.", "No skill is missing for 5 or more residents.")) }
        } @else {
            p { (lang.t("Bij de vacatures die bewoners kunnen bereiken; een opleiding hierin helpt de meesten.",
                "Against the vacancies residents can reach; training in these helps the most.")) }
            ol { @for skill in &area.top_missing_skills {
                li { (skill.name) " — " (skill.residents) " " (lang.t("bewoners", "residents")) }
            } }
        }
    }
}

fn trend_chart(lang: Lang, n: usize, figure: Figure, months: &[crate::lift::TrendMonth]) -> Markup {
    let points: Vec<TrendPoint> = months
        .iter()
        .map(|m| {
            let (value, shown) = value_of(&m.figures, figure);
            TrendPoint {
                // "mrt" on the axis (twelve fit), "mrt '26" in the point's title.
                month: m.label.split(' ').next().unwrap_or_default().to_string(),
                value,
                label: format!("{}: {}", m.label, shown),
            }
        })
        .collect();
    let averages: Vec<f64> = months
        .iter()
        .filter_map(|m| value_of(&m.city_average, figure).0)
        .collect();
    // A year's mean of a running total would mean nothing: no line there.
    let average = (figure != Figure::Registered && !averages.is_empty())
        .then(|| averages.iter().sum::<f64>() / averages.len() as f64);
    let title = titled(lang, figure);
    html! {
        figure.lift-trend-figure {
            figcaption.lift-trend-title { (title) }
            (line_chart(&format!("lift-trend-{n}"), &title, &points, average))
        }
    }
}
