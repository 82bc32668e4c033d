// pg_rewrite_test.cpp: each rewrite, and text that must pass through untouched.
#include "engine/pg/pg_rewrite.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "augur/engine.h"

namespace augur::engine {
namespace {

TEST(PgRewrite, LeavesOrdinaryTextAlone) {
  for (const char* sql :
       {"SELECT 1", "select 'a;b', \"x;y\" from t; select 2", "SELECT $$DROP TABLE a, b$$",
        "-- DROP TABLE a, b\nSELECT 1", "DROP TABLE a", "TRUNCATE t", "BEGIN", "BEGIN TRANSACTION",
        "COPY t FROM STDIN (FORMAT csv)", "SELECT E'it\\'s; DROP TABLE a, b'"}) {
    EXPECT_EQ(RewriteForDuckDB(sql), sql);
  }
}

TEST(PgRewrite, MultiObjectDrop) {
  // One statement per object, run together and answered with one tag (pg_app_ddl.cpp).
  EXPECT_EQ(RewriteForDuckDB("drop table if exists a, s.b, \"C\" cascade"),
            "SET augur.ddl = 'DROP TABLE\ndrop table if exists a CASCADE; drop table if exists "
            "s.b CASCADE; drop table if exists \"C\" CASCADE'");
  EXPECT_EQ(RewriteForDuckDB("DROP VIEW v1, v2;SELECT 1"),
            "SET augur.ddl = 'DROP VIEW\nDROP VIEW v1; DROP VIEW v2';SELECT 1");
}

TEST(PgRewrite, TruncateListsAndOptions) {
  EXPECT_EQ(RewriteForDuckDB("truncate table a, b"), "TRUNCATE a; TRUNCATE b");
  EXPECT_EQ(RewriteForDuckDB("TRUNCATE t RESTART IDENTITY CASCADE"), "TRUNCATE t");
}

TEST(PgRewrite, TransactionModes) {
  EXPECT_EQ(RewriteForDuckDB("BEGIN ISOLATION LEVEL REPEATABLE READ"), "BEGIN TRANSACTION");
  EXPECT_EQ(RewriteForDuckDB("start transaction isolation level serializable, read only"),
            "BEGIN TRANSACTION READ ONLY");
  EXPECT_EQ(RewriteForDuckDB("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
            "SET augur.transaction_modes = 'ISOLATION LEVEL READ COMMITTED'");
  EXPECT_EQ(RewriteForDuckDB("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"),
            "SET augur.transaction_modes = 'READ WRITE'");
}

TEST(PgRewrite, PoolHousekeeping) {
  EXPECT_EQ(RewriteForDuckDB("RESET ALL"), "RESET \"all\"");
  EXPECT_EQ(RewriteForDuckDB("discard all"), "SET augur.discard = 'all'");
  EXPECT_EQ(RewriteForDuckDB("UNLISTEN *"), "SET augur.unlisten = ''");
  EXPECT_EQ(RewriteForDuckDB("DEALLOCATE ALL"), "SET augur.deallocate = 'ALL'");
  EXPECT_EQ(RewriteForDuckDB("deallocate prepare _pg3_1"), "SET augur.deallocate = '_pg3_1'");
  EXPECT_EQ(RewriteForDuckDB("DEALLOCATE \"Mixed\""), "SET augur.deallocate = 'Mixed'");
}

TEST(PgRewrite, CursorStatementsTravelAsText) {
  EXPECT_EQ(RewriteForDuckDB("DECLARE \"c\" CURSOR WITHOUT HOLD FOR SELECT 'it''s'"),
            "SET augur.cursor = 'DECLARE \"c\" CURSOR WITHOUT HOLD FOR SELECT ''it''''s'''");
  EXPECT_EQ(RewriteForDuckDB("FETCH FORWARD 2000 FROM \"c\""),
            "SET augur.cursor = 'FETCH FORWARD 2000 FROM \"c\"'");
  EXPECT_EQ(RewriteForDuckDB("close all"), "SET augur.cursor = 'close all'");
  EXPECT_EQ(RewriteForDuckDB("MOVE 3 IN c"), "SET augur.cursor = 'MOVE 3 IN c'");
  // DECLARE without CURSOR is not ours.
  EXPECT_EQ(RewriteForDuckDB("DECLARE x INT"), "DECLARE x INT");
}

TEST(PgRewrite, ListenNotify) {
  EXPECT_EQ(RewriteForDuckDB("LISTEN Jobs"), "SET augur.listen = 'jobs'");
  EXPECT_EQ(RewriteForDuckDB("listen \"Mixed \"\"q\"\"\""), "SET augur.listen = 'Mixed \"q\"'");
  EXPECT_EQ(RewriteForDuckDB("UNLISTEN jobs"), "SET augur.unlisten = 'jobs'");
  EXPECT_EQ(RewriteForDuckDB("NOTIFY jobs"), "SET augur.notify = '4:jobs'");
  EXPECT_EQ(RewriteForDuckDB("NOTIFY jobs, 'it''s'"), "SET augur.notify = '4:jobsit''s'");
  EXPECT_EQ(RewriteForDuckDB("NOTIFY c, $$x$$"), "SET augur.notify = '1:cx'");
  EXPECT_EQ(RewriteForDuckDB("LISTEN " + std::string(100, 'a')),
            "SET augur.listen = '" + std::string(63, 'a') + "'");
  EXPECT_EQ(RewriteForDuckDB("NOTIFY"), "NOTIFY");  // left for DuckDB's syntax error
}

TEST(PgRewrite, RowLockingClauses) {
  std::vector<RowLockClause> locks;
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM jobs FOR UPDATE", &locks), "SELECT * FROM jobs  ");
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].wait, RowLockClause::Wait::kBlock);
  EXPECT_EQ(locks[0].relation, "jobs");
  EXPECT_EQ(locks[0].offset, 19u);
  locks.clear();
  EXPECT_EQ(RewriteForDuckDB("SELECT 1; select id from s.q limit 1 for no key update of q skip "
                             "locked",
                             &locks),
            "SELECT 1; select id from s.q limit 1  ");
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].wait, RowLockClause::Wait::kSkipLocked);
  EXPECT_EQ(locks[0].relation, "q");
  EXPECT_GT(locks[0].offset, 9u);
  locks.clear();
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM t FOR SHARE NOWAIT LIMIT 2", &locks),
            "SELECT * FROM t  LIMIT 2");
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].wait, RowLockClause::Wait::kNowait);
  locks.clear();
  EXPECT_EQ(
      RewriteForDuckDB("UPDATE j SET a = 1 WHERE id = (SELECT id FROM j FOR KEY SHARE)", &locks),
      "UPDATE j SET a = 1 WHERE id = (SELECT id FROM j  )");
  EXPECT_EQ(locks.size(), 1u);
  locks.clear();
  for (const char* sql :
       {"SELECT substring('abc' FROM 1 FOR 2)", "SELECT 'FOR UPDATE'", "SELECT 1 -- FOR UPDATE"}) {
    EXPECT_EQ(RewriteForDuckDB(sql, &locks), sql);
  }
  EXPECT_TRUE(locks.empty());
}

TEST(PgRewrite, CopyOptions) {
  EXPECT_EQ(RewriteForDuckDB("copy pgbench_accounts from stdin with (freeze on)"),
            "copy pgbench_accounts from stdin ");
  EXPECT_EQ(RewriteForDuckDB("COPY t FROM STDIN (FORMAT csv, FREEZE)"),
            "COPY t FROM STDIN (FORMAT csv)");
  EXPECT_EQ(RewriteForDuckDB("COPY t TO STDOUT (FORMAT binary)"),
            "COPY t TO STDOUT (FORMAT 'binary')");
}

TEST(PgRewrite, SingleColumnFunctionAliasNamesTheColumn) {
  EXPECT_EQ(RewriteForDuckDB("select bid, 0 from generate_series(1, 2) as bid"),
            "select bid, 0 from generate_series(1, 2) as bid(bid)");
  EXPECT_EQ(RewriteForDuckDB("SELECT x FROM unnest(ARRAY[1,2]) x WHERE x > 1"),
            "SELECT x FROM unnest(ARRAY[1,2]) x(x) WHERE x > 1");
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM generate_series(1, 3) AS g(n)"),
            "SELECT * FROM generate_series(1, 3) AS g(n)");
  EXPECT_EQ(RewriteForDuckDB("SELECT unnest(ix.indkey) attnum FROM pg_index ix"),
            "SELECT unnest(ix.indkey) attnum FROM pg_index ix");
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM generate_series(1, 3) WHERE true"),
            "SELECT * FROM generate_series(1, 3) WHERE true");
}

TEST(PgRewrite, ScalarFunctionInFromIsAOneRowTable) {
  // Grafana's search_path walk.
  EXPECT_EQ(RewriteForDuckDB("SELECT s[i] FROM generate_series(1, 2) as i, "
                             "string_to_array(current_setting('search_path'),',') s"),
            "SELECT s[i] FROM generate_series(1, 2) as i(i), "
            "unnest([string_to_array(current_setting('search_path'),',')]) s(s)");
  // In a select list or a function's arguments it stays a scalar call.
  EXPECT_EQ(RewriteForDuckDB("SELECT a, string_to_array(b, ',') parts FROM t"),
            "SELECT a, string_to_array(b, ',') parts FROM t");
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM t WHERE f(a, string_to_array(b, ',') ) IS NULL"),
            "SELECT * FROM t WHERE f(a, string_to_array(b, ',') ) IS NULL");
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM t ORDER BY a, string_to_array(b, ',') DESC"),
            "SELECT * FROM t ORDER BY a, string_to_array(b, ',') DESC");
  // Unbalanced: left alone for DuckDB to refuse.
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM t, string_to_array(b, ','"),
            "SELECT * FROM t, string_to_array(b, ','");
}

TEST(PgRewrite, CatalogIdiomsOfPsql) {
  EXPECT_EQ(RewriteForDuckDB("WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE "
                             "pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid)"),
            "WHERE c.relname ~ '^(t)$'  AND pg_table_is_visible(c.oid)");
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 WHERE n.nspname !~ '^pg_' AND x ~ 'mid'"),
            "SELECT 1 WHERE n.nspname !~ '^pg_.*' AND x ~ '.*mid.*'");
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 WHERE a ~* 'Mid' AND b !~* '^x$'"),
            "SELECT 1 WHERE a ~ '(?i).*Mid.*' AND b !~ '(?i)^x$'");
  EXPECT_EQ(RewriteForDuckDB("SELECT pg_catalog.pg_class.oid FROM pg_catalog.pg_class"),
            "SELECT pg_catalog.pg_class.oid FROM pg_catalog.pg_class");
}

TEST(PgRewrite, EqualsAnyArrayBecomesListContains) {
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 FROM a LEFT JOIN b ON a.attnum = ANY(ix.indkey)"),
            "SELECT 1 FROM a LEFT JOIN b ON list_contains(ix.indkey, a.attnum)");
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 WHERE x = ANY(SELECT y FROM t)"),
            "SELECT 1 WHERE x = ANY(SELECT y FROM t)");
}

TEST(PgRewrite, RegTypeCasts) {
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM pg_attribute WHERE attrelid = 'public.t'::regclass"),
            "SELECT * FROM pg_attribute WHERE attrelid = coalesce((SELECT oid FROM "
            "pg_catalog.pg_class WHERE relname = 't' LIMIT 1), "
            "pg_catalog.augur_undefined_relation('public.t'))");
  EXPECT_EQ(
      RewriteForDuckDB(
          "SELECT c.oid::pg_catalog.regclass, c.reloftype::pg_catalog.regtype::pg_catalog.text"),
      "SELECT (SELECT relname FROM pg_catalog.pg_class WHERE oid = c.oid LIMIT 1), "
      "format_type(c.reloftype, NULL)::text");
  // PostgreSQL's own catalogs have fixed OIDs (pg_description.classoid holds them).
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 WHERE d.classoid = 'pg_class'::regclass"),
            "SELECT 1 WHERE d.classoid = 1259");
  EXPECT_EQ(RewriteForDuckDB("SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass"),
            "SELECT 3079");
  EXPECT_EQ(RewriteForDuckDB("SELECT 1 WHERE confrelid = '16384'::pg_catalog.regclass"),
            "SELECT 1 WHERE confrelid = 16384");
  EXPECT_EQ(RewriteForDuckDB("SELECT x::oid, y::name"), "SELECT x::BIGINT, y::VARCHAR");
  // CAST(... AS ...) spellings (Metabase's column comments).
  EXPECT_EQ(RewriteForDuckDB("SELECT CAST(CAST(FORMAT('%I.%I', CAST(s AS TEXT), CAST(t AS TEXT)) "
                             "AS REGCLASS) AS OID)"),
            "SELECT CAST(pg_catalog.augur_regclass_oid(CAST(FORMAT('%I.%I', CAST(s AS TEXT), "
            "CAST(t AS TEXT)) AS VARCHAR)) AS BIGINT)");
  EXPECT_EQ(RewriteForDuckDB("SELECT CAST('public.t' AS regclass), CAST(c.oid AS regclass)"),
            "SELECT coalesce((SELECT oid FROM pg_catalog.pg_class WHERE relname = 't' LIMIT 1), "
            "pg_catalog.augur_undefined_relation('public.t')), "
            "(SELECT relname FROM pg_catalog.pg_class WHERE oid = c.oid LIMIT 1)");
  EXPECT_EQ(RewriteForDuckDB("SELECT CAST(x AS pg_catalog.oid), CAST(y AS name)"),
            "SELECT CAST(x AS BIGINT), CAST(y AS VARCHAR)");
  // An alias named oid is not a cast.
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM (SELECT 1 AS oid) t"),
            "SELECT * FROM (SELECT 1 AS oid) t");
  // Unbalanced: left for DuckDB to refuse.
  EXPECT_EQ(RewriteForDuckDB("SELECT CAST(f(x) AS REGCLASS"), "SELECT CAST(f(x) AS REGCLASS");
  EXPECT_EQ(RewriteForDuckDB("SELECT ix.indkey::varchar FROM pg_index ix"),
            "SELECT array_to_string(ix.indkey, ' ') FROM pg_index ix");
  EXPECT_EQ(RewriteForDuckDB("SELECT 1::integer"), "SELECT 1::integer");
}

TEST(PgRewrite, CanonicalSqlCollapsesOnlyWhatDoesNotMatter) {
  EXPECT_EQ(CanonicalSql("SELECT   v\n FROM t  -- note\n WHERE k=$1"),
            "SELECT v FROM t WHERE k=$1");
  EXPECT_EQ(CanonicalSql("SELECT /* a */ 'x   y'  ,  \"A  B\""), "SELECT 'x   y' , \"A  B\"");
  EXPECT_EQ(CanonicalSql(" SELECT 1 ;  SELECT 2 ; "), "SELECT 1; SELECT 2");
  // Whitespace between tokens that touch changes the meaning: it stays.
  EXPECT_NE(CanonicalSql("SELECT 1.5"), CanonicalSql("SELECT 1. 5"));
  EXPECT_NE(CanonicalSql("SELECT a-1"), CanonicalSql("SELECT a- -1"));
}

// A '$' followed by a letter with no closing '$' once took the process down (substr past the
// end); every prefix of such text must lex and rewrite.
TEST(PgRewrite, UnterminatedDollarTagIsPunctuation) {
  for (std::string sql : {"SELECT $x", "select 1;$a", "$", "$a", "$$", "$a$", "$a$ b", "x$"}) {
    for (size_t n = 0; n <= sql.size(); ++n) {
      std::string prefix = sql.substr(0, n);
      EXPECT_NO_THROW(RewriteForDuckDB(prefix)) << prefix;
    }
  }
  EXPECT_EQ(RewriteForDuckDB("SELECT $x"), "SELECT $x");
}

}  // namespace
}  // namespace augur::engine

namespace augur::engine {
namespace {

// Found by the sql fuzz target: an unbalanced column list after unnest(a, b) made the
// multi-unnest rewrite read past the last token.
TEST(PgRewrite, UnbalancedUnnestAliasIsLeftToDuckDb) {
  const std::string sql = "SELECT * FROM unnest(ARRAY[1,2]est(ARRAY[1,2])te_series ,)g(21 ON true";
  EXPECT_EQ(RewriteForDuckDB(sql), sql);
  EXPECT_EQ(RewriteForDuckDB("SELECT * FROM unnest(a, b) t(x"), "SELECT * FROM unnest(a, b) t(x");
}

}  // namespace
}  // namespace augur::engine
