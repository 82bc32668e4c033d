// bound_key_ranges.cpp: see bound_key_ranges.h.
#include "engine/learned_index/bound_key_ranges.h"

#include "duckdb/execution/expression_executor.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/learned_bound_index.h"

namespace augur::engine::learned_index {

BoundKeyInterval BoundKeyInterval::Copy() const {
  return BoundKeyInterval{lo ? lo->Copy() : nullptr, hi ? hi->Copy() : nullptr};
}

KeyRanges EvaluateKeyRanges(duckdb::ClientContext& context, const LearnedBoundIndex& index,
                            const std::vector<BoundKeyUnion>& conjuncts) {
  const KeyCodec& codec = index.codec();
  KeyRanges result = KeyRanges::All();
  for (const auto& conjunct : conjuncts) {
    std::vector<KeyRange> intervals;
    for (const auto& interval : conjunct) {
      KeyRange range;
      bool empty = false;
      auto bound = [&](const duckdb::unique_ptr<duckdb::Expression>& expr, uint64_t& out) {
        if (!expr) return;
        auto value = duckdb::ExpressionExecutor::EvaluateScalar(context, *expr);
        if (value.IsNull()) {
          empty = true;  // a comparison with NULL is never true
          return;
        }
        // A value that does not cast to the key type leaves this side open: still a superset.
        if (auto code = codec.EncodeValue(value)) out = *code;
      };
      bound(interval.lo, range.lo);
      bound(interval.hi, range.hi);
      if (!empty) intervals.push_back(range);
    }
    result = result.Intersect(KeyRanges::Union(std::move(intervals)));
    if (result.empty()) break;
  }
  return result;
}

}  // namespace augur::engine::learned_index
