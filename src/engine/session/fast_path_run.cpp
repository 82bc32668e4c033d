// fast_path_run.cpp: the statement pipeline's step into the fast path (fast_path/key_lookup.h).
//
// RunInEngine calls RunFastPath for a statement described as a key lookup, after every guard
// (privileges, transaction-block rules, the writer turn) has run as for any statement, and in
// place of DuckDB's pending query. The cursor it returns reads a materialized result with the
// names and types the planner would give, so the wire layer, command tags and binary formats
// are the planner path's. nullopt sends the statement on to the planner unchanged.
//
// TryExecuteInline runs a prepared key lookup on the caller's thread (the server's I/O thread),
// saving the trips to and from the worker pool that cost more than the lookup itself. It may
// only do so when nothing on the way can block on another transaction; MayRunInline checks that
// up front, and a lookup the fast path declines comes back (kRunOnWorker) instead of going on
// to DuckDB's planner on that thread.
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "engine/fast_path/constant_select.h"
#include "engine/fast_path/execution_counts.h"
#include "engine/fast_path/fast_path_setting.h"
#include "engine/fast_path/key_lookup.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

// The pipeline's answer when a statement run by TryExecuteInline needs the planner after all.
constexpr std::string_view kRunOnWorker = "augur-run-on-worker";

// DuckDB's EXPLAIN result with a first row saying that the fast path answers the statement.
std::unique_ptr<duckdb::QueryResult> WithFastPathLine(duckdb::ClientContext& context,
                                                      duckdb::MaterializedQueryResult& plan,
                                                      const std::string& how) {
  auto rows =
      duckdb::make_uniq<duckdb::ColumnDataCollection>(duckdb::Allocator::Get(context), plan.types);
  duckdb::DataChunk first;
  first.Initialize(context, plan.types);
  first.SetValue(0, 0, duckdb::Value("augur fast path"));
  first.SetValue(1, 0, duckdb::Value("key lookup on " + how));
  first.SetCardinality(1);
  rows->Append(first);
  for (auto& chunk : plan.Collection().Chunks()) rows->Append(chunk);
  return std::make_unique<duckdb::MaterializedQueryResult>(plan.statement_type, plan.properties,
                                                           plan.names, std::move(rows),
                                                           context.GetClientProperties());
}

}  // namespace

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::RunFastPath(
    const Execution& run, const duckdb::vector<duckdb::Value>& values) {
  auto& context = *connection_.context;
  if (!fast_path::Enabled(context)) return std::nullopt;
  if (run.description.constant_select) return RunConstantSelect(run);
  auto& lookup = *run.description.key_lookup;
  const auto& shape = lookup.shape();
  PreparedImpl* prepared = run.prepared;
  if (prepared && !prepared->prepared) return std::nullopt;
  // Outside a block with a transaction still open, an earlier result is still being read:
  // DuckDB's planner path closes it and begins a new transaction; leave that to the planner.
  if (context.transaction.IsAutoCommit() && context.transaction.HasActiveTransaction()) {
    return std::nullopt;
  }

  std::unique_ptr<duckdb::QueryResult> result;
  if (shape.explain) {
    auto how = lookup.Describe(context);
    if (!how) return std::nullopt;
    std::unique_ptr<duckdb::QueryResult> plan;
    if (prepared) {
      auto copy = values;
      plan = prepared->prepared->Execute(copy, /*allow_stream_result=*/false);
    } else {
      plan = connection_.Query(run.parsed.Copy());
    }
    // An error, or a result of another form: the planner path runs it again and says why.
    if (plan->HasError() || plan->type != duckdb::QueryResultType::MATERIALIZED_RESULT ||
        plan->types.size() != 2) {
      return std::nullopt;
    }
    result = WithFastPathLine(context, plan->Cast<duckdb::MaterializedQueryResult>(), *how);
    fast_path::CountPlannerExecution();
  } else {
    duckdb::Value key = shape.literal;
    if (shape.parameter > 0) {
      if (!prepared || static_cast<size_t>(shape.parameter) > values.size()) return std::nullopt;
      key = values[shape.parameter - 1];
    }
    // A prepared statement told the client its columns already: the result must match them.
    auto answered = prepared ? lookup.Run(context, key, &prepared->prepared->GetNames(),
                                          &prepared->prepared->GetTypes())
                             : lookup.Run(context, key);
    if (!answered) return std::nullopt;
    result = std::move(*answered);
    fast_path::CountFastPathExecution();
  }
  auto cursor =
      std::make_unique<CursorImpl>(*this, std::move(result), run.description.tag, run.query);
  OnStatementDone();
  return Result<std::unique_ptr<Cursor>>(std::unique_ptr<Cursor>(std::move(cursor)));
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::RunConstantSelect(
    const Execution& run) {
  // A prepared statement told the client its columns: the answer takes DuckDB's names and types.
  if (!run.prepared || !run.prepared->prepared) return std::nullopt;
  auto& prepared = *run.prepared->prepared;
  auto answered =
      fast_path::AnswerConstantSelect(*connection_.context, *run.description.constant_select,
                                      prepared.GetNames(), prepared.GetTypes());
  if (!answered) return std::nullopt;
  fast_path::CountFastPathExecution();
  auto cursor =
      std::make_unique<CursorImpl>(*this, std::move(*answered), run.description.tag, run.query);
  OnStatementDone();
  return Result<std::unique_ptr<Cursor>>(std::unique_ptr<Cursor>(std::move(cursor)));
}

bool SessionImpl::MayRunInline(const PreparedImpl& prepared) const {
  if (prepared.empty() || !prepared.prepared) return false;
  if (!prepared.description.key_lookup && !prepared.description.constant_select) return false;
  // FOR UPDATE/SHARE takes the writer turn, which may mean waiting.
  if (prepared.description.row_lock || waiting_for_turn_) return false;
  if (!fast_path::Enabled(*connection_.context)) return false;
  // Parking open cursors reads their rows; a stale search_path runs a catalog transaction.
  if (cursors_ && cursors_->size() > 0) return false;
  if (search_path_stale_ || settings_.Get("search_path").value_or("") != applied_search_path_) {
    return false;
  }
  // DuckDB's transaction start and commit wait for a checkpoint (which only a writer's commit
  // or CHECKPOINT runs, both with the writer turn) and for commits in progress: with the turn
  // free nobody else is committing. A writer that takes it from here on is not waited for long:
  // DuckDB writes its WAL outside the transaction lock.
  if (!holds_writer_lock_ && writer_lock_.holder_owner() != 0) return false;
  return AnswerIsDurable();
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::TryExecuteInline(
    PreparedStatement& statement, const std::vector<ParameterValue>& parameters) {
  auto& prepared = static_cast<PreparedImpl&>(statement);
  if (!MayRunInline(prepared)) return std::nullopt;
  struct InlineOnly {  // reset however RunPipeline leaves
    bool& flag;
    explicit InlineOnly(bool& f) : flag(f) { flag = true; }
    ~InlineOnly() { flag = false; }
  };
  Result<std::unique_ptr<Cursor>> result = Error();
  {
    InlineOnly only(inline_only_);
    result = RunPipeline(Execution{*prepared.parsed, prepared.description, prepared.query,
                                   prepared.query, &prepared, &parameters, /*stream=*/false});
  }
  if (!result && (result.error().sqlstate == kRunOnWorker || MustWait(result.error()))) {
    return std::nullopt;
  }
  fast_path::CountInlineExecution();
  return result;
}

Error SessionImpl::RunOnWorkerInstead() { return Error(std::string(kRunOnWorker), ""); }

}  // namespace augur::engine
