//! GraphQL over HTTP (the graphql-over-http specification) around `POST /graphql`: which
//! media type answers (`Accept`), what a body that is not a GraphQL request is told,
//! and the status and shape of each kind of answer.
//!
//! | answer | `application/json` | `application/graphql-response+json` |
//! | --- | --- | --- |
//! | executed (data, maybe with field errors) | 200 | 200 |
//! | token refused (`UNAUTHENTICATED`, no data) | 200 | 401 |
//! | document does not parse (`GRAPHQL_PARSE_FAILED`) | 200 | 400 |
//! | document does not validate (`GRAPHQL_VALIDATION_FAILED`) | 200 | 400 |
//! | body is not one GraphQL request (`BAD_USER_INPUT`) | 400 | 400 |
//! | `Accept` allows neither type | 406 | 406 |
//!
//! `Accept` absent, `*/*` or `application/*` answers `application/json`. Answers that
//! never reached execution carry no `data` entry, and their errors no locations unless
//! they point into the document (1-based, as the parser counts).

use async_graphql::{ErrorExtensionValues, Response as GraphQLResponse, ServerError, Value};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::graphql::{ApiError, ErrorCode};

/// `extensions.code` of a document that does not parse (contract "Errors").
pub(super) const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// `extensions.code` of a document that does not validate against the schema.
pub(super) const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// The media type of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Json,
    GraphQLResponse,
}

impl Format {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Json => "application/json; charset=utf-8",
            Self::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
        })
    }

    /// The answer's media type for `Accept`: the acceptable one of highest quality (the
    /// first listed on a tie), `application/json` when any will do; `None` when `Accept`
    /// allows neither.
    pub fn negotiate(headers: &HeaderMap) -> Option<Self> {
        let mut accepts = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|range| !range.is_empty())
            .peekable();
        if accepts.peek().is_none() {
            return Some(Self::Json);
        }
        let mut best: Option<(Self, f32)> = None;
        for range in accepts {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|parameter| parameter.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let format = match media.as_str() {
                "application/graphql-response+json" => Self::GraphQLResponse,
                "application/json" | "application/*" | "*/*" => Self::Json,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((format, quality));
            }
        }
        best.map(|(format, _)| format)
    }
}

/// 406: `Accept` names neither media type the service answers in.
pub(super) fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        "POST /graphql answers application/json or application/graphql-response+json",
    )
        .into_response()
}

/// Reads the body as one GraphQL request; otherwise says what is wrong with it.
pub(super) fn read_request(body: &[u8]) -> Result<async_graphql::Request, String> {
    if let Ok(request) = serde_json::from_slice::<async_graphql::Request>(body)
        && !request.query.is_empty()
    {
        return Ok(request);
    }
    Err(what_is_wrong(body))
}

/// Why a body that did not read as a request is not one.
fn what_is_wrong(body: &[u8]) -> String {
    let value = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value,
        Err(error) if body.iter().all(u8::is_ascii_whitespace) => {
            return format!("the body is empty: send a JSON object with a query ({error})");
        }
        Err(error) => return format!("the body is not JSON: {error}"),
    };
    let Some(request) = value.as_object() else {
        return if value.is_array() {
            "batches are refused: send one request object".to_owned()
        } else {
            "the body must be a JSON object with a query".to_owned()
        };
    };
    match request.get("query") {
        None | Some(serde_json::Value::Null) => return "query is missing".to_owned(),
        Some(serde_json::Value::String(query)) if query.is_empty() => {
            return "query is empty".to_owned();
        }
        Some(serde_json::Value::String(_)) => {}
        Some(_) => return "query must be a string".to_owned(),
    }
    for (name, allowed) in [
        ("operationName", "a string"),
        ("variables", "an object"),
        ("extensions", "an object"),
    ] {
        let fits = match request.get(name) {
            None | Some(serde_json::Value::Null) => true,
            Some(serde_json::Value::String(_)) => name == "operationName",
            Some(serde_json::Value::Object(_)) => name != "operationName",
            Some(_) => false,
        };
        if !fits {
            return format!("{name} must be {allowed} or null");
        }
    }
    "the body is not a GraphQL request".to_owned()
}

/// An error about the request as a whole: no locations, the contract's code.
fn request_error(code: &str, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}

/// The JSON of an answer with these errors and no `data` entry.
fn errors_only(format: Format, status: StatusCode, errors: &[ServerError]) -> Response {
    let body = serde_json::json!({ "errors": errors });
    let mut response = (status, Body::from(body.to_string())).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, format.content_type());
    response
}

/// 400: the body is not one GraphQL request.
pub(super) fn malformed(format: Format, why: String) -> Response {
    let error = request_error(ErrorCode::BadUserInput.as_str(), why);
    errors_only(format, StatusCode::BAD_REQUEST, &[error])
}

/// A refusal before parsing (`UNAUTHENTICATED`): 200 as `application/json`, 401 as
/// `application/graphql-response+json`.
pub(super) fn refused(format: Format, error: ApiError) -> Response {
    let status = match format {
        Format::Json => StatusCode::OK,
        Format::GraphQLResponse => StatusCode::UNAUTHORIZED,
    };
    let mut server = request_error(error.code.as_str(), error.message);
    if let Some(extensions) = server.extensions.as_mut()
        && let Some(reason) = error.reason
    {
        extensions.set("reason", reason);
    }
    errors_only(format, status, &[server])
}

/// A document that does not parse: its errors with `GRAPHQL_PARSE_FAILED`.
pub(super) fn unparsable(format: Format, mut error: ServerError) -> Response {
    error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", PARSE_FAILED);
    errors_only(format, bad_request_unless_json(format), &[error])
}

fn bad_request_unless_json(format: Format) -> StatusCode {
    match format {
        Format::Json => StatusCode::OK,
        Format::GraphQLResponse => StatusCode::BAD_REQUEST,
    }
}

/// Whether an error carries an `extensions.code`: every refusal of a resolver does
/// (`ApiError`); the schema's own validation errors do not.
fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

/// The answer to an executed request. A response without data whose errors carry
/// neither a path nor a code never ran: the document did not validate (or its variables
/// did not fit, or it was over a limit), and its errors get `GRAPHQL_VALIDATION_FAILED`.
pub(super) fn answer(format: Format, mut response: GraphQLResponse) -> Response {
    let rejected = response.data == Value::Null
        && !response.errors.is_empty()
        && response
            .errors
            .iter()
            .all(|error| error.path.is_empty() && !has_code(error));
    if rejected {
        for error in &mut response.errors {
            error
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default)
                .set("code", VALIDATION_FAILED);
        }
        return errors_only(format, bad_request_unless_json(format), &response.errors);
    }
    let body = serde_json::to_string(&response).unwrap_or_else(|_| {
        r#"{"errors":[{"message":"the answer could not be written","extensions":{"code":"INTERNAL"}}]}"#.to_owned()
    });
    let mut answer = Body::from(body).into_response();
    answer
        .headers_mut()
        .insert(header::CONTENT_TYPE, format.content_type());
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<Format> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        Format::negotiate(&headers)
    }

    #[test]
    fn accept_chooses_the_media_type_of_the_answer() {
        assert_eq!(Format::negotiate(&HeaderMap::new()), Some(Format::Json));
        assert_eq!(accept("application/json"), Some(Format::Json));
        assert_eq!(accept("*/*"), Some(Format::Json));
        assert_eq!(
            accept("application/graphql-response+json, application/json"),
            Some(Format::GraphQLResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json"),
            Some(Format::Json)
        );
        assert_eq!(
            accept("application/json; charset=utf-8"),
            Some(Format::Json)
        );
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }

    #[test]
    fn a_body_that_is_no_request_is_told_what_is_wrong() {
        let wrong = |body: &str| read_request(body.as_bytes()).err().unwrap();
        assert!(wrong("").starts_with("the body is empty"));
        assert!(wrong("{\"query\": ").starts_with("the body is not JSON"));
        assert_eq!(
            wrong("[{\"query\": \"{ a }\"}]"),
            "batches are refused: send one request object"
        );
        assert_eq!(
            wrong("\"{ a }\""),
            "the body must be a JSON object with a query"
        );
        assert_eq!(wrong("{}"), "query is missing");
        assert_eq!(wrong("{\"query\": 1}"), "query must be a string");
        assert_eq!(
            wrong("{\"query\": \"{ a }\", \"variables\": \"x\"}"),
            "variables must be an object or null"
        );
        assert_eq!(
            wrong("{\"query\": \"{ a }\", \"operationName\": 3}"),
            "operationName must be a string or null"
        );
        assert!(
            read_request(br#"{"query": "{ a }", "variables": null, "extensions": null}"#).is_ok()
        );
    }
}
