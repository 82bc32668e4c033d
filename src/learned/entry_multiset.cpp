// entry_multiset.cpp
#include "learned/entry_multiset.h"

#include <algorithm>

namespace augur::learned {
namespace {

using Entry = EntryMultiset::Entry;

// (key, payload) order, computed without a branch: a binary search's comparisons are coin flips
// the branch predictor would miss.
inline bool Less(const Entry& a, const Entry& b) {
  return (a.first < b.first) | ((a.first == b.first) & (a.second < b.second));
}

// The number of entries in sorted `a[0, n)` that come before where `entry` goes: those less than
// it (kAfterEqual false: a lower bound) or not greater than it (true: an upper bound). The search
// keeps no branch on the comparisons: `first` moves by a conditional add.
template <bool kAfterEqual>
inline size_t CountBefore(const Entry* a, size_t n, const Entry& entry) {
  auto before = [&entry](const Entry& e) { return kAfterEqual ? !Less(entry, e) : Less(e, entry); };
  const Entry* first = a;
  while (n > 1) {
    const size_t half = n / 2;
    first = before(first[half]) ? first + half : first;
    n -= half;
  }
  return static_cast<size_t>(first - a) + (n == 1 && before(*first));
}

}  // namespace

EntryMultiset::EntryMultiset(const EntryMultiset& other)
    : firsts_(other.firsts_), size_(other.size_) {
  blocks_.reserve(other.blocks_.size());
  for (const auto& block : other.blocks_) blocks_.push_back(std::make_unique<Block>(*block));
}

EntryMultiset& EntryMultiset::operator=(const EntryMultiset& other) {
  if (this != &other) {
    EntryMultiset copy(other);
    swap(copy);
  }
  return *this;
}

void EntryMultiset::insert(const Entry& entry) {
  ++size_;
  if (blocks_.empty()) {
    blocks_.push_back(std::make_unique<Block>());
    blocks_[0]->entries[0] = entry;
    blocks_[0]->size = 1;
    firsts_.push_back(entry);
    return;
  }
  // The last block whose first entry is not greater (or the first block).
  const size_t after = CountBefore<true>(firsts_.data(), firsts_.size(), entry);
  size_t b = after == 0 ? 0 : after - 1;
  Block* block = blocks_[b].get();
  size_t at = CountBefore<true>(block->entries, block->size, entry);
  if (block->size == kBlockEntries) {  // split in halves, then insert into the right one
    constexpr size_t kHalf = kBlockEntries / 2;
    auto upper = std::make_unique<Block>();
    std::copy(block->entries + kHalf, block->entries + kBlockEntries, upper->entries);
    upper->size = kBlockEntries - kHalf;
    block->size = kHalf;
    firsts_.insert(firsts_.begin() + static_cast<std::ptrdiff_t>(b + 1), upper->entries[0]);
    blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b + 1), std::move(upper));
    if (at > kHalf) {  // at == kHalf goes at the end of the lower half: order holds either way
      ++b;
      block = blocks_[b].get();
      at -= kHalf;
    }
  }
  std::copy_backward(block->entries + at, block->entries + block->size,
                     block->entries + block->size + 1);
  block->entries[at] = entry;
  ++block->size;
  if (at == 0) firsts_[b] = entry;
}

void EntryMultiset::erase(Iterator it) {
  --size_;
  Block* block = blocks_[it.block_].get();
  const size_t at = it.offset_;
  std::copy(block->entries + at + 1, block->entries + block->size, block->entries + at);
  // A block's first entry may go, leaving firsts_ below the new one (see the header).
  if (--block->size == 0) {
    firsts_.erase(firsts_.begin() + static_cast<std::ptrdiff_t>(it.block_));
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(it.block_));
  }
}

EntryMultiset::Iterator EntryMultiset::lower_bound(const Entry& entry) const {
  // Blocks whose first entry is less than `entry`: the answer is in the last of them, or at
  // the start of the next block.
  const size_t before = CountBefore<false>(firsts_.data(), firsts_.size(), entry);
  if (before == 0) return begin();
  const Block& block = *blocks_[before - 1];
  const size_t at = CountBefore<false>(block.entries, block.size, entry);
  return at == block.size ? Iterator(this, before, 0) : Iterator(this, before - 1, at);
}

EntryMultiset::Iterator EntryMultiset::find(const Entry& entry) const {
  const Iterator it = lower_bound(entry);
  return it != end() && *it == entry ? it : end();
}

size_t EntryMultiset::count(const Entry& entry) const {
  size_t n = 0;
  for (Iterator it = lower_bound(entry); it != end() && *it == entry; ++it) ++n;
  return n;
}

size_t EntryMultiset::Distance(Iterator first, Iterator last) const {
  if (first.block_ == last.block_) return last.offset_ - first.offset_;
  size_t n = blocks_[first.block_]->size - first.offset_ + last.offset_;
  for (size_t b = first.block_ + 1; b < last.block_; ++b) n += blocks_[b]->size;
  return n;
}

void EntryMultiset::swap(EntryMultiset& other) noexcept {
  firsts_.swap(other.firsts_);
  blocks_.swap(other.blocks_);
  std::swap(size_, other.size_);
}

size_t EntryMultiset::MemoryBytes() const {
  return blocks_.size() * sizeof(Block) + firsts_.capacity() * sizeof(Entry) +
         blocks_.capacity() * sizeof(blocks_[0]);
}

}  // namespace augur::learned
