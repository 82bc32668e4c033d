// learned_index_bytes.h: a byte form of the core's LearnedIndex, for the lab.
//
// The server never stores a model: it rebuilds every LEARNED index when the database opens
// (docs/LEARNED_INDEX.md, "Restarts"), so this lives beside the benchmarks rather than in
// src/learned. It keeps the envelope the lab's other models share (model_bytes.h): a format
// version byte, the options, the key count, the packed segments, and a 64-bit checksum. The
// radix table and upper levels are derived again on loading (LearnedIndex::FromSegments), so
// damaged bytes cannot make them disagree with the segments.
#pragma once

#include <string>
#include <string_view>

#include "augur/result.h"
#include "learned/learned_index.h"

namespace augur::learned::lab {

std::string SerializeLearnedIndex(const LearnedIndex& index);
// Rejects bytes that are truncated, of another version, corrupted (checksum mismatch), or
// describe no index Build could make (SQLSTATE XX001).
Result<LearnedIndex> DeserializeLearnedIndex(std::string_view bytes);

}  // namespace augur::learned::lab
