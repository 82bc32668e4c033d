// key_codec.h: DuckDB values to the learned index's 64-bit keys.
//
// The learned index orders uint64_t codes (learned/key_encoding.h). This file says which column
// types it accepts and turns DuckDB vectors and values of those types into codes. For fixed-width
// types the code is exact; for VARCHAR it is the first eight bytes, so a code stands for many
// strings and every lookup on a string column returns a superset that the plan filters again.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "duckdb/common/types.hpp"
#include "duckdb/common/types/value.hpp"
#include "duckdb/common/types/vector.hpp"

namespace augur::engine::learned_glue {

// Integer types, DATE, TIME, TIMESTAMP (any precision, with or without time zone), FLOAT,
// DOUBLE and VARCHAR.
bool IsSupportedKeyType(const duckdb::LogicalType& type);

// Whether codes of `type` are exact (a bijection), so that equal codes mean equal values.
bool IsExactKeyType(const duckdb::LogicalType& type);

// Codes for the first `count` rows of `keys`; nullopt for NULL (and NaN, which has no order the
// index could use).
void EncodeKeys(duckdb::Vector& keys, uint64_t count, std::vector<std::optional<uint64_t>>& out);

// The code of `value` after casting it to `type`; nullopt when it is NULL or does not cast.
std::optional<uint64_t> EncodeValue(const duckdb::Value& value, const duckdb::LogicalType& type);

}  // namespace augur::engine::learned_glue
