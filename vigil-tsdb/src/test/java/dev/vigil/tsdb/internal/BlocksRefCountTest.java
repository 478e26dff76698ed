package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retired block keeps its files until its last reader releases it. */
class BlocksRefCountTest {
  @TempDir Path dir;

  private Path writeBlock(Path blocksDir, long minTime) throws IOException {
    Labels labels = Labels.of("__name__", "up", "job", "api");
    ChunkWriter w = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    for (int i = 0; i < 10; i++) {
      w.append(minTime + i * 1000L, i, null);
    }
    TreeSet<String> symbols = new TreeSet<>(LabelOrder.VALUES);
    labels.forEach(
        (n, v) -> {
          symbols.add(n);
          symbols.add(v);
        });
    String id = BlockId.next(minTime);
    return BlockWriter.write(
        blocksDir,
        id,
        minTime,
        minTime + 3_600_000,
        1,
        List.of(id),
        symbols,
        List.of(new BlockWriter.SeriesData(labels, ChunkEncoding.FLOAT_XOR, List.of(w.toChunk())))
            .iterator());
  }

  @Test
  void aRetiredBlockIsDeletedWhenItsLastReaderIsDone() throws IOException {
    Path blocksDir = dir.resolve("blocks");
    Blocks blocks = Blocks.open(blocksDir, dir.resolve("corrupted"));
    Path first = writeBlock(blocksDir, 0);
    Block b = blocks.add(first, List.of());

    List<Block> held = blocks.acquire();
    assertThat(held).containsExactly(b);
    Path second = writeBlock(blocksDir, 0);
    blocks.add(second, List.of(b)); // as compaction does: publish the new, retire the old

    assertThat(blocks.list()).extracting(x -> x.dir).containsExactly(second);
    assertThat(first).isDirectory(); // still held
    assertThat(b.select(0, 100_000, Matcher.equal("job", "api"))).hasSize(1);
    assertThat(b.acquire()).isTrue(); // a reader may still add itself while one holds it
    b.release();

    Blocks.release(held);
    assertThat(first).doesNotExist();
    assertThat(b.acquire()).isFalse();
    assertThat(blocks.acquire()).extracting(x -> x.dir).containsExactly(second);
  }

  @Test
  void aQuarantinedBlockMovesAsideWhenItsLastReaderIsDone() throws IOException {
    Path blocksDir = dir.resolve("blocks");
    Blocks blocks = Blocks.open(blocksDir, dir.resolve("corrupted"));
    Block b = blocks.add(writeBlock(blocksDir, 0), List.of());
    List<Block> held = blocks.acquire();
    blocks.quarantine(b, "test");
    assertThat(blocks.list()).isEmpty();
    assertThat(b.dir).isDirectory();
    Blocks.release(held);
    assertThat(b.dir).doesNotExist();
    assertThat(dir.resolve("corrupted").resolve(b.dir.getFileName())).isDirectory();
    assertThat(blocks.corruptedCount()).isEqualTo(1);
  }
}
