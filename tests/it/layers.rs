//! The dependency rule (README, "How it is built"; `src/lib.rs`): a module
//! imports only from its own layer or below, the top-level modules import
//! each other without a circle, and the engines stay in their own layer:
//! `sqlx` in storage, `tantivy` in search, the HTTP crates in `web`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module of `src/`, by layer, from the ground up.
const LAYERS: &[&[&str]] = &[
    &["error", "codes", "dates", "validate", "geo", "matching", "outbox"],
    &["storage", "search"],
    &["skills", "reference", "services"],
    &[
        "auth",
        "privacy",
        "offers",
        "residents",
        "consent",
        "outcomes",
        "contact",
        "export",
        "lift",
    ],
    &["config", "app", "fixtures", "generate"],
    &["web"],
    &["cli", "bench"],
];

/// External crates and the one top-level module each may be used in.
const CONFINED_CRATES: &[(&str, &[&str])] = &[
    ("sqlx", &["storage"]),
    ("tantivy", &["search"]),
    ("axum", &["web"]),
    ("axum_extra", &["web"]),
    ("maud", &["web"]),
    ("tower_http", &["web"]),
    ("hyper", &["web"]),
    ("hyper_util", &["web"]),
];

/// Modules of the same layer that must not know each other.
const APART: &[(&str, &str)] = &[("storage", "search")];

struct Source {
    module: String,
    path: PathBuf,
    code: String,
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(&root).ok()?.to_path_buf();
            let first = relative.components().next()?.as_os_str().to_str()?.to_string();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                return None;
            }
            let text = std::fs::read_to_string(&path).expect("source file reads");
            Some(Source {
                module,
                path: relative,
                code: without_comments(&text),
            })
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ reads") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Comment lines name modules in prose; only code counts.
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| line.split(" // ").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file names through `crate::`, including the
/// grouped form `crate::{a, b::c}`.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && is_ident_char(code.as_bytes()[at - 1] as char) {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(inside.split(',').filter_map(|item| first_ident(item.trim())));
        } else if let Some(name) = first_ident(rest) {
            found.insert(name);
        }
    }
    found
}

/// Whether a file uses an external crate by path (`name::…`).
fn uses_crate(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        !before.is_some_and(|c| is_ident_char(c) || c == ':')
    })
}

fn first_ident(text: &str) -> Option<String> {
    let ident: String = text.chars().take_while(|&c| is_ident_char(c)).collect();
    (!ident.is_empty()).then_some(ident)
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[test]
fn every_module_has_a_layer() {
    let sources = sources();
    assert!(sources.len() > 50, "src/ was not read: {} files", sources.len());
    let unplaced: BTreeSet<&str> = sources
        .iter()
        .map(|s| s.module.as_str())
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "give these modules a layer in tests/it/layers.rs: {unplaced:?}"
    );
}

#[test]
fn modules_import_only_from_their_layer_or_below() {
    let mut violations = Vec::new();
    for source in sources() {
        let Some(own) = layer_of(&source.module) else {
            continue;
        };
        for used in crate_modules(&source.code) {
            let Some(theirs) = layer_of(&used) else { continue };
            let apart = APART.iter().any(|&(a, b)| {
                (a, b) == (source.module.as_str(), &used) || (b, a) == (source.module.as_str(), &used)
            });
            if theirs > own || apart {
                violations.push(format!("{} uses crate::{used}", source.path.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layers:\n{}",
        violations.join("\n")
    );
}

#[test]
fn engines_stay_in_their_own_layer() {
    let mut violations = Vec::new();
    for source in sources() {
        for &(name, allowed) in CONFINED_CRATES {
            if !allowed.contains(&source.module.as_str()) && uses_crate(&source.code, name) {
                violations.push(format!("{} uses {name}", source.path.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "crates outside their layer:\n{}",
        violations.join("\n")
    );
}

#[test]
fn top_level_modules_import_without_a_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources() {
        let uses = crate_modules(&source.code)
            .into_iter()
            .filter(|used| *used != source.module && layer_of(used).is_some());
        edges.entry(source.module.clone()).or_default().extend(uses);
    }
    let circle = find_circle(&edges);
    assert!(
        circle.is_none(),
        "import circle: {}",
        circle.unwrap_or_default().join(" → ")
    );
}

/// A circle in the module graph, as the path that closes it.
fn find_circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_checks_see_what_they_check() {
    let code =
        "use crate::{offers, web::AppState};\nlet x = sqlx::query(\"\");\n// crate::app in a comment\n";
    let code = without_comments(code);
    assert_eq!(
        crate_modules(&code),
        BTreeSet::from(["offers".to_string(), "web".to_string()])
    );
    assert!(uses_crate(&code, "sqlx"));
    assert!(!uses_crate("use my_sqlx::x;", "sqlx"));
    let circle = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(
        find_circle(&circle),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}
