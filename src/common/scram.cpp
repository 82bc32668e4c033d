// scram.cpp
#include "common/scram.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>

namespace augur::scram {

namespace {

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

Verifier FromSaltedPassword(std::string salt, int iterations, const std::string& salted) {
  Verifier v;
  v.iterations = iterations;
  v.salt = std::move(salt);
  v.stored_key = Sha256(Hmac(salted, "Client Key"));
  v.server_key = Hmac(salted, "Server Key");
  return v;
}

Error Malformed(std::string_view what) {
  return Error(sqlstate::kProtocolViolation, fmt::format("malformed SCRAM message ({})", what));
}

// The value of attribute `name` ("r", "c", "p") at the start of `part` ("r=..."), or nullopt.
std::optional<std::string_view> Attribute(std::string_view part, char name) {
  if (part.size() < 2 || part[0] != name || part[1] != '=') return std::nullopt;
  return part.substr(2);
}

}  // namespace

std::string Base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes; drop them. Base64 pads with at most two '=':
  // "====" decodes to 3 bytes with 4 of padding, and n - padding would wrap around.
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
  if (padding > 2) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string Verifier::Text() const {
  return fmt::format("SCRAM-SHA-256${}:{}${}:{}", iterations, Base64(salt), Base64(stored_key),
                     Base64(server_key));
}

Verifier MakeVerifier(std::string_view password, int iterations) {
  return MakeVerifier(password, RandomBytes(16), iterations);
}

Verifier MakeVerifier(std::string_view password, std::string salt, int iterations) {
  std::string salted(32, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), 32,
                    reinterpret_cast<unsigned char*>(salted.data()));
  return FromSaltedPassword(std::move(salt), iterations, salted);
}

bool CheckPassword(const Verifier& verifier, std::string_view password) {
  Verifier computed = MakeVerifier(password, verifier.salt, verifier.iterations);
  return CRYPTO_memcmp(computed.stored_key.data(), verifier.stored_key.data(), 32) == 0 &&
         computed.stored_key.size() == verifier.stored_key.size();
}

std::optional<Verifier> ParseVerifier(std::string_view text) {
  constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  size_t colon1 = text.find(':'), dollar = text.find('$'), colon2 = text.rfind(':');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || colon2 <= dollar ||
      dollar <= colon1) {
    return std::nullopt;
  }
  Verifier v;
  auto iterations = text.substr(0, colon1);
  auto [end, ec] =
      std::from_chars(iterations.data(), iterations.data() + iterations.size(), v.iterations);
  if (ec != std::errc() || end != iterations.data() + iterations.size() || v.iterations < 1) {
    return std::nullopt;
  }
  auto salt = Unbase64(text.substr(colon1 + 1, dollar - colon1 - 1));
  auto stored = Unbase64(text.substr(dollar + 1, colon2 - dollar - 1));
  auto server = Unbase64(text.substr(colon2 + 1));
  if (!salt || !stored || !server || stored->size() != 32 || server->size() != 32) {
    return std::nullopt;
  }
  v.salt = std::move(*salt);
  v.stored_key = std::move(*stored);
  v.server_key = std::move(*server);
  return v;
}

Verifier MockVerifier(std::string_view seed) {
  static const std::string secret = RandomBytes(32);  // per process, never shown
  std::string salted = Hmac(secret, seed);
  return FromSaltedPassword(Hmac(secret, std::string(seed) + "salt").substr(0, 16),
                            kDefaultIterations, Sha256(salted));
}

Result<std::string> ScramServer::ClientFirst(std::string_view message) {
  // gs2-header: "n,," (no channel binding) or "y,," (client could but thinks we can't);
  // "p=..." asks for channel binding, which is not offered.
  if (message.starts_with("p=")) {
    return Error(sqlstate::kProtocolViolation,
                 "SCRAM channel binding is not supported: connect with channel_binding=disable "
                 "or prefer");
  }
  if (!message.starts_with("n,") && !message.starts_with("y,")) return Malformed("gs2 header");
  size_t second_comma = message.find(',', 2);
  if (second_comma == std::string_view::npos) return Malformed("gs2 header");
  gs2_header_ = std::string(message.substr(0, second_comma + 1));
  client_first_bare_ = std::string(message.substr(second_comma + 1));
  // client-first-message-bare: n=<user>,r=<nonce>[,extensions]. The user is the startup one.
  size_t comma = client_first_bare_.find(',');
  if (comma == std::string::npos || !client_first_bare_.starts_with("n=")) {
    return Malformed("user name");
  }
  std::string_view rest = std::string_view(client_first_bare_).substr(comma + 1);
  auto client_nonce = Attribute(rest.substr(0, rest.find(',')), 'r');
  if (!client_nonce || client_nonce->empty()) return Malformed("nonce");
  if (server_nonce_.empty()) server_nonce_ = Base64(RandomBytes(18));
  nonce_ = std::string(*client_nonce) + server_nonce_;
  server_first_ =
      fmt::format("r={},s={},i={}", nonce_, Base64(verifier_.salt), verifier_.iterations);
  return server_first_;
}

Result<std::string> ScramServer::ClientFinal(std::string_view message) {
  // client-final-message: c=<base64 gs2 header>,r=<nonce>[,...],p=<base64 proof>
  size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return Malformed("proof");
  std::string_view without_proof = message.substr(0, proof_at);
  size_t comma = without_proof.find(',');
  auto binding = Attribute(without_proof.substr(0, comma), 'c');
  if (!binding || comma == std::string_view::npos) return Malformed("channel binding");
  if (*binding != Base64(gs2_header_)) return Malformed("channel binding does not match");
  std::string_view rest = without_proof.substr(comma + 1);
  auto nonce = Attribute(rest.substr(0, rest.find(',')), 'r');
  if (!nonce || *nonce != nonce_) return Malformed("nonce does not match");
  auto proof = Unbase64(message.substr(proof_at + 3));
  if (!proof || proof->size() != 32) return Malformed("proof");

  std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string signature = Hmac(verifier_.stored_key, auth_message);
  std::string client_key(32, '\0');
  for (size_t i = 0; i < 32; ++i) client_key[i] = static_cast<char>((*proof)[i] ^ signature[i]);
  std::string stored = Sha256(client_key);
  if (CRYPTO_memcmp(stored.data(), verifier_.stored_key.data(), 32) != 0) {
    return Error("28P01", "password authentication failed");
  }
  return "v=" + Base64(Hmac(verifier_.server_key, auth_message));
}

}  // namespace augur::scram
