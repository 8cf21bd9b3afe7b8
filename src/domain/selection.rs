//! Which papers make a digest: the top N of a day by upvotes.

use std::collections::HashSet;

use super::Paper;

/// The `n` most upvoted papers, most upvoted first.
///
/// The sort is stable, so papers with equal upvotes keep the API's order (which is the
/// site's own order for ties). A paper listed twice counts once, at its first position:
/// the API has been seen to repeat an item across pages while the list grows.
pub fn top(papers: &[Paper], n: usize) -> Vec<Paper> {
    let mut seen = HashSet::new();
    let mut unique: Vec<&Paper> = papers
        .iter()
        .filter(|p| seen.insert(p.id.as_str()))
        .collect();
    unique.sort_by_key(|p| std::cmp::Reverse(p.upvotes));
    unique.into_iter().take(n).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper;

    #[test]
    fn picks_most_upvoted_first() {
        let papers = vec![paper("a", 1), paper("b", 9), paper("c", 5)];
        let ids: Vec<_> = top(&papers, 2).into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn ties_keep_api_order() {
        let papers = vec![paper("a", 3), paper("b", 3), paper("c", 7), paper("d", 3)];
        let ids: Vec<_> = top(&papers, 4).into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["c", "a", "b", "d"]);
    }

    #[test]
    fn duplicates_count_once() {
        let papers = vec![paper("a", 3), paper("a", 3), paper("b", 1)];
        let ids: Vec<_> = top(&papers, 5).into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn fewer_papers_than_n() {
        assert!(top(&[], 5).is_empty());
        assert_eq!(top(&[paper("a", 0)], 5).len(), 1);
    }
}
