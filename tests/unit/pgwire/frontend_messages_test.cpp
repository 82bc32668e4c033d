// frontend_messages_test.cpp: extended-protocol message decoding, including hostile counts.
#include "pgwire/frontend_messages.h"

#include <gtest/gtest.h>

namespace augur::pgwire {
namespace {

std::string I16(int16_t v) {
  return {static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}
std::string I32(int32_t v) {
  return {static_cast<char>((v >> 24) & 0xFF), static_cast<char>((v >> 16) & 0xFF),
          static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}
std::string Z(std::string_view s) { return std::string(s) + '\0'; }

TEST(FrontendMessages, Parse) {
  const std::string body = Z("s1") + Z("SELECT $1") + I16(1) + I32(23);  // views point into it
  auto m = DecodeParse(body);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->statement, "s1");
  EXPECT_EQ(m->query, "SELECT $1");
  EXPECT_EQ(m->parameter_types, std::vector<uint32_t>{23});
  EXPECT_FALSE(DecodeParse(Z("s1") + Z("q") + I16(5) + I32(23)).has_value());
  EXPECT_FALSE(DecodeParse(Z("s1") + Z("q") + I16(0) + "junk").has_value());
}

TEST(FrontendMessages, BindWithNullsAndFormats) {
  std::string body =
      Z("p") + Z("s") + I16(1) + I16(1) + I16(2) + I32(4) + I32(42) + I32(-1) + I16(1) + I16(1);
  auto m = DecodeBind(body);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->portal, "p");
  ASSERT_EQ(m->parameters.size(), 2u);
  EXPECT_EQ(m->parameters[0]->size(), 4u);
  EXPECT_FALSE(m->parameters[1].has_value());
  EXPECT_EQ(BindMessage::FormatFor(m->parameter_formats, 1), 1);
  EXPECT_EQ(BindMessage::FormatFor(m->result_formats, 7), 1);
}

TEST(FrontendMessages, BindRejectsHostileCountsAndLengths) {
  // 32767 parameters announced in a tiny body: refused before any allocation.
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + I16(0) + I16(32767)).has_value());
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + I16(-1)).has_value());
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + I16(0) + I16(1) + I32(1000) + "ab").has_value());
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + I16(0) + I16(1) + I32(-7) + I16(0)).has_value());
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + I16(1) + I16(7) + I16(0) + I16(0)).has_value());
}

TEST(FrontendMessages, DescribeExecuteClose) {
  auto d = DecodeDescribe("S" + Z("stmt"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, 'S');
  EXPECT_FALSE(DecodeDescribe("X" + Z("stmt")).has_value());
  auto e = DecodeExecute(Z("p") + I32(10));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->max_rows, 10);
  EXPECT_FALSE(DecodeExecute(Z("p") + "\x01").has_value());
  auto c = DecodeClose("P" + Z(""));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind, 'P');
}

}  // namespace
}  // namespace augur::pgwire
