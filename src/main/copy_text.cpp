// copy_text.cpp: see copy_text.h. The escapes are PostgreSQL's (copyfromparse.c reads them):
// backslash, tab, newline and carriage return are the ones that would break a row apart.
#include "main/copy_text.h"

namespace augur {
namespace {

void AppendEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

void AppendCopyText(const RowBatch& rows, std::string& out) {
  for (size_t r = 0; r < rows.rows(); ++r) {
    for (size_t c = 0; c < rows.columns(); ++c) {
      if (c > 0) out.push_back('\t');
      auto cell = rows.cell(r, c);
      if (cell) {
        AppendEscaped(*cell, out);
      } else {
        out += "\\N";
      }
    }
    out.push_back('\n');
  }
}

}  // namespace augur
