// pg_error_wording_test.cpp: DuckDB's messages (1.4.4's wording, as the compat corpus met them)
// become PostgreSQL 15's SQLSTATE and message.
#include "engine/pg/pg_error_wording.h"

#include <gtest/gtest.h>

namespace augur::engine {
namespace {

Error Reworded(std::string sqlstate, std::string message) {
  return WithPostgresWording(Error(std::move(sqlstate), std::move(message)));
}

void ExpectReworded(const char* duckdb_message, const char* sqlstate, const char* message) {
  Error e = Reworded("42000", duckdb_message);
  EXPECT_EQ(e.sqlstate, sqlstate) << duckdb_message;
  EXPECT_EQ(e.message, message) << duckdb_message;
}

TEST(PgErrorWording, BinderErrors) {
  ExpectReworded("Ambiguous reference to column name \"id\" (use: \"a.id\" or \"b.id\")", "42702",
                 "column reference \"id\" is ambiguous");
  ExpectReworded("WHERE clause cannot contain aggregates!", "42803",
                 "aggregate functions are not allowed in WHERE");
  ExpectReworded(
      "column \"month\" must appear in the GROUP BY clause or must be part of an "
      "aggregate function.",
      "42803",
      "column \"month\" must appear in the GROUP BY clause or be used in an aggregate "
      "function");
  ExpectReworded("Table \"err_t\" does not have a column with name \"nope\"", "42703",
                 "column \"nope\" of relation \"err_t\" does not exist");
  ExpectReworded("table t has 3 columns but 4 values were supplied", "42601",
                 "INSERT has more expressions than target columns");
}

TEST(PgErrorWording, DataErrors) {
  ExpectReworded(
      "Type INT64 with value 2147483648 can't be cast because the value is out of "
      "range for the destination type INT32",
      "22003", "integer out of range");
  ExpectReworded(
      "Type INT32 with value 40000 can't be cast because the value is out of range "
      "for the destination type INT16",
      "22003", "smallint out of range");
  ExpectReworded(
      "Casting value \"123456789.12\" to type DECIMAL(10,2) failed: value is out of "
      "range!",
      "22003", "numeric field overflow");
  ExpectReworded("cannot take logarithm of zero", "2201E", "cannot take logarithm of zero");
  ExpectReworded("cannot take square root of a negative number", "2201F",
                 "cannot take square root of a negative number");
  ExpectReworded("date field value out of range: \"2023-02-29\"", "22008",
                 "date/time field value out of range: \"2023-02-29\"");
  ExpectReworded("invalid timestamp field format: \"not a date\", expected format is (YYYY)",
                 "22007", "invalid input syntax for type timestamp: \"not a date\"");
  ExpectReworded("Could not convert string 'one day' to INTERVAL", "22007",
                 "invalid input syntax for type interval: \"one day\"");
  ExpectReworded(
      "More than one row returned by a subquery used as an expression - scalar "
      "subqueries can only return a single row.",
      "21000", "more than one row returned by a subquery used as an expression");
}

TEST(PgErrorWording, CatalogErrors) {
  ExpectReworded("Schema with name err_no_schema does not exist!", "3F000",
                 "schema \"err_no_schema\" does not exist");
  ExpectReworded("Sequence with name seq_nope does not exist!", "42P01",
                 "relation \"seq_nope\" does not exist");
}

TEST(PgErrorWording, OtherMessagesStayAsTheyAre) {
  Error e = Reworded("22P02", "Could not convert string 'x' to INT32");
  EXPECT_EQ(e.sqlstate, "22P02");
  EXPECT_EQ(e.message, "Could not convert string 'x' to INT32");
}

}  // namespace
}  // namespace augur::engine
