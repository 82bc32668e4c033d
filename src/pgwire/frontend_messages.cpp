// frontend_messages.cpp: layouts from
// https://www.postgresql.org/docs/15/protocol-message-formats.html. Counts are int16 on the wire
// and are checked against what is actually left in the body before anything is reserved, so a
// hostile count cannot make the server allocate.
#include "pgwire/frontend_messages.h"

#include <fmt/format.h>

#include "pgwire/codec.h"

namespace augur::pgwire {
namespace {

// Unwraps a Result into `var` or returns its error from the enclosing function.
#define AUGUR_TRY(var, expr)                                 \
  auto var##_result = (expr);                                \
  if (!var##_result) return std::move(var##_result).error(); \
  auto var = *var##_result

Error Malformed(std::string_view what) {
  return Error(sqlstate::kProtocolViolation, fmt::format("invalid message format: {}", what));
}

Result<std::vector<int16_t>> ReadFormats(BodyReader& reader, std::string_view field) {
  AUGUR_TRY(count, reader.Int16(field));
  if (count < 0 || static_cast<size_t>(count) * 2 > reader.remaining()) {
    return Malformed(fmt::format("bad {} count {}", field, count));
  }
  std::vector<int16_t> formats;
  formats.reserve(static_cast<size_t>(count));
  for (int16_t i = 0; i < count; ++i) {
    AUGUR_TRY(format, reader.Int16(field));
    if (format != 0 && format != 1)
      return Malformed(fmt::format("unsupported format code {}", format));
    formats.push_back(format);
  }
  return formats;
}

Result<char> ReadKind(BodyReader& reader) {
  AUGUR_TRY(kind, reader.Bytes(1, "describe/close kind"));
  if (kind[0] != 'S' && kind[0] != 'P') return Malformed(fmt::format("bad kind '{}'", kind[0]));
  return kind[0];
}

Status ExpectEnd(const BodyReader& reader, std::string_view message) {
  if (reader.remaining() != 0) return Malformed(fmt::format("trailing bytes in {}", message));
  return {};
}

}  // namespace

Result<ParseMessage> DecodeParse(std::string_view body) {
  BodyReader reader(body);
  ParseMessage m;
  AUGUR_TRY(name, reader.CString("statement name"));
  AUGUR_TRY(query, reader.CString("query string"));
  AUGUR_TRY(count, reader.Int16("parameter type count"));
  if (count < 0 || static_cast<size_t>(count) * 4 > reader.remaining()) {
    return Malformed(fmt::format("bad parameter type count {}", count));
  }
  m.statement = name;
  m.query = query;
  for (int16_t i = 0; i < count; ++i) {
    AUGUR_TRY(oid, reader.Int32("parameter type"));
    m.parameter_types.push_back(static_cast<uint32_t>(oid));
  }
  if (auto end = ExpectEnd(reader, "Parse"); !end) return std::move(end).error();
  return m;
}

Result<BindMessage> DecodeBind(std::string_view body) {
  BodyReader reader(body);
  BindMessage m;
  AUGUR_TRY(portal, reader.CString("portal name"));
  AUGUR_TRY(statement, reader.CString("statement name"));
  m.portal = portal;
  m.statement = statement;
  AUGUR_TRY(parameter_formats, ReadFormats(reader, "parameter format"));
  m.parameter_formats = std::move(parameter_formats);
  AUGUR_TRY(count, reader.Int16("parameter count"));
  // Each parameter takes at least its 4-byte length.
  if (count < 0 || static_cast<size_t>(count) * 4 > reader.remaining()) {
    return Malformed(fmt::format("bad parameter count {}", count));
  }
  if (m.parameter_formats.size() > 1 && m.parameter_formats.size() != static_cast<size_t>(count)) {
    return Malformed(fmt::format("bind message has {} parameter formats but {} parameters",
                                 m.parameter_formats.size(), count));
  }
  m.parameters.reserve(static_cast<size_t>(count));
  for (int16_t i = 0; i < count; ++i) {
    AUGUR_TRY(length, reader.Int32("parameter length"));
    if (length == -1) {
      m.parameters.emplace_back(std::nullopt);
      continue;
    }
    if (length < 0) return Malformed(fmt::format("bad parameter length {}", length));
    AUGUR_TRY(value, reader.Bytes(static_cast<size_t>(length), "parameter value"));
    m.parameters.emplace_back(value);
  }
  AUGUR_TRY(result_formats, ReadFormats(reader, "result format"));
  m.result_formats = std::move(result_formats);
  if (auto end = ExpectEnd(reader, "Bind"); !end) return std::move(end).error();
  return m;
}

Result<DescribeMessage> DecodeDescribe(std::string_view body) {
  BodyReader reader(body);
  AUGUR_TRY(kind, ReadKind(reader));
  AUGUR_TRY(name, reader.CString("name"));
  if (auto end = ExpectEnd(reader, "Describe"); !end) return std::move(end).error();
  return DescribeMessage{kind, name};
}

Result<ExecuteMessage> DecodeExecute(std::string_view body) {
  BodyReader reader(body);
  AUGUR_TRY(portal, reader.CString("portal name"));
  AUGUR_TRY(max_rows, reader.Int32("row limit"));
  if (auto end = ExpectEnd(reader, "Execute"); !end) return std::move(end).error();
  return ExecuteMessage{portal, max_rows < 0 ? 0 : max_rows};
}

Result<CloseMessage> DecodeClose(std::string_view body) {
  BodyReader reader(body);
  AUGUR_TRY(kind, ReadKind(reader));
  AUGUR_TRY(name, reader.CString("name"));
  if (auto end = ExpectEnd(reader, "Close"); !end) return std::move(end).error();
  return CloseMessage{kind, name};
}

}  // namespace augur::pgwire
