// lock_functions.cpp: pg_advisory_* functions, pg_notify(), pg_listening_channels() and
// augur_locks() (see lock_functions.h). Calls are rare and rows few, so values are read one by
// one rather than through DuckDB's vector executors.
#include "engine/locks/lock_functions.h"

#include <algorithm>

#include "duckdb/function/table_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/planner/expression/bound_function_expression.hpp"
#include "engine/pg/bound_rows_function.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

using duckdb::DataChunk;
using duckdb::ExpressionState;
using duckdb::LogicalType;
using duckdb::Vector;
using Mode = AdvisoryLocks::Mode;
using Scope = AdvisoryLocks::Scope;

struct LockInfo : duckdb::ScalarFunctionInfo {
  LockInfo(SessionRegistry& r, Mode m, Scope s, bool t)
      : registry(r), mode(m), scope(s), try_only(t) {}
  SessionRegistry& registry;
  Mode mode;
  Scope scope;
  bool try_only;  // pg_try_*: answer false rather than wait
};

const LockInfo& InfoOf(ExpressionState& state) {
  auto& expr = state.expr.Cast<duckdb::BoundFunctionExpression>();
  return expr.function.function_info->Cast<LockInfo>();
}

SessionImpl& CallingSession(ExpressionState& state) {
  SessionImpl* session = InfoOf(state).registry.ByContext(&state.GetContext());
  if (!session) throw duckdb::InvalidInputException("no augur session on this connection");
  return *session;
}

// The key of row `row`: one bigint, or two ints as PostgreSQL combines them. Nullopt for NULL.
std::optional<AdvisoryLocks::Key> KeyAt(DataChunk& args, duckdb::idx_t row) {
  if (args.ColumnCount() == 1) {
    auto v = args.data[0].GetValue(row);
    if (v.IsNull()) return std::nullopt;
    return AdvisoryLocks::Key{v.GetValue<int64_t>(), 1};
  }
  auto hi = args.data[0].GetValue(row);
  auto lo = args.data[1].GetValue(row);
  if (hi.IsNull() || lo.IsNull()) return std::nullopt;
  uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(hi.GetValue<int32_t>())) << 32) |
                 static_cast<uint32_t>(lo.GetValue<int32_t>());
  return AdvisoryLocks::Key{static_cast<int64_t>(key), 2};
}

// pg_advisory_lock, pg_try_advisory_lock, their _xact and _shared forms.
void LockFunction(DataChunk& args, ExpressionState& state, Vector& result) {
  const LockInfo& info = InfoOf(state);
  SessionImpl& session = CallingSession(state);
  for (duckdb::idx_t row = 0; row < args.size(); ++row) {
    auto key = KeyAt(args, row);
    if (!key) {
      result.SetValue(row, duckdb::Value(result.GetType()));
      continue;
    }
    auto taken = session.AdvisoryLock(*key, info.mode, info.scope, info.try_only);
    if (!taken) ThrowError(taken.error());
    result.SetValue(row, info.try_only ? duckdb::Value::BOOLEAN(*taken) : duckdb::Value(""));
  }
}

// pg_advisory_unlock and pg_advisory_unlock_shared.
void UnlockFunction(DataChunk& args, ExpressionState& state, Vector& result) {
  const LockInfo& info = InfoOf(state);
  SessionImpl& session = CallingSession(state);
  for (duckdb::idx_t row = 0; row < args.size(); ++row) {
    auto key = KeyAt(args, row);
    if (!key) {
      result.SetValue(row, duckdb::Value(LogicalType::BOOLEAN));
      continue;
    }
    result.SetValue(row, duckdb::Value::BOOLEAN(session.AdvisoryUnlock(*key, info.mode)));
  }
}

void UnlockAllFunction(DataChunk& args, ExpressionState& state, Vector& result) {
  CallingSession(state).AdvisoryUnlockAll();
  result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
  result.SetValue(0, duckdb::Value(""));
  (void)args;
}

void NotifyFunction(DataChunk& args, ExpressionState& state, Vector& result) {
  SessionImpl& session = CallingSession(state);
  for (duckdb::idx_t row = 0; row < args.size(); ++row) {
    auto channel = args.data[0].GetValue(row);
    auto payload = args.data[1].GetValue(row);
    if (channel.IsNull()) ThrowError(Error("22023", "channel name cannot be empty"));
    auto queued =
        session.QueueNotify(channel.ToString(), payload.IsNull() ? "" : payload.ToString());
    if (!queued) ThrowError(queued.error());
    result.SetValue(row, duckdb::Value(""));
  }
}

// augur_locks(): pg_locks' rows. Advisory locks as PostgreSQL shows them, plus the writer turn's
// holder as a transactionid ExclusiveLock (the lock a row writer waits for in PostgreSQL).
struct TableInfo : duckdb::TableFunctionInfo {
  explicit TableInfo(SessionRegistry& r) : registry(r) {}
  SessionRegistry& registry;
};

struct LocksBind : BoundRows<AdvisoryLocks::LockRow> {
  int32_t turn_holder = 0;
};

duckdb::unique_ptr<duckdb::FunctionData> BindLocks(duckdb::ClientContext&,
                                                   duckdb::TableFunctionBindInput& input,
                                                   duckdb::vector<LogicalType>& types,
                                                   duckdb::vector<std::string>& names) {
  auto bind = duckdb::make_uniq<LocksBind>();
  auto& registry = input.info->Cast<TableInfo>().registry;
  bind->rows = registry.advisory_locks().Rows();
  bind->turn_holder = registry.writer_turn_holder();
  names = {"locktype", "classid", "objid", "objsubid", "pid", "mode", "granted"};
  types = {LogicalType::VARCHAR, LogicalType::BIGINT,  LogicalType::BIGINT, LogicalType::SMALLINT,
           LogicalType::INTEGER, LogicalType::VARCHAR, LogicalType::BOOLEAN};
  return bind;
}

void ScanLocks(duckdb::ClientContext&, duckdb::TableFunctionInput& input, DataChunk& output) {
  auto& bind = input.bind_data->Cast<LocksBind>();
  auto& state = input.global_state->Cast<BoundRowsScan>();
  size_t total = bind.rows.size() + (bind.turn_holder != 0 ? 1 : 0);
  duckdb::idx_t count = 0;
  for (; state.next < total && count < STANDARD_VECTOR_SIZE; ++state.next, ++count) {
    if (state.next == bind.rows.size()) {  // the writer turn
      output.SetValue(0, count, duckdb::Value("transactionid"));
      output.SetValue(1, count, duckdb::Value(LogicalType::BIGINT));
      output.SetValue(2, count, duckdb::Value(LogicalType::BIGINT));
      output.SetValue(3, count, duckdb::Value(LogicalType::SMALLINT));
      output.SetValue(4, count, duckdb::Value::INTEGER(bind.turn_holder));
      output.SetValue(5, count, duckdb::Value("ExclusiveLock"));
      output.SetValue(6, count, duckdb::Value::BOOLEAN(true));
      continue;
    }
    const auto& row = bind.rows[state.next];
    auto key = static_cast<uint64_t>(row.key.key);
    output.SetValue(0, count, duckdb::Value("advisory"));
    output.SetValue(1, count, duckdb::Value::BIGINT(static_cast<int64_t>(key >> 32)));
    output.SetValue(2, count, duckdb::Value::BIGINT(static_cast<int64_t>(key & 0xffffffffu)));
    output.SetValue(3, count, duckdb::Value::SMALLINT(static_cast<int16_t>(row.key.space)));
    output.SetValue(4, count, duckdb::Value::INTEGER(row.pid));
    output.SetValue(5, count,
                    duckdb::Value(row.mode == Mode::kExclusive ? "ExclusiveLock" : "ShareLock"));
    output.SetValue(6, count, duckdb::Value::BOOLEAN(row.granted));
  }
  output.SetCardinality(count);
}

using ChannelsBind = BoundRows<std::string>;

duckdb::unique_ptr<duckdb::FunctionData> BindChannels(duckdb::ClientContext& context,
                                                      duckdb::TableFunctionBindInput& input,
                                                      duckdb::vector<LogicalType>& types,
                                                      duckdb::vector<std::string>& names) {
  auto bind = duckdb::make_uniq<ChannelsBind>();
  auto& registry = input.info->Cast<TableInfo>().registry;
  if (SessionImpl* session = registry.ByContext(&context)) {
    bind->rows = registry.notifications().Channels(session->id());
  }
  names = {"pg_listening_channels"};
  types = {LogicalType::VARCHAR};
  return bind;
}

void ScanChannels(duckdb::ClientContext&, duckdb::TableFunctionInput& input, DataChunk& output) {
  ScanBoundRows<ChannelsBind>(input, output, [&](const std::string& channel, duckdb::idx_t at) {
    output.SetValue(0, at, duckdb::Value(channel));
  });
}

}  // namespace

void RegisterLockFunctions(duckdb::ClientContext& context, SessionRegistry& registry) {
  // One set per name, with the bigint and the (int, int) form.
  auto lock_set = [&](const std::string& name, Mode mode, Scope scope, bool try_only, bool unlock) {
    auto info = duckdb::make_shared_ptr<LockInfo>(registry, mode, scope, try_only);
    LogicalType returns = try_only || unlock ? LogicalType::BOOLEAN : LogicalType::VARCHAR;
    auto fn = unlock ? UnlockFunction : LockFunction;
    duckdb::ScalarFunctionSet set(name);
    for (auto args : {duckdb::vector<LogicalType>{LogicalType::BIGINT},
                      duckdb::vector<LogicalType>{LogicalType::INTEGER, LogicalType::INTEGER}}) {
      duckdb::ScalarFunction f(name, args, returns, fn);
      f.function_info = info;
      f.stability = duckdb::FunctionStability::VOLATILE;
      f.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
      set.AddFunction(std::move(f));
    }
    return set;
  };
  auto single = [&](const std::string& name, duckdb::vector<LogicalType> args,
                    duckdb::scalar_function_t fn) {
    duckdb::ScalarFunctionSet set(name);
    duckdb::ScalarFunction f(name, std::move(args), LogicalType::VARCHAR, fn);
    f.function_info =
        duckdb::make_shared_ptr<LockInfo>(registry, Mode::kExclusive, Scope::kSession, false);
    f.stability = duckdb::FunctionStability::VOLATILE;
    f.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
    set.AddFunction(std::move(f));
    return set;
  };
  struct Spec {
    const char* name;
    Mode mode;
    Scope scope;
    bool try_only;
    bool unlock;
  };
  static constexpr Spec kSpecs[] = {
      {"pg_advisory_lock", Mode::kExclusive, Scope::kSession, false, false},
      {"pg_advisory_lock_shared", Mode::kShared, Scope::kSession, false, false},
      {"pg_try_advisory_lock", Mode::kExclusive, Scope::kSession, true, false},
      {"pg_try_advisory_lock_shared", Mode::kShared, Scope::kSession, true, false},
      {"pg_advisory_xact_lock", Mode::kExclusive, Scope::kTransaction, false, false},
      {"pg_advisory_xact_lock_shared", Mode::kShared, Scope::kTransaction, false, false},
      {"pg_try_advisory_xact_lock", Mode::kExclusive, Scope::kTransaction, true, false},
      {"pg_try_advisory_xact_lock_shared", Mode::kShared, Scope::kTransaction, true, false},
      {"pg_advisory_unlock", Mode::kExclusive, Scope::kSession, false, true},
      {"pg_advisory_unlock_shared", Mode::kShared, Scope::kSession, false, true},
  };
  for (const auto& spec : kSpecs) {
    ReplaceSystemScalarFunction(
        context, lock_set(spec.name, spec.mode, spec.scope, spec.try_only, spec.unlock));
  }
  ReplaceSystemScalarFunction(context, single("pg_advisory_unlock_all", {}, UnlockAllFunction));
  ReplaceSystemScalarFunction(
      context, single("pg_notify", {LogicalType::VARCHAR, LogicalType::VARCHAR}, NotifyFunction));
  duckdb::TableFunction locks("augur_locks", {}, ScanLocks, BindLocks, InitBoundRowsScan);
  locks.function_info = duckdb::make_shared_ptr<TableInfo>(registry);
  RegisterSystemTableFunction(context, std::move(locks));
  duckdb::TableFunction channels("pg_listening_channels", {}, ScanChannels, BindChannels,
                                 InitBoundRowsScan);
  channels.function_info = duckdb::make_shared_ptr<TableInfo>(registry);
  RegisterSystemTableFunction(context, std::move(channels));
}

}  // namespace augur::engine
