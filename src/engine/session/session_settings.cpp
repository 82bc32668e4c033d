// session_settings.cpp: SET, RESET and SHOW for PostgreSQL settings (see pg_settings.h), and the
// cursor that returns SHOW's row. Settings DuckDB has (TimeZone, threads, memory_limit, ...) stay
// DuckDB's; only names it does not know are kept here.
#include <fmt/format.h>

#include "duckdb/main/config.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/auth/statement_privileges.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/show_statement.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
bool IsDuckDbOption(const std::string& name) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // DuckDB has a search_path too, but augur keeps PostgreSQL's (search_path.h).
  if (lower == "search_path") return false;
  // TimeZone and Calendar come from the ICU extension, which registers them at load time; augur's
  // own settings (augur_learned_primary_keys) are extension options registered at open.
  return duckdb::DBConfig::GetOptionByName(lower) != nullptr || lower == "timezone" ||
         lower == "calendar" || lower.starts_with("augur_");
}

std::string SetValueText(const duckdb::ParsedExpression& expr) {
  if (expr.GetExpressionClass() == duckdb::ExpressionClass::CONSTANT) {
    return expr.Cast<duckdb::ConstantExpression>().value.ToString();
  }
  if (expr.GetExpressionClass() == duckdb::ExpressionClass::COLUMN_REF) {
    return expr.Cast<duckdb::ColumnRefExpression>().GetColumnName();
  }
  return expr.ToString();
}

namespace {

// DuckDB options that augur sets at open to PostgreSQL's behaviour (database.cpp). They are
// global in DuckDB: one client's SET would change every session's answers, and RESET would
// restore DuckDB's default rather than PostgreSQL's.
bool IsFixedDuckDbOption(const std::string& name) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "default_null_order" || lower == "null_order" || lower == "default_order";
}

std::unique_ptr<Cursor> ShowCursor(const std::string& column,
                                   const std::vector<std::pair<std::string, std::string>>& rows,
                                   bool with_names) {
  std::vector<ColumnInfo> columns;
  if (with_names) columns.push_back(ColumnInfo{"name", 25, -1, -1, "VARCHAR"});
  columns.push_back(ColumnInfo{column, 25, -1, -1, "VARCHAR"});
  RowBatch batch(columns.size());
  for (auto& [name, value] : rows) {
    if (with_names) batch.AppendCell(name);
    batch.AppendCell(value);
  }
  return std::make_unique<ValuesCursor>(std::move(columns), std::move(batch), "SHOW");
}

}  // namespace

std::string ShowTarget(const std::string& statement_text) {
  // DuckDB reads "SHOW x" as "describe table x", so SHOW of a setting is recognized by its text.
  std::string name = ShowStatementName(statement_text);
  if (name == "transaction_isolation" || name == "TimeZone") return name;
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty()) return "";
  if (lower == "all" || PgSettings::Owns(lower) || IsDuckDbOption(lower)) return name;
  return "";
}

Status ValuesCursor::SetResultFormats(const std::vector<int16_t>& formats) {
  for (int16_t f : formats) {
    if (f != 0) return Error(sqlstate::kFeatureNotSupported, "SHOW results are text only");
  }
  return {};
}

Result<RowBatch> ValuesCursor::Fetch(size_t max_rows) {
  RowBatch out(columns_.size());
  for (; next_ < rows_.rows() && out.rows() < max_rows; ++next_) {
    for (size_t c = 0; c < columns_.size(); ++c) out.AppendCell(*rows_.cell(next_, c));
  }
  return out;
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::HandleSettings(
    const duckdb::SQLStatement& parsed) {
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  auto fixed = [this](const char* tag) {
    return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, tag)));
  };
  if (parsed.type == duckdb::StatementType::SET_STATEMENT) {
    auto& set = parsed.Cast<duckdb::SetStatement>();
    std::string name = set.name;
    if (IsFixedDuckDbOption(name)) {
      return Answer(Error(sqlstate::kFeatureNotSupported,
                          fmt::format("augur keeps \"{}\" at PostgreSQL's behaviour; it cannot be "
                                      "changed",
                                      name)));
    }
    if (set.set_type == duckdb::SetType::RESET) {
      if (name == "all") {  // RESET ALL (pgbouncer, connection pools)
        settings_.ResetAll();
        return fixed("RESET");
      }
      if (PgSettings::Owns(name) && !IsDuckDbOption(name)) {
        settings_.Reset(name);
        return fixed("RESET");
      }
      return std::nullopt;
    }
    if (!PgSettings::Owns(name) || IsDuckDbOption(name)) return std::nullopt;
    auto& value = *parsed.Cast<duckdb::SetVariableStatement>().value;
    if (auto answered = HandleNotifyCommand(name, SetValueText(value))) return answered;
    if (name == "augur.discard") {  // DISCARD ALL, rewritten (pg_rewrite.cpp)
      // PostgreSQL's DISCARD ALL is RESET ALL, DEALLOCATE ALL, CLOSE ALL, UNLISTEN * and
      // pg_advisory_unlock_all().
      settings_.ResetAll();
      deallocations_.push_back("ALL");
      if (cursors_) cursors_->CloseAll();
      (void)HandleNotifyCommand("augur.unlisten", "");
      registry_.advisory_locks().UnlockAllSession(id_);
      return fixed("DISCARD ALL");
    }
    if (name == "augur.deallocate") {  // DEALLOCATE, rewritten (pg_rewrite.cpp)
      deallocations_.push_back(SetValueText(value));
      return fixed(deallocations_.back() == "ALL" ? "DEALLOCATE ALL" : "DEALLOCATE");
    }
    if (auto ok = settings_.Set(name, SetValueText(value)); !ok)
      return Answer(std::move(ok).error());
    return fixed("SET");
  }
  std::string name = ShowTarget(parsed.query);
  if (name.empty()) return std::nullopt;  // not SHOW of a setting: DuckDB's SHOW TABLES etc.
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "all") {
    auto rows = settings_.All();
    auto tz = connection_.Query("SELECT current_setting('TimeZone')");
    if (!tz->HasError() && tz->RowCount() == 1)
      rows.emplace_back("TimeZone", tz->GetValue(0, 0).ToString());
    std::sort(rows.begin(), rows.end());
    return Answer(ShowCursor("setting", rows, true));
  }
  // The column is named as PostgreSQL spells the setting: SHOW datestyle gives "DateStyle".
  const std::string column = PgSettings::DisplayName(lower);
  if (auto value = settings_.Get(lower)) return Answer(ShowCursor(column, {{name, *value}}, false));
  if (IsDuckDbOption(lower)) {
    auto result = connection_.Query("SELECT current_setting('" + lower + "')");
    if (result->HasError()) return Answer(TranslateError(result->GetErrorObject(), ""));
    return Answer(ShowCursor(column, {{name, result->GetValue(0, 0).ToString()}}, false));
  }
  if (PgSettings::Owns(lower)) {  // a custom dotted name never SET
    return Answer(Error("42704", fmt::format("unrecognized configuration parameter \"{}\"", name)));
  }
  return std::nullopt;  // DuckDB's own SHOW (SHOW TABLES, SHOW table)
}

// SessionImpl::SetSetting is in savepoints.cpp: set_config(..., true) is SET LOCAL.

Result<std::string> SessionImpl::GetSetting(const std::string& name) {
  if (auto value = settings_.Get(name)) return *value;
  if (IsEngineSetting(*connection_.context, name) && !SettingPolicyFor(name).visible &&
      !role_->Has(Privilege::kSuperuser)) {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("permission denied to read setting \"{}\": role \"{}\" is not a "
                             "superuser",
                             name, role_->name()));
  }
  duckdb::Value value;
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (connection_.context->TryGetCurrentSetting(lower, value)) return value.ToString();
  return Error("42704", fmt::format("unrecognized configuration parameter \"{}\"", name));
}

void SessionImpl::NoteEngineSettingChange(const duckdb::SQLStatement& parsed) {
  if (parsed.type != duckdb::StatementType::SET_STATEMENT) return;
  auto& name = parsed.Cast<duckdb::SetStatement>().name;
  if (!PgSettings::IsReported(name)) return;
  auto result = connection_.Query("SELECT current_setting('" + name + "')");
  if (!result->HasError() && result->RowCount() == 1) {
    settings_.NoteReportedChange(name, result->GetValue(0, 0).ToString());
  }
}

}  // namespace augur::engine
