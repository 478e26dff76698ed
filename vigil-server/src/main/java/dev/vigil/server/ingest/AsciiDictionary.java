package dev.vigil.server.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link StringDictionary} for {@link RequestEventScanner}: numbers ASCII strings read straight
 * from the body's bytes, hashing and comparing them eight bytes at a time. Not thread-safe.
 */
final class AsciiDictionary {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[][] keys = new byte[64][];
  private int[] hashes = new int[64];
  private int[] numbers = new int[64]; // -1: empty slot
  private String[] strings = new String[32];
  private byte[][] keyOf = new byte[32][];
  private int size;
  private int last = -1; // number of the string looked up last
  private byte[] lastKey;

  AsciiDictionary() {
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

  /** The number of {@code s} (ASCII), numbering it if it is new. */
  int number(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return number(b, 0, b.length);
  }

  /** The number of the ASCII bytes {@code text[offset, offset + length)}, numbering them if new. */
  int number(byte[] text, int offset, int length) {
    // The same string as last time (a batch's service and instance, mostly) skips the hash.
    if (last >= 0 && equal(lastKey, text, offset, length)) {
      return last;
    }
    int n = lookUp(text, offset, length);
    last = n;
    lastKey = keyOf[n];
    return n;
  }

  private int lookUp(byte[] text, int offset, int length) {
    int h = hash(text, offset, length);
    int mask = numbers.length - 1;
    int slot = h & mask;
    for (; numbers[slot] >= 0; slot = (slot + 1) & mask) {
      if (hashes[slot] == h && equal(keys[slot], text, offset, length)) {
        return numbers[slot];
      }
    }
    byte[] key = Arrays.copyOfRange(text, offset, offset + length);
    keys[slot] = key;
    hashes[slot] = h;
    numbers[slot] = size;
    if (size == strings.length) {
      strings = Arrays.copyOf(strings, size * 2);
      keyOf = Arrays.copyOf(keyOf, size * 2);
    }
    strings[size] = new String(key, StandardCharsets.US_ASCII);
    keyOf[size] = key;
    size++;
    if (size * 2 > numbers.length) {
      grow();
    }
    return size - 1;
  }

  private void grow() {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    int[] oldNumbers = numbers;
    keys = new byte[oldKeys.length * 2][];
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

  /** Whether {@code key} holds exactly {@code text[offset, offset + length)}, compared by words. */
  private static boolean equal(byte[] key, byte[] text, int offset, int length) {
    if (key.length != length) {
      return false;
    }
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      if ((long) LONGS.get(key, i) != (long) LONGS.get(text, offset + i)) {
        return false;
      }
    }
    for (; i < length; i++) {
      if (key[i] != text[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /** Multiply-xor over little-endian 64-bit words, then the remaining bytes. */
  private static int hash(byte[] text, int offset, int length) {
    long h = length * 0x9E3779B97F4A7C15L;
    int i = offset;
    int stop = offset + length;
    for (; i + 8 <= stop; i += 8) {
      h = (h ^ (long) LONGS.get(text, i)) * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 29;
    }
    for (; i < stop; i++) {
      h = (h ^ text[i]) * 0x9E3779B97F4A7C15L;
    }
    h ^= h >>> 32;
    return (int) (h ^ (h >>> 16));
  }
}
