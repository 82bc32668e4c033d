// bench_engine.cpp: LEARNED index vs DuckDB's ART vs no index, through augur's engine API.
//
//   build/bench/engine/bench_engine [ROWS ...]        (default 10000000)
//
// For each size and each of two row orders: three copies of one table (id BIGINT, v BIGINT; ids
// 0, 2, 4, ...), one with a LEARNED index on id, one with an ART index, one with none. "ordered"
// stores rows in id order (an auto-increment key, a timestamp): DuckDB's zone maps already let a
// plain scan skip most of the table. "shuffled" stores them in random order: a scan must read
// everything, which is where an index earns its keep. It prints the build time and memory of each
// index (and the LEARNED index's layout: clustered on the ordered table, entries on the shuffled
// one), then the mean latency of point and range queries run as prepared statements (Prepare once,
// Execute with parameters, as drivers do) and as literal SQL. Cases run in alternating rounds and
// each figure is the median round, so load on this shared machine hits all three alike.
//
// A benchmark, not a test: it asserts nothing about speed. It does check that the three tables
// return the same rows, so a fast wrong answer cannot pass as a result.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "augur/engine.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what, const augur::Error& error) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), error.ToString().c_str());
  std::exit(1);
}

augur::RowBatch Query(augur::Session& session, const std::string& sql) {
  auto rows = session.Query(sql);
  if (!rows) Die(sql, rows.error());
  return std::move(*rows);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Cell(const augur::RowBatch& rows) {
  auto cell = rows.rows() ? rows.cell(0, 0) : std::nullopt;
  return cell ? std::string(*cell) : "NULL";
}

// One lookup: the key (or range start) to query and what every table must answer.
struct Probe {
  int64_t key;
  std::string expected;  // filled by the first table, checked against the others
};

// kLookup is the fast path's shape (a key lookup returning the row's column, no aggregate):
// src/engine/fast_path answers it without DuckDB's planner on the LEARNED and ART tables.
enum class Shape { kLookup, kPoint, kRange, kHour };
// 100 rows: ids are even. The "hour" reads ids as seconds (a row every 2 s): 1800 rows.
int64_t Width(Shape shape) { return shape == Shape::kHour ? 3600 : 200; }

std::string Sql(const std::string& table, Shape shape, bool prepared, int64_t key = 0) {
  if (shape == Shape::kLookup) {
    return prepared ? "SELECT v FROM " + table + " WHERE id = $1"
                    : fmt::format("SELECT v FROM {} WHERE id = {}", table, key);
  }
  if (shape == Shape::kPoint) {
    return prepared ? "SELECT sum(v) FROM " + table + " WHERE id = $1"
                    : fmt::format("SELECT sum(v) FROM {} WHERE id = {}", table, key);
  }
  return prepared ? "SELECT sum(v) FROM " + table + " WHERE id BETWEEN $1 AND $2"
                  : fmt::format("SELECT sum(v) FROM {} WHERE id BETWEEN {} AND {}", table, key,
                                key + Width(shape));
}

// Runs `probes` against `table` for about `budget` seconds (at least 3 queries); returns the
// mean seconds per query.
double Run(augur::Session& session, const std::string& table, Shape shape, bool prepared,
           std::vector<Probe>& probes, double budget) {
  std::shared_ptr<augur::PreparedStatement> statement;
  if (prepared) {
    std::vector<uint32_t> types{20};
    if (shape == Shape::kRange || shape == Shape::kHour) types.push_back(20);
    auto p = session.Prepare(Sql(table, shape, true), types);
    if (!p) Die("prepare", p.error());
    statement = *p;
  }
  auto start = Clock::now();
  size_t done = 0;
  for (; done < probes.size() && (done < 3 || Seconds(start) < budget); ++done) {
    Probe& probe = probes[done];
    std::string result;
    if (prepared) {
      std::vector<augur::ParameterValue> params{std::to_string(probe.key)};
      if (shape == Shape::kRange || shape == Shape::kHour)
        params.push_back(std::to_string(probe.key + Width(shape)));
      auto cursor = session.Execute(*statement, params, /*stream=*/false);
      if (!cursor) Die("execute", cursor.error());
      auto rows = (*cursor)->Fetch(16);
      if (!rows) Die("fetch", rows.error());
      result = Cell(*rows);
    } else {
      result = Cell(Query(session, Sql(table, shape, false, probe.key)));
    }
    if (probe.expected.empty()) {
      probe.expected = result;
    } else if (probe.expected != result) {
      std::fprintf(stderr, "%s answered %s for key %lld, another table %s\n", table.c_str(),
                   result.c_str(), static_cast<long long>(probe.key), probe.expected.c_str());
      std::exit(1);
    }
  }
  return Seconds(start) / static_cast<double>(done);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Bench(int64_t rows, bool shuffled) {
  augur::DatabaseOptions options;  // in memory: measures the index, not the disk
  auto database = augur::Database::Open(options);
  if (!database) Die("open", database.error());
  auto connected = (*database)->Connect();
  if (!connected) Die("connect", connected.error());
  augur::Session& session = **connected;

  Query(session, fmt::format("CREATE TABLE base AS SELECT (r * 2)::BIGINT AS id, "
                             "(r % 1000)::BIGINT AS v FROM range({}) t(r){}",
                             rows, shuffled ? " ORDER BY hash(r)" : ""));
  const std::vector<std::string> tables = {"t_learned", "t_art", "t_none"};
  std::vector<double> build_seconds;
  for (const auto& table : tables) Query(session, "CREATE TABLE " + table + " AS FROM base");
  Query(session, "DROP TABLE base");
  auto start = Clock::now();
  Query(session, "CREATE INDEX t_learned_id ON t_learned USING LEARNED (id)");
  double learned_build = Seconds(start);
  start = Clock::now();
  Query(session, "CREATE INDEX t_art_id ON t_art (id)");
  double art_build = Seconds(start);
  uint64_t learned_bytes = std::stoull(
      Cell(Query(session, "SELECT bytes FROM augur_indexes() WHERE index_name = 't_learned_id'")));
  std::string layout =
      Cell(Query(session, "SELECT layout FROM augur_indexes() WHERE index_name = 't_learned_id'"));
  uint64_t model_bytes = std::stoull(Cell(
      Query(session, "SELECT model_bytes FROM augur_indexes() WHERE index_name = 't_learned_id'")));
  uint64_t art_bytes = std::stoull(Cell(
      Query(session, "SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = 'ART_INDEX'")));

  std::printf("\n### %lld rows, %s\n\n", static_cast<long long>(rows),
              shuffled ? "shuffled" : "ordered by id");
  std::printf(
      "| index | build (s) | memory (MiB) | of which model (KiB) | layout |\n"
      "|---|---|---|---|---|\n");
  std::printf("| LEARNED | %.2f | %.3f | %.1f | %s |\n", learned_build, learned_bytes / 1048576.0,
              model_bytes / 1024.0, layout.c_str());
  std::printf("| ART | %.2f | %.1f | - | - |\n", art_build, art_bytes / 1048576.0);
  std::printf("\nLEARNED / ART memory: %.4f%%\n\n",
              100.0 * static_cast<double>(learned_bytes) / static_cast<double>(art_bytes));

  std::mt19937_64 rng(7);
  std::printf("| query | LEARNED (us) | ART (us) | no index (us) | LEARNED / ART |\n");
  std::printf("|---|---|---|---|---|\n");
  double lookups_per_second[2] = {0, 0};  // LEARNED, ART: prepared key lookups
  for (Shape shape : {Shape::kLookup, Shape::kPoint, Shape::kRange, Shape::kHour}) {
    for (bool prepared : {true, false}) {
      std::vector<Probe> probes;
      for (int i = 0; i < 200000; ++i) {
        probes.push_back({static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * rows)), ""});
      }
      std::vector<std::vector<double>> rounds(tables.size());
      for (int round = 0; round < 3; ++round) {
        for (size_t t = 0; t < tables.size(); ++t) {
          double budget = t == 2 ? 1.0 : 0.5;  // scans are slow: fewer of them
          rounds[t].push_back(Run(session, tables[t], shape, prepared, probes, budget));
        }
      }
      double learned = Median(rounds[0]), art = Median(rounds[1]), none = Median(rounds[2]);
      if (shape == Shape::kLookup && prepared) {
        lookups_per_second[0] = 1 / learned;
        lookups_per_second[1] = 1 / art;
      }
      std::printf("| %s %s | %.1f | %.1f | %.1f | %.2f |\n",
                  shape == Shape::kLookup  ? "key lookup (SELECT v ... id = k: the fast path)"
                  : shape == Shape::kPoint ? "point (sum(v) ... id = k)"
                  : shape == Shape::kRange ? "range (100 rows)"
                                           : "range (1800 rows, an hour at a row per 2 s)",
                  prepared ? "prepared" : "literal", learned * 1e6, art * 1e6, none * 1e6,
                  learned / art);
      std::fflush(stdout);
    }
  }
  std::printf("\nPrepared key lookups on one session (one thread): LEARNED %.0f/s, ART %.0f/s\n",
              lookups_per_second[0], lookups_per_second[1]);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoll(argv[i]));
  if (sizes.empty()) sizes.push_back(10'000'000);
  for (int64_t rows : sizes) {
    for (bool shuffled : {false, true}) Bench(rows, shuffled);
  }
  return 0;
}
