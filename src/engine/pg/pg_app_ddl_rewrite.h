// pg_app_ddl_rewrite.h: the DDL that ORMs emit (Django's migrate, SQLAlchemy's create_all) and
// DuckDB's parser or catalog refuses, rewritten on tokens before parsing:
//  - serial/bigserial/smallserial and GENERATED ... AS IDENTITY columns: a sequence named as
//    PostgreSQL names it (<table>_<column>_seq) and a nextval() default;
//  - CREATE SEQUENCE with CACHE, AS type or OWNED BY: the options DuckDB lacks are dropped;
//  - ALTER TABLE ... ADD CONSTRAINT ... UNIQUE: a unique index of the constraint's name;
//  - ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY: recorded for augur to enforce
//    (ddl/foreign_key_rewrite.h); ADD CONSTRAINT ... CHECK: handed to the session;
//  - CREATE INDEX ... USING btree and operator classes (varchar_pattern_ops): DuckDB's index.
//
// A statement that becomes several, or must report PostgreSQL's tag for another statement,
// becomes `SET augur.ddl = '<tag>\n<statements>'`; the session runs the statements in one
// transaction and reports the tag (pg_app_ddl.cpp).
#pragma once

#include <string>
#include <string_view>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

// The prefix of the setting the session answers as application DDL.
inline constexpr std::string_view kAppDdlSetting = "augur.ddl";
// `SET augur.add_check = '<schema>\n<table>\nCHECK (...)'`: ALTER TABLE ... ADD CHECK, which
// the session carries out by rebuilding the table (ddl/add_check.cpp).
inline constexpr std::string_view kAddCheckSetting = "augur.add_check";

// `SET augur.ddl = '<tag>\n<statements>'`: statements run in one transaction, answered with `tag`.
std::string AppDdl(std::string_view tag, std::string_view statements);

// True, with the replacement in `out`, when `s` is application DDL that needs rewriting.
bool RewriteApplicationDdl(const LexedStatement& s, std::string& out);

}  // namespace augur::engine
