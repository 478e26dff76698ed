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

  private static final JsonCursor.GiveUp GIVE_UP = JsonCursor.GIVE_UP;

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

  private final JsonCursor in = new JsonCursor();

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
    in.reset(body);
    try {
      // An event of the usual shape takes 150 to 250 bytes: room for all without growing.
      EventBatch batch = new EventBatch(names.endpoints, body.length / 128 + 1);
      in.skipWhitespace();
      if (in.peek() == '{') {
        item(batch);
      } else if (in.accept('[')) {
        do {
          in.skipWhitespace();
          item(batch);
          in.skipWhitespace();
        } while (in.accept(','));
        in.expect(']');
      } else {
        return null;
      }
      in.skipWhitespace();
      return in.pos == in.end ? batch : null;
    } catch (JsonCursor.GiveUp | ArrayIndexOutOfBoundsException e) {
      return null; // reading past the end is a truncated body: Jackson words it
    }
  }

  private void item(EventBatch batch) {
    in.expect('{');
    hasTimestamp = false;
    route = -1;
    method = -1;
    hasSeconds = false;
    status = -1;
    user = -1;
    service = names.defaultService;
    instance = names.defaultInstance;
    in.skipWhitespace();
    if (!in.accept('}')) {
      do {
        in.skipWhitespace();
        member();
        in.skipWhitespace();
      } while (in.accept(','));
      in.expect('}');
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
    in.expect('"');
    int nameStart = in.pos;
    byte[] known = knownName();
    int length = known != null ? known.length : in.stringEnd() - nameStart;
    in.skipWhitespace();
    in.expect(':');
    in.skipWhitespace();
    if (known == ENDPOINT) {
      route = name(routes, names.routeChecked = grow(names.routeChecked, routes.size() + 1));
    } else if (known == METHOD) {
      method = string(rawMethods);
    } else if (known == RESPONSE_TIME) {
      seconds = in.decimal();
      hasSeconds = true;
    } else if (known == STATUS_CODE) {
      status = (int) in.integer(4); // a float is a type error the Jackson path words
    } else if (known == TIMESTAMP) {
      timestamp();
    } else if (known == USER_EMAIL || known == USER) {
      if (in.acceptLiteral("null")) {
        return; // an explicit null leaves the user as it was, as in the Jackson path
      }
      in.expect('"');
      int start = in.pos;
      int stop = in.stringEnd();
      if (stop > start) {
        user = users.number(in.b, start, stop - start);
      }
    } else if (known == SERVICE) {
      service =
          name(services, names.serviceChecked = grow(names.serviceChecked, services.size() + 1));
    } else if (known == INSTANCE) {
      instance =
          name(
              instances, names.instanceChecked = grow(names.instanceChecked, instances.size() + 1));
    } else if (length <= 1000) { // longer names meet Jackson's name length limit: let it judge
      in.skipScalar();
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
    byte[] b = in.b;
    int pos = in.pos;
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
    if (n == 0 || pos + n >= in.end || b[pos + n] != '"' || !in.regionIs(pos, n, candidate)) {
      return null;
    }
    in.pos = pos + n + 1;
    return candidate;
  }

  private void timestamp() {
    if (in.acceptLiteral("null")) {
      hasTimestamp = false;
      return;
    }
    if (in.accept('"')) {
      int start = in.pos;
      int stop = in.stringEnd();
      int length = stop - start;
      if (length > scratch.length) {
        throw GIVE_UP;
      }
      for (int i = 0; i < length; i++) {
        scratch[i] = (char) in.b[start + i];
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
    long value = in.integer(18);
    timestamp = value;
    hasTimestamp = true;
  }

  /** A string value taken into {@code dictionary}. */
  private int string(AsciiDictionary dictionary) {
    in.expect('"');
    int start = in.pos;
    int stop = in.stringEnd();
    return dictionary.number(in.b, start, stop - start);
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

  private static boolean[] grow(boolean[] a, int size) {
    return size <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
