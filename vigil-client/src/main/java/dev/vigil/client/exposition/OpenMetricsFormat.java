package dev.vigil.client.exposition;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.model.Labels;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes a {@link Scrape} in the OpenMetrics 1.0 text format.
 *
 * <p>Differences from {@link TextFormat}: metadata is TYPE, UNIT (for names ending in {@code
 * _seconds} or {@code _bytes}) then HELP and names the family, so a counter's metadata says {@code
 * foo} and its sample {@code foo_total}; HELP escapes double quotes too; {@code le} values are
 * canonical numbers ({@code 1.0}, not {@code 1}); and the exposition ends with {@code # EOF}.
 * {@code _created} samples are left out: they are optional, and Prometheus 2 stores each as a
 * series of its own. Thread-safe and immutable.
 */
public final class OpenMetricsFormat {

  /** Content type of this format. */
  public static final String CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final ClassicBuckets buckets;

  /** With the {@linkplain ClassicBuckets#DEFAULT default buckets}. */
  public OpenMetricsFormat() {
    this(ClassicBuckets.DEFAULT);
  }

  /** With these classic buckets for the latency histogram. */
  public OpenMetricsFormat(ClassicBuckets buckets) {
    this.buckets = Objects.requireNonNull(buckets, "buckets");
  }

  /** Writes {@code scrape} as UTF-8 and flushes; does not close {@code out}. */
  public void write(OutputStream out, Scrape scrape) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    write(writer, scrape);
    writer.flush();
  }

  /** Writes {@code scrape} followed by {@code # EOF}; does not flush or close {@code out}. */
  public void write(Writer out, Scrape scrape) throws IOException {
    writeHistogram(out, scrape);
    for (MetricFamily f : RequestFamilies.of(scrape)) {
      writeFamily(out, f);
    }
    for (MetricFamily f : scrape.families()) {
      writeFamily(out, f);
    }
    out.write("# EOF\n");
  }

  private void writeHistogram(Writer out, Scrape scrape) throws IOException {
    if (scrape.recorder().endpoints().isEmpty()) {
      return;
    }
    String name = RequestFamilies.DURATION;
    writeMetadata(out, name, "histogram", RequestFamilies.DURATION_HELP);
    String bucket = name + "_bucket";
    String[] le = new String[buckets.size()];
    for (int i = 0; i < le.length; i++) {
      le[i] = TextSyntax.canonicalFloat(buckets.upperBound(i));
    }
    for (EndpointSnapshot e : scrape.recorder().endpoints()) {
      Labels labels = RequestFamilies.endpointLabels(e);
      long[] counts = buckets.cumulativeCounts(e.latency());
      for (int i = 0; i < le.length; i++) {
        TextSyntax.writeSample(out, bucket, labels, "le", le[i], counts[i]);
      }
      // The spec requires _count to equal the +Inf bucket whenever _sum is present.
      long count = counts[le.length];
      TextSyntax.writeSample(out, bucket, labels, "le", "+Inf", count);
      TextSyntax.writeSample(out, name + "_count", labels, null, null, count);
      TextSyntax.writeSample(
          out, name + "_sum", labels, null, null, RequestFamilies.seconds(e.sumNanos()));
    }
  }

  private static void writeFamily(Writer out, MetricFamily f) throws IOException {
    if (f.points().isEmpty()) {
      return;
    }
    String name = f.name();
    switch (f.type()) {
      case COUNTER:
        writeMetadata(out, name, "counter", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, name + "_total", p.labels(), null, null, p.value());
        }
        break;
      case GAUGE:
        writeMetadata(out, name, "gauge", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, name, p.labels(), null, null, p.value());
        }
        break;
      case SUMMARY:
        writeMetadata(out, name, "summary", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, name + "_count", p.labels(), null, null, p.count());
          TextSyntax.writeSample(out, name + "_sum", p.labels(), null, null, p.value());
        }
        break;
      default:
        throw new AssertionError(f.type());
    }
  }

  /** The unit a name ends with, for the UNIT line the spec asks for when the unit is known. */
  private static String unit(String name) {
    if (name.endsWith("_seconds")) {
      return "seconds";
    }
    if (name.endsWith("_bytes")) {
      return "bytes";
    }
    return null;
  }

  private static void writeMetadata(Writer out, String name, String type, String help)
      throws IOException {
    out.write("# TYPE ");
    out.write(name);
    out.write(' ');
    out.write(type);
    out.write('\n');
    String unit = unit(name);
    if (unit != null) {
      out.write("# UNIT ");
      out.write(name);
      out.write(' ');
      out.write(unit);
      out.write('\n');
    }
    if (!help.isEmpty()) {
      // An empty HELP line means the same as none; leave it out.
      out.write("# HELP ");
      out.write(name);
      out.write(' ');
      TextSyntax.writeEscaped(out, help, true);
      out.write('\n');
    }
  }
}
