package dev.vigil.bench.remote;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Records a fleet's scrape rounds as a remote-write stream: round {@code r} has timestamp {@code
 * firstMillis + r * intervalMillis} for every series, cut into requests of {@code batchSamples}
 * samples (the last request of a round may be shorter; a native histogram counts as one sample).
 * Writes a summary next to the stream ({@code <file>.properties}) for the driver script.
 */
final class StreamGenerator {
  /** What to generate. */
  record Options(
      int series,
      int rounds,
      long intervalMillis,
      long lastMillis,
      long seed,
      int batchSamples,
      double churnFraction,
      int churnEveryRounds,
      NodeFleet.Histograms histograms) {
    Options {
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be positive: " + rounds);
      }
      if (intervalMillis < 1) {
        throw new IllegalArgumentException("interval must be positive: " + intervalMillis + " ms");
      }
      if (batchSamples < 1) {
        throw new IllegalArgumentException("batch must be positive: " + batchSamples);
      }
    }

    long firstMillis() {
      return lastMillis - (rounds - 1) * intervalMillis;
    }
  }

  /** Totals of a generated stream. */
  record Summary(
      int activeSeries,
      long totalSeries,
      long samples,
      long requests,
      long uncompressedBytes,
      long compressedBytes,
      String probeSelector,
      double probeValue) {}

  private StreamGenerator() {}

  static Summary generate(Options o, Path file) throws IOException {
    NodeFleet fleet =
        new NodeFleet(
            o.series(),
            o.seed(),
            o.firstMillis(),
            o.intervalMillis(),
            o.churnFraction(),
            o.churnEveryRounds(),
            o.histograms());
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    long[] totals = new long[4]; // samples, requests, uncompressed, compressed
    try (StreamFile.Writer out = new StreamFile.Writer(file)) {
      for (int r = 0; r < o.rounds(); r++) {
        int round = r;
        long t = o.firstMillis() + r * o.intervalMillis();
        int[] inBatch = {0};
        IOException[] failure = {null};
        encoder.reset();
        fleet.advance(
            t,
            new NodeFleet.SampleSink() {
              @Override
              public void accept(byte[] labels, double value) {
                encoder.add(labels, t, value);
                added();
              }

              @Override
              public void acceptHistogram(
                  byte[] labels,
                  int schema,
                  double zeroThreshold,
                  long zeroCount,
                  double sum,
                  int firstIndex,
                  long[] bucketCounts) {
                encoder.addHistogram(
                    labels, t, schema, zeroThreshold, zeroCount, sum, firstIndex, bucketCounts);
                added();
              }

              private void added() {
                if (++inBatch[0] == o.batchSamples() && failure[0] == null) {
                  failure[0] = flush(out, encoder, round, inBatch, totals);
                }
              }
            });
        if (failure[0] == null && inBatch[0] > 0) {
          failure[0] = flush(out, encoder, round, inBatch, totals);
        }
        if (failure[0] != null) {
          throw failure[0];
        }
      }
    }
    Summary s =
        new Summary(
            fleet.size(),
            fleet.totalSeriesCreated(),
            totals[0],
            totals[1],
            totals[2],
            totals[3],
            fleet.probeSelector(),
            fleet.probeValue());
    writeProperties(o, s, Path.of(file + ".properties"));
    return s;
  }

  private static IOException flush(
      StreamFile.Writer out, WriteRequestEncoder encoder, int round, int[] inBatch, long[] totals) {
    byte[] body = encoder.compressed();
    totals[0] += inBatch[0];
    totals[1]++;
    totals[2] += encoder.sizeBytes();
    totals[3] += body.length;
    try {
      out.write(new StreamFile.Request(round, inBatch[0], body));
    } catch (IOException e) {
      return e;
    }
    inBatch[0] = 0;
    encoder.reset();
    return null;
  }

  private static void writeProperties(Options o, Summary s, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(
          String.format(
              Locale.ROOT,
              "active_series=%d%ntotal_series=%d%nsamples=%d%nrequests=%d%nrounds=%d%n"
                  + "interval_ms=%d%nfirst_ms=%d%nlast_ms=%d%nseed=%d%nbatch_samples=%d%n"
                  + "churn_fraction=%s%nchurn_every_rounds=%d%nuncompressed_bytes=%d%n"
                  + "compressed_bytes=%d%nprobe_selector=%s%nprobe_value=%s%nhistograms=%s%n",
              s.activeSeries(),
              s.totalSeries(),
              s.samples(),
              s.requests(),
              o.rounds(),
              o.intervalMillis(),
              o.firstMillis(),
              o.lastMillis(),
              o.seed(),
              o.batchSamples(),
              o.churnFraction(),
              o.churnEveryRounds(),
              s.uncompressedBytes(),
              s.compressedBytes(),
              s.probeSelector(),
              Double.toString(s.probeValue()),
              o.histograms().name().toLowerCase(Locale.ROOT)));
    }
  }
}
