// pg_error_wording.h: PostgreSQL's SQLSTATE and wording for errors DuckDB words its own way.
//
// Clients branch on SQLSTATE (an ORM turns 42702 into "ambiguous column", a migration tool
// retries on 55000), and people search the web for PostgreSQL's messages. error_translate.cpp
// maps DuckDB's exception types to SQLSTATE classes; the rules here recognize the messages
// where the class is not enough or the text is DuckDB's, and give PostgreSQL's instead.
#pragma once

#include "augur/error.h"

namespace augur::engine {

// `error` with PostgreSQL's SQLSTATE and message when its message is one the rules know;
// unchanged otherwise. Hint, detail and position are kept.
Error WithPostgresWording(Error error);

}  // namespace augur::engine
