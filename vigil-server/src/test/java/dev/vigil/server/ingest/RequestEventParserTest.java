package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.http.ApiException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestEventParserTest {

  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  final RequestEventParser parser = new RequestEventParser(NOW, Duration.ofHours(1));

  List<RequestEvent> parse(String json) throws Exception {
    return parser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  void rejects(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(ApiException.class)
        .hasMessage(message)
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(400);
  }

  static String ok(String extra) {
    return "{\"endpoint\":\"/api/x\",\"method\":\"get\",\"response_time\":0.25,\"status_code\":200"
        + extra
        + "}";
  }

  @Test
  void parsesTheSeedExample() throws Exception {
    List<RequestEvent> e =
        parse(
            """
            {"timestamp": "2025-07-19T01:42:25.123456", "endpoint": "/api/auth/login",
             "method": "POST", "response_time": 0.234, "status_code": 200,
             "user_email": "user@sharif.edu"}""");
    assertThat(e)
        .containsExactly(
            new RequestEvent(
                Instant.parse("2025-07-19T01:42:25.123Z").toEpochMilli(),
                "default",
                "api",
                "POST",
                "/api/auth/login",
                0.234,
                200,
                "user@sharif.edu"));
  }

  @Test
  void acceptsEveryTimestampForm() throws Exception {
    List<RequestEvent> e =
        parse(
            "["
                + ok(",\"timestamp\":\"2025-07-19T01:30:00Z\"")
                + ","
                + ok(",\"timestamp\":\"2025-07-19T03:30:00+02:00\"")
                + ","
                + ok(",\"timestamp\":" + (NOW - 1000))
                + ","
                + ok(
                    ",\"service\":\"shop\",\"instance\":\"i-1\",\"user\":\"u\",\"extra\":{\"a\":[1]}")
                + "]");
    assertThat(e)
        .extracting(RequestEvent::timestampMillis)
        .containsExactly(NOW - 1_800_000, NOW - 1_800_000, NOW - 1000, NOW);
    assertThat(e.get(3).service()).isEqualTo("shop");
    assertThat(e.get(3).user()).isEqualTo("u");
    assertThat(e.get(0).method()).isEqualTo("GET");
  }

  @Test
  void foldsUnknownMethods() throws Exception {
    assertThat(parse(ok("").replace("\"get\"", "\"BREW\"")).get(0).method()).isEqualTo("_OTHER");
  }

  @Test
  void rejectsInvalidJson() {
    assertThatThrownBy(() -> parse("{\"endpoint\": "))
        .hasMessageStartingWith("invalid JSON at line 1");
    rejects("42", "body must be a JSON object or an array of objects, got a number");
    rejects("[]", "body holds no events");
    rejects("[" + ok("") + ", 3]", "item 1: must be a JSON object, got a number");
  }

  @Test
  void rejectsMissingFieldsAndWrongTypesNamingTheItem() {
    rejects(
        "[" + ok("") + ",{\"method\":\"GET\",\"response_time\":1,\"status_code\":200}]",
        "item 1: missing required field endpoint");
    rejects(
        "{\"endpoint\":\"/x\",\"response_time\":1,\"status_code\":200}",
        "item 0: missing required field method");
    rejects(
        "{\"endpoint\":\"/x\",\"method\":\"GET\",\"status_code\":200}",
        "item 0: missing required field response_time");
    rejects(
        "{\"endpoint\":\"/x\",\"method\":\"GET\",\"response_time\":1}",
        "item 0: missing required field status_code");
    rejects(
        "[" + ok("") + "," + ok("") + "," + ok(",\"status_code\":\"200\"") + "]",
        "item 2: status_code must be a whole number, got a string");
    rejects(
        ok(",\"response_time\":\"fast\""), "item 0: response_time must be a number, got a string");
    rejects(ok(",\"endpoint\":7"), "item 0: endpoint must be a string, got a number");
    rejects(
        ok(",\"timestamp\":true"),
        "item 0: timestamp must be an ISO-8601 string or epoch milliseconds, got a boolean");
    rejects(
        ok(",\"timestamp\":\"yesterday\""),
        "item 0: timestamp \"yesterday\" is not ISO-8601 (2025-07-19T01:42:25.123456, optionally with Z or +02:00)");
    rejects(ok(",\"endpoint\":\"\""), "item 0: endpoint must not be empty");
    rejects(ok(",\"method\":\"GE T\""), "item 0: method \"GE T\" is not an HTTP method");
  }

  @Test
  void rejectsEachRangeViolationNamingTheItem() {
    rejects(
        "[" + ok("") + "," + ok("") + "," + ok("") + "," + ok(",\"status_code\":700") + "]",
        "item 3: status_code 700 is outside 100..599");
    rejects(ok(",\"status_code\":99"), "item 0: status_code 99 is outside 100..599");
    rejects(
        ok(",\"status_code\":99999999999999999999"),
        "item 0: status_code 99999999999999999999 is outside 100..599");
    rejects(
        ok(",\"response_time\":-0.1"), "item 0: response_time -0.1 is outside 0..86400 seconds");
    rejects(
        ok(",\"response_time\":86400.5"),
        "item 0: response_time 86400.5 is outside 0..86400 seconds");
    rejects(
        ok(",\"response_time\":1e999"),
        "item 0: response_time Infinity is outside 0..86400 seconds");
  }

  @Test
  void rejectsEventsOlderThanTheLateWindowOrFromTheFuture() {
    rejects(
        "[" + ok("") + "," + ok(",\"timestamp\":\"2025-07-19T00:59:59Z\"") + "]",
        "item 1: timestamp 2025-07-19T00:59:59Z is older than the late window (PT1H); late events are accepted up to that age");
    rejects(
        ok(",\"timestamp\":\"2025-07-19T02:06:00Z\""),
        "item 0: timestamp 2025-07-19T02:06:00Z is more than 5 minutes in the future");
  }
}
