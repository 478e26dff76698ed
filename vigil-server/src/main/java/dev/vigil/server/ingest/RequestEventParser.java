package dev.vigil.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.vigil.server.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates a batch of request events with Jackson's streaming parser: one object or an
 * array of objects with the seed's fields. The first invalid item ends the parse with a 400 naming
 * its index ({@code item 3: status_code 700 is outside 100..599}); nothing of the batch is kept.
 *
 * <p>{@code timestamp} is ISO-8601 with or without a zone (none means UTC) or epoch milliseconds;
 * when absent the time of arrival is used. Events older than the late window or more than {@link
 * #MAX_FUTURE} ahead are refused. Unknown fields are ignored.
 *
 * <p>The batch comes out in columns ({@link EventBatch}). Names are read from the parser's
 * character buffer into per-batch dictionaries, so that each distinct endpoint, method, service,
 * instance and user becomes one {@code String}, validated once, however often it occurs; timestamps
 * take {@link IsoTimestamp}'s fast path. One parser reads one batch; not thread-safe.
 */
public final class RequestEventParser {

  /** How far ahead of the server's clock an event may be, for clock skew. */
  public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  /** Longest response time accepted. */
  public static final double MAX_SECONDS = 86_400;

  /** Longest endpoint, service or instance name accepted. */
  public static final int MAX_NAME_LENGTH = 1024;

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /**
   * Jackson with its fast double parser (FastDoubleParser, correctly rounded like {@code
   * Double.parseDouble}, so the values are the same), used for bodies of request events only.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private final long nowMillis;
  private final Duration lateWindow;
  private final long oldestMillis;
  private final long newestMillis;

  private final StringDictionary routes = new StringDictionary();
  private final StringDictionary services = new StringDictionary();
  private final StringDictionary instances = new StringDictionary();
  private final StringDictionary users = new StringDictionary();
  private final StringDictionary rawMethods = new StringDictionary();
  private final StringDictionary methods = new StringDictionary(); // normalised
  private int[] methodOfRaw = new int[16]; // normalised number of each raw method, -1: invalid
  private final int defaultService;
  private final int defaultInstance;

  /** A parser judging lateness against {@code nowMillis}. */
  public RequestEventParser(long nowMillis, Duration lateWindow) {
    this.nowMillis = nowMillis;
    this.lateWindow = lateWindow;
    this.oldestMillis = nowMillis - lateWindow.toMillis();
    this.newestMillis = nowMillis + MAX_FUTURE.toMillis();
    this.defaultService = services.number("default");
    this.defaultInstance = instances.number("api");
  }

  /** Parses a whole body; throws {@link ApiException} (400) on the first problem. */
  public List<RequestEvent> parse(InputStream body) throws IOException {
    try (JsonParser p = FACTORY.createParser(body)) {
      return parse(p).toEvents();
    }
  }

  /**
   * Parses a whole body into columns; throws {@link ApiException} (400) on the first problem. The
   * common shape of body goes through {@link RequestEventScanner}; whatever it does not take
   * (escapes, non-ASCII, exponents, nested unknown fields, and every invalid batch) through
   * Jackson, which gives the same batches and words the errors.
   */
  EventBatch parseBatch(byte[] body) throws IOException {
    EventBatch fast = new RequestEventScanner(nowMillis, oldestMillis, newestMillis).scan(body);
    if (fast != null) {
      return fast;
    }
    return parseWithJackson(body);
  }

  /** Parses a whole body with Jackson only: the reference the scanner is tested against. */
  EventBatch parseWithJackson(byte[] body) throws IOException {
    try (JsonParser p = FACTORY.createParser(body)) {
      return parse(p);
    }
  }

  private EventBatch parse(JsonParser p) throws IOException {
    try {
      EventBatch batch = new EventBatch(new EndpointTable(), 64);
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        item(p, 0, batch);
      } else if (first == JsonToken.START_ARRAY) {
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
          if (t != JsonToken.START_OBJECT) {
            throw ApiException.badData("item " + i + ": must be a JSON object, got " + kind(t));
          }
          item(p, i, batch);
        }
      } else {
        throw ApiException.badData(
            "body must be a JSON object or an array of objects, got "
                + (first == null ? "nothing" : kind(first)));
      }
      if (p.nextToken() != null) {
        throw ApiException.badData("invalid JSON: unexpected content after the top-level value");
      }
      if (batch.size() == 0) {
        throw ApiException.badData("body holds no events");
      }
      return batch;
    } catch (JsonProcessingException e) {
      throw ApiException.badData(
          "invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + conciseMessage(e.getOriginalMessage()));
    }
  }

  /** Jackson's message without its source and start-marker details. */
  private static String conciseMessage(String message) {
    String m = message == null ? "malformed" : message;
    for (String cut : new String[] {" (start marker", "\n", " at [Source"}) {
      int i = m.indexOf(cut);
      if (i > 0) {
        m = m.substring(0, i);
      }
    }
    return m;
  }

  private void item(JsonParser p, int index, EventBatch batch) throws IOException {
    boolean hasTimestamp = false;
    long timestamp = 0;
    int route = -1;
    int method = -1; // raw
    double seconds = Double.NaN;
    boolean hasSeconds = false;
    int status = -1;
    boolean hasStatus = false;
    int user = -1;
    int service = defaultService;
    int instance = defaultInstance;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String field = p.currentName(); // canonicalised by Jackson: the switch compares references
      JsonToken v = p.nextToken();
      switch (field) {
        case "timestamp" -> {
          hasTimestamp = v != JsonToken.VALUE_NULL;
          timestamp = hasTimestamp ? timestamp(p, v, index) : 0;
        }
        case "endpoint" -> route = name(p, v, index, "endpoint", routes);
        case "method" -> {
          expectString(v, index, "method");
          method = number(p, rawMethods);
        }
        case "response_time" -> {
          seconds = number(p, v, index, "response_time");
          hasSeconds = true;
        }
        case "status_code" -> {
          status = integer(p, v, index, "status_code");
          hasStatus = true;
        }
        case "user_email", "user" -> {
          if (v != JsonToken.VALUE_NULL) {
            expectString(v, index, field);
            if (p.getTextLength() > 0) {
              int before = users.size();
              user = number(p, users);
              if (users.size() > before) {
                batch.addUser(users.get(user));
              }
            }
          }
        }
        case "service" -> service = name(p, v, index, "service", services);
        case "instance" -> instance = name(p, v, index, "instance", instances);
        default -> p.skipChildren();
      }
    }
    if (route < 0) {
      throw missing(index, "endpoint");
    }
    if (method < 0) {
      throw missing(index, "method");
    }
    if (!hasSeconds) {
      throw missing(index, "response_time");
    }
    if (!hasStatus) {
      throw missing(index, "status_code");
    }
    if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
      throw ApiException.badData(
          "item " + index + ": response_time " + seconds + " is outside 0..86400 seconds");
    }
    if (status < 100 || status > 599) {
      throw ApiException.badData(
          "item " + index + ": status_code " + status + " is outside 100..599");
    }
    int m = normalisedMethod(method, index);
    long ts = hasTimestamp ? timestamp : nowMillis;
    if (ts < oldestMillis) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp "
              + java.time.Instant.ofEpochMilli(ts)
              + " is older than the late window ("
              + lateWindow
              + "); late events are accepted up to that age");
    }
    if (ts > newestMillis) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp "
              + java.time.Instant.ofEpochMilli(ts)
              + " is more than "
              + MAX_FUTURE.toMinutes()
              + " minutes in the future");
    }
    int endpoint =
        batch.endpoint(
            service,
            instance,
            m,
            route,
            services.get(service),
            instances.get(instance),
            methods.get(m),
            routes.get(route));
    batch.add(ts, seconds, status, endpoint, user);
  }

  /** The number of the current string token in {@code dictionary}. */
  private static int number(JsonParser p, StringDictionary dictionary) throws IOException {
    return dictionary.number(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }

  /** Number of the normalised form of raw method {@code raw}; checked once per distinct method. */
  private int normalisedMethod(int raw, int index) {
    if (raw >= methodOfRaw.length) {
      methodOfRaw = java.util.Arrays.copyOf(methodOfRaw, Math.max(raw + 1, methodOfRaw.length * 2));
    }
    if (methodOfRaw[raw] == 0) { // not yet judged; numbers are stored + 1, -1 for invalid
      String method = rawMethods.get(raw);
      boolean valid =
          !method.isEmpty()
              && method.length() <= 32
              && method.chars().allMatch(Character::isLetter);
      methodOfRaw[raw] = valid ? methods.number(normaliseMethod(method)) + 1 : -1;
    }
    if (methodOfRaw[raw] < 0) {
      throw ApiException.badData(
          "item " + index + ": method \"" + clip(rawMethods.get(raw)) + "\" is not an HTTP method");
    }
    return methodOfRaw[raw] - 1;
  }

  private static String normaliseMethod(String method) {
    String upper = method.toUpperCase(java.util.Locale.ROOT);
    // Like vigil-client and OpenTelemetry: invented methods share one name, bounding endpoints.
    return METHODS.contains(upper) ? upper : "_OTHER";
  }

  private static long timestamp(JsonParser p, JsonToken v, int index) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (!Double.isFinite(d)) {
        throw ApiException.badData("item " + index + ": timestamp must be finite");
      }
      return (long) Math.floor(d);
    }
    if (v != JsonToken.VALUE_STRING) {
      throw wrongType(index, "timestamp", "an ISO-8601 string or epoch milliseconds", v);
    }
    long fast =
        IsoTimestamp.fastEpochMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    if (fast != IsoTimestamp.NOT_HANDLED) {
      return fast;
    }
    String s = p.getText().trim();
    try {
      return IsoTimestamp.epochMillis(s);
    } catch (DateTimeParseException e) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp \""
              + clip(s)
              + "\" is not ISO-8601 (2025-07-19T01:42:25.123456, optionally with Z or +02:00)");
    }
  }

  private static void expectString(JsonToken v, int index, String field) {
    if (v != JsonToken.VALUE_STRING) {
      throw wrongType(index, field, "a string", v);
    }
  }

  /** A name (endpoint, service, instance): checked when first seen in the batch. */
  private static int name(
      JsonParser p, JsonToken v, int index, String field, StringDictionary dictionary)
      throws IOException {
    expectString(v, index, field);
    int before = dictionary.size();
    int n = number(p, dictionary);
    if (dictionary.size() > before) {
      checkName(dictionary.get(n), index, field);
    }
    return n;
  }

  private static void checkName(String s, int index, String field) {
    if (s.isBlank()) {
      throw ApiException.badData("item " + index + ": " + field + " must not be empty");
    }
    if (s.length() > MAX_NAME_LENGTH) {
      throw ApiException.badData(
          "item " + index + ": " + field + " is longer than " + MAX_NAME_LENGTH + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw ApiException.badData(
            "item " + index + ": " + field + " contains a control character");
      }
    }
  }

  private static double number(JsonParser p, JsonToken v, int index, String field)
      throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
      throw wrongType(index, field, "a number", v);
    }
    return p.getDoubleValue();
  }

  private static int integer(JsonParser p, JsonToken v, int index, String field)
      throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(index, field, "a whole number", v);
    }
    if (p.getNumberType() != JsonParser.NumberType.INT
        && (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || p.getLongValue() < Integer.MIN_VALUE
            || p.getLongValue() > Integer.MAX_VALUE)) {
      throw ApiException.badData(
          "item " + index + ": " + field + " " + clip(p.getText()) + " is outside 100..599");
    }
    return p.getIntValue();
  }

  private static ApiException missing(int index, String field) {
    return ApiException.badData("item " + index + ": missing required field " + field);
  }

  private static ApiException wrongType(int index, String field, String expected, JsonToken got) {
    return ApiException.badData(
        "item " + index + ": " + field + " must be " + expected + ", got " + kind(got));
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
