//! Banenlift: vacancies and training offers for Den Haag, searchable by text
//! and by distance to a wijk.
//!
//! Read in this order: `config` and `cli` (the commands), `app` (state,
//! router, start-up), `offers` (the service functions and their routes),
//! `search` (the derived tantivy index), `storage` (the database, the source
//! of truth), then the small domains `geo`, `skills`, `auth`, and
//! `fixtures`/`generate` for data.

pub mod app;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod config;
pub mod contact;
pub mod error;
pub mod fixtures;
pub mod generate;
pub mod geo;
pub mod lift;
pub mod matching;
pub mod offers;
pub mod outcomes;
pub mod privacy;
pub mod residents;
pub mod search;
pub mod skills;
pub mod storage;
pub mod web;
