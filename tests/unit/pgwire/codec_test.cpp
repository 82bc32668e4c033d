// codec_test.cpp: the PostgreSQL message codec, byte for byte, including malformed input.
#include "pgwire/codec.h"

#include <gtest/gtest.h>

#include <string>

namespace augur::pgwire {
namespace {

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// Splits a writer's output into (type, body) frames, checking every length word on the way.
std::vector<std::pair<char, std::string>> Frames(const std::string& bytes) {
  std::vector<std::pair<char, std::string>> frames;
  size_t pos = 0;
  while (pos < bytes.size()) {
    EXPECT_GE(bytes.size() - pos, 5u);
    auto length = CheckedBodyLength(bytes.data() + pos + 1, 1u << 30);
    EXPECT_TRUE(length.has_value());
    frames.emplace_back(bytes[pos], bytes.substr(pos + 5, *length));
    pos += 5 + *length;
  }
  EXPECT_EQ(pos, bytes.size());
  return frames;
}

TEST(BodyReader, ReadsBigEndianIntegersAndStrings) {
  std::string body = std::string("\x01\x02", 2) + Be32(0xFFFFFFFE) + "hello" + '\0';
  BodyReader reader(body);
  EXPECT_EQ(*reader.Int16("a"), 0x0102);
  EXPECT_EQ(*reader.Int32("b"), -2);
  EXPECT_EQ(*reader.CString("c"), "hello");
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(BodyReader, TruncatedFieldsAreProtocolViolations) {
  BodyReader reader(std::string_view("\x00\x01\x02", 3));
  auto v = reader.Int32("parameter count");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().sqlstate, "08P01");
  EXPECT_NE(v.error().message.find("parameter count"), std::string::npos);
  BodyReader no_nul("abc");
  auto s = no_nul.CString("query string");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().sqlstate, "08P01");
  BodyReader short_bytes("ab");
  EXPECT_FALSE(short_bytes.Bytes(3, "value").has_value());
}

TEST(CheckedBodyLength, RejectsLengthsBelowFourAndAboveTheLimit) {
  EXPECT_EQ(*CheckedBodyLength(Be32(4).data(), 100), 0u);
  EXPECT_EQ(*CheckedBodyLength(Be32(104).data(), 100), 100u);
  auto too_small = CheckedBodyLength(Be32(3).data(), 100);
  ASSERT_FALSE(too_small.has_value());
  EXPECT_EQ(too_small.error().sqlstate, "08P01");
  auto too_big = CheckedBodyLength(Be32(105).data(), 100);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().sqlstate, "54000");
  // A length word with the top bit set must not wrap around into a small size.
  auto negative = CheckedBodyLength(Be32(0xFFFFFFF0).data(), 1u << 31);
  ASSERT_FALSE(negative.has_value());
  EXPECT_EQ(negative.error().sqlstate, "08P01");
}

TEST(StartupPacket, ParsesParameters) {
  std::string body = Be32(kProtocolVersion3) + "user" + '\0' + "alice" + '\0' + "database" + '\0' +
                     "db" + '\0' + '\0';
  auto packet = ParseStartupPacket(body);
  ASSERT_TRUE(packet.has_value());
  EXPECT_EQ(packet->code, kProtocolVersion3);
  EXPECT_EQ(packet->Parameter("user"), "alice");
  EXPECT_EQ(packet->Parameter("database"), "db");
  EXPECT_EQ(packet->Parameter("missing"), "");
}

TEST(StartupPacket, ParsesCancelAndSslRequests) {
  auto cancel = ParseStartupPacket(Be32(kCancelRequestCode) + Be32(1234) + Be32(0xDEADBEEF));
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->cancel_pid, 1234);
  EXPECT_EQ(cancel->cancel_key, static_cast<int32_t>(0xDEADBEEF));
  auto ssl = ParseStartupPacket(Be32(kSslRequestCode));
  ASSERT_TRUE(ssl.has_value());
  EXPECT_EQ(ssl->code, kSslRequestCode);
}

TEST(StartupPacket, RejectsTruncatedPackets) {
  EXPECT_FALSE(ParseStartupPacket("\x00\x03").has_value());
  EXPECT_FALSE(ParseStartupPacket(Be32(kCancelRequestCode) + Be32(1)).has_value());
  // Parameter list without its terminating empty name.
  EXPECT_FALSE(ParseStartupPacket(Be32(kProtocolVersion3) + "user" + '\0' + "x").has_value());
}

TEST(MessageWriter, WritesExactFrames) {
  MessageWriter w;
  w.ReadyForQuery(TransactionStatus::kInBlock);
  EXPECT_EQ(w.buffer(), std::string("Z\x00\x00\x00\x05T", 6));
  w.Clear();
  w.CommandComplete("SELECT 1");
  EXPECT_EQ(w.buffer(), std::string("C") + Be32(13) + "SELECT 1" + '\0');
  w.Clear();
  w.EmptyQueryResponse();
  EXPECT_EQ(w.buffer(), std::string("I") + Be32(4));
}

TEST(MessageWriter, DataRowRoundTripsCellsAndNulls) {
  MessageWriter w;
  w.DataRow({std::string_view("42"), std::nullopt, std::string_view("")});
  auto frames = Frames(w.buffer());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].first, 'D');
  BodyReader r(frames[0].second);
  EXPECT_EQ(*r.Int16("columns"), 3);
  EXPECT_EQ(*r.Int32("len"), 2);
  EXPECT_EQ(*r.Bytes(2, "v"), "42");
  EXPECT_EQ(*r.Int32("len"), -1);
  EXPECT_EQ(*r.Int32("len"), 0);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(MessageWriter, RowDescriptionRoundTrips) {
  MessageWriter w;
  w.RowDescription({FieldDescription{"id", 0, 0, 23, 4, -1, 0},
                    FieldDescription{"amount", 0, 0, 1700, -1, (10 << 16 | 2) + 4, 0}});
  auto frames = Frames(w.buffer());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].first, 'T');
  BodyReader r(frames[0].second);
  EXPECT_EQ(*r.Int16("n"), 2);
  EXPECT_EQ(*r.CString("name"), "id");
  EXPECT_EQ(*r.Int32("table"), 0);
  EXPECT_EQ(*r.Int16("attnum"), 0);
  EXPECT_EQ(*r.Int32("type"), 23);
  EXPECT_EQ(*r.Int16("typlen"), 4);
  EXPECT_EQ(*r.Int32("typmod"), -1);
  EXPECT_EQ(*r.Int16("format"), 0);
  EXPECT_EQ(*r.CString("name"), "amount");
  EXPECT_EQ(*r.Int32("table"), 0);
  EXPECT_EQ(*r.Int16("attnum"), 0);
  EXPECT_EQ(*r.Int32("type"), 1700);
  EXPECT_EQ(*r.Int16("typlen"), -1);
  EXPECT_EQ(*r.Int32("typmod"), (10 << 16 | 2) + 4);
}

TEST(MessageWriter, ErrorResponseCarriesEveryField) {
  MessageWriter w;
  Error e("42P01", "relation \"t\" does not exist");
  e.hint = "check the name";
  e.position = 15;
  w.ErrorResponse(e);
  auto frames = Frames(w.buffer());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].first, 'E');
  std::map<char, std::string> fields;
  BodyReader r(frames[0].second);
  for (;;) {
    auto code = r.Bytes(1, "code");
    ASSERT_TRUE(code.has_value());
    if ((*code)[0] == '\0') break;
    fields[(*code)[0]] = std::string(*r.CString("value"));
  }
  EXPECT_EQ(fields['S'], "ERROR");
  EXPECT_EQ(fields['V'], "ERROR");
  EXPECT_EQ(fields['C'], "42P01");
  EXPECT_EQ(fields['M'], "relation \"t\" does not exist");
  EXPECT_EQ(fields['H'], "check the name");
  EXPECT_EQ(fields['P'], "15");
  EXPECT_EQ(fields.count('D'), 0u);
}

TEST(MessageWriter, StringsWithEmbeddedNulAreCutAtTheNul) {
  MessageWriter w;
  w.CommandComplete(std::string_view("OK\0junk", 7));
  EXPECT_EQ(w.buffer(), std::string("C") + Be32(7) + "OK" + '\0');
}

TEST(MessageWriter, StartupSequence) {
  MessageWriter w;
  w.AuthenticationOk();
  w.ParameterStatus("server_version", "15.0");
  w.BackendKeyData(1001, 77);
  auto frames = Frames(w.buffer());
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0], std::make_pair('R', Be32(0)));
  EXPECT_EQ(frames[1], std::make_pair('S', std::string("server_version\0"
                                                       "15.0\0",
                                                       20)));
  EXPECT_EQ(frames[2], std::make_pair('K', Be32(1001) + Be32(77)));
}

}  // namespace
}  // namespace augur::pgwire
