//! `siege`: an agent-based simulator of food, mortality and displacement in a besieged place, for
//! comparing relief plans (MODEL.md in the project's docs).
//!
//! Data flows one way: [`scenario`] (files → validated [`scenario::Scenario`]) → [`model`] (one
//! replicate's world, no I/O) → [`observe`] (rows and summaries) → [`output`] / [`charts`], with
//! [`experiment`] driving many runs. The library does not print: the commands, their terminal
//! tables and progress bars are the binary's (`src/app/`).

pub mod charts;
pub mod check;
pub mod experiment;
pub mod model;
pub mod observe;
pub mod output;
pub mod scenario;
