//! Banenlift: vacancies and training offers for Den Haag, searchable by text
//! and by distance to a wijk, matched to residents by skills and proximity.
//!
//! # Layers
//! Modules import only from their own layer or below; `tests/it/layers.rs`
//! enforces it. From the ground up:
//!
//! 1. Pure building blocks, no IO: `error`, `codes`, `dates`, `validate`,
//!    `geo`, `matching`, `outbox` (a position in the change feed).
//! 2. `storage` (the database, the source of truth; the only home of `sqlx`)
//!    and `search` (the derived tantivy index; the only home of `tantivy`).
//!    They never import each other.
//! 3. Reference data and the context: `skills`, `reference`, `services`.
//! 4. Domain services, in this order: `auth`, `privacy` (the views log),
//!    `offers`, `residents`, `consent`, `outcomes`, `contact`, `export`,
//!    `lift`. They take the narrow `Services` context (or only the `Store`)
//!    and typed inputs, and know nothing of HTTP.
//! 5. Wiring and data: `config`, `app` (start, stop, every background
//!    task), `fixtures`, `generate`.
//! 6. `web`: the HTTP layer, with `AppState`, every router (`web::api`,
//!    `web::pages`), the charts and the server.
//! 7. The commands: `cli`, which starts the app and serves `web`, and
//!    `bench`, which measures through the same entry points.

pub mod app;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod codes;
pub mod config;
pub mod consent;
pub mod contact;
pub mod dates;
pub mod error;
pub mod export;
pub mod fixtures;
pub mod generate;
pub mod geo;
pub mod lift;
pub mod matching;
pub mod offers;
pub mod outbox;
pub mod outcomes;
pub mod privacy;
pub mod reference;
pub mod residents;
pub mod search;
pub mod services;
pub mod skills;
pub mod storage;
pub mod validate;
pub mod web;
