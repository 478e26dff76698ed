package dev.vigil.server.remote;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.SeriesRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the raw protobuf bytes of a series' label fields to the {@link Labels} built from them, so
 * that a series seen before costs a hash and a compare instead of decoding, validating and sorting
 * its labels again; thread-safe.
 *
 * <p>Remote write senders repeat every series' labels in every request (Prometheus even once per
 * sample), and the same labels encode to the same bytes, so the bytes are a good key. Two
 * generations bound the memory: when the current one is full it becomes the previous one and a new
 * one starts; a hit in the previous generation is carried over. Series that keep being written stay
 * cached, series that stopped fall out after two turns.
 *
 * <p><b>Assumptions and guarantees.</b> Lookups go through a caller-owned {@link Probe}, which
 * points into the request's buffer, so a hit allocates nothing. The generations are swapped under
 * the instance's lock; a put racing a swap may land in the generation that just became the previous
 * one, which only costs a later miss.
 */
final class SeriesCache {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int maxEntriesPerGeneration;
  private volatile ConcurrentHashMap<Key, Entry> current = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<Key, Entry> previous = new ConcurrentHashMap<>();

  /** A cache holding up to twice {@code maxEntriesPerGeneration} series. */
  SeriesCache(int maxEntriesPerGeneration) {
    if (maxEntriesPerGeneration < 1) {
      throw new IllegalArgumentException(
          "maxEntriesPerGeneration must be positive: " + maxEntriesPerGeneration);
    }
    this.maxEntriesPerGeneration = maxEntriesPerGeneration;
  }

  /**
   * A cached series: its labels and the store's handle for it, which writers update (a racy write
   * of a reference: every value written is a valid handle or null).
   */
  static final class Entry extends Key {
    final Labels labels;
    volatile SeriesRef ref;

    /** An entry keyed by a copy of the probe's bytes: one object to reach instead of two. */
    Entry(Probe probe, Labels labels) {
      this.bytes = Arrays.copyOfRange(probe.bytes, probe.offset, probe.offset + probe.length);
      this.offset = 0;
      this.length = probe.length;
      this.hash = probe.hash;
      this.labels = labels;
    }
  }

  /** The entry cached for the probe's bytes, or null. */
  Entry get(Probe probe) {
    Entry entry = current.get(probe);
    if (entry == null) {
      entry = previous.get(probe);
      if (entry != null) {
        put(entry);
      }
    }
    return entry;
  }

  /** Caches {@code entry} under its bytes. */
  void put(Entry entry) {
    ConcurrentHashMap<Key, Entry> map = current;
    if (map.size() >= maxEntriesPerGeneration) {
      synchronized (this) {
        if (current == map) {
          previous = map;
          current = new ConcurrentHashMap<>();
        }
        map = current;
      }
    }
    map.put(entry, entry);
  }

  /** Series cached in both generations (a series may be counted twice). */
  int size() {
    return current.size() + previous.size();
  }

  /** Key bytes held in a slice of an array; equal to any key with the same bytes. */
  static class Key {
    byte[] bytes;
    int offset;
    int length;
    int hash;

    @Override
    public final boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return hash == k.hash
          && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
    }

    @Override
    public final int hashCode() {
      return hash;
    }
  }

  /** A reusable lookup key pointing into a request's buffer; not thread-safe. */
  static final class Probe extends Key {
    /** Points the probe at {@code bytes[offset, offset + length)} and hashes it. */
    Probe set(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.hash = hash(bytes, offset, length);
      return this;
    }
  }

  /** A 64-bit multiply-xorshift hash over 8 bytes at a time, folded to 32 bits. */
  static int hash(byte[] b, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    for (; i < end; i++) {
      h = (h ^ b[i]) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 29;
    return (int) (h ^ (h >>> 32));
  }
}
