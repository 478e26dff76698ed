package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.server.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The scanner must accept only what the Jackson path accepts, with the same batch: for every body,
 * either the scanner gives up, or both succeed with equal events and numbering.
 */
class RequestEventScannerTest {

  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  static final Duration LATE = Duration.ofHours(1);

  /** Field values: valid ones and every kind of near miss. */
  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> strings =
        Arbitraries.of(
            "\"/api/x\"",
            "\"/api/y/{id}\"",
            "\"GET\"",
            "\"post\"",
            "\"BREW\"",
            "\"GE T\"",
            "\"\"",
            "\"   \"",
            "\"a\\\"b\"",
            "\"caf\u00e9\"",
            "\"tab\there\"",
            "\"del\u007f\"",
            "\"u@example.com\"",
            "\"shop\"",
            "\"2025-07-19T01:42:25.123456\"",
            "\"2025-07-19T01:42:25Z\"",
            "\"2025-07-19T03:30:00+02:00\"",
            "\"2025-07-19T00:42:25Z\"",
            "\"2025-07-19T02:06:00Z\"",
            "\" 2025-07-19T01:42:25Z\"",
            "\"2025-07-19t01:42:25z\"",
            "\"2025-07-19T01:42\"",
            "\"yesterday\"");
    Arbitrary<String> numbers =
        Arbitraries.of(
            "0",
            "1",
            "0.25",
            "0.1",
            "1.5",
            "86400",
            "86400.5",
            "-0.1",
            "-0",
            "01",
            "1.",
            ".5",
            "1e2",
            "1E-3",
            "2.5e0",
            "0.1234567890123456789",
            "123456789012345678901234567890",
            "200",
            "404",
            "599",
            "600",
            "99",
            "200.0",
            "1752889345123",
            "1752889345123.9",
            "01752889345123",
            "9999999999999999999999");
    Arbitrary<String> literals =
        Arbitraries.of("null", "true", "false", "nul", "nullx", "[1]", "{}");
    Arbitrary<String> values = Arbitraries.oneOf(strings, numbers, literals);
    Arbitrary<String> names =
        Arbitraries.of(
            "timestamp",
            "endpoint",
            "method",
            "response_time",
            "status_code",
            "user_email",
            "user",
            "service",
            "instance",
            "extra",
            "end\\u0070oint");
    Arbitrary<String> whitespace = Arbitraries.of("", "", "", " ", "\n", "\t", "\r\n  ", "\u000b");
    Arbitrary<String> member =
        Combinators.combine(names, whitespace, values)
            .as((n, w, v) -> "\"" + n + "\"" + w + ":" + w + v);
    Arbitrary<String> validItem =
        Combinators.combine(
                Arbitraries.of("/api/x", "/api/y/{id}", "/z"),
                Arbitraries.of("GET", "post", "DELETE", "brew"),
                Arbitraries.of("0.25", "1", "0.001", "2.5", "0"),
                Arbitraries.of("200", "201", "404", "500", "302"),
                Arbitraries.of(
                    "",
                    ",\"timestamp\":\"2025-07-19T01:42:25.123456\"",
                    ",\"timestamp\":\"2025-07-19T01:59:00Z\"",
                    ",\"timestamp\":1752889345123",
                    ",\"timestamp\":null",
                    ",\"user\":\"a@x\"",
                    ",\"user_email\":\"b@x\",\"user\":\"c@x\"",
                    ",\"user\":\"\"",
                    ",\"service\":\"shop\",\"instance\":\"i-1\"",
                    ",\"extra\":\"x\",\"n\":1.5e3,\"b\":true",
                    // Valid, but beyond the scanner: Jackson reads these.
                    ",\"extra\":{\"a\":[1]}",
                    ",\"user\":\"caf\u00e9\"",
                    ",\"user\":\"a\\\"b\"",
                    ",\"response_time\":2.5e-1",
                    ",\"timestamp\":\"2025-07-19T01:42\"",
                    ",\"timestamp\":1752889345123.5"))
            .as(
                (r, m, t, s, extra) ->
                    "{\"endpoint\":\""
                        + r
                        + "\",\"method\":\""
                        + m
                        + "\",\"response_time\":"
                        + t
                        + ",\"status_code\":"
                        + s
                        + extra
                        + "}");
    Arbitrary<String> randomItem =
        member.list().ofMaxSize(9).map(ms -> "{" + String.join(",", ms) + "}");
    Arbitrary<String> item =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, validItem), net.jqwik.api.Tuple.of(1, randomItem));
    Arbitrary<String> array =
        Combinators.combine(item.list().ofMaxSize(6), whitespace)
            .as((items, w) -> "[" + w + String.join("," + w, items) + w + "]");
    return Arbitraries.oneOf(
        array, array, array, item, Arbitraries.of("[]", "{}", "", " ", "[{}]"));
  }

  @Property(tries = 3000)
  void acceptsOnlyWhatJacksonAcceptsWithTheSameBatch(@ForAll("bodies") String body)
      throws Exception {
    assertSameAsJackson(body.getBytes(StandardCharsets.UTF_8));
    // The comparison means something only if both outcomes are common.
    Statistics.coverage(
        checker -> {
          checker.check("jackson accepts", "scanner accepts").percentage(p -> p > 8);
          checker.check("jackson accepts", "scanner gives up").percentage(p -> p > 8);
          checker.check("jackson refuses", "scanner gives up").percentage(p -> p > 20);
        });
  }

  /** Bodies damaged anywhere: truncated, a byte replaced, a byte inserted. */
  @Property(tries = 3000)
  void agreesOnDamagedBodies(
      @ForAll("bodies") String body,
      @ForAll("positions") int position,
      @ForAll("bytes") byte replacement,
      @ForAll("damages") int damage)
      throws Exception {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    int at = b.length == 0 ? 0 : position % b.length;
    byte[] damaged;
    if (damage == 0) {
      damaged = java.util.Arrays.copyOf(b, at);
    } else if (damage == 1 && b.length > 0) {
      damaged = b.clone();
      damaged[at] = replacement;
    } else {
      damaged = new byte[b.length + 1];
      System.arraycopy(b, 0, damaged, 0, at);
      damaged[at] = replacement;
      System.arraycopy(b, at, damaged, at + 1, b.length - at);
    }
    assertSameAsJackson(damaged);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Provide
  Arbitrary<Byte> bytes() {
    return Arbitraries.of(
        (byte) '"',
        (byte) ',',
        (byte) '{',
        (byte) '}',
        (byte) '[',
        (byte) ']',
        (byte) ':',
        (byte) '\\',
        (byte) '0',
        (byte) '9',
        (byte) '.',
        (byte) 'e',
        (byte) '-',
        (byte) ' ',
        (byte) 'a',
        (byte) 0,
        (byte) 0x7f,
        (byte) 0xc3,
        (byte) 0xff);
  }

  @Provide
  Arbitrary<Integer> damages() {
    return Arbitraries.integers().between(0, 2);
  }

  private static void assertSameAsJackson(byte[] body) throws Exception {
    RequestEventParser parser = new RequestEventParser(NOW, LATE);
    EventBatch scanned =
        new RequestEventScanner(NOW, NOW - LATE.toMillis(), NOW + 300_000).scan(body);
    Throwable failure =
        catchThrowable(() -> new RequestEventParser(NOW, LATE).parseWithJackson(body));
    Statistics.collect(
        failure == null ? "jackson accepts" : "jackson refuses",
        scanned == null ? "scanner gives up" : "scanner accepts");
    if (failure != null) {
      assertThat(failure).isInstanceOf(ApiException.class);
      assertThat(scanned)
          .as("scanner accepted what Jackson refuses (%s): %s", failure.getMessage(), text(body))
          .isNull();
      return;
    }
    if (scanned == null) {
      return;
    }
    EventBatch jackson = parser.parseWithJackson(body);
    assertThat(describe(scanned)).as(text(body)).isEqualTo(describe(jackson));
  }

  /**
   * Everything a batch holds as comparable values: the events, the user numbering, and which events
   * share an endpoint number (the scanner numbers endpoints per thread, Jackson per batch, so the
   * numbers themselves differ).
   */
  private static List<Object> describe(EventBatch b) {
    List<Object> out = new ArrayList<>(b.toEvents());
    for (int i = 0; i < b.size(); i++) {
      List<Boolean> sameEndpoint = new ArrayList<>();
      for (int j = 0; j < b.size(); j++) {
        sameEndpoint.add(b.endpoint(i) == b.endpoint(j));
      }
      out.add(
          List.of(
              sameEndpoint,
              b.user(i),
              Double.doubleToRawLongBits(b.seconds(i)),
              b.user(i) < 0 ? "" : b.userName(b.user(i))));
    }
    out.add(b.userCount());
    for (int u = 0; u < b.userCount(); u++) {
      out.add(b.userName(u));
    }
    return out;
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void takesTheCommonShape() {
    String body =
        "[{\"timestamp\":\"2025-07-19T01:42:25.123456Z\",\"endpoint\":\"/api/orders\","
            + "\"method\":\"GET\",\"response_time\":0.074268,\"status_code\":200,"
            + "\"service\":\"shop\",\"instance\":\"api-1\",\"user_email\":\"u3@example.com\"},\n"
            + " {\"timestamp\":1752889345123,\"endpoint\":\"/api/orders\",\"method\":\"post\","
            + "\"response_time\":2,\"status_code\":503}]";
    EventBatch b =
        new RequestEventScanner(NOW, NOW - LATE.toMillis(), NOW + 300_000)
            .scan(body.getBytes(StandardCharsets.UTF_8));
    assertThat(b).isNotNull();
    assertThat(b.toEvents())
        .containsExactly(
            new RequestEvent(
                Instant.parse("2025-07-19T01:42:25.123Z").toEpochMilli(),
                "shop",
                "api-1",
                "GET",
                "/api/orders",
                0.074268,
                200,
                "u3@example.com"),
            new RequestEvent(
                1752889345123L, "default", "api", "POST", "/api/orders", 2.0, 503, null));
  }
}
