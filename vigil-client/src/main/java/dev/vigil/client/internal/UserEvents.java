package dev.vigil.client.internal;

import dev.vigil.client.Pseudonymizer;
import dev.vigil.client.UserStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-user request counts and times: a bounded queue of raw events in front of two Space-Saving
 * summaries (by requests, by total time) keyed by pseudonym.
 *
 * <p>Assumptions and guarantees: {@link #offer} is lock-free and allocation-free; it claims a slot
 * by CAS and publishes the user with a release store. Pseudonymisation (an HMAC, about a
 * microsecond) and the summary updates happen in {@link #drain}, under a lock, in batches: a
 * producer that finds the queue half full drains it if the lock is free, and snapshots drain it. A
 * raw identifier stays in the queue only until the next drain and is never stored or sent. If the
 * queue is full and another thread holds the lock, the event is dropped and counted.
 */
public final class UserEvents {

  private static final VarHandle USERS = MethodHandles.arrayElementVarHandle(String[].class);
  private static final VarHandle NANOS = MethodHandles.arrayElementVarHandle(long[].class);

  private final String[] users;
  private final long[] nanos;
  private final int mask;

  /** Next sequence to claim; producers CAS it forward. */
  private final AtomicLong tail = new AtomicLong();

  /** Next sequence to drain; written only under {@link #lock}. */
  private volatile long head;

  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Pseudonymizer pseudonymizer;

  /** Guarded by {@link #lock}. */
  private final SpaceSaving byCount;

  /** Guarded by {@link #lock}. */
  private final SpaceSaving byTime;

  /** Creates the queue ({@code queueSize} a power of two) and summaries of {@code capacity}. */
  public UserEvents(int queueSize, int capacity, Pseudonymizer pseudonymizer) {
    if (Integer.bitCount(queueSize) != 1) {
      throw new IllegalArgumentException("queue size must be a power of two: " + queueSize);
    }
    this.users = new String[queueSize];
    this.nanos = new long[queueSize];
    this.mask = queueSize - 1;
    this.pseudonymizer = pseudonymizer;
    this.byCount = new SpaceSaving(capacity);
    this.byTime = new SpaceSaving(capacity);
  }

  /** Queues one request of {@code user} that took {@code durationNanos}. */
  public void offer(String user, long durationNanos) {
    while (true) {
      long t = tail.get();
      long pending = t - head;
      if (pending >= users.length) {
        if (!tryDrain()) {
          dropped.incrementAndGet();
          return;
        }
        continue;
      }
      if (tail.compareAndSet(t, t + 1)) {
        int slot = (int) t & mask;
        NANOS.setOpaque(nanos, slot, durationNanos);
        USERS.setRelease(users, slot, user);
        if (pending + 1 == users.length >> 1) {
          tryDrain();
        }
        return;
      }
    }
  }

  private boolean tryDrain() {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      drainLocked();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Moves every published event into the summaries. */
  public void drain() {
    lock.lock();
    try {
      drainLocked();
    } finally {
      lock.unlock();
    }
  }

  private void drainLocked() {
    long h = head;
    long t = tail.get();
    while (h < t) {
      int slot = (int) h & mask;
      String user = (String) USERS.getAcquire(users, slot);
      if (user == null) {
        // Claimed but not yet published: stop here, the next drain picks it up.
        break;
      }
      long d = (long) NANOS.getOpaque(nanos, slot);
      USERS.setOpaque(users, slot, null);
      String pseudonym = pseudonymizer.pseudonym(user);
      byCount.add(pseudonym, 1, d);
      byTime.add(pseudonym, d, d);
      h++;
      head = h;
    }
  }

  /** Events dropped because the queue was full while another thread drained it. */
  public long dropped() {
    return dropped.get();
  }

  /** Drains, then returns the heaviest users by request count. */
  public List<UserStats> topByCount(int limit) {
    lock.lock();
    try {
      drainLocked();
      return byCount.top(limit, true);
    } finally {
      lock.unlock();
    }
  }

  /** Drains, then returns the heaviest users by total time. */
  public List<UserStats> topByTime(int limit) {
    lock.lock();
    try {
      drainLocked();
      return byTime.top(limit, false);
    } finally {
      lock.unlock();
    }
  }
}
