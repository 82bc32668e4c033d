// bound_key_ranges.h: a lookup as the planner binds it, and its evaluation into KeyRanges.
//
// The optimizer (learned_index_optimizer.cpp) turns a predicate on the indexed column into
// conjuncts of intervals whose bounds are expressions: constants, or prepared-statement
// parameters that are known only when the scan starts. EvaluateKeyRanges turns them into key
// codes at that moment, so one plan serves every execution of a prepared statement.
#pragma once

#include <vector>

#include "duckdb/planner/expression.hpp"
#include "engine/learned_index/key_ranges.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine::learned_index {

class LearnedBoundIndex;

// lo <= key <= hi, either side optional (unbounded). Expressions are constants or parameters.
struct BoundKeyInterval {
  duckdb::unique_ptr<duckdb::Expression> lo;
  duckdb::unique_ptr<duckdb::Expression> hi;
  BoundKeyInterval Copy() const;
};

// The key must lie in one of the intervals.
using BoundKeyUnion = std::vector<BoundKeyInterval>;

// The key ranges `conjuncts` select once their expressions are evaluated. Throws what the
// evaluation throws (e.g. a parameter that was not bound).
KeyRanges EvaluateKeyRanges(duckdb::ClientContext& context, const LearnedBoundIndex& index,
                            const std::vector<BoundKeyUnion>& conjuncts);

}  // namespace augur::engine::learned_index
