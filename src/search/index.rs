//! Opening the index directory, and the one writer that changes it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher};
use tokio::sync::watch;

use super::SearchError;
use super::collector::ColumnCache;
use super::document::{OfferDoc, OfferKind, key_term};
use super::schema::{Fields, SCHEMA_VERSION, build_schema, register_analyzers};
use super::skill_names::SkillNames;
use super::spelling::Spelling;
use crate::outbox::OutboxPosition;

/// Memory budget of the writer across its threads.
const WRITER_HEAP_BYTES: usize = 128 * 1024 * 1024;

/// Stored with every commit: which schema wrote it and how far into the
/// outbox it reaches. `outbox_xid` came with PostgreSQL; an index written
/// before has 0 there, which is what SQLite's positions hold.
#[derive(Debug, Serialize, Deserialize)]
struct CommitPayload {
    schema_version: u32,
    outbox_seq: i64,
    #[serde(default)]
    outbox_xid: i64,
}

impl CommitPayload {
    fn position(&self) -> OutboxPosition {
        OutboxPosition {
            xid: self.outbox_xid,
            seq: self.outbox_seq,
        }
    }
}

/// The read side, shared by every request.
pub struct SearchIndex {
    reader: IndexReader,
    pub(super) fields: Fields,
    /// Built on first need per searcher generation: most queries never
    /// need a correction, and commits stay cheap.
    spelling: RwLock<(Option<u64>, Arc<Spelling>)>,
    pub(super) columns: ColumnCache,
    pub(super) skill_names: SkillNames,
    committed: watch::Sender<OutboxPosition>,
    rebuilding: AtomicBool,
}

/// The only writer. Owned by one task: the sync loop while serving, or the
/// `reindex` command.
pub struct Indexer {
    writer: IndexWriter,
    search: Arc<SearchIndex>,
}

/// One outbox entry resolved: the offer's current document, or `None` when it
/// must leave the index (closed, expired or gone).
pub struct IndexChange {
    pub kind: OfferKind,
    pub id: String,
    pub doc: Option<OfferDoc>,
}

pub struct Opened {
    pub search: Arc<SearchIndex>,
    pub indexer: Indexer,
    /// True when the index is new, from another schema version, or never
    /// finished a commit: the caller must rebuild it from the database.
    pub needs_rebuild: bool,
}

impl SearchIndex {
    /// Opens `<dir>/v<SCHEMA_VERSION>`, creating it when missing and removing
    /// directories of other schema versions.
    pub fn open(dir: &Path, skill_names: SkillNames) -> Result<Opened, SearchError> {
        let path = versioned_dir(dir);
        remove_other_versions(dir)?;
        if path.join("meta.json").exists() {
            let index = Index::open_in_dir(&path)?;
            if index.schema() == build_schema().0 {
                return Self::from_index(index, skill_names);
            }
            // Same version, other fields: a development leftover. Start over.
            drop(index);
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Self::from_index(
            Index::create(MmapDirectory::open(&path)?, build_schema().0, Default::default())?,
            skill_names,
        )
    }

    fn from_index(index: Index, skill_names: SkillNames) -> Result<Opened, SearchError> {
        let (expected, fields) = build_schema();
        if index.schema() != expected {
            return Err(SearchError::SchemaMismatch);
        }
        register_analyzers(&index);
        let payload = read_payload(&index)?;
        let needs_rebuild = payload
            .as_ref()
            .is_none_or(|p| p.schema_version != SCHEMA_VERSION);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index
            .writer(WRITER_HEAP_BYTES)
            .map_err(SearchError::from_writer)?;
        let search = Arc::new(SearchIndex {
            spelling: RwLock::new((None, Arc::new(Spelling::default()))),
            columns: ColumnCache::default(),
            skill_names,
            committed: watch::Sender::new(payload.map_or(OutboxPosition::START, |p| p.position())),
            rebuilding: AtomicBool::new(needs_rebuild),
            reader,
            fields,
        });
        search.refresh()?;
        Ok(Opened {
            indexer: Indexer {
                writer,
                search: search.clone(),
            },
            search,
            needs_rebuild,
        })
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The spelling dictionary of this searcher's generation.
    pub fn spelling(&self, searcher: &Searcher) -> Result<Arc<Spelling>, SearchError> {
        let generation = searcher.generation().generation_id();
        {
            let cached = self.spelling.read().unwrap_or_else(|e| e.into_inner());
            if cached.0 == Some(generation) {
                return Ok(cached.1.clone());
            }
        }
        let fresh = Arc::new(Spelling::from_searcher(
            searcher,
            self.fields.words,
            self.fields.skill_ids,
            &self.skill_names,
        )?);
        *self.spelling.write().unwrap_or_else(|e| e.into_inner()) = (Some(generation), fresh.clone());
        Ok(fresh)
    }

    /// The last outbox position that is searchable.
    pub fn committed_position(&self) -> OutboxPosition {
        *self.committed.borrow()
    }

    /// Waits until the outbox position `position` is searchable.
    pub async fn wait_for(&self, position: OutboxPosition) {
        let mut rx = self.committed.subscribe();
        // The sender lives as long as `self`, so this only ends when reached.
        let _ = rx.wait_for(|committed| *committed >= position).await;
    }

    /// Whether the index is being rebuilt from the database: until it is
    /// done, searches miss offers and the replica is not ready.
    pub fn is_rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::Acquire)
    }

    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    fn refresh(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        let live: Vec<_> = self
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.columns.keep_only(&live);
        Ok(())
    }

    fn committed(&self, position: OutboxPosition) {
        self.committed.send_replace(position);
    }
}

impl Indexer {
    pub fn search(&self) -> &Arc<SearchIndex> {
        &self.search
    }

    /// Stages resolved outbox entries: searchable only after the next
    /// `commit`. Blocking: call it off the async runtime.
    pub fn stage(&mut self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        let fields = self.search.fields;
        for change in changes {
            self.writer
                .delete_term(key_term(&fields, change.kind, &change.id));
            if let Some(doc) = change.doc {
                self.writer.add_document(doc.to_document(&fields))?;
            }
        }
        Ok(())
    }

    /// Reports the index as rebuilding from now on, for a rebuild about to
    /// start; `rebuild` clears it when done.
    pub fn mark_rebuilding(&self) {
        self.search.rebuilding.store(true, Ordering::Release);
    }

    /// Replaces the whole index with `docs`. Blocking. The index reports
    /// itself as rebuilding until the new one is committed.
    pub fn rebuild(
        &mut self,
        docs: impl Iterator<Item = OfferDoc>,
        position: OutboxPosition,
    ) -> Result<u64, SearchError> {
        self.search.rebuilding.store(true, Ordering::Release);
        let built = self.write_all(docs, position);
        self.search.rebuilding.store(false, Ordering::Release);
        built
    }

    fn write_all(
        &mut self,
        docs: impl Iterator<Item = OfferDoc>,
        position: OutboxPosition,
    ) -> Result<u64, SearchError> {
        let fields = self.search.fields;
        self.writer.delete_all_documents()?;
        let mut count = 0;
        for doc in docs {
            self.writer.add_document(doc.to_document(&fields))?;
            count += 1;
        }
        self.commit(position)?;
        Ok(count)
    }

    /// Commits what was staged with the outbox position it reaches, so a
    /// restart resumes after it, and makes it searchable. Blocking.
    pub fn commit(&mut self, position: OutboxPosition) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&CommitPayload {
            schema_version: SCHEMA_VERSION,
            outbox_seq: position.seq,
            outbox_xid: position.xid,
        })?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.search.refresh()?;
        self.search.committed(position);
        Ok(())
    }
}

fn versioned_dir(dir: &Path) -> PathBuf {
    dir.join(format!("v{SCHEMA_VERSION}"))
}

fn remove_other_versions(dir: &Path) -> Result<(), SearchError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let current = versioned_dir(dir);
    for entry in entries.flatten() {
        let path = entry.path();
        let is_version_dir = entry.file_name().to_string_lossy().starts_with('v') && path.is_dir();
        if is_version_dir && path != current {
            std::fs::remove_dir_all(&path)?;
        }
    }
    Ok(())
}

fn read_payload(index: &Index) -> Result<Option<CommitPayload>, SearchError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .and_then(|p| serde_json::from_str::<CommitPayload>(&p).ok()))
}
