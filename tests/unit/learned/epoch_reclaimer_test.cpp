// epoch_reclaimer_test.cpp: a retired object outlives every reader that started before its
// retirement, and no longer.
#include "learned/epoch_reclaimer.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

namespace augur::learned {
namespace {

TEST(EpochReclaimer, FreesAtOnceWithoutReaders) {
  auto object = std::make_shared<int>(7);
  std::weak_ptr<int> watch = object;
  EpochReclaimer::Instance().Retire(std::move(object));
  EXPECT_TRUE(watch.expired());
}

TEST(EpochReclaimer, KeepsWhatAnEarlierReaderMayHold) {
  auto& reclaimer = EpochReclaimer::Instance();
  auto object = std::make_shared<int>(7);
  std::weak_ptr<int> watch = object;
  {
    auto guard = reclaimer.Enter();
    {
      auto nested = reclaimer.Enter();  // nesting keeps the outer reader's epoch
    }
    reclaimer.Retire(std::move(object));
    reclaimer.Collect();
    EXPECT_FALSE(watch.expired());
    EXPECT_GE(reclaimer.pending(), 1u);
  }
  reclaimer.Collect();
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(reclaimer.pending(), 0u);  // no reader anywhere: everything retired is released
}

TEST(EpochReclaimer, AReaderOnAnotherThreadHoldsItsEpoch) {
  auto& reclaimer = EpochReclaimer::Instance();
  auto object = std::make_shared<int>(7);
  std::weak_ptr<int> watch = object;
  std::atomic<int> step{0};
  std::thread reader([&] {
    auto guard = reclaimer.Enter();
    step = 1;
    while (step != 2) std::this_thread::yield();
  });
  while (step != 1) std::this_thread::yield();
  reclaimer.Retire(std::move(object));
  EXPECT_FALSE(watch.expired());
  // A reader that starts after the retirement does not hold it back.
  {
    auto late = reclaimer.Enter();
    step = 2;
    reader.join();
    reclaimer.Collect();
    EXPECT_TRUE(watch.expired());
  }
}

}  // namespace
}  // namespace augur::learned
