//! `paperboy today`: one day's digest on stdout, in any output format.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{NaiveDate, Utc};

use crate::config::Config;
use crate::domain::{Language, Paper};
use crate::pipeline;
use crate::render::{self, Format};
use crate::source::{self, Client};

/// Arguments of `paperboy today`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Daily Papers day (UTC), YYYY-MM-DD. Default: the latest day with papers.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// How many papers (1-10). Default: digest.top_n.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub top: Option<u8>,
    /// Language of labels and, with an LLM configured, of the content. Default: digest.language.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<Language>,
    /// Output format.
    #[arg(long, default_value = "markdown", value_name = "FORMAT",
          value_parser = ["markdown", "telegram", "discord", "json"])]
    pub format: String,
    /// Read a saved API response (a JSON array) instead of fetching.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Download thumbnails into DIR and reference them by relative path (Markdown).
    #[arg(long, value_name = "DIR")]
    pub save_images: Option<PathBuf>,
}

/// Largest thumbnail accepted; real ones are 240-450 KB.
const MAX_THUMBNAIL_BYTES: usize = 10 * 1024 * 1024;

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    // value_parser above admits only these four names.
    let format: Format = args
        .format
        .parse()
        .map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    let top_n = usize::from(args.top.unwrap_or(config.digest.top_n));
    let language = args.lang.unwrap_or(config.digest.language);
    let today = source::today_utc(Utc::now());
    if let Some(date) = args.date {
        if date > today {
            bail!("--date {date} is in the future (today in UTC is {today})");
        }
    }

    let client = super::hf_client(config)?;

    let (date, papers) = match (&args.input, args.date) {
        (Some(path), date) => {
            let papers = read_input(path)?;
            let date = date.or_else(|| pipeline::day_of(&papers)).unwrap_or(today);
            (date, papers)
        }
        (None, Some(date)) => {
            let papers = client
                .day(date)
                .await
                .with_context(|| format!("cannot fetch the papers of {date}"))?;
            (date, papers)
        }
        (None, None) => {
            let lookback = config.source.lookback_days;
            match client
                .latest(today, lookback)
                .await
                .context("cannot fetch the latest papers")?
            {
                Some((date, papers)) => {
                    if date != today {
                        eprintln!("paperboy: no papers yet on {today}; showing {date}, the latest day with papers");
                    }
                    (date, papers)
                }
                None => {
                    eprintln!("paperboy: no papers in the last {lookback} days up to {today} (weekend or holiday?)");
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
    };

    if papers.is_empty() {
        eprintln!("paperboy: no papers on {date} (weekend?); Daily Papers is usually empty on Saturdays and Sundays");
        return Ok(ExitCode::SUCCESS);
    }

    let backend = super::summarizer(config, None)?;
    let digest = pipeline::build_digest(date, &papers, top_n, language, &backend).await;

    let output = match (&args.save_images, format) {
        (Some(dir), Format::Markdown) => {
            let local = save_images(&client, &digest.entries, dir).await?;
            render::markdown::render_with_images(&digest, &local)
        }
        (Some(dir), _) => {
            save_images(&client, &digest.entries, dir).await?;
            render::render(&digest, format)
        }
        (None, _) => render::render(&digest, format),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(output.as_bytes())
        .and_then(|()| {
            if output.ends_with('\n') {
                Ok(())
            } else {
                stdout.write_all(b"\n")
            }
        })
        .context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}

fn read_input(path: &Path) -> anyhow::Result<Vec<Paper>> {
    let body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    source::parse_day(&body)
        .with_context(|| format!("{} is not a Daily Papers response", path.display()))
}

/// Downloads each entry's thumbnail into `dir`; returns paper id -> path as written in Markdown.
///
/// A thumbnail that cannot be downloaded keeps its URL (logged), so one missing image never
/// costs the digest.
async fn save_images(
    client: &Client,
    entries: &[crate::domain::Entry],
    dir: &Path,
) -> anyhow::Result<HashMap<String, String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut local = HashMap::new();
    for entry in entries {
        let paper = &entry.paper;
        let bytes = match client
            .fetch_bytes(&paper.thumbnail, MAX_THUMBNAIL_BYTES)
            .await
        {
            Ok(bytes) => bytes,
            Err(err) => {
                tracing::warn!(paper = %paper.id, error = %err, "thumbnail not saved; keeping its URL");
                continue;
            }
        };
        let name = with_image_extension(&render::markdown::image_file_name(&paper.title), &bytes);
        let path = dir.join(&name);
        std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        local.insert(paper.id.clone(), format!("{}/{}", dir.display(), name));
    }
    Ok(local)
}

/// Keeps the seed's `_img.jpg` naming, but with the extension the bytes really have.
fn with_image_extension(name: &str, bytes: &[u8]) -> String {
    let ext = if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"GIF8") {
        "gif"
    } else if bytes.len() > 12 && &bytes[8..12] == b"WEBP" {
        "webp"
    } else {
        "jpg"
    };
    match name.rsplit_once('.') {
        Some((stem, _)) => format!("{stem}.{ext}"),
        None => format!("{name}.{ext}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_image_extension;

    #[test]
    fn image_extension_follows_content() {
        assert_eq!(
            with_image_extension("A_img.jpg", b"\x89PNG\r\n"),
            "A_img.png"
        );
        assert_eq!(
            with_image_extension("A_img.jpg", b"\xff\xd8\xff"),
            "A_img.jpg"
        );
        assert_eq!(with_image_extension("A_img", b"GIF89a"), "A_img.gif");
    }
}
