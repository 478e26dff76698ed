package dev.vigil.server.ingest;

import java.util.Arrays;

/**
 * Numbers distinct {@code (int, long)} keys 0, 1, 2, ... in the order they first appear: open
 * addressing with linear probing over primitive arrays, so that looking up a key allocates nothing.
 * Ingest numbers its (endpoint, slot) and (user, minute) pairs with it: about 20 ns a lookup where
 * a {@code HashMap} with a record key cost an allocation and a hash of four strings. Not
 * thread-safe.
 */
final class KeyNumbering {
  private int[] firsts;
  private long[] seconds;
  private int[] numbers; // -1: empty slot
  private int size;
  private int mask;

  /** A numbering sized for about {@code expected} keys (it grows as needed). */
  KeyNumbering(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    firsts = new int[capacity];
    seconds = new long[capacity];
    numbers = new int[capacity];
    Arrays.fill(numbers, -1);
    mask = capacity - 1;
  }

  /** Number of distinct keys seen. */
  int size() {
    return size;
  }

  /** The number of {@code (first, second)}, giving it the next number if it is new. */
  int number(int first, long second) {
    int slot = hash(first, second) & mask;
    while (true) {
      int n = numbers[slot];
      if (n < 0) {
        break;
      }
      if (firsts[slot] == first && seconds[slot] == second) {
        return n;
      }
      slot = (slot + 1) & mask;
    }
    firsts[slot] = first;
    seconds[slot] = second;
    numbers[slot] = size;
    if (++size * 2 > numbers.length) {
      grow();
    }
    return size - 1;
  }

  private void grow() {
    int[] oldFirsts = firsts;
    long[] oldSeconds = seconds;
    int[] oldNumbers = numbers;
    allocate(oldNumbers.length * 2);
    for (int i = 0; i < oldNumbers.length; i++) {
      if (oldNumbers[i] >= 0) {
        int slot = hash(oldFirsts[i], oldSeconds[i]) & mask;
        while (numbers[slot] >= 0) {
          slot = (slot + 1) & mask;
        }
        firsts[slot] = oldFirsts[i];
        seconds[slot] = oldSeconds[i];
        numbers[slot] = oldNumbers[i];
      }
    }
  }

  private static int hash(int first, long second) {
    long h = (second * 0x9E3779B97F4A7C15L) ^ (first * 0xC2B2AE3D27D4EB4FL);
    return (int) (h ^ (h >>> 29) ^ (h >>> 47));
  }
}
