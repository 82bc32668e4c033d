// metrics.h: the process-wide Prometheus registry (one of the two globals augur allows, with the
// logger) and the metric families the layers record into. GET /metrics serialises it.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace augur::metrics {

prometheus::Registry& Registry();

// HTTP requests by route pattern ("/api/query", "other") and status code.
prometheus::Family<prometheus::Counter>& HttpRequests();
// HTTP request duration in seconds by route pattern.
prometheus::Family<prometheus::Histogram>& HttpSeconds();
// Buckets for HttpSeconds: 100 us to 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();
// Result cache events: hit, miss, stale (expired or invalidated), eviction.
prometheus::Family<prometheus::Counter>& CacheEvents();
// Statements completed by protocol and command ("SELECT", "INSERT", ...).
prometheus::Family<prometheus::Counter>& Statements();
// Statement duration in seconds by protocol.
prometheus::Family<prometheus::Histogram>& StatementSeconds();
// Failed statements by protocol and SQLSTATE class ("42", "23", ...).
prometheus::Family<prometheus::Counter>& StatementErrors();
// Open sessions by protocol ("pgwire").
prometheus::Family<prometheus::Gauge>& Sessions();
// Bytes received ("in") and sent ("out") by protocol ("pgwire", "http"), after TLS.
prometheus::Family<prometheus::Counter>& NetworkBytes();
// The counter of one protocol and direction, looked up once (the family's Add takes a lock).
prometheus::Counter& NetworkBytesCounter(std::string_view protocol, std::string_view direction);
// Requests (HTTP) and connections (PostgreSQL) refused by server.rate_limit, by protocol.
prometheus::Family<prometheus::Counter>& RateLimited();
// Logins refused by reason ("password", "no_role", "no_login", "rejected", "throttled").
prometheus::Family<prometheus::Counter>& LoginFailures();

}  // namespace augur::metrics
