// authorization_test.cpp: the Authorization header as the server reads it, and the /api/query
// body decoder, both without a socket or a database.
#include "http/authorization.h"

#include <gtest/gtest.h>

#include "http/query_api.h"

namespace augur::http {
namespace {

using Scheme = Authorization::Scheme;

TEST(ParseAuthorization, Schemes) {
  EXPECT_EQ(ParseAuthorization("").scheme, Scheme::kNone);
  auto bearer = ParseAuthorization("Bearer augur_0123_secret");
  EXPECT_EQ(bearer.scheme, Scheme::kBearer);
  EXPECT_EQ(bearer.token, "augur_0123_secret");
  auto basic = ParseAuthorization("Basic YWxpY2U6b3BlbjpzZXNhbWU=");  // alice:open:sesame
  EXPECT_EQ(basic.scheme, Scheme::kBasic);
  EXPECT_EQ(basic.user, "alice");
  EXPECT_EQ(basic.password, "open:sesame");
  EXPECT_EQ(ParseAuthorization("Basic YWxpY2U=").scheme, Scheme::kBadBasic);  // no colon
  EXPECT_EQ(ParseAuthorization("Basic !!!!").scheme, Scheme::kBadBasic);
  // Scheme names are case-insensitive (RFC 9110 11.1).
  EXPECT_EQ(ParseAuthorization("bearer x").scheme, Scheme::kBearer);
  EXPECT_EQ(ParseAuthorization("BEARER x").token, "x");
  EXPECT_EQ(ParseAuthorization("bAsIc YWxpY2U6b3BlbjpzZXNhbWU=").user, "alice");
  EXPECT_EQ(ParseAuthorization("Bearerx").scheme, Scheme::kUnsupported);
  EXPECT_EQ(ParseAuthorization("Digest x").scheme, Scheme::kUnsupported);
}

// "Basic ====" threw std::length_error out of Unbase64 (tests/fuzz/corpus/http/
// crash-basic-padding), which ended the connection's coroutine before its cleanup: the server's
// set of open sockets kept a pointer to the destroyed socket, and the sessions gauge stayed up.
TEST(ParseAuthorization, BasicWithOnlyPaddingIsMalformed) {
  EXPECT_EQ(ParseAuthorization("Basic ====").scheme, Scheme::kBadBasic);
  EXPECT_EQ(ParseAuthorization("Basic A===").scheme, Scheme::kBadBasic);
}

TEST(DecodeQueryRequest, FieldsAndErrors) {
  auto request = DecodeQueryRequest(
      R"({"sql": "SELECT $1, $2", "params": [1, null, true, "x", {"a": 1}], "limit": 5,
          "format": "csv"})");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->sql, "SELECT $1, $2");
  ASSERT_EQ(request->params.size(), 5u);
  EXPECT_EQ(request->params[0], "1");
  EXPECT_FALSE(request->params[1]);
  EXPECT_EQ(request->params[2], "true");
  EXPECT_EQ(request->params[3], "x");
  EXPECT_EQ(request->params[4], R"({"a":1})");
  EXPECT_EQ(request->limit, 5);
  EXPECT_EQ(request->format, QueryStream::Format::kCsv);
  for (const char* body : {"", "[]", "{}", R"({"sql": 1})", R"({"sql": "x", "limit": -1})",
                           R"({"sql": "x", "limit": 1.5})", R"({"sql": "x", "format": "xml"})",
                           R"({"sql": "x", "other": 1})", R"({"sql": "x", "params": {}})"}) {
    auto bad = DecodeQueryRequest(body);
    ASSERT_FALSE(bad) << body;
    EXPECT_EQ(bad.error().sqlstate, "22023") << body;
  }
}

TEST(DecodeQueryRequest, QueryIdIsAShortToken) {
  auto request = DecodeQueryRequest(R"({"sql": "SELECT 1", "query_id": "a1-B_2"})");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->query_id, "a1-B_2");
  for (const char* body :
       {R"({"sql": "SELECT 1", "query_id": ""})", R"({"sql": "SELECT 1", "query_id": "<script>"})",
        R"({"sql": "SELECT 1", "query_id": "a b"})", R"({"sql": "SELECT 1", "query_id": 7})"}) {
    auto bad = DecodeQueryRequest(body);
    ASSERT_FALSE(bad) << body;
    EXPECT_EQ(bad.error().sqlstate, "22023") << body;
  }
  EXPECT_FALSE(
      DecodeQueryRequest(R"({"sql": "SELECT 1", "query_id": ")" + std::string(65, 'a') + R"("})"));
  EXPECT_TRUE(ValidQueryId(std::string(64, 'a')));
}

}  // namespace
}  // namespace augur::http
