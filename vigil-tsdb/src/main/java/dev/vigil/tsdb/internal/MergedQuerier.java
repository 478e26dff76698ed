package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A querier over the head and every block overlapping its range, merged per series; not
 * thread-safe.
 *
 * <p>Each call snapshots the head first and takes references on the published blocks second.
 * Samples move from the head to a block by publishing the block and only then truncating the head,
 * so whatever the head snapshot lacks was published before the blocks are read: nothing is missed,
 * and what is seen twice is deduplicated by timestamp. Chunks are copied out of the mapped files
 * before the references are released, so returned series stay readable after blocks are retired.
 */
final class MergedQuerier implements Querier {
  private final Head head;
  private final Blocks blocks;
  private final long min;
  private final long max;
  private boolean closed;

  MergedQuerier(Head head, Blocks blocks, long minTimeMillis, long maxTimeMillis) {
    this.head = head;
    this.blocks = blocks;
    this.min = minTimeMillis;
    this.max = maxTimeMillis;
  }

  @Override
  public List<Series> select(Matcher... matchers) {
    check(matchers);
    List<SeriesSnapshot> fromHead = head.select(min, max, matchers);
    if (min > max) {
      return List.of();
    }
    TreeMap<Labels, List<Series>> merged = new TreeMap<>();
    for (SeriesSnapshot s : fromHead) {
      merged.computeIfAbsent(s.labels(), k -> new ArrayList<>(2)).add(s);
    }
    List<Block> held = blocks.acquire();
    try {
      held.sort(Comparator.comparing((Block b) -> b.meta.id()).reversed()); // newer first
      for (Block b : held) {
        if (!b.overlaps(min, max)) {
          continue;
        }
        for (SeriesSnapshot s : read(b, () -> b.select(min, max, matchers))) {
          merged.computeIfAbsent(s.labels(), k -> new ArrayList<>(2)).add(s);
        }
      }
    } finally {
      Blocks.release(held);
    }
    List<Series> out = new ArrayList<>(merged.size());
    for (Map.Entry<Labels, List<Series>> e : merged.entrySet()) {
      List<Series> sources = e.getValue();
      out.add(sources.size() == 1 ? sources.get(0) : new MergedSeries(e.getKey(), sources));
    }
    return out;
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    check(matchers);
    TreeSet<String> names = new TreeSet<>(LabelOrder.VALUES);
    names.addAll(head.labelNames(min, max, matchers));
    forBlocks(b -> b.labelNames(names, matchers));
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    Objects.requireNonNull(name, "name");
    check(matchers);
    TreeSet<String> values = new TreeSet<>(LabelOrder.VALUES);
    values.addAll(head.labelValues(name, min, max, matchers));
    forBlocks(b -> b.labelValues(values, name, matchers));
    return List.copyOf(values);
  }

  private interface BlockRead<T> {
    T run() throws IOException;
  }

  private <T> T read(Block b, BlockRead<T> r) {
    try {
      return r.run();
    } catch (CorruptBlockException e) {
      blocks.reportDamage(b, e);
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("reading block " + b.dir, e);
    }
  }

  private void forBlocks(java.util.function.Consumer<Block> action) {
    if (min > max) {
      return;
    }
    List<Block> held = blocks.acquire();
    try {
      for (Block b : held) {
        if (b.overlaps(min, max)) {
          read(
              b,
              () -> {
                action.accept(b);
                return null;
              });
        }
      }
    } finally {
      Blocks.release(held);
    }
  }

  private void check(Matcher[] matchers) {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
    for (Matcher m : matchers) {
      Objects.requireNonNull(m, "matcher");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
