//! One integration binary: a real SQLite file, a real tantivy index in a
//! temp dir and the real router on a random loopback port per test.

mod api_imports;
mod api_rules;
mod browser;
mod change_feed;
mod cli;
mod database;
mod errors;
mod feeds;
mod hardening;
mod helpers;
mod imports;
mod journeys;
mod layers;
mod lift;
mod matching;
mod offers;
mod privacy;
mod replicas;
mod residents;
mod roles;
mod search;
mod web;
