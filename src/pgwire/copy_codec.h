// copy_codec.h: COPY data in PostgreSQL's text and csv formats, in both directions.
//
// Out: rows (as text cells) become COPY lines. In: the client's lines, which may be split across
// CopyData messages anywhere, become one normalized CSV stream that DuckDB loads with fixed
// options: every non-NULL value quoted, NULL an unquoted \N. Normalizing here keeps PostgreSQL's
// escape rules (text format's \t, \n, \\, \N, octal and hex escapes) out of DuckDB's CSV sniffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "augur/engine.h"

namespace augur::pgwire {

// Appends one row of `batch` as a COPY text or csv line (with its newline).
void AppendCopyRow(const RowBatch& batch, size_t row, const CopyFormat& format, std::string& out);
// The csv header line (column names), when HEADER was asked for.
void AppendCopyHeader(const std::vector<ColumnInfo>& columns, const CopyFormat& format,
                      std::string& out);

// COPY ... FROM STDIN (FORMAT binary): PostgreSQL's binary file format (signature, flags, header
// extension, then tuples of length-prefixed field values, ended by a -1 field count), decoded by
// column type into the same normalized CSV as CopyInConverter produces.
class BinaryCopyInConverter {
 public:
  explicit BinaryCopyInConverter(std::vector<uint32_t> column_types)
      : types_(std::move(column_types)) {}
  Status Feed(std::string_view data, std::string& out);
  Status Finish(std::string& out);
  uint64_t rows() const { return rows_; }

 private:
  // Decodes as many complete parts of buffer_ as there are; false when more bytes are needed.
  Result<bool> Step(std::string& out);

  std::vector<uint32_t> types_;
  std::string buffer_;
  size_t pos_ = 0;
  bool header_done_ = false;
  bool trailer_seen_ = false;
  uint64_t rows_ = 0;
};

class CopyInConverter {
 public:
  CopyInConverter(CopyFormat format, size_t column_count)
      : format_(std::move(format)), columns_(column_count) {}

  // Consumes client bytes and appends normalized CSV for every complete row. Fails with 22P04
  // (bad_copy_file_format) naming the line for a row with too many or too few columns.
  Status Feed(std::string_view data, std::string& out);
  // End of data: a last line without its newline still counts.
  Status Finish(std::string& out);
  uint64_t rows() const { return rows_; }

 private:
  Status EndField(bool quoted);
  Status EndRow(std::string& out);
  Status FeedText(char c, std::string& out);
  Status FeedCsv(char c, std::string& out);

  CopyFormat format_;
  size_t columns_;
  uint64_t line_ = 1;
  uint64_t rows_ = 0;
  bool header_skipped_ = false;
  bool done_ = false;  // saw the "\." end-of-data line
  // The row being assembled: each field either NULL or a value.
  std::vector<std::optional<std::string>> fields_;
  std::string field_;
  std::string raw_;  // text: the field as sent, before escapes; NULL is decided on it
  bool in_quotes_ = false;
  bool field_quoted_ = false;
  bool after_quote_ = false;   // csv: just saw a quote inside quotes (end, or an escaped quote)
  bool backslash_ = false;     // text: inside an escape sequence
  std::string escape_digits_;  // text: octal or hex digits of the escape so far
  char escape_kind_ = 0;       // text: 'o' octal, 'x' hex
  bool row_started_ = false;
};

}  // namespace augur::pgwire
