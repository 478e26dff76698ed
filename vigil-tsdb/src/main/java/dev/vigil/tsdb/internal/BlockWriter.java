package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Writes one block: into {@code <id>.tmp/}, every file fsynced, then renamed to {@code <id>/} and
 * the parent directory fsynced, so a crash leaves either no block or a whole one (a leftover temp
 * directory is deleted on open).
 */
final class BlockWriter {
  static final String TEMP_SUFFIX = ".tmp";

  private BlockWriter() {}

  /** One series of a block being written: chunks in time order, all of one encoding. */
  record SeriesData(Labels labels, ChunkEncoding encoding, List<Chunk> chunks) {}

  /**
   * Writes a block of the series {@code series} yields (in label order; those without chunks are
   * skipped), covering [minTime, maxTime); returns its directory, or null when no series had
   * chunks.
   */
  static Path write(
      Path blocksDir,
      String id,
      long minTime,
      long maxTime,
      int level,
      List<String> sources,
      SortedSet<String> symbols,
      Iterator<SeriesData> series)
      throws IOException {
    return write(
        blocksDir, id, minTime, maxTime, level, sources, symbols, series, IndexWriter.VERSION);
  }

  /**
   * As above, with index version {@code indexVersion}; 1 (with chunk segments of version 1) only to
   * test reading old blocks.
   */
  static Path write(
      Path blocksDir,
      String id,
      long minTime,
      long maxTime,
      int level,
      List<String> sources,
      SortedSet<String> symbols,
      Iterator<SeriesData> series,
      int indexVersion)
      throws IOException {
    Path temp = blocksDir.resolve(id + TEMP_SUFFIX);
    deleteRecursively(temp);
    Files.createDirectories(temp);
    long numSeries = 0;
    long numChunks = 0;
    long numSamples = 0;
    try {
      try (ChunkFileWriter chunks =
              new ChunkFileWriter(
                  temp.resolve("chunks"), indexVersion == 1 ? 1 : ChunkFileWriter.VERSION);
          IndexWriter index = new IndexWriter(temp.resolve("index"), symbols, indexVersion)) {
        while (series.hasNext()) {
          SeriesData s = series.next();
          if (s.chunks().isEmpty()) {
            continue;
          }
          List<ChunkMeta> metas = new ArrayList<>(s.chunks().size());
          for (Chunk c : s.chunks()) {
            metas.add(new ChunkMeta(c.minTimeMillis(), c.maxTimeMillis(), chunks.write(c)));
            numSamples += c.numSamples();
          }
          index.addSeries(s.labels(), s.encoding(), metas);
          numSeries++;
          numChunks += metas.size();
        }
        chunks.finish();
        index.finish();
      }
      if (numSeries == 0) {
        deleteRecursively(temp);
        return null;
      }
      List<BlockMeta.FileEntry> files = new ArrayList<>();
      try (Stream<Path> segments = Files.list(temp.resolve("chunks"))) {
        for (Path p : segments.sorted(Comparator.comparing(Path::toString)).toList()) {
          files.add(entry(temp, p));
        }
      }
      files.add(entry(temp, temp.resolve("index")));
      new BlockMeta(
              id, minTime, maxTime, 0, numSeries, numChunks, numSamples, level, sources, files)
          .write(temp);
      SegmentFiles.syncDirectory(temp.resolve("chunks"));
      SegmentFiles.syncDirectory(temp);
      Path target = blocksDir.resolve(id);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      SegmentFiles.syncDirectory(blocksDir);
      return target;
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temp);
      throw e;
    }
  }

  private static BlockMeta.FileEntry entry(Path blockDir, Path file) throws IOException {
    return new BlockMeta.FileEntry(
        blockDir.relativize(file).toString().replace('\\', '/'), Files.size(file), crc32c(file));
  }

  /** CRC-32C of a whole file, read in 1 MiB pieces. */
  static long crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (in.read(buf) > 0) {
        buf.flip();
        crc.update(buf);
        buf.clear();
      }
    }
    return crc.getValue();
  }

  /** Deletes a directory tree if it exists. */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
