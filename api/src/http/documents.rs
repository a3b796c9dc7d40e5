//! Parsed GraphQL documents, kept by their text: POS terminals and apps send the same
//! few operations again and again, and parsing was the largest single cost of a cached
//! `verifyDiscount` (about a sixth of the server's time). A document also remembers
//! that it passed the schema's validation rules once: later requests with it skip
//! them when their variables are plain values of plain types (strings, in-range
//! integers, booleans), the only case where the rules' one dependence on variables
//! (an argument's value) cannot change the outcome. Every limit that depends on the
//! request (complexity with its variables, depth) still runs each time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::Value as ConstValue;
use async_graphql::Variables;
use async_graphql::parser::types::{BaseType, DocumentOperations, ExecutableDocument, Type};

/// Documents remembered.
const CAPACITY: u64 = 1_000;
/// Longer documents are parsed every time (and never crowd out the usual ones).
const LONGEST_CACHED: usize = 4 * 1024;

/// A parsed document and whether it passed validation before.
struct Parsed {
    document: ExecutableDocument,
    validated: AtomicBool,
}

/// A bounded cache of parsed documents.
#[derive(Clone)]
pub(super) struct DocumentCache {
    parsed: moka::sync::Cache<String, Arc<Parsed>>,
}

impl DocumentCache {
    pub fn new() -> Self {
        Self {
            parsed: moka::sync::Cache::new(CAPACITY),
        }
    }

    /// Gives `request` its parsed document from the cache, or parses it and keeps it;
    /// whether the document passed validation before. A document that does not parse
    /// is left to the schema, which reports the error.
    pub fn prepare(&self, request: &mut async_graphql::Request) -> bool {
        if request.query.len() > LONGEST_CACHED {
            return false;
        }
        if let Some(parsed) = self.parsed.get(&request.query) {
            request.set_parsed_query(parsed.document.clone());
            return parsed.validated.load(Ordering::Acquire)
                && plain_variables(&parsed.document, &request.variables);
        }
        if let Ok(document) = request.parsed_query() {
            let parsed = Parsed {
                document: document.clone(),
                validated: AtomicBool::new(false),
            };
            self.parsed.insert(request.query.clone(), Arc::new(parsed));
        }
        false
    }

    /// Remembers that `query` passed every validation rule.
    pub fn validated(&self, query: &str) {
        if let Some(parsed) = self.parsed.get(query) {
            parsed.validated.store(true, Ordering::Release);
        }
    }
}

/// Whether every variable of the document's one operation is given a plain value its
/// declared type accepts (or is absent where that is allowed), and no other is given.
fn plain_variables(document: &ExecutableDocument, variables: &Variables) -> bool {
    let DocumentOperations::Single(operation) = &document.operations else {
        return false;
    };
    let definitions = &operation.node.variable_definitions;
    let all_declared = variables.keys().all(|name| {
        definitions
            .iter()
            .any(|definition| definition.node.name.node == *name)
    });
    all_declared
        && definitions.iter().all(|definition| {
            let definition = &definition.node;
            let declared = &definition.var_type.node;
            match variables.get(&definition.name.node) {
                None => declared.nullable || definition.default_value.is_some(),
                Some(ConstValue::Null) => declared.nullable,
                Some(value) => plain_value(declared, value),
            }
        })
}

fn plain_value(declared: &Type, value: &ConstValue) -> bool {
    let BaseType::Named(name) = &declared.base else {
        return false;
    };
    match (name.as_str(), value) {
        ("String" | "ID", ConstValue::String(_)) | ("Boolean", ConstValue::Boolean(_)) => true,
        ("Int", ConstValue::Number(number)) => number
            .as_i64()
            .is_some_and(|number| i32::try_from(number).is_ok()),
        _ => false,
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

    #[test]
    fn a_document_is_validated_once_it_is_said_to_be() {
        let cache = DocumentCache::new();
        let mut first = async_graphql::Request::new("{ __typename }");
        assert!(!cache.prepare(&mut first), "never validated yet");
        cache.validated("{ __typename }");
        let mut second = async_graphql::Request::new("{ __typename }");
        assert!(cache.prepare(&mut second));
        let mut other = async_graphql::Request::new("{ me { id } }");
        assert!(!cache.prepare(&mut other), "another document");
    }

    fn with_variables(variables: serde_json::Value) -> async_graphql::Request {
        async_graphql::Request::new("query($c: String!, $n: Int) { f(c: $c, n: $n) }")
            .variables(Variables::from_json(variables))
    }

    #[test]
    fn only_plain_variables_skip_validation() {
        let cache = DocumentCache::new();
        cache.prepare(&mut with_variables(serde_json::json!({ "c": "x" })));
        cache.validated("query($c: String!, $n: Int) { f(c: $c, n: $n) }");
        for (variables, skips) in [
            (serde_json::json!({ "c": "x" }), true),
            (serde_json::json!({ "c": "x", "n": 5 }), true),
            (serde_json::json!({ "c": "x", "n": null }), true),
            (serde_json::json!({ "c": 5 }), false),
            (serde_json::json!({ "c": null }), false),
            (serde_json::json!({}), false),
            (
                serde_json::json!({ "c": "x", "n": 5_000_000_000_i64 }),
                false,
            ),
            (serde_json::json!({ "c": "x", "n": "5" }), false),
            (serde_json::json!({ "c": "x", "other": 1 }), false),
        ] {
            assert_eq!(
                cache.prepare(&mut with_variables(variables.clone())),
                skips,
                "{variables}"
            );
        }
    }
}
