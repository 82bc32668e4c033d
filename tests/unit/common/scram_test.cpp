// SCRAM-SHA-256 against RFC 7677's published exchange, and the failure paths.
#include "common/scram.h"

#include <gtest/gtest.h>

#include <vector>

namespace augur::scram {
namespace {

// RFC 7677, section 3: user "user", password "pencil".
constexpr const char* kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

Verifier PencilVerifier() {
  return MakeVerifier("pencil", *Unbase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

TEST(Scram, Rfc7677Exchange) {
  ScramServer server(PencilVerifier(), kServerNonce);
  auto first = server.ClientFirst(kClientFirst);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, kServerFirst);
  auto final_message = server.ClientFinal(kClientFinal);
  ASSERT_TRUE(final_message) << final_message.error().message;
  EXPECT_EQ(*final_message, kServerFinal);
}

TEST(Scram, WrongPasswordFailsWith28P01) {
  ScramServer server(MakeVerifier("not pencil", *Unbase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096),
                     kServerNonce);
  ASSERT_TRUE(server.ClientFirst(kClientFirst));
  auto final_message = server.ClientFinal(kClientFinal);
  ASSERT_FALSE(final_message);
  EXPECT_EQ(final_message.error().sqlstate, "28P01");
}

TEST(Scram, TamperedNonceOrBindingIsAProtocolViolation) {
  ScramServer server(PencilVerifier(), kServerNonce);
  ASSERT_TRUE(server.ClientFirst(kClientFirst));
  auto wrong_nonce = server.ClientFinal(
      "c=biws,r=rOprNGfwEbeRWgbNEkqOXXXX,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_FALSE(wrong_nonce);
  EXPECT_EQ(wrong_nonce.error().sqlstate, "08P01");
  auto wrong_binding = server.ClientFinal(
      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_FALSE(wrong_binding);
  EXPECT_EQ(wrong_binding.error().sqlstate, "08P01");
}

TEST(Scram, ChannelBindingRequestIsRefused) {
  ScramServer server(PencilVerifier());
  auto first = server.ClientFirst("p=tls-server-end-point,,n=,r=abc");
  ASSERT_FALSE(first);
  EXPECT_NE(first.error().message.find("channel binding"), std::string::npos);
  EXPECT_FALSE(ScramServer(PencilVerifier()).ClientFirst("garbage"));
  EXPECT_FALSE(ScramServer(PencilVerifier()).ClientFirst("n,,n=user"));
}

TEST(Scram, VerifierTextRoundTripsInPostgresFormat) {
  Verifier v = PencilVerifier();
  std::string text = v.Text();
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")) << text;
  auto parsed = ParseVerifier(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Text(), text);
  EXPECT_EQ(parsed->stored_key, v.stored_key);
  EXPECT_FALSE(ParseVerifier("pencil"));
  EXPECT_FALSE(ParseVerifier("SCRAM-SHA-256$x:abc$def:ghi"));
  EXPECT_FALSE(ParseVerifier("md5abcdef"));
}

TEST(Scram, RandomSaltsDifferAndMockVerifiersAreStable) {
  EXPECT_NE(MakeVerifier("pw").salt, MakeVerifier("pw").salt);
  EXPECT_EQ(MockVerifier("alice").Text(), MockVerifier("alice").Text());
  EXPECT_NE(MockVerifier("alice").Text(), MockVerifier("bob").Text());
}

TEST(Scram, Base64RoundTrip) {
  for (const std::string& raw :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto back = Unbase64(Base64(raw));
    ASSERT_TRUE(back) << raw;
    EXPECT_EQ(*back, raw);
  }
  EXPECT_FALSE(Unbase64("abc"));
}

// Found while writing the fuzz targets, which report it as an uncaught std::length_error
// (tests/fuzz/corpus/{http,pgwire}/crash-*-padding): EVP_DecodeBlock decodes "====" to 3 bytes,
// and taking 4 bytes of padding off wrapped around. Reached from HTTP Basic credentials, the
// SCRAM client proof at login and PASSWORD 'SCRAM-SHA-256$...' in CREATE ROLE.
TEST(Scram, Base64WithMorePaddingThanDataIsRefused) {
  for (const char* text : {"====", "A===", "AAAA====", "=AAA===="}) {
    EXPECT_FALSE(Unbase64(text)) << text;
  }
  EXPECT_EQ(*Unbase64("AA=="), std::string(1, '\0'));
  EXPECT_FALSE(ParseVerifier("SCRAM-SHA-256$4096:====$====:===="));
  ScramServer server(PencilVerifier(), kServerNonce);
  ASSERT_TRUE(server.ClientFirst(kClientFirst));
  auto final_message =
      server.ClientFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=====");
  ASSERT_FALSE(final_message);
  EXPECT_EQ(final_message.error().sqlstate, "08P01");
}

}  // namespace
}  // namespace augur::scram
