//! `paperboy db stats | export FILE | import FILE`.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Config;

#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Counts of every kind of record, and the database's size.
    Stats,
    /// Every record, as versioned JSON.
    Export {
        /// Where to write (`-` for stdout).
        file: PathBuf,
    },
    /// Records from an export; importing the same file twice changes nothing.
    Import {
        /// The export to read.
        file: PathBuf,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config)?;
    match args {
        Args::Stats => {
            let stats = store.stats().context("cannot read the store")?;
            println!("{stats}");
        }
        Args::Export { file } => {
            let summary = if file.as_os_str() == "-" {
                store.export(std::io::stdout().lock())
            } else {
                let out = File::create(&file)
                    .with_context(|| format!("cannot create {}", file.display()))?;
                store.export(BufWriter::new(out))
            }
            .with_context(|| format!("cannot export to {}", file.display()))?;
            eprintln!(
                "paperboy: exported {} records to {}",
                summary.records(),
                file.display()
            );
        }
        Args::Import { file } => {
            let input =
                File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
            let summary = store
                .import(BufReader::new(input))
                .with_context(|| format!("cannot import {}", file.display()))?;
            store.flush().await.context("cannot flush the store")?;
            eprintln!("paperboy: imported {}: {summary}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
