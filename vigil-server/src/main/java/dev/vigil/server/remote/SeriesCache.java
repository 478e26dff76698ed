package dev.vigil.server.remote;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.SeriesRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

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
 * <p>A generation is an open-addressing table (linear probing, at most half full) of two parallel
 * arrays, the keys' hashes and the entries: a lookup reads one slot of each and then the entry and
 * its bytes, where a {@link java.util.concurrent.ConcurrentHashMap} also went through a node (the
 * lookup was a third of remote write's CPU, mostly waiting for memory).
 *
 * <p><b>Assumptions and guarantees.</b> Lookups go through a caller-owned {@link Probe}, which
 * points into the request's buffer, so a hit allocates nothing. Lookups take no lock; puts and
 * growth happen under the instance's lock. A put stores the entry, then publishes its hash with
 * release semantics; a lookup reads the hash with acquire semantics before the entry, so it sees a
 * fully built entry or none. Growth builds a new table and publishes it through a volatile field; a
 * lookup still reading the old one may miss an entry put meanwhile, which only costs a duplicate
 * entry for the same labels (a later put of the same bytes finds and keeps the first).
 */
final class SeriesCache {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final int INITIAL_SLOTS = 1024;

  private final int maxEntriesPerGeneration;
  private volatile Table current = new Table(INITIAL_SLOTS);
  private volatile Table previous = new Table(INITIAL_SLOTS);

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

  /** One generation: hashes (0: empty slot) and entries, in parallel arrays. */
  private static final class Table {
    final int[] hashes;
    final Entry[] entries;
    final int mask;
    int size; // guarded by the cache's lock

    Table(int slots) {
      hashes = new int[slots];
      entries = new Entry[slots];
      mask = slots - 1;
    }

    Entry find(Key key, int h) {
      int[] hs = hashes;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        int found = (int) INTS.getAcquire(hs, i);
        if (found == 0) {
          return null;
        }
        if (found == h) {
          Entry e = entries[i];
          if (key.sameBytes(e)) {
            return e;
          }
        }
      }
    }

    /** Stores {@code e}, which is absent; the caller holds the lock and checked the room. */
    void insert(Entry e, int h) {
      for (int i = h & mask; ; i = (i + 1) & mask) {
        if (hashes[i] == 0) {
          entries[i] = e;
          INTS.setRelease(hashes, i, h);
          size++;
          return;
        }
      }
    }
  }

  /** The table's non-zero form of a key's hash: 0 marks an empty slot. */
  private static int slotHash(int hash) {
    return hash == 0 ? 1 : hash;
  }

  /** The entry cached for the probe's bytes, or null. */
  Entry get(Probe probe) {
    int h = slotHash(probe.hash);
    Entry entry = current.find(probe, h);
    if (entry == null) {
      entry = previous.find(probe, h);
      if (entry != null) {
        put(entry);
      }
    }
    return entry;
  }

  /** Caches {@code entry} under its bytes, unless an entry with the same bytes is cached. */
  synchronized void put(Entry entry) {
    int h = slotHash(entry.hash);
    Table table = current;
    if (table.find(entry, h) != null) {
      return;
    }
    if (table.size >= maxEntriesPerGeneration) {
      previous = table;
      table = new Table(INITIAL_SLOTS);
      current = table;
    } else if (2 * (table.size + 1) > table.hashes.length) {
      Table grown = new Table(table.hashes.length * 2);
      for (int i = 0; i < table.hashes.length; i++) {
        if (table.hashes[i] != 0) {
          grown.insert(table.entries[i], table.hashes[i]);
        }
      }
      table = grown;
      current = table;
    }
    table.insert(entry, h);
  }

  /** Series cached in both generations (a series may be counted twice). */
  synchronized int size() {
    return current.size + previous.size;
  }

  /** Key bytes held in a slice of an array; equal to any key with the same bytes. */
  static class Key {
    byte[] bytes;
    int offset;
    int length;
    int hash;

    /** Whether {@code k} holds the same bytes. */
    final boolean sameBytes(Key k) {
      return hash == k.hash
          && length == k.length
          && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
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
