//! Prometheus metrics: request counts and latency by route and status, and
//! how many changes moved. Never anything from a request's body.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
    pub status: u16,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RouteLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub changes_pushed: Counter,
    pub changes_duplicate: Counter,
    pub changes_pulled: Counter,
    pub login_failures: Counter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("waymark");
        let requests = Family::<RouteLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        let changes_pushed = Counter::default();
        let changes_duplicate = Counter::default();
        let changes_pulled = Counter::default();
        let login_failures = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route and status",
            latency.clone(),
        );
        registry.register(
            "changes_pushed",
            "Changes stored by pushes",
            changes_pushed.clone(),
        );
        registry.register(
            "changes_duplicate",
            "Pushed changes the server already had (retries)",
            changes_duplicate.clone(),
        );
        registry.register(
            "changes_pulled",
            "Changes sent to devices",
            changes_pulled.clone(),
        );
        registry.register("login_failures", "Failed logins", login_failures.clone());
        Metrics {
            registry,
            requests,
            latency,
            changes_pushed,
            changes_duplicate,
            changes_pulled,
            login_failures,
        }
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
