// writer_first_mutex.h: a reader-writer lock that lets a waiting writer in before new readers.
//
// std::shared_mutex on glibc is a pthread rwlock that prefers readers: two threads looking keys
// up in turn keep the lock shared forever and an insert or merge waiting for it never runs
// (seen in updatable_index_test with two readers on the lock's slow path). glibc offers the
// writer-first policy as an attribute; this wraps it with the SharedMutex interface, so that
// std::shared_lock and std::unique_lock work on it. The policy is non-recursive: a thread
// holding the lock shared must not take it shared again (it would wait behind the writer).
#pragma once

#include <pthread.h>

#include <system_error>

namespace augur::learned {

class WriterFirstMutex {
 public:
  WriterFirstMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#if defined(__GLIBC__)
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    const int error = pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
    if (error != 0) throw std::system_error(error, std::generic_category(), "pthread_rwlock_init");
  }
  ~WriterFirstMutex() { pthread_rwlock_destroy(&lock_); }
  WriterFirstMutex(const WriterFirstMutex&) = delete;
  WriterFirstMutex& operator=(const WriterFirstMutex&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  bool try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace augur::learned
