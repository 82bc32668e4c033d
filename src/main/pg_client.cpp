// pg_client.cpp: see pg_client.h.
#include "main/pg_client.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

namespace augur {
namespace {

// libpq messages end with a newline; errors here are printed one per line.
std::string Trimmed(const char* text) {
  std::string out = text ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

struct ResultGuard {
  PGresult* result;
  ~ResultGuard() { PQclear(result); }
};

}  // namespace

Result<std::unique_ptr<PgClient>> PgClient::Connect(const std::string& server) {
  // Keywords override what the connection string says only when given; the password comes from
  // AUGUR_PASSWORD when set, else from libpq's own sources.
  const char* password = std::getenv("AUGUR_PASSWORD");
  std::vector<const char*> keywords = {"dbname", "application_name"};
  std::vector<const char*> values = {server.c_str(), "augur import"};
  if (password != nullptr) {
    keywords.push_back("password");
    values.push_back(password);
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  // expand_dbname=1: the dbname value is itself a connection string or URL.
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn == nullptr) return Error(sqlstate::kConnectionFailure, "out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error(sqlstate::kConnectionFailure,
                "cannot connect to " + server + ": " + Trimmed(PQerrorMessage(conn)));
    PQfinish(conn);
    return error;
  }
  return std::unique_ptr<PgClient>(new PgClient(conn));
}

PgClient::~PgClient() { PQfinish(conn_); }

Error PgClient::LastError(const PGresult* result) const {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* message = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  Error error(state ? state : sqlstate::kConnectionFailure,
              message ? std::string(message) : Trimmed(PQerrorMessage(conn_)));
  if (result) {
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
      error.detail = detail;
    }
    if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) error.hint = hint;
  }
  return error;
}

Status PgClient::Exec(const std::string& sql) {
  ResultGuard result{PQexec(conn_, sql.c_str())};
  auto status = PQresultStatus(result.result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  return LastError(result.result);
}

Result<std::vector<std::vector<std::optional<std::string>>>> PgClient::Rows(
    const std::string& sql) {
  ResultGuard result{PQexec(conn_, sql.c_str())};
  if (PQresultStatus(result.result) != PGRES_TUPLES_OK) return LastError(result.result);
  std::vector<std::vector<std::optional<std::string>>> rows(PQntuples(result.result));
  for (int r = 0; r < PQntuples(result.result); ++r) {
    for (int c = 0; c < PQnfields(result.result); ++c) {
      if (PQgetisnull(result.result, r, c)) {
        rows[r].push_back(std::nullopt);
      } else {
        rows[r].emplace_back(PQgetvalue(result.result, r, c));
      }
    }
  }
  return rows;
}

Status PgClient::BeginCopy(const std::string& sql) {
  ResultGuard result{PQexec(conn_, sql.c_str())};
  if (PQresultStatus(result.result) == PGRES_COPY_IN) return {};
  return LastError(result.result);
}

Status PgClient::PutCopyData(std::string_view data) {
  // Blocking connection: 1 means queued, -1 a broken connection (the server's error, if it
  // sent one, comes with EndCopy).
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) == 1) return {};
  return Error(sqlstate::kConnectionFailure, Trimmed(PQerrorMessage(conn_)));
}

Error PgClient::DrainCopyResult(bool* ok, uint64_t* rows) {
  Error error;
  *ok = false;
  while (PGresult* result = PQgetResult(conn_)) {
    ResultGuard guard{result};
    if (PQresultStatus(result) == PGRES_COMMAND_OK) {
      *ok = true;
      const char* tuples = PQcmdTuples(result);
      *rows = tuples && *tuples ? std::strtoull(tuples, nullptr, 10) : 0;
    } else {
      *ok = false;
      error = LastError(result);
    }
  }
  return error;
}

Result<uint64_t> PgClient::EndCopy() {
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return Error(sqlstate::kConnectionFailure, Trimmed(PQerrorMessage(conn_)));
  }
  bool ok = false;
  uint64_t rows = 0;
  Error error = DrainCopyResult(&ok, &rows);
  if (!ok) return error;
  return rows;
}

Error PgClient::AbortCopy(const std::string& reason) {
  PQputCopyEnd(conn_, reason.c_str());
  bool ok = false;
  uint64_t rows = 0;
  return DrainCopyResult(&ok, &rows);
}

}  // namespace augur
