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
 * Writes a {@link Scrape} in the Prometheus text exposition format 0.0.4.
 *
 * <p>Request latency becomes the classic histogram {@code http_server_request_duration_seconds}
 * with the {@link ClassicBuckets} given at construction; counters are written with their {@code
 * _total} name in HELP, TYPE and samples, as client_java 1.x does, so that promtool's linter has
 * nothing to report. Thread-safe and immutable.
 */
public final class TextFormat {

  /** Content type of this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ClassicBuckets buckets;

  /** With the {@linkplain ClassicBuckets#DEFAULT default buckets}. */
  public TextFormat() {
    this(ClassicBuckets.DEFAULT);
  }

  /** With these classic buckets for the latency histogram. */
  public TextFormat(ClassicBuckets buckets) {
    this.buckets = Objects.requireNonNull(buckets, "buckets");
  }

  /** Writes {@code scrape} as UTF-8 and flushes; does not close {@code out}. */
  public void write(OutputStream out, Scrape scrape) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    write(writer, scrape);
    writer.flush();
  }

  /** Writes {@code scrape}; does not flush or close {@code out}. */
  public void write(Writer out, Scrape scrape) throws IOException {
    writeHistogram(out, scrape);
    for (MetricFamily f : RequestFamilies.of(scrape)) {
      writeFamily(out, f);
    }
    for (MetricFamily f : scrape.families()) {
      writeFamily(out, f);
    }
  }

  private void writeHistogram(Writer out, Scrape scrape) throws IOException {
    if (scrape.recorder().endpoints().isEmpty()) {
      return;
    }
    String name = RequestFamilies.DURATION;
    writeMetadata(out, name, "histogram", RequestFamilies.DURATION_HELP);
    String bucket = name + "_bucket";
    for (EndpointSnapshot e : scrape.recorder().endpoints()) {
      Labels labels = RequestFamilies.endpointLabels(e);
      long[] counts = buckets.cumulativeCounts(e.latency());
      for (int i = 0; i < buckets.size(); i++) {
        TextSyntax.writeSample(
            out, bucket, labels, "le", TextSyntax.goFloat(buckets.upperBound(i)), counts[i]);
      }
      long count = counts[buckets.size()];
      TextSyntax.writeSample(out, bucket, labels, "le", "+Inf", count);
      TextSyntax.writeSample(
          out, name + "_sum", labels, null, null, RequestFamilies.seconds(e.sumNanos()));
      TextSyntax.writeSample(out, name + "_count", labels, null, null, count);
    }
  }

  private static void writeFamily(Writer out, MetricFamily f) throws IOException {
    if (f.points().isEmpty()) {
      return;
    }
    switch (f.type()) {
      case COUNTER:
        String total = f.name() + "_total";
        writeMetadata(out, total, "counter", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, total, p.labels(), null, null, p.value());
        }
        break;
      case GAUGE:
        writeMetadata(out, f.name(), "gauge", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, f.name(), p.labels(), null, null, p.value());
        }
        break;
      case SUMMARY:
        writeMetadata(out, f.name(), "summary", f.help());
        for (MetricPoint p : f.points()) {
          TextSyntax.writeSample(out, f.name() + "_count", p.labels(), null, null, p.count());
          TextSyntax.writeSample(out, f.name() + "_sum", p.labels(), null, null, p.value());
        }
        break;
      default:
        throw new AssertionError(f.type());
    }
  }

  private static void writeMetadata(Writer out, String name, String type, String help)
      throws IOException {
    out.write("# HELP ");
    out.write(name);
    out.write(' ');
    // 0.0.4 escapes only backslash and line feed in HELP; a quote stays as it is.
    TextSyntax.writeEscaped(out, help, false);
    out.write("\n# TYPE ");
    out.write(name);
    out.write(' ');
    out.write(type);
    out.write('\n');
  }
}
