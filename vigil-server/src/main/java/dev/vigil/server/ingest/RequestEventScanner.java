package dev.vigil.server.ingest;

import java.util.Locale;
import java.util.Set;

/**
 * A hand-written reader for the common shape of request-event bodies, tried before Jackson: ASCII
 * JSON, an object or an array of flat objects, strings without escapes, plain decimal numbers.
 * Anything else, and every invalid item, makes it give up ({@link #scan} returns null) so that
 * {@link RequestEventParser} reads the body with Jackson from the start, which accepts the same
 * batches with the same values and words every error. The scanner therefore never has to explain a
 * problem, only to be strict: it accepts a subset of what the Jackson path accepts, with equal
 * results (a property test compares the two on generated and mutated bodies).
 *
 * <p>Why: Jackson's token stream cost about 40% of ingest CPU (field names through its symbol
 * table, every string value decoded into its buffer, numbers through text); this reads the bytes
 * once, compares field names by length and bytes, takes names into the batch's dictionaries
 * straight from the body, and turns decimals of up to 15 significant digits into doubles with one
 * exact division (Clinger's fast path, correctly rounded like {@code Double.parseDouble}).
 *
 * <p>One scanner reads one body; not thread-safe.
 */
final class RequestEventScanner {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /** 10^k for k up to 22, all exact in a double. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int k = 0; k < POWERS_OF_TEN.length; k++) {
      POWERS_OF_TEN[k] = p;
      p *= 10;
    }
  }

  /** Thrown to give up; carries no stack trace (it is flow control, not an error). */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  // Field names, as bytes, for comparing in place.
  private static final byte[] TIMESTAMP = ascii("timestamp");
  private static final byte[] ENDPOINT = ascii("endpoint");
  private static final byte[] METHOD = ascii("method");
  private static final byte[] RESPONSE_TIME = ascii("response_time");
  private static final byte[] STATUS_CODE = ascii("status_code");
  private static final byte[] USER_EMAIL = ascii("user_email");
  private static final byte[] USER = ascii("user");
  private static final byte[] SERVICE = ascii("service");
  private static final byte[] INSTANCE = ascii("instance");

  private final long nowMillis;
  private final long oldestMillis;
  private final long newestMillis;

  private final ScannerNames names = ScannerNames.forCurrentThread();
  private final AsciiDictionary routes = names.routes;
  private final AsciiDictionary services = names.services;
  private final AsciiDictionary instances = names.instances;
  private final AsciiDictionary users = new AsciiDictionary(); // per batch: see ScannerNames
  private final AsciiDictionary rawMethods = names.rawMethods;
  private final AsciiDictionary methods = names.methods;
  private final char[] scratch = new char[40];

  private byte[] b;
  private int pos;
  private int end;

  // The fields of the item being read; the value -1 (or false) means absent.
  private boolean hasTimestamp;
  private long timestamp;
  private int route;
  private int method;
  private boolean hasSeconds;
  private double seconds;
  private int status;
  private int user;
  private int service;
  private int instance;

  /** A scanner with the parser's window: events in [oldestMillis, newestMillis] are accepted. */
  RequestEventScanner(long nowMillis, long oldestMillis, long newestMillis) {
    this.nowMillis = nowMillis;
    this.oldestMillis = oldestMillis;
    this.newestMillis = newestMillis;
  }

  /** The batch in {@code body}, or null if the Jackson path must read it. */
  EventBatch scan(byte[] body) {
    b = body;
    pos = 0;
    end = body.length;
    try {
      EventBatch batch = new EventBatch(names.endpoints);
      skipWhitespace();
      if (peek() == '{') {
        item(batch);
      } else if (peek() == '[') {
        pos++;
        skipWhitespace();
        do {
          skipWhitespace();
          item(batch);
          skipWhitespace();
        } while (accept(','));
        expect(']');
      } else {
        return null;
      }
      skipWhitespace();
      return pos == end ? batch : null;
    } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
      return null; // reading past the end is a truncated body: Jackson words it
    }
  }

  private void item(EventBatch batch) {
    expect('{');
    hasTimestamp = false;
    route = -1;
    method = -1;
    hasSeconds = false;
    status = -1;
    user = -1;
    service = names.defaultService;
    instance = names.defaultInstance;
    skipWhitespace();
    if (!accept('}')) {
      do {
        skipWhitespace();
        member();
        skipWhitespace();
      } while (accept(','));
      expect('}');
    }
    if (route < 0 || method < 0 || !hasSeconds || status < 0) {
      throw GIVE_UP;
    }
    if (!(seconds >= 0 && seconds <= RequestEventParser.MAX_SECONDS)) {
      throw GIVE_UP;
    }
    if (status < 100 || status > 599) {
      throw GIVE_UP;
    }
    int m = normalisedMethod(method);
    long ts = hasTimestamp ? timestamp : nowMillis;
    if (ts < oldestMillis || ts > newestMillis) {
      throw GIVE_UP;
    }
    int e =
        batch.endpoint(
            service,
            instance,
            m,
            route,
            services.get(service),
            instances.get(instance),
            methods.get(m),
            routes.get(route));
    batch.add(ts, seconds, status, e, user);
    // The batch numbers users as the dictionary does, including any this item named and replaced.
    while (batch.userCount() < users.size()) {
      batch.addUser(users.get(batch.userCount()));
    }
  }

  /** One {@code "name": value} member. */
  private void member() {
    expect('"');
    int nameStart = pos;
    byte[] known = knownName();
    int length = known != null ? known.length : stringEnd() - nameStart;
    skipWhitespace();
    expect(':');
    skipWhitespace();
    if (known == ENDPOINT) {
      route = name(routes, names.routeChecked = grow(names.routeChecked, routes.size() + 1));
    } else if (known == METHOD) {
      method = string(rawMethods);
    } else if (known == RESPONSE_TIME) {
      seconds = decimal();
      hasSeconds = true;
    } else if (known == STATUS_CODE) {
      status = statusCode();
    } else if (known == TIMESTAMP) {
      timestamp();
    } else if (known == USER_EMAIL || known == USER) {
      if (acceptLiteral("null")) {
        return; // an explicit null leaves the user as it was, as in the Jackson path
      }
      expect('"');
      int start = pos;
      int stop = stringEnd();
      if (stop > start) {
        user = users.number(b, start, stop - start);
      }
    } else if (known == SERVICE) {
      service =
          name(services, names.serviceChecked = grow(names.serviceChecked, services.size() + 1));
    } else if (known == INSTANCE) {
      instance =
          name(
              instances, names.instanceChecked = grow(names.instanceChecked, instances.size() + 1));
    } else if (length <= 1000) { // longer names meet Jackson's name length limit: let it judge
      skipScalar();
    } else {
      throw GIVE_UP;
    }
  }

  /**
   * If the field name at {@code pos} is one of the event's (decided by its first bytes, then
   * compared whole with its closing quote), moves past the quote and returns it; else returns null
   * without moving.
   */
  private byte[] knownName() {
    byte[] candidate =
        switch (b[pos]) {
          case 't' -> TIMESTAMP;
          case 'e' -> ENDPOINT;
          case 'm' -> METHOD;
          case 'r' -> RESPONSE_TIME;
          case 's' -> b[pos + 1] == 't' ? STATUS_CODE : SERVICE;
          case 'u' -> b[pos + 4] == '_' ? USER_EMAIL : USER;
          case 'i' -> INSTANCE;
          default -> null;
        };
    int n = candidate == null ? 0 : candidate.length;
    if (n == 0 || pos + n >= end || b[pos + n] != '"' || !is(pos, n, candidate)) {
      return null;
    }
    pos += n + 1;
    return candidate;
  }

  private void timestamp() {
    if (acceptLiteral("null")) {
      hasTimestamp = false;
      return;
    }
    if (peek() == '"') {
      pos++;
      int start = pos;
      int stop = stringEnd();
      int length = stop - start;
      if (length > scratch.length) {
        throw GIVE_UP;
      }
      for (int i = 0; i < length; i++) {
        scratch[i] = (char) b[start + i];
      }
      long t = IsoTimestamp.fastEpochMillis(scratch, 0, length);
      if (t == IsoTimestamp.NOT_HANDLED) {
        throw GIVE_UP;
      }
      timestamp = t;
      hasTimestamp = true;
      return;
    }
    // Epoch milliseconds: a plain non-negative integer of up to 18 digits.
    int start = pos;
    long value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      value = value * 10 + (b[pos] - '0');
      pos++;
    }
    int digits = pos - start;
    if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0') || numberGoesOn()) {
      throw GIVE_UP;
    }
    timestamp = value;
    hasTimestamp = true;
  }

  /** A non-negative JSON number of up to 15 significant digits without exponent, exactly. */
  private double decimal() {
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
          throw GIVE_UP; // stops before the mantissa could overflow
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
    // is the correctly rounded value of the decimal, as Double.parseDouble would give.
    return fraction == 0 ? (double) mantissa : mantissa / POWERS_OF_TEN[fraction];
  }

  /** A status code: a plain integer token (a float is a type error the Jackson path words). */
  private int statusCode() {
    int start = pos;
    int value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9' && pos - start < 4) {
      value = value * 10 + (b[pos] - '0');
      pos++;
    }
    if (pos == start || b[start] == '0' || numberGoesOn()) {
      throw GIVE_UP;
    }
    return value;
  }

  /** Whether a number continues past what was read (a fraction, exponent or more digits). */
  private boolean numberGoesOn() {
    if (pos >= end) {
      return false;
    }
    byte c = b[pos];
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  }

  /** A string value taken into {@code dictionary}. */
  private int string(AsciiDictionary dictionary) {
    expect('"');
    int start = pos;
    int stop = stringEnd();
    return dictionary.number(b, start, stop - start);
  }

  /** A name (endpoint, service, instance), checked when first seen, as the Jackson path does. */
  private int name(AsciiDictionary dictionary, boolean[] checked) {
    int n = string(dictionary);
    if (!checked[n]) {
      String s = dictionary.get(n);
      // Only printable ASCII gets here, so blank means all spaces and there is no control
      // character.
      if (s.isBlank() || s.length() > RequestEventParser.MAX_NAME_LENGTH) {
        throw GIVE_UP;
      }
      checked[n] = true;
    }
    return n;
  }

  private int normalisedMethod(int raw) {
    if (raw >= names.methodOfRaw.length) {
      names.methodOfRaw =
          java.util.Arrays.copyOf(
              names.methodOfRaw, Math.max(raw + 1, names.methodOfRaw.length * 2));
    }
    int[] methodOfRaw = names.methodOfRaw;
    if (methodOfRaw[raw] == 0) {
      String m = rawMethods.get(raw);
      boolean valid = !m.isEmpty() && m.length() <= 32;
      for (int i = 0; i < m.length() && valid; i++) {
        char c = m.charAt(i);
        valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      }
      if (valid) {
        String upper = m.toUpperCase(Locale.ROOT);
        methodOfRaw[raw] = methods.number(METHODS.contains(upper) ? upper : "_OTHER") + 1;
      } else {
        methodOfRaw[raw] = -1;
      }
    }
    if (methodOfRaw[raw] < 0) {
      throw GIVE_UP;
    }
    return methodOfRaw[raw] - 1;
  }

  /** Skips a string, number, true, false or null; gives up on objects and arrays. */
  private void skipScalar() {
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

  /**
   * Moves past the closing quote of a string whose opening quote was consumed; returns the index of
   * the closing quote. Gives up on escapes, control characters, DEL and non-ASCII bytes.
   */
  private int stringEnd() {
    int start = pos;
    // Eight bytes at a time up to the first byte that needs a look (SWAR, see below); a string of
    // the body has on average 15 bytes, and this loop used to be a third of the scanner's time.
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

  private boolean acceptLiteral(String literal) {
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
      throw GIVE_UP; // "nullx" and the like: Jackson's error
    }
    pos = after;
    return true;
  }

  private static boolean isIdentifierPart(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private boolean is(int start, int length, byte[] name) {
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

  private byte peek() {
    if (pos >= end) {
      throw GIVE_UP;
    }
    return b[pos];
  }

  private boolean accept(char c) {
    if (pos < end && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw GIVE_UP;
    }
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private static boolean[] grow(boolean[] a, int size) {
    return size <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
