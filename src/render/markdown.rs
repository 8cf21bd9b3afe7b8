//! A digest as a Markdown document, in the layout of the digests paperboy grew out of, so
//! that files written by the older script and by paperboy read the same.

use std::collections::HashMap;

use crate::domain::{Digest, Entry};
use crate::render::labels::{self, Labels};
use crate::render::text;

/// Longest title kept in an image file name, in bytes; with the suffix it stays far below
/// the 255 bytes most file systems allow.
const FILE_TITLE_MAX_BYTES: usize = 120;

/// The digest as Markdown, thumbnails linked to their URLs.
pub fn render(digest: &Digest) -> String {
    render_with_images(digest, &HashMap::new())
}

/// The digest as Markdown, with the thumbnails of the papers in `local` (paper id to a path
/// relative to the document, as written by `--save-images`) pointing at those files.
pub fn render_with_images(digest: &Digest, local: &HashMap<String, String>) -> String {
    let labels = labels::labels(digest.language);
    let mut out = format!(
        "# {} {} ({})\n",
        digest.date,
        labels.daily_papers,
        labels.top(digest.top_n)
    );
    if digest.is_empty() {
        out.push('\n');
        out.push_str(&labels.no_papers(digest.date));
        out.push('\n');
        return out;
    }
    for (i, entry) in digest.entries.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n");
        }
        paper(&mut out, entry, digest, labels, local.get(&entry.paper.id));
    }
    out
}

fn paper(
    out: &mut String,
    entry: &Entry,
    digest: &Digest,
    labels: &Labels,
    local_image: Option<&String>,
) {
    let paper = &entry.paper;
    let summary = &entry.summary;
    let title = escape_title(&text::one_line(&paper.title));
    match text::web_url(&paper.page_url()) {
        Some(url) => out.push_str(&format!(
            "\n## {}. [{title}]({})\n",
            entry.rank,
            text::link_destination(&url)
        )),
        None => out.push_str(&format!("\n## {}. {title}\n", entry.rank)),
    }
    out.push_str(&format!("\n**Upvotes**: {}\n", paper.upvotes));

    let image = match local_image {
        Some(path) => Some(text::link_destination(path)),
        None => text::web_url(&paper.thumbnail).map(|u| text::link_destination(&u)),
    };
    if let Some(image) = image {
        out.push_str(&format!("\n![Thumbnail]({image})\n"));
    }

    let summary_text = text::clean(&summary.summary);
    if !summary_text.is_empty() || summary.origin.is_fallback() {
        out.push_str(&format!("\n### {}\n", labels.summary));
        if !summary_text.is_empty() {
            out.push_str(&format!("\n{summary_text}\n"));
        }
        if summary.origin.is_fallback() {
            out.push_str(&format!("\n_{}_\n", labels.fallback_note));
        }
    }

    let abstract_text = text::clean(&summary.abstract_text);
    if !abstract_text.is_empty() {
        let heading = labels::abstract_heading(digest.language, &summary.origin);
        out.push_str(&format!("\n### {heading}\n\n{abstract_text}\n"));
    }

    let points: Vec<String> = summary
        .key_points
        .iter()
        .map(|p| text::one_line(p))
        .filter(|p| !p.is_empty())
        .collect();
    if !points.is_empty() {
        out.push_str(&format!("\n### {}\n\n", labels.key_points));
        for point in points {
            out.push_str(&format!("- {point}\n"));
        }
    }

    let code = paper.github_repo.as_deref().and_then(text::web_url);
    let project = paper.project_page.as_deref().and_then(text::web_url);
    let links: Vec<String> = [
        (labels.paper_page, text::web_url(&paper.page_url())),
        (labels.arxiv, text::web_url(&paper.arxiv_url())),
        (labels.pdf, text::web_url(&paper.pdf_url())),
        (labels.code, code),
        (labels.project_page, project),
    ]
    .into_iter()
    .filter_map(|(label, url)| Some(format!("[{label}]({})", text::link_destination(&url?))))
    .collect();
    if !links.is_empty() {
        out.push_str(&format!("\n🔗 {}\n", links.join(" · ")));
    }
}

/// A title as link text: brackets would end the link early, a backslash would eat the next
/// character, a `<` could start raw HTML.
fn escape_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if matches!(c, '\\' | '[' | ']' | '<' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `<Title>_img.jpg`, safe as one file name on any common file system: no path separators,
/// control or reserved characters, no leading dot, at most a few hundred bytes, never empty.
pub fn image_file_name(title: &str) -> String {
    let kept: String = title
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .collect();
    let one_line = text::one_line(&kept);
    let mut name = one_line.trim_start_matches(['.', ' ']).to_string();
    if name.len() > FILE_TITLE_MAX_BYTES {
        let mut end = FILE_TITLE_MAX_BYTES;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    let name = name.trim_end_matches(['.', ' ']);
    let name = if name.is_empty() { "paper" } else { name };
    format!("{name}_img.jpg")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper as bare_paper;
    use crate::render::sample;

    #[test]
    fn english_snapshot() {
        insta::assert_snapshot!(render(&sample::english()));
    }

    #[test]
    fn korean_snapshot() {
        insta::assert_snapshot!(render(&sample::korean()));
    }

    #[test]
    fn the_seed_layout() {
        let out = render(&sample::korean());
        assert_eq!(
            out.lines().next(),
            Some("# 2026-01-20 Daily Papers (Top 5)")
        );
        assert!(out.contains(
            "\n## 1. [ShowUI-π: Flow-based Generative Models as GUI Dexterous Hands](https://huggingface.co/papers/2601.11077)\n"
        ));
        assert!(out.contains("\n**Upvotes**: 128\n"));
        assert!(out.contains(
            "\n![Thumbnail](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2601.11077.png)\n"
        ));
        for heading in [
            "### 📌 요약",
            "### 📝 초록 (번역)",
            "### 🔑 핵심 포인트",
            "### 📝 초록\n",
        ] {
            assert!(out.contains(heading), "{heading}");
        }
        assert!(out.contains("_(모델 사용 불가: 추출 요약)_"));
        assert_eq!(out.matches("\n---\n").count(), 1);
    }

    #[test]
    fn brackets_in_titles_do_not_break_the_link() {
        let out = render(&sample::english());
        assert!(out.contains(
            "## 2. [Scaling Laws for \\[Sparse\\] Mixtures & \\<Routers>](https://huggingface.co/papers/2601.10000)"
        ), "{out}");
    }

    #[test]
    fn saved_images_are_linked_by_relative_path() {
        let digest = sample::english();
        let name = image_file_name(&digest.entries[0].paper.title);
        let local = HashMap::from([("2601.11077".to_string(), format!("images/{name}"))]);
        let out = render_with_images(&digest, &local);
        assert!(out.contains(
            "![Thumbnail](images/ShowUI-π%20Flow-based%20Generative%20Models%20as%20GUI%20Dexterous%20Hands_img.jpg)"
        ), "{out}");
        // The other paper keeps its URL.
        assert!(out.contains("papers/2601.10000.png)"));
    }

    #[test]
    fn image_file_names_are_safe() {
        assert_eq!(image_file_name("A/B\\C: D?"), "ABC D_img.jpg");
        assert_eq!(image_file_name("../../etc/passwd"), "etcpasswd_img.jpg");
        assert_eq!(image_file_name(""), "paper_img.jpg");
        assert_eq!(image_file_name("\u{0}\n\t/"), "paper_img.jpg");
        assert_eq!(image_file_name("..."), "paper_img.jpg");
        let long = image_file_name(&"한".repeat(500));
        assert!(long.len() <= FILE_TITLE_MAX_BYTES + "_img.jpg".len());
        assert!(long.ends_with("_img.jpg"));
    }

    #[test]
    fn an_empty_day_says_so() {
        let out = render(&sample::of(Vec::new()));
        assert_eq!(
            out,
            "# 2026-01-20 Daily Papers (Top 0)\n\nNo papers on 2026-01-20 (weekend?)\n"
        );
    }

    #[test]
    fn optional_parts_are_left_out() {
        let mut paper = bare_paper("2601.00001", 1);
        paper.abstract_text = String::new();
        let out = render(&sample::of(vec![paper]));
        assert!(!out.contains("📝"));
        assert!(!out.contains("[Code]"));
        assert!(out.contains("[arXiv](https://arxiv.org/abs/2601.00001)"));
    }
}
