package dev.vigil.tsdb;

import dev.vigil.model.Histogram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link KillNineTest}: writers commit in a loop and print {@code "writer
 * count"} after each commit returns, until killed (or after a minute, so that an orphan ends).
 *
 * <p>Commit {@code i} of writer {@code w} adds {@code i} at {@code base + i} to {@code
 * crash_float{writer=w}}, merges 1 into {@code crash_merges{writer=w}} at {@code base}, and merges
 * {@link #observation(int)} into {@code crash_latency{writer=w}} at {@code base}.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static Histogram observation(int i) {
    return TestData.histogram(0.001 * i);
  }

  /** Arguments: data directory, number of writers, base timestamp. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int writers = Integer.parseInt(args[1]);
    long base = Long.parseLong(args[2]);
    // Small segments, so that kills also land around segment rolls.
    Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).walSegmentSizeBytes(16 << 10).build());
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String writer = Integer.toString(w);
      Thread t =
          new Thread(
              () -> {
                try {
                  Appender a = tsdb.appender();
                  for (int i = 1; System.nanoTime() < deadline; i++) {
                    a.add(TestData.series("crash_float", "writer", writer), base + i, i);
                    a.mergeFloat(TestData.series("crash_merges", "writer", writer), base, 1);
                    a.mergeHistogram(
                        TestData.series("crash_latency", "writer", writer), base, observation(i));
                    a.commit();
                    synchronized (System.out) {
                      System.out.println(writer + " " + i);
                      System.out.flush();
                    }
                  }
                } catch (Exception e) {
                  e.printStackTrace();
                  System.exit(2);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    System.exit(0);
  }
}
