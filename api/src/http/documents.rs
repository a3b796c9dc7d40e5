//! Parsed GraphQL documents, kept by their text: POS terminals and apps send the same
//! few operations again and again, and parsing was the largest single cost of a cached
//! `verifyDiscount` (about a sixth of the server's time). Validation and every limit
//! (depth, complexity, recursion, directives) still run on each request.

use async_graphql::parser::types::ExecutableDocument;

/// Documents remembered.
const CAPACITY: u64 = 1_000;
/// Longer documents are parsed every time (and never crowd out the usual ones).
const LONGEST_CACHED: usize = 4 * 1024;

/// A bounded cache of parsed documents.
#[derive(Clone)]
pub(super) struct DocumentCache {
    parsed: moka::sync::Cache<String, ExecutableDocument>,
}

impl DocumentCache {
    pub fn new() -> Self {
        Self {
            parsed: moka::sync::Cache::new(CAPACITY),
        }
    }

    /// Gives `request` its parsed document from the cache, or parses it and keeps it.
    /// A document that does not parse is left to the schema, which reports the error.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if request.query.len() > LONGEST_CACHED {
            return;
        }
        if let Some(document) = self.parsed.get(&request.query) {
            request.set_parsed_query(document);
            return;
        }
        if let Ok(document) = request.parsed_query() {
            let document = document.clone();
            self.parsed.insert(request.query.clone(), document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(cache: &DocumentCache) -> u64 {
        cache.parsed.run_pending_tasks();
        cache.parsed.entry_count()
    }

    #[test]
    fn a_document_is_parsed_once_and_a_broken_one_is_never_kept() {
        let cache = DocumentCache::new();
        for _ in 0..3 {
            cache.prepare(&mut async_graphql::Request::new("{ __typename }"));
        }
        assert_eq!(kept(&cache), 1);
        cache.prepare(&mut async_graphql::Request::new("{ __typename"));
        assert_eq!(kept(&cache), 1, "a parse error is left to the schema");
        cache.prepare(&mut async_graphql::Request::new(format!(
            "{{ __typename }} # {}",
            "x".repeat(LONGEST_CACHED)
        )));
        assert_eq!(kept(&cache), 1, "a long document is not kept");
    }
}
