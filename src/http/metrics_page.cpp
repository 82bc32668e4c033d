// metrics_page.cpp
#include "http/metrics_page.h"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <charconv>
#include <filesystem>
#include <vector>

#include "common/metrics.h"

namespace augur::http {
namespace {

struct IndexFigure {
  const char* column;  // in augur_indexes()
  const char* name;
  const char* help;
  prometheus::MetricType type;
};

constexpr IndexFigure kIndexFigures[] = {
    {"keys", "augur_learned_index_keys", "Keys in a LEARNED index", prometheus::MetricType::Gauge},
    {"segments", "augur_learned_index_segments", "Linear segments of its model",
     prometheus::MetricType::Gauge},
    {"max_error", "augur_learned_index_max_error", "Its model's maximum position error",
     prometheus::MetricType::Gauge},
    {"bytes", "augur_learned_index_bytes", "Memory it holds (model, keys, row ids, delta)",
     prometheus::MetricType::Gauge},
    {"model_bytes", "augur_learned_index_model_bytes", "Memory of its model alone",
     prometheus::MetricType::Gauge},
    {"delta", "augur_learned_index_delta", "Inserts and deletes not yet folded into the model",
     prometheus::MetricType::Gauge},
    {"retrains", "augur_learned_index_retrains_total", "Background retrains since start",
     prometheus::MetricType::Counter},
};

double Number(std::optional<std::string_view> text) {
  double v = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), v);
  return v;
}

Result<std::vector<prometheus::MetricFamily>> LearnedIndexFamilies(Database& database) {
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  std::string sql = "SELECT schema_name, table_name, index_name";
  for (const auto& figure : kIndexFigures) sql += std::string(", ") + figure.column;
  sql += " FROM augur_indexes() ORDER BY 1, 2, 3";
  auto rows = (*session)->Query(sql);
  if (!rows) return std::move(rows).error();
  std::vector<prometheus::MetricFamily> families;
  for (size_t f = 0; f < std::size(kIndexFigures); ++f) {
    prometheus::MetricFamily family;
    family.name = kIndexFigures[f].name;
    family.help = kIndexFigures[f].help;
    family.type = kIndexFigures[f].type;
    for (size_t r = 0; r < rows->rows(); ++r) {
      prometheus::ClientMetric metric;
      metric.label = {{"schema", std::string(rows->cell(r, 0).value_or(""))},
                      {"table", std::string(rows->cell(r, 1).value_or(""))},
                      {"index", std::string(rows->cell(r, 2).value_or(""))}};
      double value = Number(rows->cell(r, 3 + f));
      if (family.type == prometheus::MetricType::Counter) {
        metric.counter.value = value;
      } else {
        metric.gauge.value = value;
      }
      family.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(family));
  }
  return families;
}

prometheus::MetricFamily Gauge(const char* name, const char* help) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Gauge;
  return family;
}

// Running statements, from pg_stat_activity's figures (DuckDB's progress estimate). A gauge per
// statement would give Prometheus a new series for every statement; instead: how many run, the
// rows they have processed together, and how long the longest has run and how far it has got
// (its progress only while DuckDB can estimate it).
Result<std::vector<prometheus::MetricFamily>> StatementFamilies(Database& database) {
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  auto rows = (*session)->Query(
      "SELECT extract(epoch FROM now() - query_start), progress, rows_processed "
      "FROM augur_stat_activity() WHERE state = 'active' AND pid <> pg_backend_pid() "
      "ORDER BY query_start");
  if (!rows) return std::move(rows).error();
  auto running = Gauge("augur_statements_running", "Statements running now");
  auto rows_processed =
      Gauge("augur_statements_rows_processed", "Rows processed so far by the running statements");
  auto longest_seconds =
      Gauge("augur_statement_longest_seconds", "How long the longest-running statement has run");
  auto longest_progress = Gauge("augur_statement_longest_progress_ratio",
                                "How far the longest-running statement has got (0 to 1), by "
                                "DuckDB's estimate; absent while it cannot estimate");
  prometheus::ClientMetric metric;
  metric.gauge.value = static_cast<double>(rows->rows());
  running.metric.push_back(metric);
  double processed = 0;
  for (size_t r = 0; r < rows->rows(); ++r) processed += Number(rows->cell(r, 2));
  metric.gauge.value = processed;
  rows_processed.metric.push_back(metric);
  metric.gauge.value = rows->rows() > 0 ? Number(rows->cell(0, 0)) : 0.0;
  longest_seconds.metric.push_back(metric);
  if (rows->rows() > 0 && rows->cell(0, 1)) {
    metric.gauge.value = Number(rows->cell(0, 1)) / 100.0;
    longest_progress.metric.push_back(metric);
  }
  return std::vector<prometheus::MetricFamily>{std::move(running), std::move(rows_processed),
                                               std::move(longest_seconds),
                                               std::move(longest_progress)};
}

// augur_database_bytes and augur_wal_bytes: the files in the data directory.
std::vector<prometheus::MetricFamily> FileFamilies(const std::string& data_dir) {
  std::vector<prometheus::MetricFamily> families;
  if (data_dir.empty()) return families;
  struct File {
    const char* name;
    const char* help;
    const char* file;
  };
  for (const File& f : {File{"augur_database_bytes", "Size of the database file", "augur.db"},
                        File{"augur_wal_bytes", "Size of the write-ahead log", "augur.db.wal"}}) {
    std::error_code ec;
    auto bytes = std::filesystem::file_size(std::filesystem::path(data_dir) / f.file, ec);
    prometheus::MetricFamily family;
    family.name = f.name;
    family.help = f.help;
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.gauge.value = ec ? 0.0 : static_cast<double>(bytes);  // no WAL after a checkpoint
    family.metric.push_back(std::move(metric));
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace

Result<std::string> RenderMetrics(Database& database, const std::string& data_dir) {
  auto families = metrics::Registry().Collect();
  for (auto& family : FileFamilies(data_dir)) families.push_back(std::move(family));
  auto learned = LearnedIndexFamilies(database);
  if (!learned) return std::move(learned).error();
  for (auto& family : *learned) families.push_back(std::move(family));
  auto statements = StatementFamilies(database);
  if (!statements) return std::move(statements).error();
  for (auto& family : *statements) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace augur::http
