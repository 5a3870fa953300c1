//! The `fruition` binary's library: command line, configuration, start-up wiring.

pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod demo;
pub mod import;
pub mod memory;
pub mod server;
