package dev.vigil.client.internal;

import dev.vigil.client.SlowRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent slow requests, in a ring that overwrites the oldest.
 *
 * <p>Assumptions and guarantees: {@link #add} is lock-free: it takes a sequence number and stores
 * into that slot. Slow requests are rare (each took seconds), so each allocates its record. Readers
 * see any entry whose store has completed; a reader racing with writers that lap the ring may miss
 * entries, and {@link SlowRequest#sequence()} gaps tell how many.
 */
public final class SlowRequestRing {

  private final AtomicReferenceArray<SlowRequest> ring;
  private final AtomicLong sequence = new AtomicLong();

  /** Creates a ring keeping the last {@code capacity} slow requests. */
  public SlowRequestRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("slow request capacity must be positive: " + capacity);
    }
    this.ring = new AtomicReferenceArray<>(capacity);
  }

  /** Adds a slow request and returns its sequence number. */
  public long add(
      long timestampMillis,
      String method,
      String route,
      int statusCode,
      long durationNanos,
      String user) {
    long seq = sequence.incrementAndGet();
    ring.set(
        (int) ((seq - 1) % ring.length()),
        new SlowRequest(seq, timestampMillis, method, route, statusCode, durationNanos, user));
    return seq;
  }

  /** Total slow requests ever added. */
  public long total() {
    return sequence.get();
  }

  /** Entries with a sequence above {@code afterSequence}, oldest first. */
  public List<SlowRequest> since(long afterSequence) {
    List<SlowRequest> out = new ArrayList<>();
    for (int i = 0; i < ring.length(); i++) {
      SlowRequest r = ring.get(i);
      if (r != null && r.sequence() > afterSequence) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparingLong(SlowRequest::sequence));
    return out;
  }
}
