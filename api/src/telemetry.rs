//! Logs and traces. Logs: JSON lines by default, filtered by `RUST_LOG` (default
//! `info`); each line inside a request carries the request's span fields, its
//! `request_id` among them. Traces: exported over OTLP/HTTP (protobuf) when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, with
//! W3C `traceparent` taken from requests and given to outgoing calls; unset, no
//! OpenTelemetry layer is installed and nothing is paid for it.
//!
//! Personal data is never logged nor exported: domain types print masked, and request
//! bodies and variables are recorded nowhere.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, Request, Response};
use opentelemetry::propagation::TextMapPropagator as _;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{HeaderExtractor, HeaderInjector, HttpClient, HttpError};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The environment variables that turn the export on (the OpenTelemetry standard's).
const ENDPOINT_VARIABLES: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];

/// What exported traces hold: the service's own spans down to debug (use cases,
/// adapter calls), other crates' from info.
const TRACED: &str = "info,benefits_api=debug,benefits_domain=debug,benefits_infra=debug";

/// Whether spans are exported (set once, by [`init`]).
static EXPORTING: OnceLock<bool> = OnceLock::new();

/// Keeps the trace exporter; [`Telemetry::shutdown`] sends the spans still buffered.
#[must_use = "shut it down at exit so buffered spans are sent"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Sends what is buffered and stops the exporter. Call it outside the runtime's
    /// own threads (the exporter runs on them).
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(error) = provider.shutdown()
        {
            eprintln!("benefits: traces not all exported at exit: {error}");
        }
    }
}

/// The OTLP exporter's HTTP client: the service's reqwest, so the exporter brings no
/// HTTP stack or TLS provider of its own.
#[derive(Debug)]
struct ExportClient(reqwest::Client);

#[async_trait::async_trait]
impl HttpClient for ExportClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let (parts, body) = request.into_parts();
        let answer = self
            .0
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await?;
        let mut response = Response::builder().status(answer.status().as_u16());
        if let Some(headers) = response.headers_mut() {
            *headers = answer.headers().clone();
        }
        Ok(response.body(answer.bytes().await?)?)
    }
}

fn endpoint_configured() -> bool {
    ENDPOINT_VARIABLES
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|value| !value.trim().is_empty()))
}

/// The tracer provider exporting over OTLP/HTTP on the current tokio runtime.
fn exporting_provider() -> Result<SdkTracerProvider, Box<dyn std::error::Error>> {
    use opentelemetry_otlp::{WithExportConfig as _, WithHttpConfig as _};
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .with_http_client(ExportClient(client))
        .build()?;
    let processor =
        opentelemetry_sdk::trace::span_processor_with_async_runtime::BatchSpanProcessor::builder(
            exporter,
            opentelemetry_sdk::runtime::Tokio,
        )
        .build();
    Ok(SdkTracerProvider::builder()
        .with_span_processor(processor)
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name("benefits")
                .build(),
        )
        .build())
}

/// What the logs hold: `RUST_LOG`, `info` by default.
fn log_filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Installs the global subscriber once; later calls (tests) are no-ops. Call it inside
/// the tokio runtime: the trace exporter runs on it.
pub fn init(json: bool) -> Telemetry {
    let provider = if endpoint_configured() {
        match exporting_provider() {
            Ok(provider) => Some(provider),
            Err(error) => {
                eprintln!("benefits: traces will not be exported: {error}");
                None
            }
        }
    } else {
        None
    };
    // Exported traces also hold the debug-level spans of use cases and adapter calls;
    // without an exporter nothing asks for those, so they cost a disabled callsite.
    let traces = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("benefits"))
            .with_tracked_inactivity(false)
            .with_filter(EnvFilter::new(TRACED))
    });
    let plain = (!json).then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    let structured = json.then(|| {
        // The innermost span's fields (the request id) on every line; not the whole
        // list of spans, which cost more to write than the line itself.
        tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
    });
    let installed = tracing_subscriber::registry()
        .with(plain.with_filter(log_filter()))
        .with(structured.with_filter(log_filter()))
        .with(traces)
        .try_init()
        .is_ok();
    if installed {
        let _ = EXPORTING.set(provider.is_some());
    }
    Telemetry {
        provider: provider.filter(|_| installed),
    }
}

fn exporting() -> bool {
    EXPORTING.get().copied().unwrap_or(false)
}

/// Makes `span` a child of the caller's trace when the request names one
/// (`traceparent`); nothing when traces are not exported. Whether they are.
pub fn continue_trace(span: &tracing::Span, headers: &HeaderMap) -> bool {
    let exporting = exporting();
    if exporting {
        let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
        let _ = span.set_parent(parent);
    }
    exporting
}

/// Adds the current span's `traceparent` to an outgoing call's headers (webhooks, the
/// broker, the identity provider); nothing when traces are not exported.
pub fn propagate(headers: &mut HeaderMap) {
    if exporting() {
        let context = tracing::Span::current().context();
        TraceContextPropagator::new().inject_context(&context, &mut HeaderInjector(headers));
    }
}
