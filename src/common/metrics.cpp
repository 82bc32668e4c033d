// metrics.cpp
#include "common/metrics.h"

namespace augur::metrics {

prometheus::Registry& Registry() {
  static prometheus::Registry registry;
  return registry;
}

prometheus::Family<prometheus::Counter>& HttpRequests() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_http_requests_total")
                            .Help("HTTP requests by route and status")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Histogram>& HttpSeconds() {
  static auto& family = prometheus::BuildHistogram()
                            .Name("augur_http_request_duration_seconds")
                            .Help("HTTP request duration by route")
                            .Register(Registry());
  return family;
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return buckets;
}

prometheus::Family<prometheus::Counter>& CacheEvents() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_cache_events_total")
                            .Help("Result cache lookups and evictions by outcome")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Counter>& Statements() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_statements_total")
                            .Help("Statements completed by protocol and command")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Histogram>& StatementSeconds() {
  static auto& family = prometheus::BuildHistogram()
                            .Name("augur_statement_duration_seconds")
                            .Help("Statement duration by protocol")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Counter>& StatementErrors() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_statement_errors_total")
                            .Help("Failed statements by protocol and SQLSTATE class")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Counter>& NetworkBytes() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_network_bytes_total")
                            .Help("Bytes received (in) and sent (out) by protocol")
                            .Register(Registry());
  return family;
}

prometheus::Counter& NetworkBytesCounter(std::string_view protocol, std::string_view direction) {
  return NetworkBytes().Add(
      {{"protocol", std::string(protocol)}, {"direction", std::string(direction)}});
}

prometheus::Family<prometheus::Counter>& RateLimited() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_rate_limited_total")
                            .Help("Requests and connections refused by the rate limit, by protocol")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Counter>& LoginFailures() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_login_failures_total")
                            .Help("PostgreSQL logins refused, by reason")
                            .Register(Registry());
  return family;
}

prometheus::Family<prometheus::Gauge>& Sessions() {
  static auto& family = prometheus::BuildGauge()
                            .Name("augur_sessions")
                            .Help("Open client sessions by protocol")
                            .Register(Registry());
  return family;
}

}  // namespace augur::metrics
