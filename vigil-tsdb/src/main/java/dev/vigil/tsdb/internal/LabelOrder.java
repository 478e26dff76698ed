package dev.vigil.tsdb.internal;

import java.util.Comparator;

/**
 * Orders label names and values by Unicode code point, which is the UTF-8 byte order Prometheus
 * sorts by, and the order {@link dev.vigil.model.Labels#compareTo} uses for its pairs.
 */
final class LabelOrder {
  /** Code point order; String.compareTo differs for characters outside the BMP. */
  static final Comparator<String> VALUES = LabelOrder::compare;

  private LabelOrder() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // Surrogates (U+D800..U+DFFF) encode code points >= U+10000 but sort below U+E000..U+FFFF
        // in UTF-16 order; moving them above restores code point order.
        if (x >= 0xD800 && y >= 0xD800) {
          x = (char) (x >= 0xE000 ? x - 0x800 : x + 0x2000);
          y = (char) (y >= 0xE000 ? y - 0x800 : y + 0x2000);
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
