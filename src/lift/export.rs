//! The report as CSV (for spreadsheets) and as a plain-text table (for the
//! command line). Suppressed cells stay "<5" in both.

use super::figures::{Cell, Figure, Figures};
use super::{CITY_CODE, LiftReport};

/// How a CSV is written: for tools (commas, decimal points), or for a
/// spreadsheet set to Dutch, which Excel opens right with a double click
/// (semicolons, decimal commas, and a UTF-8 byte-order mark so that
/// "Laakkwartier – é" is not read as Windows-1252).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvDialect {
    Tools,
    DutchExcel,
}

impl CsvDialect {
    /// `format=csv` or `format=excel`; `None` for anything else.
    pub fn from_format(format: &str) -> Option<Self> {
        match format {
            "csv" => Some(CsvDialect::Tools),
            "excel" => Some(CsvDialect::DutchExcel),
            _ => None,
        }
    }
}

/// One row per area, then the city total and the city average.
pub fn to_csv(report: &LiftReport, dialect: CsvDialect) -> Result<String, csv::Error> {
    let delimiter = if dialect == CsvDialect::DutchExcel {
        b';'
    } else {
        b','
    };
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut header = vec!["code", "naam", "stadsdeel", "prioriteit"];
    header.extend(Figure::ALL.iter().map(|f| f.key()));
    header.push("meest_ontbrekende_vaardigheden");
    out.write_record(&header)?;
    for area in &report.areas {
        let skills: Vec<String> = area
            .top_missing_skills
            .iter()
            .map(|s| format!("{} ({})", s.name, s.residents))
            .collect();
        let priority = if area.priority { "ja" } else { "nee" };
        out.write_record(row(
            dialect,
            &area.code,
            &area.name,
            &area.stadsdeel,
            priority,
            &area.figures,
            &skills.join(" | "),
        ))?;
    }
    out.write_record(row(
        dialect,
        CITY_CODE,
        "Den Haag (totaal)",
        "",
        "",
        &report.city.figures,
        "",
    ))?;
    out.write_record(row(
        dialect,
        CITY_CODE,
        "Gemiddelde per gebied / stad",
        "",
        "",
        &report.city_average,
        "",
    ))?;
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(match dialect {
        CsvDialect::Tools => text.into_owned(),
        CsvDialect::DutchExcel => format!("\u{feff}{text}"),
    })
}

fn row(
    dialect: CsvDialect,
    code: &str,
    name: &str,
    stadsdeel: &str,
    priority: &str,
    figures: &Figures,
    skills: &str,
) -> Vec<String> {
    let mut cells = vec![
        code.to_string(),
        name.to_string(),
        stadsdeel.to_string(),
        priority.to_string(),
    ];
    cells.extend(figures.0.iter().map(|(_, cell)| csv_value(cell, dialect)));
    cells.push(skills.to_string());
    cells
}

/// Numbers with a decimal point for tools, a decimal comma for Dutch
/// Excel; "<5" where suppressed.
fn csv_value(cell: &Cell, dialect: CsvDialect) -> String {
    match cell.value {
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) if dialect == CsvDialect::DutchExcel => format!("{v:.1}").replace('.', ","),
        Some(v) => format!("{v:.1}"),
        None => cell.display.clone(),
    }
}

/// An aligned text table: areas down, figures across (short headers), and
/// a legend of the headers below.
pub fn to_table(report: &LiftReport) -> String {
    let mut header = vec!["gebied".to_string()];
    header.extend((1..=Figure::ALL.len()).map(|n| format!("f{n}")));
    let mut rows = vec![header];
    let priority_mark = |p: bool| if p { " *" } else { "" };
    for area in &report.areas {
        rows.push(text_row(
            &format!("{}{}", area.name, priority_mark(area.priority)),
            &area.figures,
        ));
    }
    rows.push(text_row("Den Haag (totaal)", &report.city.figures));
    rows.push(text_row("Gemiddelde", &report.city_average));
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "Liftrapport {} t/m {} per {} (match: score ≥ {}; <5 = minder dan 5 personen, * = prioriteitswijk)\n\n",
        report.from,
        report.to,
        report.level.code(),
        report.threshold
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                if i == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push('\n');
    for (n, figure) in Figure::ALL.iter().enumerate() {
        out.push_str(&format!("f{:<3} {}\n", n + 1, figure.labels().0));
    }
    out
}

fn text_row(name: &str, figures: &Figures) -> Vec<String> {
    let mut row = vec![name.to_string()];
    row.extend(figures.0.iter().map(|(_, c)| c.display.clone()));
    row
}
