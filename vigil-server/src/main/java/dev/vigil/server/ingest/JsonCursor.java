package dev.vigil.server.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the simple tokens of a JSON body for {@link RequestEventScanner}: whitespace, punctuation,
 * ASCII strings without escapes, literals and plain numbers. On anything else it gives up by
 * throwing {@link #GIVE_UP}, and the body goes to Jackson; so it must never accept what JSON (or
 * Jackson's limits) would refuse, but may refuse what JSON allows. Reading past the end throws
 * {@code ArrayIndexOutOfBoundsException}, which the scanner treats the same way. Not thread-safe.
 */
final class JsonCursor {

  /** Thrown to give up; carries no stack trace (it is flow control, not an error). */
  static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  /** The one instance thrown. */
  static final GiveUp GIVE_UP = new GiveUp();

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** 10^k for k up to 22, all exact in a double. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int k = 0; k < POWERS_OF_TEN.length; k++) {
      POWERS_OF_TEN[k] = p;
      p *= 10;
    }
  }

  /** The body; read directly by the scanner for names it compares in place. */
  byte[] b;

  /** Index of the next byte to read. */
  int pos;

  /** Length of the body. */
  int end;

  /** Starts reading {@code body}. */
  void reset(byte[] body) {
    b = body;
    pos = 0;
    end = body.length;
  }

  /** The next byte, not consumed. */
  byte peek() {
    if (pos >= end) {
      throw GIVE_UP;
    }
    return b[pos];
  }

  /** Consumes {@code c} if it is next. */
  boolean accept(char c) {
    if (pos < end && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** Consumes {@code c}, or gives up. */
  void expect(char c) {
    if (!accept(c)) {
      throw GIVE_UP;
    }
  }

  /** Skips JSON whitespace: space, tab, line feed, carriage return. */
  void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  /** Whether {@code b[start, start + length)} holds exactly {@code name}. */
  boolean regionIs(int start, int length, byte[] name) {
    if (length != name.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (b[start + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves past the closing quote of a string whose opening quote was consumed; returns the index of
   * the closing quote. Gives up on escapes, control characters, DEL and non-ASCII bytes.
   */
  int stringEnd() {
    int start = pos;
    // Eight bytes at a time up to the first byte that needs a look (SWAR, see special()); a string
    // of the body has about 15 bytes, and a loop over bytes was a third of the scanner's time.
    while (pos + 8 <= end) {
      long special = special((long) LONGS.get(b, pos));
      if (special != 0) {
        pos += Long.numberOfTrailingZeros(special) >>> 3;
        break;
      }
      pos += 8;
    }
    while (true) {
      byte c = b[pos];
      if (c == '"') {
        if (pos - start > 100_000) {
          throw GIVE_UP; // far beyond any name: Jackson judges it against its string limits
        }
        return pos++;
      }
      if (c < 0x20 || c == '\\' || c == 0x7F) { // bytes >= 0x80 are negative
        throw GIVE_UP;
      }
      pos++;
    }
  }

  /**
   * The high bit of every byte of {@code w} (little-endian) that is a quote, a backslash, DEL, a
   * control character or not ASCII. Each term is the classic has-zero-byte test {@code (x - 0x01..)
   * & ~x & 0x80..}, whose lowest set bit is exact (borrows only run upwards), so the lowest set bit
   * of the union marks the first such byte.
   */
  private static long special(long w) {
    long quote = w ^ 0x2222222222222222L;
    long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
    long del = w ^ 0x7F7F7F7F7F7F7F7FL;
    return (((quote - ONES) & ~quote)
            | ((backslash - ONES) & ~backslash)
            | ((del - ONES) & ~del)
            | ((w - 0x2020202020202020L) & ~w)
            | w)
        & HIGH_BITS;
  }

  /** Consumes {@code literal} (true, false, null) if it is next; gives up on "nullx" and such. */
  boolean acceptLiteral(String literal) {
    int n = literal.length();
    if (pos + n > end) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != literal.charAt(i)) {
        return false;
      }
    }
    int after = pos + n;
    if (after < end && isIdentifierPart(b[after])) {
      throw GIVE_UP; // Jackson's error
    }
    pos = after;
    return true;
  }

  private static boolean isIdentifierPart(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /**
   * A non-negative integer token of at most {@code maxDigits} (<= 18) digits, without a leading
   * zero unless it is 0, that does not go on as a fraction or exponent.
   */
  long integer(int maxDigits) {
    int start = pos;
    long value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9' && pos - start < maxDigits) {
      value = value * 10 + (b[pos] - '0');
      pos++;
    }
    int digits = pos - start;
    if (digits == 0 || (digits > 1 && b[start] == '0') || numberGoesOn()) {
      throw GIVE_UP;
    }
    return value;
  }

  /**
   * A non-negative number of up to 15 significant digits without exponent, exactly as {@code
   * Double.parseDouble} reads it.
   */
  double decimal() {
    int start = pos;
    long mantissa = 0;
    int significant = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      mantissa = mantissa * 10 + (b[pos] - '0');
      if (mantissa != 0 && ++significant > 15) {
        throw GIVE_UP; // stops before the mantissa could overflow
      }
      pos++;
    }
    int intDigits = pos - start;
    if (intDigits == 0 || (intDigits > 1 && b[start] == '0')) {
      throw GIVE_UP;
    }
    int fraction = 0;
    if (pos < end && b[pos] == '.') {
      pos++;
      int fractionStart = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        mantissa = mantissa * 10 + (b[pos] - '0');
        if (mantissa != 0 && ++significant > 15) {
          throw GIVE_UP;
        }
        pos++;
      }
      fraction = pos - fractionStart;
      if (fraction == 0) {
        throw GIVE_UP;
      }
    }
    if (fraction >= POWERS_OF_TEN.length || numberGoesOn()) {
      throw GIVE_UP;
    }
    // Both operands are exact doubles (mantissa < 10^15 < 2^53, 10^k for k <= 22), so the quotient
    // is the correctly rounded value of the decimal (Clinger's fast path).
    return fraction == 0 ? (double) mantissa : mantissa / POWERS_OF_TEN[fraction];
  }

  /** Whether a number continues past what was read (a fraction, exponent or more digits). */
  private boolean numberGoesOn() {
    if (pos >= end) {
      return false;
    }
    byte c = b[pos];
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  }

  /** Skips a string, number, true, false or null; gives up on objects and arrays. */
  void skipScalar() {
    byte c = peek();
    if (c == '"') {
      pos++;
      stringEnd();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      skipNumber();
    } else if (!acceptLiteral("true") && !acceptLiteral("false") && !acceptLiteral("null")) {
      throw GIVE_UP;
    }
  }

  /** Skips a number, strictly by JSON's grammar. */
  private void skipNumber() {
    int start = pos;
    if (b[pos] == '-') {
      pos++;
    }
    int intStart = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    if (pos == intStart || (pos - intStart > 1 && b[intStart] == '0')) {
      throw GIVE_UP;
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      int f = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        pos++;
      }
      if (pos == f) {
        throw GIVE_UP;
      }
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      int e = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        pos++;
      }
      if (pos == e) {
        throw GIVE_UP;
      }
    }
    if (pos - start > 100 || numberGoesOn()) {
      throw GIVE_UP; // long numbers meet Jackson's length limits: let it judge
    }
  }
}
