// progress_api_test.cpp: the body of GET /api/progress for each state of a statement: not
// running, running without DuckDB's estimate, running with one, waiting for a lock, and a wall
// clock that stepped back.
#include "http/progress_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace augur::http {
namespace {

namespace json = boost::json;
using Outcome = RunningQueries::Progress::Outcome;
using std::chrono::milliseconds;

json::object Body(const RunningQueries::Progress& progress,
                  std::chrono::system_clock::time_point now) {
  return json::parse(ProgressBody(progress, now)).as_object();
}

RunningQueries::Progress Running(std::chrono::system_clock::time_point start) {
  RunningQueries::Progress progress;
  progress.outcome = Outcome::kRunning;
  progress.session.active = true;
  progress.session.statement_start = start;
  return progress;
}

TEST(ProgressBody, NotRunningSaysOnlyThat) {
  RunningQueries::Progress progress;  // kNotRunning
  EXPECT_EQ(ProgressBody(progress, std::chrono::system_clock::now()), R"({"running":false})");
  progress.outcome = Outcome::kNotYours;  // the handler answers 403 first; never figures
  EXPECT_EQ(ProgressBody(progress, std::chrono::system_clock::now()), R"({"running":false})");
}

TEST(ProgressBody, RunningWithAnEstimate) {
  auto start = std::chrono::system_clock::now();
  auto progress = Running(start);
  progress.statement = 2;
  progress.statements = 3;
  progress.session.percent = 25.0;
  progress.session.rows_processed = 250;
  progress.session.rows_total = 1000;
  auto body = Body(progress, start + milliseconds(3000));
  EXPECT_EQ(body.at("running"), true);
  EXPECT_EQ(body.at("statement"), 2);
  EXPECT_EQ(body.at("statements"), 3);
  EXPECT_EQ(body.at("elapsed_ms"), 3000);
  EXPECT_EQ(body.at("progress"), 25.0);
  EXPECT_EQ(body.at("rows_processed"), 250);
  EXPECT_EQ(body.at("rows_total"), 1000);
  EXPECT_EQ(body.at("remaining_ms"), 9000);  // three quarters more at a quarter per 3 s
  EXPECT_FALSE(body.contains("waiting"));
}

TEST(ProgressBody, NoEstimateGivesNulls) {
  auto start = std::chrono::system_clock::now();
  auto body = Body(Running(start), start + milliseconds(1500));  // a scan of range()
  EXPECT_EQ(body.at("elapsed_ms"), 1500);
  EXPECT_TRUE(body.at("progress").is_null());
  EXPECT_TRUE(body.at("rows_processed").is_null());
  EXPECT_TRUE(body.at("rows_total").is_null());
  EXPECT_TRUE(body.at("remaining_ms").is_null());
}

TEST(ProgressBody, BetweenStatementsThereAreNoFigures) {
  auto progress = Running(std::chrono::system_clock::now());
  progress.session.active = false;  // a script between two statements
  progress.session.percent = 40.0;  // stale: not shown
  auto body = Body(progress, std::chrono::system_clock::now());
  EXPECT_EQ(body.at("running"), true);
  EXPECT_TRUE(body.at("elapsed_ms").is_null());
  EXPECT_TRUE(body.at("progress").is_null());
}

TEST(ProgressBody, WaitingForALockSaysWhat) {
  auto start = std::chrono::system_clock::now();
  auto progress = Running(start);
  progress.session.wait_event = "transactionid";
  auto body = Body(progress, start + milliseconds(10));
  EXPECT_EQ(body.at("waiting"), "transactionid");
}

TEST(ProgressBody, AClockThatSteppedBackCountsAsNoTime) {
  auto start = std::chrono::system_clock::now();
  auto progress = Running(start);
  progress.session.percent = 50.0;
  auto body = Body(progress, start - milliseconds(5000));
  EXPECT_EQ(body.at("elapsed_ms"), 0);
  EXPECT_TRUE(body.at("remaining_ms").is_null());  // nothing to go on
}

}  // namespace
}  // namespace augur::http
