// pg_dump_rewrite.h: the statements pg_dump, pg_dumpall and pg_restore send, and the lines of the
// dumps they write, that DuckDB's parser refuses, rewritten on tokens before parsing:
//  - SET name = on (DuckDB reads ON as a keyword);
//  - ALTER {TABLE | SEQUENCE | VIEW | MATERIALIZED VIEW | SCHEMA | TYPE} x OWNER TO role:
//    accepted after checking that a table, view or sequence exists (augur records no owners);
//  - ALTER SEQUENCE s OWNED BY t.c | NONE: accepted (augur ties a sequence to the column whose
//    default draws from it, as DROP TABLE and pg_depend show);
//  - ALTER TABLE t ALTER [COLUMN] c ADD GENERATED ... AS IDENTITY (...): the sequence and a
//    nextval() default, as CREATE TABLE's identity columns are made (pg_app_ddl_rewrite.h);
//  - nextval('s'::regclass), setval(...), currval(...): the cast goes (DuckDB names sequences by
//    text); 'pg_class'::regclass and the other system catalogs' names: their fixed OIDs;
//  - LOCK [TABLE] t [IN mode MODE] [NOWAIT]: accepted after checking the tables exist (pg_dump
//    reads in one snapshot, which DuckDB's transaction already gives);
//  - PREPARE name(type, ...) AS ...: the parameter types go (DuckDB infers them);
//  - ::"char" casts become ::VARCHAR and '{1,2}'::oid[] becomes [1,2]::BIGINT[].
//
// Rules that end as several statements use application DDL's `SET augur.ddl` form
// (pg_app_ddl_rewrite.h), so the client sees PostgreSQL's command tag.
#pragma once

#include <string>
#include <string_view>

namespace augur::engine {

// Returns `sql` with the statements above rewritten; unchanged when none is.
std::string RewriteDumpStatements(std::string_view sql);

}  // namespace augur::engine
