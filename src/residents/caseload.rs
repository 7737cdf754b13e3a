//! A coach's caseload: every client with where their work stands, filtered,
//! sorted and paged. A caseload is a few hundred clients at most, so it is
//! read whole and ordered here, the same on both backends.

use std::cmp::Reverse;

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::{self, Purpose};
use crate::reference::WijkRef;
use crate::services::Services;
use crate::storage::{CaseloadRow, LastStep};

/// Clients per caseload page.
pub const PAGE_SIZE: usize = 50;

/// How a caseload is ordered; the names are the web page's `sorteer` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadSort {
    #[default]
    Name,
    Wijk,
    /// Most recent first.
    LastActivity,
    /// Most recent outcome first; clients without one last.
    LastStep,
    /// Most open contact requests first.
    OpenRequests,
}

impl CaseloadSort {
    pub const ALL: [CaseloadSort; 5] = [
        CaseloadSort::Name,
        CaseloadSort::Wijk,
        CaseloadSort::LastStep,
        CaseloadSort::LastActivity,
        CaseloadSort::OpenRequests,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CaseloadSort::Name => "naam",
            CaseloadSort::Wijk => "wijk",
            CaseloadSort::LastActivity => "activiteit",
            CaseloadSort::LastStep => "stap",
            CaseloadSort::OpenRequests => "verzoeken",
        }
    }

    /// An unknown value sorts by name: a sort link is never an error.
    pub fn from_key(key: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default)]
pub struct CaseloadQuery {
    /// Part of a client's name, any case.
    pub name: String,
    pub wijk: Option<String>,
    pub sort: CaseloadSort,
    /// From 1; a page past the end shows the last page.
    pub page: usize,
}

#[derive(Debug, Clone)]
pub struct CaseloadEntry {
    pub id: String,
    pub name: String,
    pub wijk: WijkRef,
    pub findable_by_employers: bool,
    pub last_step: Option<LastStep>,
    /// Unix seconds: the later of the last use of the profile and the last
    /// recorded step.
    pub last_activity: i64,
    pub open_requests: i64,
}

#[derive(Debug, Clone)]
pub struct CaseloadPage {
    pub entries: Vec<CaseloadEntry>,
    /// Clients that pass the filter, on all pages.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

pub async fn caseload(
    svc: &Services,
    caller: &Caller,
    query: &CaseloadQuery,
) -> Result<CaseloadPage, AppError> {
    if caller.role != Role::Coach {
        return Err(AppError::Forbidden(
            "Alleen coaches hebben klanten. / Only coaches have a caseload.".into(),
        ));
    }
    let ctx = svc.context();
    let wanted = query.name.trim().to_lowercase();
    let mut entries: Vec<CaseloadEntry> = svc
        .store
        .caseload(&caller.user_id)
        .await?
        .into_iter()
        .filter(|r| wanted.is_empty() || r.name.to_lowercase().contains(&wanted))
        .filter(|r| query.wijk.as_ref().is_none_or(|w| *w == r.wijk_code))
        .map(|r| entry(r, ctx.geo))
        .collect();
    sort(&mut entries, query.sort);
    let total = entries.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let entries: Vec<CaseloadEntry> = entries
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    privacy::record(
        svc,
        caller,
        entries.iter().map(|e| e.id.as_str()),
        Purpose::ProfileListed,
        None,
    )
    .await?;
    Ok(CaseloadPage {
        entries,
        total,
        page,
        pages,
    })
}

fn entry(row: CaseloadRow, geo: &crate::geo::Geo) -> CaseloadEntry {
    let last_activity = row
        .last_step
        .as_ref()
        .map_or(row.last_active_at, |s| s.at.max(row.last_active_at));
    CaseloadEntry {
        wijk: WijkRef::new(&row.wijk_code, geo),
        id: row.id,
        name: row.name,
        findable_by_employers: row.findable_by_employers,
        last_step: row.last_step,
        last_activity,
        open_requests: row.open_requests,
    }
}

/// Orders by `by`, then by name and id so equal keys keep a stable order
/// across pages.
fn sort(entries: &mut [CaseloadEntry], by: CaseloadSort) {
    entries.sort_by_cached_key(|e| {
        let name = (e.name.to_lowercase(), e.id.clone());
        let first: (Reverse<i64>, String) = match by {
            CaseloadSort::Name => (Reverse(0), String::new()),
            CaseloadSort::Wijk => (Reverse(0), e.wijk.name.to_lowercase()),
            CaseloadSort::LastActivity => (Reverse(e.last_activity), String::new()),
            CaseloadSort::LastStep => (
                Reverse(e.last_step.as_ref().map_or(i64::MIN, |s| s.at)),
                String::new(),
            ),
            CaseloadSort::OpenRequests => (Reverse(e.open_requests), String::new()),
        };
        (first, name)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(name: &str, wijk: &str, activity: i64, step: Option<i64>, open: i64) -> CaseloadEntry {
        CaseloadEntry {
            id: name.to_lowercase(),
            name: name.into(),
            wijk: WijkRef {
                code: wijk.into(),
                name: wijk.into(),
                stadsdeel: String::new(),
            },
            findable_by_employers: false,
            last_step: step.map(|at| LastStep {
                status: "gesolliciteerd".into(),
                title: "Magazijn".into(),
                at,
            }),
            last_activity: activity,
            open_requests: open,
        }
    }

    fn names(entries: &[CaseloadEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn each_sort_orders_by_its_key_then_by_name() {
        let mut list = vec![
            client("bram", "Laak", 30, None, 0),
            client("Ayla", "Transvaal", 10, Some(5), 2),
            client("Çetin", "Laak", 20, Some(9), 2),
        ];
        sort(&mut list, CaseloadSort::Name);
        assert_eq!(names(&list), ["Ayla", "bram", "Çetin"]);
        sort(&mut list, CaseloadSort::Wijk);
        assert_eq!(names(&list), ["bram", "Çetin", "Ayla"]);
        sort(&mut list, CaseloadSort::LastActivity);
        assert_eq!(names(&list), ["bram", "Çetin", "Ayla"]);
        sort(&mut list, CaseloadSort::LastStep);
        assert_eq!(names(&list), ["Çetin", "Ayla", "bram"]);
        sort(&mut list, CaseloadSort::OpenRequests);
        assert_eq!(names(&list), ["Ayla", "Çetin", "bram"]);
    }

    #[test]
    fn sort_keys_round_trip_and_unknown_sorts_by_name() {
        for sort in CaseloadSort::ALL {
            assert_eq!(CaseloadSort::from_key(sort.key()), sort);
        }
        assert_eq!(CaseloadSort::from_key("1; DROP"), CaseloadSort::Name);
    }
}
