//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod demo;
pub mod forecast;
pub mod instruments;
pub mod outcome;
pub mod plan;
pub mod protocol;
pub mod review;
pub mod score;
pub mod screen;
