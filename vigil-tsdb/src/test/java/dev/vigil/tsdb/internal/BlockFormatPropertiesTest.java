package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips of the block files: any set of series with any chunks is read back from the index and
 * chunk segments as written, postings answer each label pair, and tombstones survive.
 */
class BlockFormatPropertiesTest {

  @Provide
  Arbitrary<List<Labels>> labelSets() {
    // Values with characters outside the BMP, so code point order is exercised.
    Arbitrary<String> strings =
        Arbitraries.of("a", "b", "zz", "é", "\uD83D\uDE00", "\uFFFD", "x y", "a\nb", "0");
    Arbitrary<Labels> labels =
        Arbitraries.maps(Arbitraries.of("job", "zone", "x_1", "_"), strings)
            .ofMaxSize(3)
            .flatMap(
                m ->
                    Arbitraries.of("m", "up", "a:b")
                        .map(
                            name -> {
                              Labels.Builder b = Labels.builder().put("__name__", name);
                              m.forEach(b::put);
                              return b.build();
                            }));
    return labels.set().ofMinSize(1).ofMaxSize(30).map(s -> new ArrayList<>(new TreeSet<>(s)));
  }

  @Provide
  Arbitrary<List<Integer>> sampleCounts() {
    return Arbitraries.integers().between(1, 400).list().ofMinSize(30).ofMaxSize(30);
  }

  private static List<Chunk> chunks(int series, int samples, boolean histogram) {
    List<Chunk> out = new ArrayList<>();
    ChunkEncoding enc = histogram ? ChunkEncoding.HISTOGRAM : ChunkEncoding.FLOAT_XOR;
    ChunkWriter w = null;
    long t = -5_000_000L + series * 977L;
    for (int i = 0; i < samples; i++) {
      t += 1 + (i * 7919L + series) % 90_000;
      if (w != null && w.isFullFor(t)) {
        out.add(w.toChunk());
        w = null;
      }
      if (w == null) {
        w = Chunk.newWriter(enc);
      }
      if (histogram) {
        var b = dev.vigil.model.Histogram.builder(3);
        b.observe(i % 13 + 0.5);
        w.append(t, 0, b.build());
      } else {
        w.append(t, Math.sin(i + series) * 1e6, null);
      }
    }
    out.add(w.toChunk());
    return out;
  }

  @Property(tries = 40)
  void blocksRoundTrip(
      @ForAll("labelSets") List<Labels> labels,
      @ForAll("sampleCounts") List<Integer> counts,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 2) int indexVersion)
      throws IOException {
    Path dir = Files.createTempDirectory("vigil-block-format");
    try {
      TreeSet<String> symbols = new TreeSet<>(LabelOrder.VALUES);
      List<BlockWriter.SeriesData> data = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        Labels l = labels.get(i);
        l.forEach(
            (n, v) -> {
              symbols.add(n);
              symbols.add(v);
            });
        boolean h = i % 3 == 0;
        data.add(
            new BlockWriter.SeriesData(
                l,
                h ? ChunkEncoding.HISTOGRAM : ChunkEncoding.FLOAT_XOR,
                chunks(i, counts.get(i), h)));
      }
      String id = BlockId.next(1_700_000_000_000L);
      Path blockDir =
          BlockWriter.write(
              dir,
              id,
              -10_000_000L,
              1L << 40,
              1,
              List.of(id),
              symbols,
              data.iterator(),
              indexVersion); // 1: blocks written before version 2 still read
      Block block = Block.open(blockDir);
      block.verify();
      assertThat(block.meta.numSeries()).isEqualTo(labels.size());

      long[] all = block.allPostings();
      assertThat(all).hasSize(labels.size());
      TreeMap<String, TreeSet<String>> values = new TreeMap<>(LabelOrder.VALUES);
      for (int i = 0; i < all.length; i++) {
        Block.SeriesEntry e = block.series(all[i]);
        BlockWriter.SeriesData expected = data.get(i);
        assertThat(e.labels()).isEqualTo(expected.labels());
        assertThat(e.encoding()).isEqualTo(expected.encoding());
        List<Chunk> got = block.chunks(e);
        assertThat(got).hasSameSizeAs(expected.chunks());
        for (int c = 0; c < got.size(); c++) {
          assertThat(got.get(c).bytes()).isEqualTo(expected.chunks().get(c).bytes());
          assertThat(got.get(c).minTimeMillis())
              .isEqualTo(expected.chunks().get(c).minTimeMillis());
          assertThat(got.get(c).maxTimeMillis())
              .isEqualTo(expected.chunks().get(c).maxTimeMillis());
        }
        expected
            .labels()
            .forEach(
                (n, v) -> values.computeIfAbsent(n, k -> new TreeSet<>(LabelOrder.VALUES)).add(v));
      }
      for (var e : values.entrySet()) {
        TreeSet<String> got = new TreeSet<>(LabelOrder.VALUES);
        block.labelValues(got, e.getKey());
        assertThat(got).containsExactlyElementsOf(e.getValue());
        for (String v : e.getValue()) {
          long[] refs = block.select(Matcher.equal(e.getKey(), v));
          List<Labels> matched = new ArrayList<>();
          for (long r : refs) {
            matched.add(block.series(r).labels());
          }
          assertThat(matched)
              .containsExactlyElementsOf(
                  labels.stream().filter(l -> v.equals(l.get(e.getKey()))).toList());
        }
      }

      // Tombstones: delete a range of the first series and read it back after reopening.
      Labels first = labels.get(0);
      String name = first.name(0);
      Chunk c0 = data.get(0).chunks().get(0);
      block.delete(c0.minTimeMillis(), c0.maxTimeMillis(), Matcher.equal(name, first.value(0)));
      Block reopened = Block.open(blockDir);
      assertThat(reopened.hasTombstones()).isTrue();
      List<Chunk> left = reopened.chunks(reopened.series(reopened.allPostings()[0]));
      assertThat(left)
          .allSatisfy(c -> assertThat(c.minTimeMillis()).isGreaterThan(c0.maxTimeMillis()));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
