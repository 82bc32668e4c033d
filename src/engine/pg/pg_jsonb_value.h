// pg_jsonb_value.h: PostgreSQL's jsonb as a value: parsed from text, printed as PostgreSQL prints
// it, and the containment, existence, path and edit operations of its operators. DuckDB's JSON
// type keeps text as written and its json_contains searches at any depth, so augur's jsonb type
// (pg_jsonb.cpp) stores this module's printed form and answers the operators here.
//
// PostgreSQL's normal form: object keys sorted by length, then bytes; a duplicate key keeps its
// last value; ": " after keys and ", " between items; strings re-escaped; numbers as written
// (PostgreSQL prints numeric's canonical text; augur keeps the input's digits).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "augur/result.h"

namespace augur::engine::jsonb {

struct Value {
  enum Kind { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject } kind = kNull;
  std::string text;                                    // a number's digits, a string's characters
  std::vector<Value> items;                            // kArray
  std::vector<std::pair<std::string, Value>> members;  // kObject, in PostgreSQL's key order
};

// Parses JSON text; nullopt when it is not JSON (PostgreSQL: 22P02, invalid input syntax for
// type json).
std::optional<Value> Parse(std::string_view text);

// PostgreSQL's text output of jsonb.
std::string Print(const Value& value);

// a @> b.
bool Contains(const Value& a, const Value& b);

// a ? key: a key of an object, a string element of an array, or the string itself.
bool Exists(const Value& a, std::string_view key);

// a -> key / a -> index (negative counts from the end); nullptr when absent.
const Value* Field(const Value& a, std::string_view key);
const Value* Element(const Value& a, long long index);

// a #> path: each step a key, or an index into an array.
const Value* Path(const Value& a, const std::vector<std::string>& path);

// a ->> ...: strings without quotes, null as SQL NULL (nullopt), the rest printed.
std::optional<std::string> AsText(const Value* value);

// a || b: objects merge (b wins), arrays concatenate, anything else is wrapped into an array.
Value Concat(const Value& a, const Value& b);

// a - key: without that object key or those string elements. a - index: without that element.
Value DeleteKey(const Value& a, std::string_view key);
Value DeleteIndex(const Value& a, long long index);

// jsonb_set(target, path, replacement, create_missing).
// #- : target without the element at `path`, PostgreSQL's jsonb_delete_path (22023 for a
// scalar target, 22P02 for an array step that is not an integer; a path that leads nowhere
// changes nothing).
Result<Value> DeletePath(const Value& target, const std::vector<std::string>& path);

// jsonb_insert: `value` inserted before (or after) the array element at `path`, or as a new
// key of the object at its parent; 22023 when the key exists, as PostgreSQL's jsonb_insert.
Result<Value> Insert(const Value& target, const std::vector<std::string>& path, const Value& value,
                     bool after);

Value Set(const Value& target, const std::vector<std::string>& path, const Value& replacement,
          bool create_missing);

}  // namespace augur::engine::jsonb
