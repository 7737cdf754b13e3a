//! Vacancies for other systems: the change feed, every open, changed and
//! closed vacancy as a schema.org JobPosting, in pages, so that another
//! system can keep a copy in sync (as JobTech's JobStream does); and the
//! open vacancies in the sitemap's parts, for search engines.
//!
//! # No change is missed
//! A feed starts with a pass over the table: every vacancy changed at or
//! after `updated_since`, by `(updated_at, id)`. Before that pass reads
//! anything it notes the outbox head, as an index rebuild does; once the
//! pass ends, the feed goes on with the outbox entries after that head,
//! whose order is exact across replicas (see `storage::outbox`). A change
//! made while the pass runs may thus come twice, never not at all. Each
//! item is the vacancy as it is when the page is read, so a consumer that
//! stores items by id, in page order, ends with the current state.
//!
//! The cursor carries where the feed is; a consumer keeps the last page's
//! `next` and asks it again later. Outbox entries are kept a week: a cursor
//! older than that is refused (410), and the consumer starts over with
//! `updated_since` a little before its last good page.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;
use time::OffsetDateTime;

use super::Offer;
use super::jobposting;
use crate::codes::OfferKind;
use crate::error::AppError;
use crate::outbox::OutboxPosition;
use crate::services::Services;
use crate::storage::{ChangedVacancy, OpenVacancyStamp, OutboxEntry};

pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 500;

/// Where a feed is: in its first pass over the table, or following the
/// outbox.
#[derive(Debug, Clone, PartialEq)]
pub enum Cursor {
    Pass {
        /// The outbox head noted before the pass began.
        head: OutboxPosition,
        since: i64,
        /// The last `(updated_at, id)` sent.
        after: Option<(i64, String)>,
    },
    Changes {
        after: OutboxPosition,
    },
}

/// How a consumer asks: from a moment (the first time, or to start over),
/// or from the `next` cursor of its last page.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedStart {
    Since(i64),
    Cursor(Cursor),
}

/// One vacancy in the feed, as it is now.
#[derive(Debug, Clone)]
pub struct FeedItem {
    pub id: String,
    pub open: bool,
    pub updated_at: i64,
    pub posting: Value,
}

#[derive(Debug, Clone)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub next: Cursor,
    /// No more changes right now: ask `next` again later.
    pub caught_up: bool,
}

impl fmt::Display for Cursor {
    /// `p.XID.SEQ.SINCE[.UPDATED.ID]` or `c.XID.SEQ`: ids hold only
    /// letters, digits, `-` and `_`, so a dot separates safely.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Pass { head, since, after } => {
                write!(f, "p.{}.{}.{since}", head.xid, head.seq)?;
                if let Some((updated_at, id)) = after {
                    write!(f, ".{updated_at}.{id}")?;
                }
                Ok(())
            }
            Cursor::Changes { after } => write!(f, "c.{}.{}", after.xid, after.seq),
        }
    }
}

impl Cursor {
    pub fn parse(text: &str) -> Option<Cursor> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |i: usize| parts.get(i)?.parse::<i64>().ok();
        let position = |i: usize| {
            Some(OutboxPosition {
                xid: number(i)?,
                seq: number(i + 1)?,
            })
        };
        match (parts.first().copied(), parts.len()) {
            (Some("c"), 3) => Some(Cursor::Changes { after: position(1)? }),
            (Some("p"), 4) => Some(Cursor::Pass {
                head: position(1)?,
                since: number(3)?,
                after: None,
            }),
            (Some("p"), 6) if super::valid_id(parts[5]) => Some(Cursor::Pass {
                head: position(1)?,
                since: number(3)?,
                after: Some((number(4)?, parts[5].to_string())),
            }),
            _ => None,
        }
    }

    fn position(&self) -> OutboxPosition {
        match self {
            Cursor::Pass { head, .. } => *head,
            Cursor::Changes { after } => *after,
        }
    }
}

/// Open vacancies per part of the sitemap: the protocol's maximum.
pub const SITEMAP_PART: usize = 50_000;

/// How many parts the sitemap of open vacancies has: at least one, so that
/// its index is never empty.
pub async fn sitemap_parts(svc: &Services) -> Result<usize, AppError> {
    let open = usize::try_from(svc.store.count_open_vacancies().await?).unwrap_or(0);
    Ok(open.div_ceil(SITEMAP_PART).max(1))
}

/// Part `part` (from 1) of the open vacancies, in id order; `None` past the end.
pub async fn sitemap_part(svc: &Services, part: usize) -> Result<Option<Vec<OpenVacancyStamp>>, AppError> {
    if part == 0 || part > sitemap_parts(svc).await? {
        return Ok(None);
    }
    let offset = ((part - 1) * SITEMAP_PART) as i64;
    Ok(Some(
        svc.store.open_vacancy_stamps(offset, SITEMAP_PART as i64).await?,
    ))
}

/// One page of the feed, at most `limit` items.
pub async fn vacancy_changes(svc: &Services, start: FeedStart, limit: usize) -> Result<FeedPage, AppError> {
    let cursor = match start {
        FeedStart::Since(since) => Cursor::Pass {
            head: svc.store.outbox_head().await?,
            since,
            after: None,
        },
        FeedStart::Cursor(cursor) => cursor,
    };
    if cursor.position() < svc.store.outbox_horizon().await? {
        return Err(AppError::Gone(
            "Deze cursor is te oud: wijzigingen van meer dan een week geleden zijn niet meer bewaard. \
             Begin opnieuw met updated_since. / This cursor has expired; start again with updated_since."
                .into(),
        ));
    }
    match cursor {
        Cursor::Pass { head, since, after } => pass_page(svc, head, since, after, limit).await,
        Cursor::Changes { after } => changes_page(svc, after, Vec::new(), limit).await,
    }
}

async fn pass_page(
    svc: &Services,
    head: OutboxPosition,
    since: i64,
    after: Option<(i64, String)>,
    limit: usize,
) -> Result<FeedPage, AppError> {
    let keyset = after.as_ref().map(|(at, id)| (*at, id.as_str()));
    let changed = svc
        .store
        .vacancies_changed_since(since, keyset, limit as i64)
        .await?;
    let items = feed_items(svc, changed);
    if items.len() < limit {
        // The pass is over: fill the rest of the page from the outbox.
        return changes_page(svc, head, items, limit).await;
    }
    let last = items.last().map(|item| (item.updated_at, item.id.clone()));
    Ok(FeedPage {
        items,
        next: Cursor::Pass {
            head,
            since,
            after: last.or(after),
        },
        caught_up: false,
    })
}

async fn changes_page(
    svc: &Services,
    after: OutboxPosition,
    mut items: Vec<FeedItem>,
    limit: usize,
) -> Result<FeedPage, AppError> {
    let room = limit - items.len();
    let entries = if room == 0 {
        Vec::new()
    } else {
        svc.store
            .outbox_after_of(OfferKind::Vacancy, after, room as i64)
            .await?
    };
    let next = entries.last().map_or(after, |entry| entry.position);
    let mut changed = feed_items(svc, svc.store.changed_vacancies(&changed_ids(&entries)).await?);
    // In the order they first changed, as the outbox has them.
    let first: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, entry)| (entry.entity_id.as_str(), i))
        .collect();
    changed.sort_by_key(|item| first.get(item.id.as_str()).copied());
    items.extend(changed);
    Ok(FeedPage {
        items,
        next: Cursor::Changes { after: next },
        caught_up: entries.len() < room,
    })
}

/// Each changed vacancy once, however often it changed.
fn changed_ids(entries: &[OutboxEntry]) -> Vec<String> {
    let mut ids: Vec<String> = entries.iter().map(|e| e.entity_id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn feed_items(svc: &Services, changed: Vec<ChangedVacancy>) -> Vec<FeedItem> {
    let ctx = svc.context();
    changed
        .into_iter()
        .map(|ChangedVacancy { vacancy, updated_at }| {
            let view = vacancy.view(&ctx);
            let open = view.status == "open";
            let mut posting = jobposting::write(&view);
            if !open {
                close_posting(&mut posting, view.closes_on.as_deref(), updated_at);
            }
            FeedItem {
                id: view.id,
                open,
                updated_at,
                posting,
            }
        })
        .collect()
}

/// A closed vacancy's JobPosting ends on the day it closed, unless it was
/// to end sooner: read by the schema.org rules alone, it is over too.
fn close_posting(posting: &mut Value, closes_on: Option<&str>, closed_at: i64) {
    let closed_on = OffsetDateTime::from_unix_timestamp(closed_at)
        .map(|t| t.date().to_string())
        .unwrap_or_default();
    let ends = match closes_on {
        Some(closes) if closes < closed_on.as_str() => closes.to_string(),
        _ => closed_on,
    };
    posting["validThrough"] = ends.into();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_as_written() {
        let head = OutboxPosition {
            xid: 7,
            seq: 9_223_372_036_854_775_807,
        };
        let cursors = [
            Cursor::Pass {
                head,
                since: 0,
                after: None,
            },
            Cursor::Pass {
                head,
                since: 1_700_000_000,
                after: Some((1_700_000_500, "vac-0a_b".into())),
            },
            Cursor::Changes {
                after: OutboxPosition { xid: 0, seq: 41 },
            },
        ];
        for cursor in cursors {
            assert_eq!(Cursor::parse(&cursor.to_string()), Some(cursor));
        }
    }

    #[test]
    fn malformed_cursors_are_refused() {
        for text in [
            "",
            "c",
            "c.1",
            "c.1.x",
            "c.1.2.3",
            "p.1.2",
            "p.1.2.3.4",
            "p.1.2.3.4.a b",
            "x.1.2",
            "p.1.2.3.4.a.b",
        ] {
            assert_eq!(Cursor::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_closed_posting_ends_on_the_day_it_closed_or_sooner() {
        let closed_at = 1_764_979_200; // 2025-12-06T00:00:00Z
        let mut posting = serde_json::json!({});
        close_posting(&mut posting, None, closed_at);
        assert_eq!(posting["validThrough"], "2025-12-06");
        close_posting(&mut posting, Some("2026-01-31"), closed_at);
        assert_eq!(posting["validThrough"], "2025-12-06");
        close_posting(&mut posting, Some("2025-11-30"), closed_at);
        assert_eq!(posting["validThrough"], "2025-11-30");
    }
}
