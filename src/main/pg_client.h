// pg_client.h: a client connection to a running augur (or any PostgreSQL server) over the wire
// protocol, through libpq: what `augur import` needs, statements and one COPY FROM STDIN.
//
// libpq reads the password the usual ways (the URL, PGPASSWORD, ~/.pgpass); AUGUR_PASSWORD,
// when set, is passed as the password, like AUGUR_TOKEN for `augur backup`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"

struct pg_conn;
struct pg_result;

namespace augur {

class PgClient {
 public:
  // `server`: a libpq connection string or URL, e.g. postgresql://augur@127.0.0.1:5432/augur.
  static Result<std::unique_ptr<PgClient>> Connect(const std::string& server);
  ~PgClient();
  PgClient(const PgClient&) = delete;
  PgClient& operator=(const PgClient&) = delete;

  // Runs one statement that returns no rows, or rows as text (nullopt for NULL).
  Status Exec(const std::string& sql);
  Result<std::vector<std::vector<std::optional<std::string>>>> Rows(const std::string& sql);

  // COPY ... FROM STDIN: Begin, Put the data in pieces, then End (the server answers with the
  // row count or the error) or Abort (the server fails the COPY with `reason`).
  Status BeginCopy(const std::string& sql);
  Status PutCopyData(std::string_view data);
  Result<uint64_t> EndCopy();
  Error AbortCopy(const std::string& reason);

 private:
  explicit PgClient(pg_conn* conn) : conn_(conn) {}
  Error LastError(const pg_result* result) const;
  Error DrainCopyResult(bool* ok, uint64_t* rows);
  pg_conn* conn_;
};

}  // namespace augur
