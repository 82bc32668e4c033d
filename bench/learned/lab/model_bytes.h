// model_bytes.h: the envelope every serialized model of the lab shares (LearnedIndex through
// learned_index_bytes.h, RmiIndex, ChosenIndex): a format version byte, the fields in this
// machine's byte order, and an FNV-1a hash of all of that in the last 8 bytes.
//
// The hash is ten lines written here rather than a library's CRC: the core links nothing but
// fmt and Abseil's B-tree, models are a few KB to a few MB read once when an index is loaded,
// and the hash only has to catch torn or damaged bytes, not an adversary. Fields are
// fixed-width and unaligned (memcpy), so a model written on one x86-64 machine loads on another.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::learned::lab::model_bytes {

inline uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

template <typename T>
void Put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Reads a T off the front of `in`; false (and `in` unchanged) when too few bytes remain.
template <typename T>
bool Get(std::string_view& in, T& value) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&value, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

// Starts a model's bytes with its format version.
inline std::string Begin(uint8_t version) {
  std::string out;
  Put(out, version);
  return out;
}

// Appends the hash of everything before it.
inline void Seal(std::string& out) { Put(out, Fnv1a(out)); }

// SQLSTATE XX001 (data_corrupted): "<what> data is corrupt: <why>".
inline Error Corrupt(std::string_view what, std::string_view why) {
  return Error("XX001", fmt::format("{} data is corrupt: {}", what, why));
}

// The fields between the version byte and the hash, once both check out. `what` names the model
// in the error ("learned index", "rmi index").
inline Result<std::string_view> Open(std::string_view bytes, uint8_t version,
                                     std::string_view what) {
  if (bytes.size() < 1 + sizeof(uint64_t)) return Corrupt(what, "too short");
  std::string_view body = bytes.substr(0, bytes.size() - sizeof(uint64_t));
  uint64_t hash = 0;
  std::memcpy(&hash, bytes.data() + body.size(), sizeof(hash));
  if (hash != Fnv1a(body)) return Corrupt(what, "checksum mismatch");
  const auto found = static_cast<uint8_t>(body.front());
  if (found != version) return Corrupt(what, fmt::format("unknown format version {}", found));
  return body.substr(1);
}

}  // namespace augur::learned::lab::model_bytes
