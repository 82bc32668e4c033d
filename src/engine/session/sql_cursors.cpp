// sql_cursors.cpp: DECLARE / FETCH / MOVE / CLOSE (see sql_cursors.h for the design). The
// position arithmetic follows PostgreSQL's DoPortalRunFetch (src/backend/tcop/pquery.c), so
// FETCH ABSOLUTE/RELATIVE/PRIOR and MOVE counts match it row for row.
#include "engine/session/sql_cursors.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "common/sql_quoting.h"
#include "duckdb/common/allocator.hpp"
#include "duckdb/common/types/column/column_data_collection.hpp"
#include "duckdb/common/types/data_chunk.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/query_result.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/pg/bound_rows_function.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_binary.h"
#include "engine/pg/pg_column_names.h"
#include "engine/pg/pg_params.h"
#include "engine/pg/pg_types.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"
#include "engine/pg/system_catalog.h"
#include "engine/session/session_impl.h"
#include "engine/session/session_registry.h"
#include "engine/session/statement_limits.h"

namespace augur::engine {
namespace {

constexpr std::string_view kCursorSetting = "augur.cursor";

Error SyntaxError(std::string_view near) {
  if (near.empty()) return Error(sqlstate::kSyntaxError, "syntax error at end of input");
  return Error(sqlstate::kSyntaxError, fmt::format("syntax error at or near \"{}\"", near));
}

Error NoSuchCursor(const std::string& name) {
  return Error("34000", fmt::format("cursor \"{}\" does not exist", name));
}

// A possibly signed integer at t[i]; advances i past it.
std::optional<int64_t> Count(const std::vector<Token>& t, size_t& i) {
  bool negative = false;
  size_t at = i;
  if (at < t.size() && t[at].kind == Token::kPunct && (t[at].text == "-" || t[at].text == "+")) {
    negative = t[at].text == "-";
    ++at;
  }
  if (at >= t.size() || t[at].kind != Token::kNumber) return std::nullopt;
  int64_t value = 0;
  auto text = t[at].text;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  i = at + 1;
  return negative ? -value : value;
}

Result<CursorCommand> ParseDeclare(const LexedStatement& s) {
  auto& t = s.tokens;
  CursorCommand command;
  command.verb = CursorCommand::Verb::kDeclare;
  if (t.size() < 2) return SyntaxError("");
  auto name = IdentifierName(t[1]);
  if (!name) return SyntaxError(t[1].text);
  command.name = *name;
  size_t i = 2;
  for (; i < t.size() && !Is(t, i, "CURSOR"); ++i) {
    if (Is(t, i, "BINARY")) {
      command.binary = true;
    } else if (Is(t, i, "SCROLL")) {
      command.scroll = true;
    } else if (Is(t, i, "NO") && Is(t, i + 1, "SCROLL")) {
      command.scroll = false;
      ++i;
    } else if (!Is(t, i, "INSENSITIVE") && !Is(t, i, "ASENSITIVE")) {
      return SyntaxError(t[i].text);
    }
  }
  if (!Is(t, i, "CURSOR")) return SyntaxError("");
  ++i;
  if ((Is(t, i, "WITH") || Is(t, i, "WITHOUT")) && Is(t, i + 1, "HOLD")) {
    command.hold = Is(t, i, "WITH");
    i += 2;
  }
  if (!Is(t, i, "FOR")) return SyntaxError(i < t.size() ? t[i].text : "");
  if (i + 1 >= t.size()) return SyntaxError("");
  size_t from = static_cast<size_t>(t[i + 1].text.data() - s.text.data());
  command.query = std::string(s.text.substr(from));
  return command;
}

Result<CursorCommand> ParseFetch(const LexedStatement& s, bool move) {
  auto& t = s.tokens;
  CursorCommand command;
  command.verb = move ? CursorCommand::Verb::kMove : CursorCommand::Verb::kFetch;
  using D = CursorCommand::Direction;
  size_t i = 1;
  auto set = [&](D direction, int64_t count) {
    command.direction = direction;
    command.count = count;
  };
  if (Is(t, i, "NEXT")) {
    set(D::kForward, 1), ++i;
  } else if (Is(t, i, "PRIOR")) {
    set(D::kBackward, 1), ++i;
  } else if (Is(t, i, "FIRST")) {
    set(D::kAbsolute, 1), ++i;
  } else if (Is(t, i, "LAST")) {
    set(D::kAbsolute, -1), ++i;
  } else if (Is(t, i, "ALL")) {
    set(D::kForward, kAll), ++i;
  } else if (Is(t, i, "ABSOLUTE") || Is(t, i, "RELATIVE")) {
    D direction = Is(t, i, "ABSOLUTE") ? D::kAbsolute : D::kRelative;
    ++i;
    auto n = Count(t, i);
    if (!n) return SyntaxError(i < t.size() ? t[i].text : "");
    set(direction, *n);
  } else if (Is(t, i, "FORWARD") || Is(t, i, "BACKWARD")) {
    bool forward = Is(t, i, "FORWARD");
    ++i;
    int64_t n = 1;
    if (Is(t, i, "ALL")) {
      n = kAll;
      ++i;
    } else if (auto count = Count(t, i)) {
      n = *count;
    }
    if (n < 0) forward = !forward, n = -n;
    set(forward ? D::kForward : D::kBackward, n);
  } else if (auto n = Count(t, i)) {
    set(*n < 0 ? D::kBackward : D::kForward, *n < 0 ? -*n : *n);
  }
  if (Is(t, i, "FROM") || Is(t, i, "IN")) ++i;
  if (i >= t.size()) return SyntaxError("");
  auto name = IdentifierName(t[i]);
  if (!name || i + 1 != t.size()) return SyntaxError(t[i + (name ? 1 : 0)].text);
  command.name = *name;
  return command;
}

Error ForwardOnlyError() {
  return Error("55000", "cursor can only scan forward")
      .WithHint("Declare it with SCROLL option to enable backward scan.");
}

}  // namespace

Result<CursorCommand> ParseCursorCommand(std::string_view text) {
  auto lexed = Lex(text);
  if (lexed.empty() || lexed[0].tokens.empty()) return SyntaxError("");
  const auto& s = lexed[0];
  if (Is(s.tokens, 0, "DECLARE")) return ParseDeclare(s);
  if (Is(s.tokens, 0, "FETCH")) return ParseFetch(s, false);
  if (Is(s.tokens, 0, "MOVE")) return ParseFetch(s, true);
  if (Is(s.tokens, 0, "CLOSE")) {
    CursorCommand command;
    command.verb = CursorCommand::Verb::kClose;
    if (s.tokens.size() != 2) return SyntaxError(s.tokens.size() > 2 ? s.tokens[2].text : "");
    if (Is(s.tokens, 1, "ALL")) return command;
    auto name = IdentifierName(s.tokens[1]);
    if (!name) return SyntaxError(s.tokens[1].text);
    command.name = *name;
    return command;
  }
  return SyntaxError(s.tokens[0].text);
}

// --- SqlCursor ---

SqlCursor::SqlCursor(duckdb::ClientContext& context, CursorCommand declared,
                     std::string statement_text, std::unique_ptr<duckdb::QueryResult> result)
    : context_(context),
      declared_(std::move(declared)),
      statement_text_(std::move(statement_text)),
      stream_(std::move(result)) {
  for (size_t i = 0; i < stream_->names.size(); ++i) {
    PgTypeInfo pg = PgTypeFor(stream_->types[i]);
    columns_.push_back(
        ColumnInfo{stream_->names[i], pg.oid, pg.typlen, pg.typmod, stream_->types[i].ToString()});
  }
  binary.assign(columns_.size(), declared_.binary);
}

SqlCursor::~SqlCursor() = default;

Status SqlCursor::Park() {
  if (!stream_) return {};
  // Small results (one chunk) go to plain memory sized to them; larger ones to blocks of DuckDB's
  // buffer manager, which spills them. 4096 parked one-row cursors must not take a 256 KiB block
  // each.
  std::vector<std::unique_ptr<duckdb::DataChunk>> head;
  uint64_t base = stream_next_;
  uint64_t head_rows = 0;
  bool ended = false;
  std::unique_ptr<duckdb::ColumnDataCollection> rows;
  try {
    if (stream_chunk_ && current_ == stream_chunk_.get()) {
      base = current_first_;
      head_rows += stream_chunk_->size();
      head.push_back(std::move(stream_chunk_));
    }
    while (head_rows <= STANDARD_VECTOR_SIZE) {
      auto chunk = stream_->Fetch();
      if (stream_->HasError()) {
        failed_ = TranslateError(stream_->GetErrorObject(), declared_.query);
        break;
      }
      if (!chunk || chunk->size() == 0) {
        ended = true;
        break;
      }
      head_rows += chunk->size();
      head.push_back(std::move(chunk));
    }
    if (ended || failed_) {
      rows = std::make_unique<duckdb::ColumnDataCollection>(duckdb::Allocator::Get(context_),
                                                            stream_->types);
    } else {
      rows = std::make_unique<duckdb::ColumnDataCollection>(context_, stream_->types);
    }
    for (auto& chunk : head) rows->Append(*chunk);
    while (!ended && !failed_) {
      auto chunk = stream_->Fetch();
      if (stream_->HasError()) {
        failed_ = TranslateError(stream_->GetErrorObject(), declared_.query);
        break;
      }
      if (!chunk || chunk->size() == 0) break;
      rows->Append(*chunk);
    }
  } catch (const std::exception& ex) {
    failed_ = TranslateException(ex, declared_.query);
  }
  if (!rows)
    rows = std::make_unique<duckdb::ColumnDataCollection>(duckdb::Allocator::Get(context_),
                                                          stream_->types);
  rows_base_ = base;
  total_ = base + rows->Count();
  rows_ = std::move(rows);
  stream_.reset();
  stream_chunk_.reset();
  current_ = nullptr;
  if (failed_) return *failed_;
  return {};
}

Result<bool> SqlCursor::Load(uint64_t index) {
  if (failed_) return *failed_;
  if (current_ && index >= current_first_ && index < current_first_ + current_->size()) {
    current_row_ = index - current_first_;
    return true;
  }
  if (total_ && index >= *total_) return false;
  try {
    if (rows_) {
      if (index < rows_base_) return ForwardOnlyError();
      duckdb::idx_t local = index - rows_base_;
      if (local >= rows_->Count()) return false;
      if (!scan_) {
        scan_ = std::make_unique<duckdb::ColumnDataScanState>();
        scan_chunk_ = std::make_unique<duckdb::DataChunk>();
        rows_->InitializeScan(*scan_);
        rows_->InitializeScanChunk(*scan_, *scan_chunk_);
      }
      if (!rows_->Seek(local, *scan_, *scan_chunk_)) return false;
      current_ = scan_chunk_.get();
      current_first_ = rows_base_ + scan_->current_row_index;
      current_row_ = index - current_first_;
      return true;
    }
    while (stream_) {
      if (index < stream_next_) return ForwardOnlyError();
      current_ = nullptr;
      stream_chunk_ = stream_->Fetch();
      if (stream_->HasError()) {
        failed_ = TranslateError(stream_->GetErrorObject(), declared_.query);
        stream_.reset();
        return *failed_;
      }
      if (!stream_chunk_ || stream_chunk_->size() == 0) {
        total_ = stream_next_;
        stream_.reset();
        stream_chunk_.reset();
        return false;
      }
      current_ = stream_chunk_.get();
      current_first_ = stream_next_;
      stream_next_ += stream_chunk_->size();
      if (index < stream_next_) {
        current_row_ = index - current_first_;
        return true;
      }
    }
  } catch (const std::exception& ex) {
    failed_ = TranslateException(ex, declared_.query);
    stream_.reset();
    return *failed_;
  }
  if (!total_) total_ = index;
  return false;
}

Status SqlCursor::Emit(RowBatch& out) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    duckdb::Value value = current_->GetValue(c, current_row_);
    if (value.IsNull()) {
      out.AppendNull();
    } else if (binary[c]) {
      auto written = AppendPgBinary(value, columns_[c].type_oid, out.BeginCell());
      out.EndCell();
      if (!written) return written;
    } else {
      AppendPgText(context_, value, out.BeginCell());
      out.EndCell();
    }
  }
  return {};
}

Status SqlCursor::ForwardOnly() { return ForwardOnlyError(); }

Result<uint64_t> SqlCursor::Step(bool forward, uint64_t count, RowBatch* out) {
  uint64_t n = 0;
  if (forward) {
    while (n < count) {
      if (total_ && position_ > *total_) break;  // after the last row
      auto loaded = Load(position_);             // row position_ + 1
      if (!loaded) return std::move(loaded).error();
      if (!*loaded) {
        position_ = *total_ + 1;
        break;
      }
      if (out) {
        if (auto ok = Emit(*out); !ok) return std::move(ok).error();
      }
      ++position_;
      ++n;
    }
    return n;
  }
  if (count > 0 && !declared_.scroll) return ForwardOnlyError();
  while (n < count) {
    if (position_ <= 1) {
      position_ = 0;
      break;
    }
    auto loaded = Load(position_ - 2);  // row position_ - 1
    if (!loaded) return std::move(loaded).error();
    if (!*loaded) return Error(sqlstate::kInternalError, "cursor row vanished");
    if (out) {
      if (auto ok = Emit(*out); !ok) return std::move(ok).error();
    }
    --position_;
    ++n;
  }
  return n;
}

Status SqlCursor::Rewind() {
  if (position_ == 0) return {};
  if (!declared_.scroll) return ForwardOnlyError();
  position_ = 0;
  return {};
}

Result<uint64_t> SqlCursor::Absolute(int64_t n, RowBatch* out) {
  if (failed_) return *failed_;
  if (n == 0) {
    if (auto ok = Rewind(); !ok) return std::move(ok).error();
    return uint64_t{0};
  }
  if (!declared_.scroll) {
    bool at_end = total_ && position_ > *total_;
    if (n < 0 || at_end || position_ >= static_cast<uint64_t>(n)) return ForwardOnlyError();
    auto skipped = Step(true, static_cast<uint64_t>(n) - position_ - 1, nullptr);
    if (!skipped) return skipped;
    return Step(true, 1, out);
  }
  uint64_t total = total_.value_or(0);  // scroll cursors are parked at DECLARE
  uint64_t target = static_cast<uint64_t>(n);
  if (n < 0) {
    uint64_t back = static_cast<uint64_t>(-n);
    target = back <= total ? total + 1 - back : 0;
  }
  if (target == 0) {
    position_ = 0;
    return uint64_t{0};
  }
  if (target > total) {
    position_ = total + 1;
    return uint64_t{0};
  }
  position_ = target - 1;
  return Step(true, 1, out);
}

Result<uint64_t> SqlCursor::Relative(int64_t n, RowBatch* out, bool move) {
  if (n > 0) {
    if (n > 1) {
      auto skipped = Step(true, static_cast<uint64_t>(n - 1), nullptr);
      if (!skipped) return skipped;
    }
    return Step(true, 1, out);
  }
  if (n < 0) {
    if (n < -1) {
      auto skipped = Step(false, static_cast<uint64_t>(-(n + 1)), nullptr);
      if (!skipped) return skipped;
    }
    return Step(false, 1, out);
  }
  bool on_row = position_ >= 1 && !(total_ && position_ > *total_);
  if (move || !on_row) return uint64_t{on_row && move ? 1u : 0u};
  auto back = Step(false, 1, nullptr);
  if (!back) return back;
  return Step(true, 1, out);
}

// --- SqlCursors ---

SqlCursor* SqlCursors::Find(const std::string& name) {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : it->second.get();
}

std::shared_ptr<SqlCursor> SqlCursors::Get(const std::string& name) {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : it->second;
}

bool SqlCursors::Add(std::shared_ptr<SqlCursor> cursor) {
  return cursors_.emplace(cursor->name(), std::move(cursor)).second;
}

bool SqlCursors::Close(const std::string& name) { return cursors_.erase(name) > 0; }

Status SqlCursors::Park() {
  Status status;
  for (auto& [name, cursor] : cursors_) {
    if (auto parked = cursor->Park(); !parked && status) {
      status = std::move(parked).error().WithDetail(
          fmt::format("The error came while reading the rest of cursor \"{}\".", name));
    }
  }
  return status;
}

void SqlCursors::EndTransaction(bool rolled_back) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    auto& cursor = *it->second;
    bool keep = cursor.declared().hold && (cursor.committed || !rolled_back);
    if (keep) {
      cursor.committed = true;
      ++it;
    } else {
      it = cursors_.erase(it);
    }
  }
}

// --- the rows of one FETCH ---

namespace {

class FetchCursor final : public Cursor {
 public:
  FetchCursor(SessionImpl& session, std::shared_ptr<SqlCursor> cursor, CursorCommand command)
      : session_(session),
        cursor_(std::move(cursor)),
        command_(std::move(command)),
        binary_(cursor_->binary) {}
  bool returns_rows() const override { return true; }
  const std::vector<ColumnInfo>& columns() const override { return cursor_->columns(); }
  std::vector<int16_t> result_formats() const override {
    std::vector<int16_t> formats;
    for (bool b : binary_) formats.push_back(b ? 1 : 0);
    return formats;
  }
  Status SetResultFormats(const std::vector<int16_t>& formats) override {
    if (formats.empty()) return {};  // Bind asked for nothing: the cursor's own format
    auto& columns = cursor_->columns();
    for (size_t i = 0; i < columns.size(); ++i) {
      int16_t format = formats.size() == 1 ? formats[0] : i < formats.size() ? formats[i] : 0;
      if (format != 0 && !PgBinarySupported(columns[i].type_oid)) {
        return Error(sqlstate::kFeatureNotSupported,
                     "binary format is not supported for column \"" + columns[i].name +
                         "\" of type " + columns[i].engine_type);
      }
      binary_[i] = format != 0;
    }
    return {};
  }
  Result<RowBatch> Fetch(size_t max_rows) override {
    RowBatch batch(cursor_->columns().size());
    if (done_) return batch;
    cursor_->binary = binary_;
    using D = CursorCommand::Direction;
    Result<uint64_t> passed = uint64_t{0};
    bool stepping = command_.direction == D::kForward || command_.direction == D::kBackward;
    if (stepping && command_.count != 0) {
      uint64_t take = std::min<uint64_t>(max_rows, static_cast<uint64_t>(command_.count));
      passed = cursor_->Step(command_.direction == D::kForward, take, &batch);
      if (passed) {
        if (command_.count != kAll) command_.count -= static_cast<int64_t>(*passed);
        if (*passed < take || command_.count == 0) done_ = true;
      }
    } else {
      passed = command_.direction == D::kAbsolute
                   ? cursor_->Absolute(command_.count, &batch)
                   : cursor_->Relative(stepping ? 0 : command_.count, &batch, false);
      done_ = true;
    }
    if (!passed) {
      done_ = true;
      session_.OnStatementError();
      return std::move(passed).error();
    }
    rows_ += *passed;
    return batch;
  }
  std::string command_tag() const override { return fmt::format("FETCH {}", rows_); }

 private:
  SessionImpl& session_;
  std::shared_ptr<SqlCursor> cursor_;
  CursorCommand command_;
  std::vector<bool> binary_;
  uint64_t rows_ = 0;
  bool done_ = false;
};

// MOVE: FETCH without the rows.
Result<uint64_t> Move(SqlCursor& cursor, const CursorCommand& command) {
  using D = CursorCommand::Direction;
  switch (command.direction) {
    case D::kForward:
    case D::kBackward:
      if (command.count == 0) return cursor.Relative(0, nullptr, true);
      return cursor.Step(command.direction == D::kForward, static_cast<uint64_t>(command.count),
                         nullptr);
    case D::kAbsolute:
      return cursor.Absolute(command.count, nullptr);
    case D::kRelative:
      return cursor.Relative(command.count, nullptr, true);
  }
  return uint64_t{0};
}

}  // namespace

// --- the session's side ---

bool IsCursorCommand(const duckdb::SQLStatement& parsed) {
  if (parsed.type != duckdb::StatementType::SET_STATEMENT) return false;
  auto& set = parsed.Cast<duckdb::SetStatement>();
  return set.set_type != duckdb::SetType::RESET && set.name == kCursorSetting;
}

namespace {

std::string CursorText(const duckdb::SQLStatement& parsed) {
  auto& value = *parsed.Cast<duckdb::SetVariableStatement>().value;
  if (value.GetExpressionClass() != duckdb::ExpressionClass::CONSTANT) return "";
  return value.Cast<duckdb::ConstantExpression>().value.ToString();
}

// The number of a $n parameter token, or 0.
size_t ParameterNumber(const Token& token) {
  std::string_view t = token.text;
  if (token.kind != Token::kWord || t.size() < 2 || t[0] != '$') return 0;
  size_t n = 0;
  for (char c : t.substr(1)) {
    if (c < '0' || c > '9' || n > 100000) return 0;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n;
}

// DECLARE's query with its $n replaced by the bound values as typed literals (Bind over the
// extended protocol: psycopg 3 server-side cursors with parameters).
Result<std::string> BindDeclareParameters(std::string_view query,
                                          const std::vector<ParameterValue>& values,
                                          const std::vector<uint32_t>& types) {
  std::string out;
  size_t copied = 0;
  for (const auto& statement : Lex(query)) {
    for (const auto& token : statement.tokens) {
      size_t n = ParameterNumber(token);
      if (n == 0) continue;
      if (n > values.size()) {
        return Error("08P01", fmt::format("there is no parameter ${}", n));
      }
      size_t at = static_cast<size_t>(token.text.data() - query.data());
      out.append(query.substr(copied, at - copied));
      copied = at + token.text.size();
      const auto& value = values[n - 1];
      if (!value) {
        out += "NULL";
        continue;
      }
      std::string literal = QuoteLiteral(*value);
      uint32_t oid = n - 1 < types.size() ? types[n - 1] : 0;
      auto type =
          oid == 0 ? duckdb::LogicalType(duckdb::LogicalTypeId::UNKNOWN) : LogicalTypeForPgOid(oid);
      if (type.id() == duckdb::LogicalTypeId::UNKNOWN ||
          type.id() == duckdb::LogicalTypeId::VARCHAR) {
        out += literal;
      } else {
        out += "CAST(" + literal + " AS " + type.ToString() + ")";
      }
    }
  }
  out.append(query.substr(copied));
  return out;
}

}  // namespace

Status SessionImpl::ParkCursors() {
  if (!cursors_) return {};
  auto parked = cursors_->Park();
  // Inside a block the error aborted DuckDB's transaction: the statement that made the cursor
  // read ahead fails with it (PostgreSQL would have failed at that FETCH). In autocommit only
  // the cursor's own transaction ended, and its FETCHes report the error.
  if (!parked && connection_.context->transaction.IsAutoCommit()) return {};
  return parked;
}

void SessionImpl::EndCursorTransaction(bool rolled_back, bool ending) {
  if (cursors_ && (ending || state_ == TransactionState::kIdle)) {
    cursors_->EndTransaction(rolled_back);
  }
}

bool SessionImpl::DescribeCursorCommand(PreparedImpl& prepared,
                                        const std::vector<uint32_t>& declared_types) {
  if (!IsCursorCommand(*prepared.parsed)) return false;
  auto command = ParseCursorCommand(CursorText(*prepared.parsed));
  if (command && command->verb == CursorCommand::Verb::kDeclare) {
    size_t count = 0;
    for (const auto& statement : Lex(command->query)) {
      for (const auto& token : statement.tokens) count = std::max(count, ParameterNumber(token));
    }
    for (size_t i = 0; i < count; ++i) {
      uint32_t declared = i < declared_types.size() ? declared_types[i] : 0;
      prepared.parameter_oids.push_back(declared != 0 ? declared : 25);
    }
    return true;
  }
  if (!command || command->verb != CursorCommand::Verb::kFetch) return true;
  prepared.returns_rows_ = true;
  if (auto* cursor = cursors_ ? cursors_->Find(command->name) : nullptr) {
    prepared.columns_ = cursor->columns();
  } else {  // declared later: Describe runs the FETCH to learn its columns
    prepared.columns_.push_back(ColumnInfo{"?column?", 25, -1, -1, "UNKNOWN"});
  }
  return true;
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::HandleCursorCommand(
    const duckdb::SQLStatement& parsed, const std::vector<ParameterValue>& parameters,
    const std::vector<uint32_t>& parameter_types) {
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  if (!IsCursorCommand(parsed)) return std::nullopt;
  if (!cursors_) cursors_ = std::make_shared<SqlCursors>();
  std::string text = CursorText(parsed);
  auto fail = [this](Error error) {
    OnStatementError();
    return Answer(std::move(error));
  };
  auto tag = [this](std::string text) {
    OnStatementDone();
    return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, std::move(text))));
  };
  auto command = ParseCursorCommand(text);
  if (!command) return fail(std::move(command).error());
  switch (command->verb) {
    case CursorCommand::Verb::kClose:
      if (command->name.empty()) {
        cursors_->CloseAll();
        return tag("CLOSE CURSOR ALL");
      }
      if (!cursors_->Close(command->name)) return fail(NoSuchCursor(command->name));
      return tag("CLOSE CURSOR");
    case CursorCommand::Verb::kFetch:
    case CursorCommand::Verb::kMove: {
      auto cursor = cursors_->Get(command->name);
      if (!cursor) return fail(NoSuchCursor(command->name));
      if (command->verb == CursorCommand::Verb::kMove) {
        auto moved = Move(*cursor, *command);
        if (!moved) return fail(std::move(moved).error());
        return tag(fmt::format("MOVE {}", *moved));
      }
      OnStatementDone();
      return Answer(std::unique_ptr<Cursor>(
          std::make_unique<FetchCursor>(*this, std::move(cursor), std::move(*command))));
    }
    case CursorCommand::Verb::kDeclare:
      break;
  }
  if (!command->hold && state_ != TransactionState::kInBlock) {
    return fail(Error(sqlstate::kNoActiveTransaction,
                      "DECLARE CURSOR can only be used in transaction blocks"));
  }
  if (cursors_->Find(command->name)) {
    return fail(Error("42P03", fmt::format("cursor \"{}\" already exists", command->name)));
  }
  if (cursors_->size() >= kMaxCursorsPerSession) {
    return fail(Error(sqlstate::kProgramLimitExceeded,
                      fmt::format("too many open cursors: a session may hold at most {}",
                                  kMaxCursorsPerSession))
                    .WithHint("CLOSE cursors that are no longer needed."));
  }
  if (!parameters.empty()) {
    auto bound = BindDeclareParameters(command->query, parameters, parameter_types);
    if (!bound) return fail(std::move(bound).error());
    command->query = std::move(*bound);
  }
  if (auto parked = ParkCursors(); !parked) return fail(std::move(parked).error());
  SyncSearchPath();  // the query binds against the PostgreSQL search_path
  BeginExecution();
  try {
    auto statements = connection_.ExtractStatements(command->query);
    if (statements.size() != 1 || statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
      return fail(SyntaxError(statements.empty() ? "" : "FOR"));
    }
    auto& statement = *statements[0];
    if (auto ready = ApplyParsedRewrites(statement); !ready) return fail(std::move(ready).error());
    if (auto allowed = CheckPrivileges(statement); !allowed) {
      return fail(std::move(allowed).error());
    }
    auto pending = connection_.PendingQuery(std::move(statements[0]), /*allow_stream_result=*/true);
    if (pending->HasError()) return fail(TranslateError(pending->GetErrorObject(), command->query));
    auto result = pending->Execute();
    if (result->HasError()) return fail(TranslateError(result->GetErrorObject(), command->query));
    auto cursor =
        std::make_shared<SqlCursor>(*connection_.context, *command, text,
                                    std::unique_ptr<duckdb::QueryResult>(std::move(result)));
    if (command->binary) {
      for (auto& column : cursor->columns()) {
        if (!PgBinarySupported(column.type_oid)) {
          return fail(Error(sqlstate::kFeatureNotSupported,
                            "binary format is not supported for column \"" + column.name +
                                "\" of type " + column.engine_type));
        }
      }
    }
    if (command->scroll) {
      if (auto parked = cursor->Park(); !parked) return fail(std::move(parked).error());
    }
    cursors_->Add(std::move(cursor));
  } catch (const std::exception& ex) {
    return fail(TranslateException(ex, command->query));
  }
  return tag("DECLARE CURSOR");
}

std::optional<std::vector<ColumnInfo>> SessionImpl::CursorColumns(const std::string& name) {
  auto* cursor = cursors_ ? cursors_->Find(name) : nullptr;
  if (!cursor) return std::nullopt;
  return cursor->columns();
}

// --- pg_cursors ---

namespace {

struct CursorsInfo : duckdb::TableFunctionInfo {
  explicit CursorsInfo(SessionRegistry& r) : registry(r) {}
  SessionRegistry& registry;
};

using CursorsBind = BoundRows<duckdb::vector<duckdb::Value>>;

duckdb::unique_ptr<duckdb::FunctionData> BindCursors(duckdb::ClientContext& context,
                                                     duckdb::TableFunctionBindInput& input,
                                                     duckdb::vector<duckdb::LogicalType>& types,
                                                     duckdb::vector<std::string>& names) {
  using duckdb::LogicalType;
  using duckdb::Value;
  auto bind = duckdb::make_uniq<CursorsBind>();
  names = {"name", "statement", "is_holdable", "is_binary", "is_scrollable", "creation_time"};
  types = {LogicalType::VARCHAR, LogicalType::VARCHAR, LogicalType::BOOLEAN,
           LogicalType::BOOLEAN, LogicalType::BOOLEAN, LogicalType::TIMESTAMP_TZ};
  auto* session = input.info->Cast<CursorsInfo>().registry.ByContext(&context);
  if (!session || !session->cursors()) return bind;
  for (auto& [name, cursor] : session->cursors()->all()) {
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(cursor->created.time_since_epoch());
    const auto& d = cursor->declared();
    bind->rows.push_back({Value(name), Value(cursor->statement_text()), Value::BOOLEAN(d.hold),
                          Value::BOOLEAN(d.binary), Value::BOOLEAN(d.scroll),
                          Value::TIMESTAMPTZ(duckdb::timestamp_tz_t(micros.count()))});
  }
  return bind;
}

void ScanCursors(duckdb::ClientContext&, duckdb::TableFunctionInput& input,
                 duckdb::DataChunk& output) {
  ScanBoundRows<CursorsBind>(input, output,
                             [&](const duckdb::vector<duckdb::Value>& row, duckdb::idx_t count) {
                               for (duckdb::idx_t c = 0; c < row.size(); ++c)
                                 output.SetValue(c, count, row[c]);
                             });
}

}  // namespace

void RegisterCursorFunctions(duckdb::ClientContext& context, SessionRegistry& registry) {
  duckdb::TableFunction cursors("augur_cursors", {}, ScanCursors, BindCursors, InitBoundRowsScan);
  cursors.function_info = duckdb::make_shared_ptr<CursorsInfo>(registry);
  RegisterSystemTableFunction(context, std::move(cursors));
}

}  // namespace augur::engine
