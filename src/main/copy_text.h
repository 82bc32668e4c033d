// copy_text.h: rows in PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash
// escapes), as `augur import` streams them to the server with COPY ... FROM STDIN.
#pragma once

#include <string>

#include "augur/engine.h"

namespace augur {

// Appends every row of `rows` to `out`, each ending with a newline.
void AppendCopyText(const RowBatch& rows, std::string& out);

}  // namespace augur
