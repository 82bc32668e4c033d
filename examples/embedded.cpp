// embedded.cpp: augur in-process, without a server. Opens (or creates) a database directory,
// runs a few statements and prints the rows in PostgreSQL's text format.
//
//   build/examples/embedded [DATA_DIR]     (default: an in-memory database)
#include <cstdio>

#include "augur/engine.h"

int main(int argc, char** argv) {
  augur::DatabaseOptions options;
  if (argc > 1) options.data_dir = argv[1];
  auto database = augur::Database::Open(options);
  if (!database) {
    std::fprintf(stderr, "open failed: %s\n", database.error().ToString().c_str());
    return 1;
  }
  auto session = (*database)->Connect();
  if (!session) {
    std::fprintf(stderr, "connect failed: %s\n", session.error().ToString().c_str());
    return 1;
  }
  auto& s = **session;
  auto setup = s.Query(
      "CREATE TABLE IF NOT EXISTS readings(sensor INTEGER, taken_at TIMESTAMP, value DOUBLE);"
      "INSERT INTO readings SELECT i % 3, TIMESTAMP '2026-01-01' + INTERVAL (i) MINUTE, i * 0.5 "
      "FROM range(10) t(i)");
  if (!setup) {
    std::fprintf(stderr, "setup failed: %s\n", setup.error().ToString().c_str());
    return 1;
  }
  auto statements = s.Split(
      "SELECT sensor, count(*) AS n, avg(value) AS mean FROM readings GROUP BY sensor ORDER BY 1");
  if (!statements) return 1;
  for (auto& statement : *statements) {
    auto cursor = s.Execute(*statement);
    if (!cursor) {
      std::fprintf(stderr, "%s\n", cursor.error().ToString().c_str());
      return 1;
    }
    for (auto& column : (*cursor)->columns()) std::printf("%s\t", column.name.c_str());
    std::printf("\n");
    for (;;) {
      auto batch = (*cursor)->Fetch(1024);
      if (!batch || batch->rows() == 0) break;
      for (size_t r = 0; r < batch->rows(); ++r) {
        for (size_t c = 0; c < batch->columns(); ++c) {
          auto cell = batch->cell(r, c);
          std::printf("%.*s\t", cell ? static_cast<int>(cell->size()) : 4,
                      cell ? cell->data() : "NULL");
        }
        std::printf("\n");
      }
    }
    std::printf("(%s)\n", (*cursor)->command_tag().c_str());
  }
  return 0;
}
