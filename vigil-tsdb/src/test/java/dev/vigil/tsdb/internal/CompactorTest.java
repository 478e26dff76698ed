package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning and merging of blocks, on real block files. */
class CompactorTest {
  private static final long H = 3_600_000;

  @TempDir Path dir;

  private static Path block(Path blocksDir, long minTime, long maxTime, int level)
      throws IOException {
    Labels labels = Labels.of("__name__", "up", "job", "api");
    ChunkWriter w = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    for (long t = minTime; t < maxTime; t += 600_000) {
      w.append(t, t / 1000.0, null);
    }
    TreeSet<String> symbols = new TreeSet<>(LabelOrder.VALUES);
    symbols.addAll(List.of("__name__", "up", "job", "api"));
    String id = BlockId.next(minTime);
    return BlockWriter.write(
        blocksDir,
        id,
        minTime,
        maxTime,
        level,
        List.of(id),
        symbols,
        List.of(new BlockWriter.SeriesData(labels, ChunkEncoding.FLOAT_XOR, List.of(w.toChunk())))
            .iterator());
  }

  private Compactor compactor(Blocks blocks) {
    Head head = new Head(TsdbOptions.builder(dir).build());
    return new Compactor(head, blocks, 2 * H, Duration.ofDays(30).toMillis());
  }

  @Test
  void rangesGrowThreefoldUpToATenthOfTheRetention() {
    assertThat(Compactor.ranges(2 * H, 30 * 24 * H)).containsExactly(2 * H, 6 * H, 18 * H, 54 * H);
    assertThat(Compactor.ranges(2 * H, 6 * H)).containsExactly(2 * H);
  }

  @Test
  void plansOverlapsFirstThenFullLeveledWindows() throws IOException {
    Path blocksDir = dir.resolve("blocks");
    Blocks blocks = Blocks.open(blocksDir, dir.resolve("corrupted"));
    Compactor c = compactor(blocks);
    Block a = blocks.add(block(blocksDir, 0, 2 * H, 1), List.of());
    Block b = blocks.add(block(blocksDir, 2 * H, 4 * H, 1), List.of());
    assertThat(c.plan(blocks.list())).isEmpty(); // the 6 h window is not complete yet
    Block d = blocks.add(block(blocksDir, 4 * H, 6 * H, 1), List.of());
    Block e = blocks.add(block(blocksDir, 6 * H, 8 * H, 1), List.of());
    assertThat(c.plan(blocks.list())).containsExactly(a, b, d);
    Block overlapping = blocks.add(block(blocksDir, 7 * H, 8 * H, 1), List.of());
    assertThat(c.plan(blocks.list())).containsExactly(e, overlapping);
  }

  @Test
  void damageFoundWhileMergingSetsTheBlockAside() throws IOException {
    Path blocksDir = dir.resolve("blocks");
    Blocks blocks = Blocks.open(blocksDir, dir.resolve("corrupted"));
    Block good = blocks.add(block(blocksDir, 0, 2 * H, 1), List.of());
    Block bad = blocks.add(block(blocksDir, H, 2 * H, 1), List.of());
    try (FileChannel ch =
        FileChannel.open(bad.dir.resolve("chunks/000001"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), 12);
    }
    Compactor c = compactor(blocks);
    assertThat(c.compactBlocks()).isTrue();
    assertThat(blocks.list()).containsExactly(good);
    assertThat(blocks.corruptedCount()).isEqualTo(1);
    assertThat(c.compactBlocks()).isFalse();
  }
}
