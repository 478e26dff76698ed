package dev.vigil.tsdb.internal;

import java.security.SecureRandom;

/**
 * Block ids: ULIDs (48-bit millisecond time, 80 random bits, Crockford base 32), so that a
 * directory listing sorts blocks by creation time, as Prometheus names its blocks.
 */
final class BlockId {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private BlockId() {}

  /** A new id for a block created at {@code millis}. */
  static String next(long millis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    long time = millis & 0xFFFFFFFFFFFFL;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 characters of 5 bits.
    int bit = 0;
    for (int i = 10; i < 26; i++) {
      int v = 0;
      for (int k = 0; k < 5; k++, bit++) {
        v = (v << 1) | ((random[bit >> 3] >> (7 - (bit & 7))) & 1);
      }
      out[i] = ALPHABET[v];
    }
    return new String(out);
  }

  /** Whether {@code name} has the shape of an id. */
  static boolean isId(String name) {
    if (name.length() != 26) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (new String(ALPHABET).indexOf(name.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
