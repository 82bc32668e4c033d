// entry_multiset.h: an ordered multiset of (key, payload) entries, kept as a directory of small
// sorted blocks; the updatable index's insert buffer.
//
// Written here instead of using Abseil's B-tree, which held the buffer before: an insert into
// a 64K-entry absl::btree_multiset took 150-190 ns on this machine, most of it branch misses of
// the binary searches in four or five levels of nodes, and it was three quarters of what an
// insert into the updatable index costs the inserting thread. Here an insert is a branch-free
// binary search over the blocks' first entries (24 KB at 64K entries: cached), a branch-free one
// within a block, and a shift of half a block: 100-145 ns against 150-190 in the same runs.
// Blocks of 64 entries measured best (128: 113-147 ns, 256: 126-164).
//
// Size: a split shifts the directory, so an insert costs O(log n + n / 64) and the set suits a
// few hundred thousand entries at most: 64K entries mean ~1,500 blocks (a 36 KB directory),
// 10M would mean a shift of megabytes per split. UpdatableIndex keeps its buffer near its limit
// (InsertBatch, StartFold) and its tombstones, which are not bounded, in a B-tree.
//
// Invariants: no block is empty; block i's entries are sorted and none is smaller than the
// last of block i-1; firsts_[i] lies between block i-1's last entry and block i's first (an
// erase leaves it where it was: searches only need it to separate the blocks). Equal entries
// may repeat.
// Thread safety: none; the owner locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace augur::learned {

class EntryMultiset {
 public:
  using Entry = std::pair<uint64_t, uint64_t>;
  static constexpr size_t kBlockEntries = 64;

  // Bidirectional, over the entries in order. Changing the multiset invalidates iterators.
  class Iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = const Entry*;
    using reference = const Entry&;

    Iterator() = default;
    reference operator*() const { return set_->blocks_[block_]->entries[offset_]; }
    pointer operator->() const { return &**this; }
    Iterator& operator++() {
      if (++offset_ == set_->blocks_[block_]->size) {
        ++block_;
        offset_ = 0;
      }
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    Iterator& operator--() {
      if (offset_ == 0) {
        --block_;
        offset_ = set_->blocks_[block_]->size;
      }
      --offset_;
      return *this;
    }
    Iterator operator--(int) {
      Iterator before = *this;
      --*this;
      return before;
    }
    bool operator==(const Iterator& other) const {
      return block_ == other.block_ && offset_ == other.offset_;
    }

   private:
    friend class EntryMultiset;
    Iterator(const EntryMultiset* set, size_t block, size_t offset)
        : set_(set), block_(block), offset_(offset) {}
    const EntryMultiset* set_ = nullptr;
    size_t block_ = 0;   // blocks_.size() at the end
    size_t offset_ = 0;  // 0 at the end
  };
  using iterator = Iterator;
  using const_iterator = Iterator;
  using reverse_iterator = std::reverse_iterator<Iterator>;

  EntryMultiset() = default;
  EntryMultiset(const EntryMultiset& other);
  EntryMultiset& operator=(const EntryMultiset& other);
  EntryMultiset(EntryMultiset&&) noexcept = default;
  EntryMultiset& operator=(EntryMultiset&&) noexcept = default;

  // After the entries equal to `entry` already present.
  void insert(const Entry& entry);
  // `it` must point at an entry.
  void erase(Iterator it);

  Iterator begin() const { return Iterator(this, 0, 0); }
  Iterator end() const { return Iterator(this, blocks_.size(), 0); }
  reverse_iterator rbegin() const { return reverse_iterator(end()); }
  reverse_iterator rend() const { return reverse_iterator(begin()); }
  // The first entry not less than `entry`.
  Iterator lower_bound(const Entry& entry) const;
  // The first entry equal to `entry`, or end().
  Iterator find(const Entry& entry) const;
  size_t count(const Entry& entry) const;
  // std::distance(first, last), in steps of whole blocks.
  size_t Distance(Iterator first, Iterator last) const;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void swap(EntryMultiset& other) noexcept;
  // Heap bytes held: the blocks and the directory.
  size_t MemoryBytes() const;

 private:
  struct Block {
    size_t size = 0;
    Entry entries[kBlockEntries];
  };

  std::vector<Entry> firsts_;  // block i starts at or after firsts_[i]: see the invariants
  std::vector<std::unique_ptr<Block>> blocks_;
  size_t size_ = 0;
};

}  // namespace augur::learned
