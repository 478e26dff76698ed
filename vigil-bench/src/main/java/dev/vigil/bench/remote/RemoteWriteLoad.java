package dev.vigil.bench.remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Remote-write load for the side-by-side storage comparison (bench/compare-storage.sh): records one
 * stream, then replays it to each system.
 *
 * <pre>
 * java -cp benchmarks.jar dev.vigil.bench.remote.RemoteWriteLoad generate --out FILE
 *     [--series 100000] [--rounds 120] [--interval-seconds 15] [--last-millis EPOCH_MS]
 *     [--seed 42] [--batch 2000] [--churn-percent 2] [--churn-every 20]
 *     [--histograms classic|native|both]
 * java -cp benchmarks.jar dev.vigil.bench.remote.RemoteWriteLoad send --in FILE --url URL
 *     [--connections 4] [--bearer TOKEN] [--max-seconds 600]
 * </pre>
 *
 * {@code generate} prints the summary it also writes to {@code FILE.properties}; {@code send}
 * prints one {@code RESULT key=value ...} line. Exit code 2 for bad arguments, 1 when sending had
 * failures.
 */
public final class RemoteWriteLoad {
  private static final Set<String> GENERATE =
      Set.of(
          "out",
          "series",
          "rounds",
          "interval-seconds",
          "last-millis",
          "seed",
          "batch",
          "churn-percent",
          "churn-every",
          "histograms");
  private static final Set<String> SEND =
      Set.of("in", "url", "connections", "bearer", "max-seconds");

  private RemoteWriteLoad() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("generate") || args[0].equals("send"))) {
      usage("first argument must be generate or send");
      return;
    }
    Map<String, String> flags;
    try {
      flags = parse(args, args[0].equals("generate") ? GENERATE : SEND);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    }
    try {
      if (args[0].equals("generate")) {
        generate(flags);
      } else {
        send(flags);
      }
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
  }

  private static void generate(Map<String, String> f) throws Exception {
    long interval = Math.round(number(f, "interval-seconds", "15") * 1000);
    StreamGenerator.Options o =
        new StreamGenerator.Options(
            (int) whole(f, "series", "100000"),
            (int) whole(f, "rounds", "120"),
            interval,
            whole(f, "last-millis", Long.toString(System.currentTimeMillis())),
            whole(f, "seed", "42"),
            (int) whole(f, "batch", "2000"),
            number(f, "churn-percent", "2") / 100,
            (int) whole(f, "churn-every", "20"),
            histograms(f.getOrDefault("histograms", "classic")));
    Path out = Path.of(required(f, "out"));
    long start = System.nanoTime();
    StreamGenerator.Summary s = StreamGenerator.generate(o, out);
    System.out.printf(
        Locale.ROOT,
        "generated %s: %,d active series (%,d with churn), %,d samples in %,d requests, %,d rounds"
            + " from %d to %d ms; %.1f MB compressed (%.1f bytes per sample, %.1fx snappy) in"
            + " %.1f s%n",
        out,
        s.activeSeries(),
        s.totalSeries(),
        s.samples(),
        s.requests(),
        o.rounds(),
        o.firstMillis(),
        o.lastMillis(),
        s.compressedBytes() / 1e6,
        (double) s.compressedBytes() / s.samples(),
        (double) s.uncompressedBytes() / s.compressedBytes(),
        (System.nanoTime() - start) / 1e9);
  }

  private static void send(Map<String, String> f) throws Exception {
    RemoteWriteSender sender =
        new RemoteWriteSender(
            URI.create(required(f, "url")),
            (int) whole(f, "connections", "4"),
            f.get("bearer"),
            Duration.ofSeconds(whole(f, "max-seconds", "600")));
    RemoteWriteSender.Result r = sender.send(Path.of(required(f, "in")));
    System.out.println(r.toLine());
    if (r.requestsFailed() > 0) {
      System.exit(1);
    }
  }

  private static NodeFleet.Histograms histograms(String v) {
    try {
      return NodeFleet.Histograms.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--histograms must be classic, native or both, got " + v, e);
    }
  }

  private static Map<String, String> parse(String[] args, Set<String> allowed) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !allowed.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown argument for " + args[0] + ": " + a);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      flags.put(a.substring(2), args[++i]);
    }
    return flags;
  }

  private static String required(Map<String, String> f, String name) {
    String v = f.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private static long whole(Map<String, String> f, String name, String fallback) {
    String v = f.getOrDefault(name, fallback);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got " + v, e);
    }
  }

  private static double number(Map<String, String> f, String name, String fallback) {
    String v = f.getOrDefault(name, fallback);
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number >= 0, got " + v, e);
    }
  }

  private static void usage(String problem) {
    System.err.println("RemoteWriteLoad: " + problem + " (see the class comment for usage)");
    System.exit(2);
  }
}
