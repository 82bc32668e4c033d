// savepoints.cpp: savepoints and SET LOCAL for a session (see savepoints.h for the design).
//
// Kept apart from session.cpp, which only calls in at four places: the rewritten commands before
// the transaction rules, the write about to run and its success (the replay log), and the end of
// a block.
#include "engine/session/savepoints.h"

#include <fmt/format.h>

#include <functional>
#include <unordered_map>

#include "common/sql_quoting.h"
#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/sequence_catalog_entry.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/valid_checker.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "duckdb/transaction/duck_transaction.hpp"
#include "duckdb/transaction/meta_transaction.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_column_names.h"
#include "engine/session/client_copy.h"
#include "engine/session/savepoint_rewrite.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

size_t ApproximateBytes(const std::string& sql, const duckdb::vector<duckdb::Value>& values,
                        const SequenceCounters& sequences) {
  size_t bytes = 64 + sql.size();
  for (auto& [name, counter] : sequences) bytes += 48 + name.size();
  for (auto& v : values) {
    bytes += sizeof(duckdb::Value);
    if (!v.IsNull() && (v.type().id() == duckdb::LogicalTypeId::VARCHAR ||
                        v.type().id() == duckdb::LogicalTypeId::BLOB)) {
      bytes += duckdb::StringValue::Get(v).size();
    }
  }
  return bytes;
}

}  // namespace

bool IsRollbackToSavepoint(const duckdb::SQLStatement& parsed) {
  return parsed.type == duckdb::StatementType::SET_STATEMENT &&
         parsed.Cast<duckdb::SetStatement>().name == kRollbackTo;
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::HandleSavepointCommand(
    const duckdb::SQLStatement& parsed) {
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  if (parsed.type != duckdb::StatementType::SET_STATEMENT) return std::nullopt;
  auto& set = parsed.Cast<duckdb::SetStatement>();
  if (set.set_type != duckdb::SetType::SET || !set.name.starts_with("augur.")) return std::nullopt;
  if (set.name.starts_with(kLocal)) {
    return Answer(SetLocal(parsed, set.name.substr(kLocal.size())));
  }
  const char* command = set.name == kSavepoint    ? "SAVEPOINT"
                        : set.name == kRelease    ? "RELEASE SAVEPOINT"
                        : set.name == kRollbackTo ? "ROLLBACK TO SAVEPOINT"
                                                  : nullptr;
  if (command == nullptr) return std::nullopt;
  auto fail = [this](Error error) {
    OnStatementError();
    return Answer(std::move(error));
  };
  if (state_ == TransactionState::kIdle) {
    return fail(Error(sqlstate::kNoActiveTransaction,
                      fmt::format("{} can only be used in transaction blocks", command)));
  }
  bool rollback_to = set.name == kRollbackTo;
  if (state_ == TransactionState::kFailed && !rollback_to) {
    return fail(
        Error(sqlstate::kInFailedTransaction,
              "current transaction is aborted, commands ignored until end of transaction block"));
  }
  savepoints_.pending_write = false;
  std::string name = SetValueText(*parsed.Cast<duckdb::SetVariableStatement>().value);
  auto& markers = savepoints_.markers;
  if (set.name == kSavepoint) {
    if (markers.size() >= SavepointState::kMaxSavepoints) {
      return fail(Error(sqlstate::kProgramLimitExceeded,
                        fmt::format("too many savepoints in one transaction (at most {})",
                                    SavepointState::kMaxSavepoints))
                      .WithHint("RELEASE savepoints that are no longer needed"));
    }
    markers.push_back(SavepointMarker{name, savepoints_.writes, savepoints_.local_undo.size()});
    OnStatementDone();
    return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "SAVEPOINT")));
  }
  size_t found = markers.size();
  for (size_t i = markers.size(); i-- > 0;) {
    if (markers[i].name == name) {
      found = i;
      break;
    }
  }
  if (found == markers.size()) {
    return fail(Error("3B001", fmt::format("savepoint \"{}\" does not exist", name)));
  }
  if (rollback_to) {
    auto answer = RollbackToSavepoint(found);
    if (!answer) OnStatementError();
    return Answer(std::move(answer));
  }
  markers.resize(found);  // RELEASE: the savepoint and every later one
  OnStatementDone();
  return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "RELEASE")));
}

Result<std::unique_ptr<Cursor>> SessionImpl::RollbackToSavepoint(size_t index) {
  SavepointMarker marker = savepoints_.markers[index];
  auto& transaction = connection_.context->transaction;
  bool invalidated = true;
  try {
    invalidated = !transaction.HasActiveTransaction() ||
                  duckdb::ValidChecker::IsInvalidated(transaction.ActiveTransaction());
  } catch (const std::exception&) {
  }
  // Nothing wrote since the savepoint and DuckDB's transaction is intact: nothing to undo.
  if (invalidated || savepoints_.writes > marker.writes) {
    auto refuse = [&](std::string_view code, std::string why) {
      state_ = TransactionState::kFailed;
      return Error(code, fmt::format("cannot roll back to savepoint \"{}\": {}", marker.name, why))
          .WithHint("roll back the whole transaction and run it again");
    };
    if (savepoints_.overflowed) {
      return refuse(sqlstate::kProgramLimitExceeded,
                    fmt::format("the transaction wrote more than {} MiB of statements, the limit "
                                "of augur's replay log",
                                SavepointState::kMaxLogBytes >> 20));
    }
    for (size_t i = 0; i < marker.writes; ++i) {
      if (savepoints_.log[i].sql.empty()) {
        return refuse(sqlstate::kFeatureNotSupported,
                      fmt::format("{} ran before it in this transaction, and augur cannot repeat "
                                  "it (see \"Savepoints\" in docs/COMPATIBILITY.md)",
                                  savepoints_.log[i].what));
      }
    }
    // SET LOCAL values set after the savepoint go first; search_path is then set, for each
    // replayed statement, to what it was when the statement first ran.
    UndoLocalSettings(marker.local_undo);
    std::optional<std::string> search_path = settings_.Get("search_path");
    auto set_search_path = [this](const std::optional<std::string>& path) {
      if (settings_.Get("search_path") != path) {
        if (path) {
          (void)settings_.Set("search_path", *path);
        } else {
          settings_.Reset("search_path");
        }
      }
      SyncSearchPath();  // also after the undo above, which changed only the setting
    };
    struct RestorePath {
      std::function<void()> restore;
      ~RestorePath() { restore(); }
    } restore_path{[&] { set_search_path(search_path); }};
    SequenceCounters now;  // sequences are not rolled back: where they stand after the replay
    try {
      auto rollback = connection_.Query("ROLLBACK");
      auto begin = connection_.Query("BEGIN TRANSACTION");
      if (begin->HasError()) {
        return refuse(sqlstate::kSerializationFailure,
                      "could not begin a new engine transaction: " + begin->GetError());
      }
      now = ReadSequenceCounters();
      std::unordered_map<std::string, int64_t> sequences;  // as they stood before each write
      for (size_t i = 0; i < marker.writes; ++i) {
        auto& entry = savepoints_.log[i];
        if (!entry.sequences_changed.empty()) {
          for (auto& [name, counter] : entry.sequences_changed) sequences[name] = counter;
          RewindSequences(SequenceCounters(sequences.begin(), sequences.end()));
        }
        set_search_path(entry.search_path);
        auto values = entry.values;
        auto parsed = connection_.ExtractStatements(entry.sql);
        if (parsed.size() != 1) {
          RewindSequences(now);
          return refuse(sqlstate::kSerializationFailure, "a logged statement no longer parses");
        }
        // As when it first ran: the log keeps the text, not the rewritten parse tree.
        if (auto ready = ApplyParsedRewrites(*parsed[0]); !ready) {
          RewindSequences(now);
          return refuse(sqlstate::kSerializationFailure, "a logged statement no longer parses");
        }
        auto statement = parsed[0]->Copy();
        auto pending = values.empty()
                           ? connection_.PendingQuery(std::move(parsed[0]), false)
                           : connection_.PendingQuery(std::move(parsed[0]), values, false);
        std::string failure;
        if (pending->HasError()) {
          failure = pending->GetError();
        } else {
          auto result = pending->Execute();
          if (result->HasError()) failure = result->GetError();
        }
        if (!failure.empty()) {
          RewindSequences(now);
          return refuse(
              sqlstate::kSerializationFailure,
              fmt::format("repeating the transaction's work up to it failed: {}", failure));
        }
        AddLearnedPrimaryKey(*statement);
      }
      RewindSequences(now, /*log_in_transaction=*/true);
    } catch (const std::exception& ex) {
      try {
        RewindSequences(now);  // never leave a sequence behind values already handed out
      } catch (const std::exception&) {
      }
      return refuse(sqlstate::kSerializationFailure,
                    fmt::format("repeating the transaction's work up to it failed: {}",
                                TranslateException(ex, "").message));
    }
    savepoints_.log.resize(marker.writes);
    savepoints_.writes = marker.writes;
    savepoints_.log_bytes = 0;
    for (auto& entry : savepoints_.log) {
      savepoints_.log_bytes += ApproximateBytes(entry.sql, entry.values, entry.sequences_changed);
    }
    savepoints_.last_sequences.clear();  // the next logged write records every counter
  }
  savepoints_.markers.resize(index + 1);  // the savepoint itself stays
  UndoLocalSettings(marker.local_undo);
  state_ = TransactionState::kInBlock;
  OnStatementDone();
  return std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "ROLLBACK"));
}

Result<std::unique_ptr<Cursor>> SessionImpl::SetLocal(const duckdb::SQLStatement& parsed,
                                                      std::string name) {
  auto set = [this]() {
    return Result<std::unique_ptr<Cursor>>(
        std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "SET")));
  };
  auto fail = [this](Error error) {
    OnStatementError();
    return Result<std::unique_ptr<Cursor>>(std::move(error));
  };
  if (state_ == TransactionState::kFailed) {
    return fail(
        Error(sqlstate::kInFailedTransaction,
              "current transaction is aborted, commands ignored until end of transaction block"));
  }
  // Outside a block PostgreSQL warns and changes nothing.
  if (state_ == TransactionState::kIdle) return set();
  bool engine = IsDuckDbOption(name);
  if (!engine && !PgSettings::Owns(name)) {
    return fail(Error(sqlstate::kUndefinedObject,
                      fmt::format("unrecognized configuration parameter \"{}\"", name)));
  }
  auto statement = parsed.Copy();
  statement->Cast<duckdb::SetStatement>().name = name;
  if (auto allowed = CheckPrivileges(*statement); !allowed) return fail(std::move(allowed).error());
  if (!engine) {
    std::string value = SetValueText(*parsed.Cast<duckdb::SetVariableStatement>().value);
    savepoints_.local_undo.push_back(LocalSettingUndo{name, settings_.Get(name), false});
    if (auto ok = settings_.Set(name, value); !ok) {
      savepoints_.local_undo.pop_back();
      return fail(std::move(ok).error());
    }
    return set();
  }
  duckdb::Value before;
  bool had = connection_.context->TryGetCurrentSetting(Lower(name), before);
  try {
    auto result = connection_.Query(statement->Copy());
    if (result->HasError()) return fail(TranslateError(result->GetErrorObject(), ""));
  } catch (const std::exception& ex) {
    return fail(TranslateException(ex, ""));
  }
  savepoints_.local_undo.push_back(
      LocalSettingUndo{name, had ? std::optional(before.ToString()) : std::nullopt, true});
  NoteEngineSettingChange(*statement);
  return set();
}

void SessionImpl::UndoLocalSettings(size_t keep) {
  auto& undo = savepoints_.local_undo;
  while (undo.size() > keep) {
    LocalSettingUndo u = std::move(undo.back());
    undo.pop_back();
    if (!u.engine) {
      if (u.previous) {
        (void)settings_.Set(u.name, *u.previous);
      } else if (u.name.find('.') != std::string::npos) {
        (void)settings_.Set(u.name, "");  // PostgreSQL keeps a custom name, now empty
      } else {
        settings_.Reset(u.name);
      }
      continue;
    }
    std::string sql =
        u.previous ? fmt::format("SET {} = {}", QuoteIdentifier(u.name), QuoteLiteral(*u.previous))
                   : "RESET " + QuoteIdentifier(u.name);
    try {
      auto result = connection_.Query(sql);
      if (!result->HasError() && PgSettings::IsReported(u.name) && u.previous) {
        settings_.NoteReportedChange(u.name, *u.previous);
      }
    } catch (const std::exception&) {
    }
  }
}

Status SessionImpl::SetSetting(const std::string& name, const std::string& value, bool is_local) {
  if (!PgSettings::Owns(name) || IsDuckDbOption(name)) {
    return Error(sqlstate::kFeatureNotSupported,
                 fmt::format("set_config cannot change \"{}\"; use SET", name));
  }
  if (is_local) {
    // Outside a block the statement is its own transaction: nothing lasts beyond it.
    if (state_ != TransactionState::kInBlock) return {};
    savepoints_.local_undo.push_back(LocalSettingUndo{name, settings_.Get(name), false});
  }
  return settings_.Set(name, value);
}

void SessionImpl::BeforeLoggedWrite() {
  savepoints_.pending_write = !connection_.context->transaction.IsAutoCommit();
  if (!savepoints_.pending_write || savepoints_.overflowed) return;
  savepoints_.pending_sequences = ReadSequenceCounters();
}

void SessionImpl::RecordWrite(const duckdb::SQLStatement& parsed,
                              const duckdb::vector<duckdb::Value>& values) {
  if (!std::exchange(savepoints_.pending_write, false)) return;
  ++savepoints_.writes;
  if (savepoints_.overflowed) return;
  // Only the counters that changed since the last logged write are kept with this one.
  SequenceCounters changed;
  {
    std::unordered_map<std::string, int64_t> last(savepoints_.last_sequences.begin(),
                                                  savepoints_.last_sequences.end());
    for (auto& [name, counter] : savepoints_.pending_sequences) {
      auto it = last.find(name);
      if (it == last.end() || it->second != counter) changed.emplace_back(name, counter);
    }
  }
  const std::string& sql = parsed.query;  // DuckDB keeps each statement's own text here
  size_t bytes = ApproximateBytes(sql, values, changed);
  if (savepoints_.log_bytes + bytes > SavepointState::kMaxLogBytes) {
    savepoints_.overflowed = true;  // refused at ROLLBACK TO, if one ever needs a replay
    std::vector<LoggedWrite>().swap(savepoints_.log);
    savepoints_.log_bytes = 0;
    return;
  }
  LoggedWrite entry;
  if (parsed.stmt_length > 0 && parsed.stmt_location + parsed.stmt_length <= sql.size()) {
    entry.sql = sql.substr(parsed.stmt_location, parsed.stmt_length);
  } else {
    entry.sql = sql;
  }
  if (entry.sql.empty()) entry.what = "a statement without text";  // refused, never skipped
  entry.values = values;
  entry.search_path = settings_.Get("search_path");
  entry.sequences_changed = std::move(changed);
  savepoints_.last_sequences = std::move(savepoints_.pending_sequences);
  savepoints_.log_bytes += bytes;
  savepoints_.log.push_back(std::move(entry));
}

void SessionImpl::RecordUnreplayableWrite(std::string what) {
  if (connection_.context->transaction.IsAutoCommit()) return;
  savepoints_.pending_write = false;
  ++savepoints_.writes;
  if (savepoints_.overflowed) return;
  LoggedWrite entry;
  entry.what = std::move(what);
  savepoints_.log.push_back(std::move(entry));
}

void SessionImpl::EndSavepointBlock() {
  UndoLocalSettings(0);
  std::vector<LoggedWrite>().swap(savepoints_.log);
  savepoints_.writes = 0;
  savepoints_.log_bytes = 0;
  savepoints_.overflowed = false;
  savepoints_.markers.clear();
  savepoints_.pending_write = false;
  savepoints_.pending_sequences.clear();
  savepoints_.last_sequences.clear();
}

SequenceCounters SessionImpl::ReadSequenceCounters() {
  SequenceCounters out;
  auto& context = *connection_.context;
  for (auto& schema_ref : duckdb::Catalog::GetAllSchemas(context)) {
    auto& schema = schema_ref.get();
    schema.Scan(context, duckdb::CatalogType::SEQUENCE_ENTRY, [&](duckdb::CatalogEntry& entry) {
      auto& sequence = entry.Cast<duckdb::SequenceCatalogEntry>();
      out.emplace_back(schema.catalog.GetName() + "." + schema.name + "." + sequence.name,
                       sequence.GetData().counter);
    });
  }
  return out;
}

void SessionImpl::RewindSequences(const SequenceCounters& counters, bool log_in_transaction) {
  if (counters.empty()) return;
  std::unordered_map<std::string, int64_t> wanted(counters.begin(), counters.end());
  auto& context = *connection_.context;
  for (auto& schema_ref : duckdb::Catalog::GetAllSchemas(context)) {
    auto& schema = schema_ref.get();
    schema.Scan(context, duckdb::CatalogType::SEQUENCE_ENTRY, [&](duckdb::CatalogEntry& entry) {
      auto& sequence = entry.Cast<duckdb::SequenceCatalogEntry>();
      auto it = wanted.find(schema.catalog.GetName() + "." + schema.name + "." + sequence.name);
      if (it == wanted.end()) return;
      auto data = sequence.GetData();
      // ReplayValue is how DuckDB's WAL replay sets a counter; a higher usage count makes it
      // take the value, backwards as well as forwards.
      if (data.counter == it->second) return;
      sequence.ReplayValue(data.usage_count + 1, it->second);
      // Logged with the transaction's sequence usage, so that its commit writes the counter to
      // the WAL and a crash does not bring back values that undone work drew.
      if (log_in_transaction && sequence.ParentCatalog().IsDuckCatalog()) {
        duckdb::DuckTransaction::Get(context, sequence.ParentCatalog())
            .PushSequenceUsage(sequence, sequence.GetData());
      }
    });
  }
}

}  // namespace augur::engine
