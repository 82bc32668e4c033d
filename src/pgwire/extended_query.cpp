// extended_query.cpp: Parse/Bind/Describe/Execute/Close/Sync/Flush, as PostgreSQL 15 answers them.
//
// Rules that drivers depend on (protocol-flow.html, "Extended Query"):
//  - nothing is sent until Sync or Flush asks for it, and ReadyForQuery only after Sync;
//  - after an error every message up to the next Sync is discarded;
//  - Execute with a row limit answers PortalSuspended when it reached the limit, and the next
//    Execute of that portal resumes where it stopped;
//  - at Sync outside a transaction block the portals end with the implicit transaction; inside a
//    block they survive until COMMIT/ROLLBACK.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/use_awaitable.hpp>

#include "common/blocking.h"
#include "pgwire/binary_values.h"
#include "pgwire/connection.h"
#include "pgwire/frontend_messages.h"
#include "pgwire/server.h"
#include "pgwire/statement_timer.h"

namespace augur::pgwire {

namespace asio = boost::asio;

std::vector<FieldDescription> DescribeColumns(const std::vector<ColumnInfo>& columns,
                                              const std::vector<int16_t>& formats) {
  std::vector<FieldDescription> fields;
  fields.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    auto& c = columns[i];
    fields.push_back(FieldDescription{c.name, c.table_oid, c.column_number, c.type_oid, c.type_size,
                                      c.type_modifier, BindMessage::FormatFor(formats, i)});
  }
  return fields;
}

asio::awaitable<Status> Connection::HandleExtended(const Message& message) {
  switch (message.type) {
    case 'P':
      co_return co_await Parse(message.body);
    case 'B':
      co_return co_await Bind(message.body);
    case 'D':
      co_return co_await Describe(message.body);
    case 'E':
      co_return co_await Execute(message.body);
    case 'C':
      co_return Close(message.body);
    default:
      co_return Status();
  }
}

asio::awaitable<Status> Connection::Parse(std::string_view body) {
  auto parse = DecodeParse(body);
  if (!parse) co_return std::move(parse).error();
  std::string name(parse->statement);
  if (!name.empty() && prepared_.contains(name)) {
    co_return Error("42P05", fmt::format("prepared statement \"{}\" already exists", name));
  }
  // The same text again (unnamed statements of most drivers): the session may still have it.
  if (auto known = session_->ReusePrepared(parse->query, parse->parameter_types)) {
    prepared_[name] = std::move(known);
    out_.ParseComplete();
    co_return Status();
  }
  auto prepared = co_await RunBlocking(
      server_.workers(), [&] { return session_->Prepare(parse->query, parse->parameter_types); });
  if (!prepared) {
    LogFailure(prepared.error(), parse->query);
    co_return std::move(prepared).error();
  }
  prepared_[name] = std::move(*prepared);
  out_.ParseComplete();
  co_return Status();
}

asio::awaitable<Status> Connection::Bind(std::string_view body) {
  auto bind = DecodeBind(body);
  if (!bind) co_return std::move(bind).error();
  auto statement = prepared_.find(std::string(bind->statement));
  if (statement == prepared_.end()) {
    co_return Error("26000",
                    fmt::format("prepared statement \"{}\" does not exist", bind->statement));
  }
  std::string portal_name(bind->portal);
  if (!portal_name.empty() && portals_.contains(portal_name)) {
    co_return Error("42P03", fmt::format("cursor \"{}\" already exists", portal_name));
  }
  auto& types = statement->second->parameter_types();
  if (bind->parameters.size() != types.size()) {
    co_return Error(sqlstate::kProtocolViolation,
                    fmt::format("bind message supplies {} parameters, but prepared statement "
                                "\"{}\" requires {}",
                                bind->parameters.size(), bind->statement, types.size()));
  }
  Portal portal;
  portal.statement = statement->second;
  portal.result_formats = bind->result_formats;
  portal.parameters.reserve(bind->parameters.size());
  for (size_t i = 0; i < bind->parameters.size(); ++i) {
    auto& value = bind->parameters[i];
    if (!value) {
      portal.parameters.emplace_back(std::nullopt);
    } else if (BindMessage::FormatFor(bind->parameter_formats, i) == 1) {
      auto text = BinaryParameterToText(types[i], *value);
      if (!text) co_return std::move(text).error();
      portal.parameters.emplace_back(std::move(*text));
    } else {
      portal.parameters.emplace_back(std::string(*value));
    }
  }
  portals_.erase(portal_name);  // the unnamed portal is replaced by each Bind
  portals_.emplace(portal_name, std::move(portal));
  out_.BindComplete();
  co_return Status();
}

asio::awaitable<Status> Connection::Describe(std::string_view body) {
  auto describe = DecodeDescribe(body);
  if (!describe) co_return std::move(describe).error();
  std::string name(describe->name);
  if (describe->kind == 'S') {
    auto it = prepared_.find(name);
    if (it == prepared_.end()) {
      co_return Error("26000", fmt::format("prepared statement \"{}\" does not exist", name));
    }
    out_.ParameterDescription(it->second->parameter_types());
    if (it->second->returns_rows()) {
      out_.RowDescription(DescribeColumns(it->second->columns()));
    } else {
      out_.NoData();
    }
    co_return Status();
  }
  auto it = portals_.find(name);
  if (it == portals_.end()) {
    if (auto columns = session_->CursorColumns(name)) {  // a cursor made by DECLARE
      out_.RowDescription(DescribeColumns(*columns));
      co_return Status();
    }
    co_return Error("34000", fmt::format("portal \"{}\" does not exist", name));
  }
  Portal& portal = it->second;
  if (!portal.statement->returns_rows()) {
    out_.NoData();
    co_return Status();
  }
  // Types known from planning answer without running anything. A column whose type depends on a
  // parameter's value ($1 alone in a select list) is only known once the statement runs.
  bool all_known = true;
  for (auto& c : portal.statement->columns()) {
    if (c.engine_type == "UNKNOWN") all_known = false;
  }
  if (!all_known && !portal.cursor) {
    StatementTimer timer(stream_.get_executor(), session_, session_->statement_timeout());
    auto cursor = co_await RunStatement(server_.workers(), [&] {
      return session_->Execute(*portal.statement, portal.parameters, /*stream=*/false);
    });
    if (!cursor) co_return timer.Explain(std::move(cursor).error());
    if (auto formats = (*cursor)->SetResultFormats(portal.result_formats); !formats) {
      co_return std::move(formats).error();
    }
    portal.cursor = std::move(*cursor);
  }
  auto fields =
      DescribeColumns(portal.cursor ? portal.cursor->columns() : portal.statement->columns(),
                      portal.result_formats);
  // A result's columns know their types but not their tables; the prepared statement's do.
  const auto& prepared_columns = portal.statement->columns();
  if (portal.cursor && prepared_columns.size() == fields.size()) {
    for (size_t i = 0; i < fields.size(); ++i) {
      fields[i].table_oid = prepared_columns[i].table_oid;
      fields[i].column_number = prepared_columns[i].column_number;
    }
  }
  out_.RowDescription(fields);
  co_return Status();
}

asio::awaitable<Status> Connection::Execute(std::string_view body) {
  auto execute = DecodeExecute(body);
  if (!execute) co_return std::move(execute).error();
  auto it = portals_.find(std::string(execute->portal));
  if (it == portals_.end()) {
    co_return Error("34000", fmt::format("portal \"{}\" does not exist", execute->portal));
  }
  Portal& portal = it->second;
  if (portal.statement->empty()) {
    out_.EmptyQueryResponse();
    co_return Status();
  }
  if (portal.done) {  // executed to completion already: PostgreSQL reports no further rows
    out_.CommandComplete(portal.statement->returns_rows() ? "SELECT 0" : "");
    co_return Status();
  }
  size_t max_rows = static_cast<size_t>(execute->max_rows);
  StatementTimer timer(stream_.get_executor(), session_, session_->statement_timeout());
  Status fetched;
  RowsAhead ahead;
  if (!portal.cursor) {
    ++statements_;
    portal.started = std::chrono::steady_clock::now();
    // A portal that may be suspended must not hold a DuckDB stream open between messages: the
    // session may run other statements before it resumes. Such portals get a computed result.
    Status formats;
    // A key lookup answers here on the I/O thread when it cannot block (Session::
    // TryExecuteInline): no trip to a worker and back. Anything else runs on a worker.
    auto ran_inline = RunInline(portal, max_rows, formats, fetched, ahead);
    Result<std::unique_ptr<Cursor>> cursor = Error();
    if (ran_inline) {
      cursor = std::move(*ran_inline);
    } else {
      cursor = co_await RunStatement(server_.workers(), [&] {
        auto run =
            session_->Execute(*portal.statement, portal.parameters, /*stream=*/max_rows == 0);
        if (!run) return run;
        formats = (*run)->SetResultFormats(portal.result_formats);
        if (formats) {
          fetched = FetchAhead(**run, max_rows, ahead);
        }
        return run;
      });
    }
    if (ran_inline && !session_->AnswerIsDurable()) {
      // What it read may be a commit whose fsync is still running: wait for it off this thread.
      co_await RunBlocking(server_.workers(), [this] {
        session_->AwaitDurability();
        return true;
      });
    }
    if (!cursor) {
      Error error = timer.Explain(std::move(cursor).error());
      LogFailure(error, portal.statement->text());
      co_return error;
    }
    if (!formats) co_return std::move(formats).error();
    portal.cursor = std::move(*cursor);
  }
  bool exhausted = false;
  Status sent = fetched;
  if (sent) sent = co_await SendRows(*portal.cursor, max_rows, exhausted, std::move(ahead));
  if (!sent) {
    portal.cursor.reset();
    portal.done = true;
    co_return timer.Explain(std::move(sent).error());
  }
  if (!exhausted) {
    out_.PortalSuspended();
    co_return Status();
  }
  out_.CommandComplete(portal.cursor->command_tag());
  StatementDone(portal.cursor->command_tag(), portal.started, portal.statement->text());
  portal.cursor.reset();
  portal.done = true;
  ReportParameterChanges();
  co_return Status();
}

std::optional<Result<std::unique_ptr<Cursor>>> Connection::RunInline(
    Portal& portal, size_t max_rows, Status& formats, Status& fetched, RowsAhead& ahead) {
  if (!server_.options().inline_fast_path) return std::nullopt;
  auto run = session_->TryExecuteInline(*portal.statement, portal.parameters);
  if (!run || !*run) return run;
  formats = (**run)->SetResultFormats(portal.result_formats);
  if (formats) fetched = FetchAhead(***run, max_rows, ahead);  // a materialized result
  return run;
}

Status Connection::Close(std::string_view body) {
  auto close = DecodeClose(body);
  if (!close) return std::move(close).error();
  // Closing something that does not exist is not an error in PostgreSQL.
  if (close->kind == 'S') {
    prepared_.erase(std::string(close->name));
  } else {
    portals_.erase(std::string(close->name));
  }
  out_.CloseComplete();
  return {};
}

}  // namespace augur::pgwire
