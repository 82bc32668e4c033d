// pg_missing_functions.cpp: see pg_missing_functions.h.
#include "engine/pg/pg_missing_functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "duckdb/common/types/vector.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/common/vector_operations/generic_executor.hpp"
#include "duckdb/common/vector_operations/ternary_executor.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::idx_t;
using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

size_t CharCount(std::string_view text) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars;
}

// The byte offset of character `n` (the end when the text is shorter).
size_t ByteOfChar(std::string_view text, size_t n) {
  size_t chars = 0;
  for (size_t k = 0; k < text.size(); ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) continue;
    if (chars++ == n) return k;
  }
  return text.size();
}

void OctetLength(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<string_t, int32_t>(
      args.data[0], result, args.size(),
      [](string_t s) { return static_cast<int32_t>(s.GetSize()); });
}

// lpad(text, n) / rpad(text, n): padded with blanks to n characters, or cut to n.
template <bool kLeft>
void PadWithBlanks(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, int32_t, string_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t s, int32_t n) {
        std::string_view text(s.GetData(), s.GetSize());
        if (n <= 0) return string_t();
        size_t chars = CharCount(text);
        if (chars >= static_cast<size_t>(n)) {
          return duckdb::StringVector::AddString(result, text.data(),
                                                 ByteOfChar(text, static_cast<size_t>(n)));
        }
        if (n > 10 * 1024 * 1024) ThrowError(Error("54000", "requested length too large"));
        std::string padded(static_cast<size_t>(n) - chars, ' ');
        padded = kLeft ? padded + std::string(text) : std::string(text) + padded;
        return duckdb::StringVector::AddString(result, padded);
      });
}

void GetByte(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, int32_t, int32_t>(
      args.data[0], args.data[1], result, args.size(), [](string_t bytes, int32_t n) {
        if (n < 0 || static_cast<size_t>(n) >= bytes.GetSize()) {
          ThrowError(Error("2202E", fmt::format("index {} out of valid range, 0..{}", n,
                                                static_cast<int64_t>(bytes.GetSize()) - 1)));
        }
        return static_cast<int32_t>(static_cast<unsigned char>(bytes.GetData()[n]));
      });
}

// overlay(s PLACING r FROM start [FOR count]), PostgreSQL's text_overlay: the characters of s
// before `start`, then r, then those from start + count on (count defaults to r's length).
void OverlayText(std::string_view s, std::string_view r, int64_t start, int64_t count,
                 Vector& result, string_t& out) {
  if (start < 1) ThrowError(Error("22011", "negative substring length not allowed"));
  size_t chars = CharCount(s);
  size_t head = ByteOfChar(s, std::min<size_t>(static_cast<size_t>(start - 1), chars));
  int64_t rest = start + count;  // 1-based first character kept after r
  size_t tail =
      rest <= 1 ? 0 : ByteOfChar(s, std::min<size_t>(static_cast<size_t>(rest - 1), chars));
  std::string text;
  text.reserve(head + r.size() + (s.size() - tail));
  text.append(s.substr(0, head)).append(r).append(s.substr(tail));
  out = duckdb::StringVector::AddString(result, text);
}

void Overlay(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  auto run = [&](string_t s, string_t r, int32_t start, int64_t count) {
    string_t out;
    OverlayText({s.GetData(), s.GetSize()}, {r.GetData(), r.GetSize()}, start, count, result, out);
    return out;
  };
  if (args.ColumnCount() == 4) {
    duckdb::GenericExecutor::ExecuteQuaternary<
        duckdb::PrimitiveType<string_t>, duckdb::PrimitiveType<string_t>,
        duckdb::PrimitiveType<int32_t>, duckdb::PrimitiveType<int32_t>,
        duckdb::PrimitiveType<string_t>>(
        args.data[0], args.data[1], args.data[2], args.data[3], result, args.size(),
        [&](auto s, auto r, auto start, auto count) {
          return duckdb::PrimitiveType<string_t>(run(s.val, r.val, start.val, count.val));
        });
    return;
  }
  duckdb::TernaryExecutor::Execute<string_t, string_t, int32_t, string_t>(
      args.data[0], args.data[1], args.data[2], result, args.size(),
      [&](string_t s, string_t r, int32_t start) {
        return run(s, r, start, static_cast<int64_t>(CharCount({r.GetData(), r.GetSize()})));
      });
}

// set_byte(bytes, n, value): a copy with byte n (0-based) set to value's low eight bits.
void SetByte(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::TernaryExecutor::Execute<string_t, int32_t, int32_t, string_t>(
      args.data[0], args.data[1], args.data[2], result, args.size(),
      [&](string_t bytes, int32_t n, int32_t value) {
        if (n < 0 || static_cast<size_t>(n) >= bytes.GetSize()) {
          ThrowError(Error("2202E", fmt::format("index {} out of valid range, 0..{}", n,
                                                static_cast<int64_t>(bytes.GetSize()) - 1)));
        }
        std::string copy(bytes.GetData(), bytes.GetSize());
        copy[static_cast<size_t>(n)] = static_cast<char>(value & 0xFF);
        return duckdb::StringVector::AddStringOrBlob(result, copy);
      });
}

// substring(bytes FROM start [FOR count]) on bytea, PostgreSQL's bytea_substr: by bytes, a
// start before 1 shortens the count, a negative count is an error.
string_t ByteaSubstring(string_t bytes, int64_t start, std::optional<int64_t> count,
                        Vector& result) {
  int64_t size = static_cast<int64_t>(bytes.GetSize());
  int64_t first = std::max<int64_t>(start, 1);
  int64_t end = size + 1;  // one past the last byte, 1-based
  if (count) {
    if (*count < 0) ThrowError(Error("22011", "negative substring length not allowed"));
    end = std::min(end, start + *count);
  }
  if (first >= end) return duckdb::StringVector::AddStringOrBlob(result, "");
  return duckdb::StringVector::AddStringOrBlob(result, bytes.GetData() + first - 1,
                                               static_cast<size_t>(end - first));
}

void ByteaSubstr(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  if (args.ColumnCount() == 3) {
    duckdb::TernaryExecutor::Execute<string_t, int64_t, int64_t, string_t>(
        args.data[0], args.data[1], args.data[2], result, args.size(),
        [&](string_t b, int64_t start, int64_t count) {
          return ByteaSubstring(b, start, count, result);
        });
    return;
  }
  duckdb::BinaryExecutor::Execute<string_t, int64_t, string_t>(
      args.data[0], args.data[1], result, args.size(),
      [&](string_t b, int64_t start) { return ByteaSubstring(b, start, std::nullopt, result); });
}

// convert_to(text, encoding): the text's bytes in `encoding`. augur's text is UTF-8, and it
// converts to UTF-8 (and its aliases) and to the single-byte encodings whose characters the
// text holds only as ASCII; anything else is refused rather than answered wrongly.
void ConvertTo(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, string_t, string_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t text, string_t encoding) {
        std::string name;
        for (char c : std::string_view(encoding.GetData(), encoding.GetSize())) {
          if (c != '_' && c != '-') name += static_cast<char>(std::toupper(c));
        }
        bool ascii = true;
        for (size_t k = 0; k < text.GetSize(); ++k) ascii &= (text.GetData()[k] & 0x80) == 0;
        bool single_byte =
            name == "LATIN1" || name == "SQLASCII" || name == "WIN1252" || name == "ISO88591";
        if (name != "UTF8" && name != "UNICODE" && !(single_byte && ascii)) {
          ThrowError(
              Error("0A000", fmt::format("augur converts text only to UTF8 (and ASCII "
                                         "text to single-byte encodings), not to \"{}\"",
                                         std::string(encoding.GetData(), encoding.GetSize()))));
        }
        return duckdb::StringVector::AddStringOrBlob(result, text.GetData(), text.GetSize());
      });
}

// pg_sleep(seconds): sleeps in short steps, so that a cancel or statement_timeout (which set
// the context's interrupted flag) ends it within one step. Returns empty text, which is what
// PostgreSQL sends for its void (augur has no void type; pg_typeof says text).
void PgSleep(duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
  auto& context = state.GetContext();
  for (idx_t row = 0; row < args.size(); ++row) {
    duckdb::Value seconds = args.data[0].GetValue(row);
    if (!seconds.IsNull()) {
      double wait = seconds.GetValue<double>();
      auto until =
          std::chrono::steady_clock::now() +
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
              std::chrono::duration<double>(std::isfinite(wait) ? std::min(wait, 1e9) : 0.0));
      while (!context.interrupted && std::chrono::steady_clock::now() < until) {
        auto left = until - std::chrono::steady_clock::now();
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(10)));
      }
    }
    result.SetValue(row, duckdb::Value(""));
  }
}

// The elements of a (nested) list value, counted through every level, and its depth.
void Measure(const duckdb::Value& list, int64_t& elements, int32_t& depth, int32_t level) {
  depth = std::max(depth, level);
  for (auto& child : duckdb::ListValue::GetChildren(list)) {
    if (!child.IsNull() && child.type().id() == duckdb::LogicalTypeId::LIST) {
      Measure(child, elements, depth, level + 1);
    } else {
      ++elements;
    }
  }
}

// cardinality(array): every element of every dimension; array_ndims: the dimensions, NULL for
// an empty array (PostgreSQL's empty array has none).
template <bool kDimensions>
void ArrayMeasure(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  for (idx_t row = 0; row < args.size(); ++row) {
    duckdb::Value list = args.data[0].GetValue(row);
    if (list.IsNull()) {
      result.SetValue(row, duckdb::Value(result.GetType()));
      continue;
    }
    int64_t elements = 0;
    int32_t depth = 0;
    Measure(list, elements, depth, 1);
    if (kDimensions) {
      result.SetValue(
          row, elements == 0 ? duckdb::Value(LogicalType::INTEGER) : duckdb::Value::INTEGER(depth));
    } else {
      result.SetValue(row, duckdb::Value::INTEGER(static_cast<int32_t>(elements)));
    }
  }
  if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

// width_bucket(operand, low, high, count), PostgreSQL's width_bucket_float8.
void WidthBucket(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  for (idx_t row = 0; row < args.size(); ++row) {
    duckdb::Value v[4];
    bool null = false;
    for (int i = 0; i < 4; ++i) {
      v[i] = args.data[i].GetValue(row);
      null |= v[i].IsNull();
    }
    if (null) {
      result.SetValue(row, duckdb::Value(LogicalType::INTEGER));
      continue;
    }
    double operand = v[0].GetValue<double>(), low = v[1].GetValue<double>(),
           high = v[2].GetValue<double>();
    int32_t count = v[3].GetValue<int32_t>();
    if (count <= 0) ThrowError(Error("2201G", "count must be greater than zero"));
    if (std::isnan(operand) || std::isnan(low) || std::isnan(high)) {
      ThrowError(Error("2201G", "operand, lower bound, and upper bound cannot be NaN"));
    }
    if (!std::isfinite(low) || !std::isfinite(high)) {
      ThrowError(Error("2201G", "lower and upper bounds must be finite"));
    }
    if (low == high) ThrowError(Error("2201G", "lower bound cannot equal upper bound"));
    int32_t bucket;
    if (low < high) {
      if (operand < low) {
        bucket = 0;
      } else if (operand >= high) {
        if (count == INT32_MAX) ThrowError(Error("22003", "integer out of range"));
        bucket = count + 1;
      } else {
        bucket = static_cast<int32_t>(count * ((operand - low) / (high - low))) + 1;
      }
    } else {
      if (operand > low) {
        bucket = 0;
      } else if (operand <= high) {
        if (count == INT32_MAX) ThrowError(Error("22003", "integer out of range"));
        bucket = count + 1;
      } else {
        bucket = static_cast<int32_t>(count * ((low - operand) / (low - high))) + 1;
      }
    }
    result.SetValue(row, duckdb::Value::INTEGER(bucket));
  }
  if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

// num_nulls(...) / num_nonnulls(...): any number of arguments of any types.
template <bool kNulls>
void CountNulls(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  for (idx_t row = 0; row < args.size(); ++row) {
    int32_t nulls = 0;
    for (idx_t col = 0; col < args.ColumnCount(); ++col) {
      nulls += args.data[col].GetValue(row).IsNull();
    }
    int32_t answer = kNulls ? nulls : static_cast<int32_t>(args.ColumnCount()) - nulls;
    result.SetValue(row, duckdb::Value::INTEGER(answer));
  }
  if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

duckdb::ScalarFunction NullCounter(duckdb::scalar_function_t fn) {
  duckdb::ScalarFunction f({LogicalType::ANY}, LogicalType::INTEGER, fn);  // one or more
  f.varargs = LogicalType::ANY;
  f.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
  return f;
}

void Register(duckdb::ClientContext& context) {
  const auto T = LogicalType::VARCHAR, I = LogicalType::INTEGER, B = LogicalType::BLOB,
             D = LogicalType::DOUBLE;
  auto any_list = LogicalType::LIST(LogicalType::ANY);
  AddSystemScalarOverloads(context, "octet_length", {duckdb::ScalarFunction({T}, I, OctetLength)});
  AddSystemScalarOverloads(context, "length", {duckdb::ScalarFunction({B}, I, OctetLength)});
  AddSystemScalarOverloads(context, "lpad",
                           {duckdb::ScalarFunction({T, I}, T, PadWithBlanks<true>)});
  AddSystemScalarOverloads(context, "rpad",
                           {duckdb::ScalarFunction({T, I}, T, PadWithBlanks<false>)});
  AddSystemScalarOverloads(context, "get_byte", {duckdb::ScalarFunction({B, I}, I, GetByte)});
  AddSystemScalarOverloads(context, "cardinality",
                           {duckdb::ScalarFunction({any_list}, I, ArrayMeasure<false>)});
  AddSystemScalarOverloads(context, "array_ndims",
                           {duckdb::ScalarFunction({any_list}, I, ArrayMeasure<true>)});
  AddSystemScalarOverloads(context, "width_bucket",
                           {duckdb::ScalarFunction({D, D, D, I}, I, WidthBucket)});
  AddSystemScalarOverloads(context, "overlay",
                           {duckdb::ScalarFunction({T, T, I, I}, T, Overlay),
                            duckdb::ScalarFunction({T, T, I}, T, Overlay)});
  AddSystemScalarOverloads(context, "set_byte", {duckdb::ScalarFunction({B, I, I}, B, SetByte)});
  AddSystemScalarOverloads(
      context, "substring",
      {duckdb::ScalarFunction({B, LogicalType::BIGINT, LogicalType::BIGINT}, B, ByteaSubstr),
       duckdb::ScalarFunction({B, LogicalType::BIGINT}, B, ByteaSubstr)});
  AddSystemScalarOverloads(context, "convert_to", {duckdb::ScalarFunction({T, T}, B, ConvertTo)});
  duckdb::ScalarFunction sleep({D}, T, PgSleep);
  sleep.stability = duckdb::FunctionStability::VOLATILE;  // runs when the statement runs
  sleep.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
  AddSystemScalarOverloads(context, "pg_sleep", {sleep});
  AddSystemScalarOverloads(context, "num_nulls", {NullCounter(CountNulls<true>)});
  AddSystemScalarOverloads(context, "num_nonnulls", {NullCounter(CountNulls<false>)});
}

}  // namespace

Status InstallPgMissingFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "PostgreSQL functions DuckDB lacks", Register);
}

}  // namespace augur::engine
