package dev.vigil.client.push;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.RejectReason;
import dev.vigil.client.SlowRequest;
import dev.vigil.client.UserStats;
import dev.vigil.model.CorruptEncodingException;
import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link PushBatch}es in the binary format specified in {@code
 * docs/format/push.md} (media type {@value #MEDIA_TYPE}, before gzip).
 *
 * <p>Decoding is meant for a server facing untrusted input: any malformed, truncated or trailing
 * byte yields a {@link PushFormatException} with its offset, and no length read from the input can
 * make the decoder allocate more than the input's size. Thread-safe and stateless.
 */
public final class PushCodec {

  /** Media type of an encoded batch. */
  public static final String MEDIA_TYPE = "application/vnd.vigil.push.v1";

  /** First four bytes of every batch: "VGLP". */
  static final byte[] MAGIC = {'V', 'G', 'L', 'P'};

  /** Format version written by this codec and the only one it reads. */
  public static final int VERSION = 1;

  private static final int GAUGE = 0;
  private static final int COUNTER = 1;
  private static final int SUMMARY = 2;

  private PushCodec() {}

  /** Encodes a batch. */
  public static byte[] encode(PushBatch batch) {
    RecorderSnapshot s = batch.snapshot();
    WireWriter w = new WireWriter(1024 + 256 * s.endpoints().size());
    w.writeBytes(MAGIC);
    w.writeByte(VERSION);
    w.writeString(batch.service());
    w.writeString(batch.instance());
    w.writeSvarint(s.startMillis());
    w.writeSvarint(s.timestampMillis());
    w.writeUvarint(s.endpoints().size());
    for (EndpointSnapshot e : s.endpoints()) {
      w.writeString(e.method());
      w.writeString(e.route());
      w.writeCount(e.count());
      w.writeCount(e.informational());
      w.writeCount(e.success());
      w.writeCount(e.redirects());
      w.writeCount(e.clientErrors());
      w.writeCount(e.serverErrors());
      w.writeCount(e.sumNanos());
      w.writeCount(e.minNanos());
      w.writeCount(e.maxNanos());
      byte[] histogram = e.latency().encode();
      w.writeUvarint(histogram.length);
      w.writeBytes(histogram);
    }
    w.writeUvarint(s.slowRequests().size());
    for (SlowRequest r : s.slowRequests()) {
      w.writeCount(r.sequence());
      w.writeSvarint(r.timestampMillis());
      w.writeString(r.method());
      w.writeString(r.route());
      w.writeCount(r.statusCode());
      w.writeCount(r.durationNanos());
      if (r.user() == null) {
        w.writeByte(0);
      } else {
        w.writeByte(1);
        w.writeString(r.user());
      }
    }
    writeUsers(w, s.usersByCount());
    writeUsers(w, s.usersByTime());
    w.writeCount(s.overflowedRequests());
    List<RejectReason> reasons = new ArrayList<>();
    for (RejectReason r : RejectReason.values()) {
      if (s.rejected().containsKey(r)) {
        reasons.add(r);
      }
    }
    w.writeUvarint(reasons.size());
    for (RejectReason r : reasons) {
      // By name, not ordinal: a reader may know fewer or more reasons than this writer.
      w.writeString(r.name());
      w.writeCount(s.rejected().get(r));
    }
    w.writeCount(s.droppedUserEvents());
    w.writeUvarint(batch.jvmMetrics().size());
    for (MetricFamily f : batch.jvmMetrics()) {
      writeFamily(w, f);
    }
    return w.toByteArray();
  }

  private static void writeUsers(WireWriter w, List<UserStats> users) {
    w.writeUvarint(users.size());
    for (UserStats u : users) {
      w.writeString(u.user());
      w.writeCount(u.count());
      w.writeCount(u.totalNanos());
      w.writeCount(u.overestimate());
    }
  }

  private static void writeFamily(WireWriter w, MetricFamily f) {
    w.writeString(f.name());
    w.writeByte(
        f.type() == MetricFamily.Type.GAUGE
            ? GAUGE
            : f.type() == MetricFamily.Type.COUNTER ? COUNTER : SUMMARY);
    w.writeString(f.help());
    w.writeUvarint(f.points().size());
    for (MetricPoint p : f.points()) {
      Labels labels = p.labels();
      w.writeUvarint(labels.size());
      for (int i = 0; i < labels.size(); i++) {
        w.writeString(labels.name(i));
        w.writeString(labels.value(i));
      }
      w.writeDouble(p.value());
      if (f.type() == MetricFamily.Type.SUMMARY) {
        w.writeCount(p.count());
      }
    }
  }

  /**
   * Decodes a batch (already gunzipped).
   *
   * @throws PushFormatException if the bytes are not exactly one valid batch
   */
  public static PushBatch decode(byte[] bytes) {
    WireReader r = new WireReader(bytes);
    try {
      return decode(r);
    } catch (PushFormatException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      // A value the domain types refuse (an invalid label name, duplicate labels, ...).
      throw r.error("invalid batch: " + e.getMessage());
    }
  }

  private static PushBatch decode(WireReader r) {
    for (byte m : MAGIC) {
      if (r.readByte() != m) {
        throw new PushFormatException("not a push batch: bad magic", 0);
      }
    }
    int version = r.readByte();
    if (version != VERSION) {
      throw new PushFormatException("unsupported push format version " + version, 4);
    }
    String service = r.readString("service");
    String instance = r.readString("instance");
    long startMillis = r.readSvarint();
    long timestampMillis = r.readSvarint();
    // An endpoint takes at least 12 bytes: two strings, nine numbers, a histogram length.
    int endpointCount = r.readLength("endpoint count", 12);
    List<EndpointSnapshot> endpoints = new ArrayList<>(endpointCount);
    for (int i = 0; i < endpointCount; i++) {
      endpoints.add(readEndpoint(r));
    }
    int slowCount = r.readLength("slow request count", 7);
    List<SlowRequest> slow = new ArrayList<>(slowCount);
    for (int i = 0; i < slowCount; i++) {
      slow.add(
          new SlowRequest(
              r.readCount("sequence"),
              r.readSvarint(),
              r.readString("method"),
              r.readString("route"),
              r.readInt("status code"),
              r.readCount("duration"),
              readOptionalString(r)));
    }
    List<UserStats> byCount = readUsers(r);
    List<UserStats> byTime = readUsers(r);
    long overflowed = r.readCount("overflowed requests");
    int reasonCount = r.readLength("reject reason count", 2);
    Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    for (int i = 0; i < reasonCount; i++) {
      String name = r.readString("reject reason");
      long n = r.readCount("rejected requests");
      RejectReason reason = reason(name);
      // A reason this reader does not know is skipped: a newer client may refuse more kinds.
      if (reason != null && rejected.put(reason, n) != null) {
        throw r.error("duplicate reject reason " + name);
      }
    }
    long droppedUserEvents = r.readCount("dropped user events");
    int familyCount = r.readLength("metric family count", 4);
    List<MetricFamily> families = new ArrayList<>(familyCount);
    for (int i = 0; i < familyCount; i++) {
      families.add(readFamily(r));
    }
    if (r.remaining() != 0) {
      throw r.error(r.remaining() + " trailing bytes after batch");
    }
    RecorderSnapshot snapshot =
        new RecorderSnapshot(
            timestampMillis,
            startMillis,
            endpoints,
            slow,
            byCount,
            byTime,
            overflowed,
            rejected,
            droppedUserEvents);
    return new PushBatch(service, instance, snapshot, families);
  }

  private static EndpointSnapshot readEndpoint(WireReader r) {
    String method = r.readString("method");
    String route = r.readString("route");
    long count = r.readCount("count");
    long informational = r.readCount("1xx count");
    long success = r.readCount("2xx count");
    long redirects = r.readCount("3xx count");
    long clientErrors = r.readCount("4xx count");
    long serverErrors = r.readCount("5xx count");
    long sumNanos = r.readCount("sum");
    long minNanos = r.readCount("min");
    long maxNanos = r.readCount("max");
    int length = r.readLength("histogram length", 1);
    int start = r.offset();
    Histogram latency;
    try {
      latency = Histogram.decode(r.readBytes(length));
    } catch (CorruptEncodingException e) {
      throw new PushFormatException("bad histogram: " + e.getMessage(), start + e.offset());
    } catch (RuntimeException e) {
      throw new PushFormatException("bad histogram: " + e, start);
    }
    return new EndpointSnapshot(
        method,
        route,
        count,
        informational,
        success,
        redirects,
        clientErrors,
        serverErrors,
        sumNanos,
        minNanos,
        maxNanos,
        latency);
  }

  private static String readOptionalString(WireReader r) {
    int flag = r.readByte();
    if (flag == 0) {
      return null;
    }
    if (flag != 1) {
      throw new PushFormatException("bad presence flag " + flag, r.offset() - 1);
    }
    return r.readString("user");
  }

  private static List<UserStats> readUsers(WireReader r) {
    int n = r.readLength("user count", 4);
    List<UserStats> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      users.add(
          new UserStats(
              r.readString("user"),
              r.readCount("user requests"),
              r.readCount("user time"),
              r.readCount("overestimate")));
    }
    return users;
  }

  private static MetricFamily readFamily(WireReader r) {
    String name = r.readString("metric name");
    int typeAt = r.offset();
    int typeCode = r.readByte();
    MetricFamily.Type type;
    switch (typeCode) {
      case GAUGE:
        type = MetricFamily.Type.GAUGE;
        break;
      case COUNTER:
        type = MetricFamily.Type.COUNTER;
        break;
      case SUMMARY:
        type = MetricFamily.Type.SUMMARY;
        break;
      default:
        throw new PushFormatException("unknown metric type " + typeCode, typeAt);
    }
    String help = r.readString("help");
    int pointCount = r.readLength("point count", 9);
    List<MetricPoint> points = new ArrayList<>(pointCount);
    for (int i = 0; i < pointCount; i++) {
      int labelCount = r.readLength("label count", 2);
      String[] pairs = new String[2 * labelCount];
      for (int j = 0; j < pairs.length; j++) {
        pairs[j] = r.readString(j % 2 == 0 ? "label name" : "label value");
      }
      Labels labels = Labels.of(pairs);
      double value = r.readDouble();
      long count = type == MetricFamily.Type.SUMMARY ? r.readCount("summary count") : 0;
      points.add(new MetricPoint(labels, value, count));
    }
    return new MetricFamily(name, type, help, points);
  }

  private static RejectReason reason(String name) {
    for (RejectReason r : RejectReason.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }
}
