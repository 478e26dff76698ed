package dev.vigil.server.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

  private final long nowMillis;
  private final Duration lateWindow;

  /** A parser judging lateness against {@code nowMillis}. */
  public RequestEventParser(long nowMillis, Duration lateWindow) {
    this.nowMillis = nowMillis;
    this.lateWindow = lateWindow;
  }

  /** Parses a whole body; throws {@link ApiException} (400) on the first problem. */
  public List<RequestEvent> parse(InputStream body) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      List<RequestEvent> events = new ArrayList<>();
      if (first == JsonToken.START_OBJECT) {
        events.add(item(p, 0));
      } else if (first == JsonToken.START_ARRAY) {
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
          if (t != JsonToken.START_OBJECT) {
            throw ApiException.badData("item " + i + ": must be a JSON object, got " + kind(t));
          }
          events.add(item(p, i));
        }
      } else {
        throw ApiException.badData(
            "body must be a JSON object or an array of objects, got "
                + (first == null ? "nothing" : kind(first)));
      }
      if (p.nextToken() != null) {
        throw ApiException.badData("invalid JSON: unexpected content after the top-level value");
      }
      if (events.isEmpty()) {
        throw ApiException.badData("body holds no events");
      }
      return events;
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

  private RequestEvent item(JsonParser p, int index) throws IOException {
    Long timestamp = null;
    String endpoint = null;
    String method = null;
    double seconds = Double.NaN;
    boolean hasSeconds = false;
    int status = -1;
    boolean hasStatus = false;
    String user = null;
    String service = "default";
    String instance = "api";
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "timestamp" -> timestamp = timestamp(p, v, index);
        case "endpoint" -> endpoint = name(p, v, index, "endpoint");
        case "method" -> method = string(p, v, index, "method");
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
            String u = string(p, v, index, field);
            if (!u.isEmpty()) {
              user = u;
            }
          }
        }
        case "service" -> service = name(p, v, index, "service");
        case "instance" -> instance = name(p, v, index, "instance");
        default -> p.skipChildren();
      }
    }
    if (endpoint == null) {
      throw missing(index, "endpoint");
    }
    if (method == null) {
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
    String m = normaliseMethod(method, index);
    long ts = timestamp == null ? nowMillis : timestamp;
    if (ts < nowMillis - lateWindow.toMillis()) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp "
              + java.time.Instant.ofEpochMilli(ts)
              + " is older than the late window ("
              + lateWindow
              + "); late events are accepted up to that age");
    }
    if (ts > nowMillis + MAX_FUTURE.toMillis()) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp "
              + java.time.Instant.ofEpochMilli(ts)
              + " is more than "
              + MAX_FUTURE.toMinutes()
              + " minutes in the future");
    }
    return new RequestEvent(ts, service, instance, m, endpoint, seconds, status, user);
  }

  private static String normaliseMethod(String method, int index) {
    if (method.isEmpty() || method.length() > 32 || !method.chars().allMatch(Character::isLetter)) {
      throw ApiException.badData(
          "item " + index + ": method \"" + clip(method) + "\" is not an HTTP method");
    }
    String upper = method.toUpperCase(java.util.Locale.ROOT);
    // Like vigil-client and OpenTelemetry: invented methods share one name, bounding endpoints.
    return METHODS.contains(upper) ? upper : "_OTHER";
  }

  private static Long timestamp(JsonParser p, JsonToken v, int index) throws IOException {
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
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw wrongType(index, "timestamp", "an ISO-8601 string or epoch milliseconds", v);
    }
    String s = p.getText().trim();
    try {
      if (hasZone(s)) {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.badData(
          "item "
              + index
              + ": timestamp \""
              + clip(s)
              + "\" is not ISO-8601 (2025-07-19T01:42:25.123456, optionally with Z or +02:00)");
    }
  }

  private static boolean hasZone(String s) {
    if (s.endsWith("Z") || s.endsWith("z")) {
      return true;
    }
    int t = s.indexOf('T');
    return t > 0 && (s.indexOf('+', t) > 0 || s.indexOf('-', t) > 0);
  }

  private static String string(JsonParser p, JsonToken v, int index, String field)
      throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      throw wrongType(index, field, "a string", v);
    }
    return p.getText();
  }

  private static String name(JsonParser p, JsonToken v, int index, String field)
      throws IOException {
    String s = string(p, v, index, field);
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
    return s;
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
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || p.getLongValue() < Integer.MIN_VALUE
        || p.getLongValue() > Integer.MAX_VALUE) {
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
