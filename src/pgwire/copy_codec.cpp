// copy_codec.cpp: follows PostgreSQL's CopyReadAttributesText / CopyReadAttributesCSV and
// CopyAttributeOutText / CopyAttributeOutCSV (src/backend/commands/copyfrom*.c, copyto.c).
#include "pgwire/copy_codec.h"

#include <fmt/format.h>

#include "common/backslash_escapes.h"
#include "common/sql_quoting.h"
#include "pgwire/binary_values.h"

namespace augur::pgwire {
namespace {

void AppendTextEscaped(std::string_view value, char delimiter, std::string& out) {
  for (char c : value) {
    if (char letter = BackslashEscapeLetter(c)) {
      out.push_back('\\');
      out.push_back(letter);
    } else if (c == '\v') {
      out += "\\v";
    } else {
      if (c == '\\' || c == delimiter) out.push_back('\\');
      out.push_back(c);
    }
  }
}

void AppendCsvField(std::string_view value, const CopyFormat& f, bool force_quote,
                    std::string& out) {
  bool quote = force_quote || value.empty() || value == f.null_string;
  for (char c : value) {
    if (c == f.delimiter || c == f.quote || c == '\n' || c == '\r') quote = true;
  }
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back(f.quote);
  for (char c : value) {
    if (c == f.quote || c == f.escape) out.push_back(f.escape);
    out.push_back(c);
  }
  out.push_back(f.quote);
}

void AppendNormalizedCsv(const std::optional<std::string>& value, std::string& out) {
  if (!value) {
    out += "\\N";
    return;
  }
  AppendEnclosed(out, *value, '"');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void AppendCopyRow(const RowBatch& batch, size_t row, const CopyFormat& format, std::string& out) {
  bool csv = format.kind == CopyFormat::Kind::kCsv;
  for (size_t c = 0; c < batch.columns(); ++c) {
    if (c > 0) out.push_back(format.delimiter);
    auto cell = batch.cell(row, c);
    if (!cell) {
      out += format.null_string;
    } else if (csv) {
      AppendCsvField(*cell, format, false, out);
    } else {
      AppendTextEscaped(*cell, format.delimiter, out);
    }
  }
  out.push_back('\n');
}

void AppendCopyHeader(const std::vector<ColumnInfo>& columns, const CopyFormat& format,
                      std::string& out) {
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out.push_back(format.delimiter);
    if (format.kind == CopyFormat::Kind::kCsv) {
      AppendCsvField(columns[c].name, format, false, out);
    } else {
      AppendTextEscaped(columns[c].name, format.delimiter, out);
    }
  }
  out.push_back('\n');
}

Status CopyInConverter::EndField(bool quoted) {
  // NULL is an unquoted csv field equal to the NULL string, or a text field whose raw bytes (before
  // escapes are decoded) are the NULL string: "\N" is NULL, "\\N" is the two characters \N.
  bool is_null = format_.kind == CopyFormat::Kind::kCsv ? !quoted && field_ == format_.null_string
                                                        : raw_ == format_.null_string;
  raw_.clear();
  if (is_null) {
    fields_.emplace_back(std::nullopt);
  } else {
    fields_.emplace_back(std::move(field_));
  }
  field_.clear();
  field_quoted_ = false;
  return {};
}

Status CopyInConverter::EndRow(std::string& out) {
  if (auto s = EndField(field_quoted_); !s) return s;
  uint64_t line = line_++;
  row_started_ = false;
  if (format_.header && !header_skipped_) {
    header_skipped_ = true;
    fields_.clear();
    return {};
  }
  if (fields_.size() != columns_) {
    const char* what = fields_.size() > columns_ ? "extra data after last expected column"
                                                 : "missing data for a column";
    size_t got = fields_.size();
    fields_.clear();
    return Error("22P04", fmt::format("{}", what))
        .WithDetail(fmt::format("COPY line {}: {} columns, expected {}", line, got, columns_));
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendNormalizedCsv(fields_[i], out);
  }
  out.push_back('\n');
  fields_.clear();
  ++rows_;
  return {};
}

Status CopyInConverter::FeedText(char c, std::string& out) {
  bool terminator = !backslash_ && (c == '\n' || c == '\r' || c == format_.delimiter);
  if (!terminator) raw_.push_back(c);
  if (backslash_) {
    if (escape_kind_ != 0) {
      bool digit = escape_kind_ == 'o' ? (c >= '0' && c <= '7') : HexValue(c) >= 0;
      size_t max = escape_kind_ == 'o' ? 3 : 2;
      if (digit && escape_digits_.size() < max) {
        escape_digits_.push_back(c);
        if (escape_digits_.size() < max) return {};
        c = 0;  // sequence complete; nothing left to reprocess
      }
      int value = 0;
      for (char d : escape_digits_) value = value * (escape_kind_ == 'o' ? 8 : 16) + HexValue(d);
      if (!escape_digits_.empty()) field_.push_back(static_cast<char>(value));
      backslash_ = false;
      escape_kind_ = 0;
      escape_digits_.clear();
      if (c == 0) return {};
      raw_.pop_back();          // reprocessing c appends it again
      return FeedText(c, out);  // the character that ended a short sequence
    }
    backslash_ = false;
    if (char escaped = BackslashEscapedChar(c)) {
      field_.push_back(escaped);
      return {};
    }
    switch (c) {
      case 'v':
        field_.push_back('\v');
        return {};
      case 'N':
        field_.push_back('N');  // NULL when the raw field is exactly the NULL string
        return {};
      case '.':
        if (!row_started_ || (fields_.empty() && field_.empty())) {
          done_ = true;  // "\." on a line of its own ends the data
          return {};
        }
        field_.push_back('.');
        return {};
      case 'x':
        escape_kind_ = 'x';
        backslash_ = true;
        return {};
      default:
        if (c >= '0' && c <= '7') {
          escape_kind_ = 'o';
          escape_digits_.push_back(c);
          backslash_ = true;
          return {};
        }
        field_.push_back(c);  // \\ and \<delimiter> and any other escaped character
        return {};
    }
  }
  if (c == '\\') {
    backslash_ = true;
    row_started_ = true;
    return {};
  }
  if (c == '\n') return EndRow(out);
  if (c == '\r') return {};  // \r\n line endings
  row_started_ = true;
  if (c == format_.delimiter) return EndField(false);
  field_.push_back(c);
  return {};
}

Status CopyInConverter::FeedCsv(char c, std::string& out) {
  if (in_quotes_) {
    if (after_quote_) {
      after_quote_ = false;
      if (c == format_.quote) {  // doubled quote: a literal quote
        field_.push_back(c);
        return {};
      }
      in_quotes_ = false;  // the quote closed the value; c is processed below
    } else if (c == format_.escape && format_.escape != format_.quote) {
      backslash_ = true;
      return {};
    } else if (backslash_) {
      backslash_ = false;
      field_.push_back(c);
      return {};
    } else if (c == format_.quote) {
      after_quote_ = format_.escape == format_.quote;
      if (!after_quote_) in_quotes_ = false;
      return {};
    } else {
      field_.push_back(c);
      return {};
    }
  }
  row_started_ = true;
  if (c == format_.quote) {
    in_quotes_ = true;
    field_quoted_ = true;
    return {};
  }
  if (c == '\n') return EndRow(out);
  if (c == '\r') return {};
  if (c == format_.delimiter) return EndField(field_quoted_);
  field_.push_back(c);
  return {};
}

Status CopyInConverter::Feed(std::string_view data, std::string& out) {
  bool csv = format_.kind == CopyFormat::Kind::kCsv;
  for (char c : data) {
    if (done_) return {};
    auto status = csv ? FeedCsv(c, out) : FeedText(c, out);
    if (!status) return status;
  }
  return {};
}

Status CopyInConverter::Finish(std::string& out) {
  if (after_quote_) {
    after_quote_ = false;
    in_quotes_ = false;
  }
  if (in_quotes_) {
    return Error("22P04", "unterminated CSV quoted field")
        .WithDetail(fmt::format("COPY line {}", line_));
  }
  if (!done_ && (row_started_ || !field_.empty() || !fields_.empty())) return EndRow(out);
  return {};
}

namespace {

constexpr std::string_view kBinarySignature("PGCOPY\n\xff\r\n\0", 11);

uint32_t LoadU32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

Error BadBinaryCopy(std::string_view why, uint64_t row) {
  return Error("22P04", fmt::format("invalid COPY binary data: {}", why))
      .WithDetail(fmt::format("COPY row {}", row + 1));
}

}  // namespace

Result<bool> BinaryCopyInConverter::Step(std::string& out) {
  std::string_view data(buffer_);
  data.remove_prefix(pos_);
  if (!header_done_) {
    if (data.size() < kBinarySignature.size() + 8) return false;
    if (data.substr(0, kBinarySignature.size()) != kBinarySignature) {
      return BadBinaryCopy("missing PGCOPY signature", rows_);
    }
    uint32_t extension = LoadU32(data.data() + kBinarySignature.size() + 4);
    size_t header = kBinarySignature.size() + 8 + extension;
    if (data.size() < header) return false;
    pos_ += header;
    header_done_ = true;
    return true;
  }
  if (trailer_seen_ || data.size() < 2) return false;
  int16_t fields = static_cast<int16_t>((static_cast<unsigned char>(data[0]) << 8) |
                                        static_cast<unsigned char>(data[1]));
  if (fields == -1) {
    trailer_seen_ = true;
    pos_ += 2;
    return false;
  }
  if (static_cast<size_t>(fields) != types_.size()) {
    return BadBinaryCopy(fmt::format("row has {} fields, expected {}", fields, types_.size()),
                         rows_);
  }
  // Parse the whole tuple before writing anything, so a tuple split across messages waits.
  size_t at = 2;
  std::string row;
  for (size_t f = 0; f < types_.size(); ++f) {
    if (data.size() < at + 4) return false;
    int32_t length = static_cast<int32_t>(LoadU32(data.data() + at));
    at += 4;
    if (f > 0) row.push_back(',');
    if (length == -1) {
      row += "\\N";
      continue;
    }
    if (length < 0) return BadBinaryCopy("negative field length", rows_);
    if (data.size() < at + static_cast<size_t>(length)) return false;
    auto text = BinaryParameterToText(types_[f], data.substr(at, static_cast<size_t>(length)));
    if (!text) {
      Error error = std::move(text).error();
      error.detail = fmt::format("COPY row {}, column {}", rows_ + 1, f + 1);
      return error;
    }
    at += static_cast<size_t>(length);
    row.push_back('"');
    for (char c : *text) {
      if (c == '"') row.push_back('"');
      row.push_back(c);
    }
    row.push_back('"');
  }
  out += row;
  out.push_back('\n');
  pos_ += at;
  ++rows_;
  return true;
}

Status BinaryCopyInConverter::Feed(std::string_view data, std::string& out) {
  buffer_.append(data);
  for (;;) {
    auto progressed = Step(out);
    if (!progressed) return std::move(progressed).error();
    if (!*progressed) break;
  }
  // Drop consumed bytes now and then so the buffer stays small.
  if (pos_ > (1u << 20)) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  return {};
}

Status BinaryCopyInConverter::Finish(std::string&) {
  if (!header_done_) return BadBinaryCopy("missing PGCOPY header", rows_);
  if (pos_ != buffer_.size() && !trailer_seen_) return BadBinaryCopy("truncated row", rows_);
  return {};
}

}  // namespace augur::pgwire
