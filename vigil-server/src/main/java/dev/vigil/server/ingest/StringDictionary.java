package dev.vigil.server.ingest;

import java.util.Arrays;

/**
 * Numbers the distinct strings of a batch, read straight from the JSON parser's character buffer: a
 * string seen before costs a hash and a comparison of its characters, not a new {@code String}. A
 * batch of 1,000 events names a few hundred endpoints and users thousands of times, and creating,
 * hashing and comparing a fresh string per field cost about 10% of ingest CPU. Not thread-safe.
 */
final class StringDictionary {
  private char[][] keys = new char[64][];
  private int[] hashes = new int[64];
  private int[] numbers = new int[64]; // -1: empty slot
  private String[] strings = new String[32];
  private int size;

  StringDictionary() {
    Arrays.fill(numbers, -1);
  }

  /** Number of distinct strings. */
  int size() {
    return size;
  }

  /** The string numbered {@code n}. */
  String get(int n) {
    return strings[n];
  }

  /** The number of {@code text[offset, offset + length)}, numbering it if it is new. */
  int number(char[] text, int offset, int length) {
    int h = hash(text, offset, length);
    int mask = numbers.length - 1;
    int slot = h & mask;
    for (; numbers[slot] >= 0; slot = (slot + 1) & mask) {
      if (hashes[slot] == h && equal(keys[slot], text, offset, length)) {
        return numbers[slot];
      }
    }
    return add(slot, Arrays.copyOfRange(text, offset, offset + length), h);
  }

  private int add(int slot, char[] key, int h) {
    keys[slot] = key;
    hashes[slot] = h;
    numbers[slot] = size;
    if (size == strings.length) {
      strings = Arrays.copyOf(strings, size * 2);
    }
    strings[size] = new String(key);
    size++;
    if (size * 2 > numbers.length) {
      grow();
    }
    return size - 1;
  }

  /**
   * The number of the ASCII string {@code text[offset, offset + length)}, numbering it if it is
   * new; the same number as for its characters (callers pass only bytes below 0x80).
   */
  int number(byte[] text, int offset, int length) {
    int h = hash(text, offset, length);
    int mask = numbers.length - 1;
    int slot = h & mask;
    for (; numbers[slot] >= 0; slot = (slot + 1) & mask) {
      if (hashes[slot] == h && equal(keys[slot], text, offset, length)) {
        return numbers[slot];
      }
    }
    char[] key = new char[length];
    for (int i = 0; i < length; i++) {
      key[i] = (char) text[offset + i];
    }
    return add(slot, key, h);
  }

  /** The number of {@code s}, numbering it if it is new. */
  int number(String s) {
    char[] c = s.toCharArray();
    return number(c, 0, c.length);
  }

  private void grow() {
    char[][] oldKeys = keys;
    int[] oldHashes = hashes;
    int[] oldNumbers = numbers;
    keys = new char[oldKeys.length * 2][];
    hashes = new int[keys.length];
    numbers = new int[keys.length];
    Arrays.fill(numbers, -1);
    int mask = numbers.length - 1;
    for (int i = 0; i < oldNumbers.length; i++) {
      if (oldNumbers[i] >= 0) {
        int slot = oldHashes[i] & mask;
        while (numbers[slot] >= 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        hashes[slot] = oldHashes[i];
        numbers[slot] = oldNumbers[i];
      }
    }
  }

  private static int hash(char[] text, int offset, int length) {
    int h = length;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + text[i];
    }
    return h ^ (h >>> 16);
  }

  private static int hash(byte[] text, int offset, int length) {
    int h = length;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + text[i];
    }
    return h ^ (h >>> 16);
  }

  private static boolean equal(char[] key, byte[] text, int offset, int length) {
    if (key.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != text[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean equal(char[] key, char[] text, int offset, int length) {
    return key.length == length && Arrays.equals(key, 0, length, text, offset, offset + length);
  }
}
