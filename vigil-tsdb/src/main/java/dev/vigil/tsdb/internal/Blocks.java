package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's on-disk blocks: loading them on open, publishing new ones, retiring replaced or
 * expired ones once their readers are done, and setting corrupt ones aside in {@code corrupted/}.
 *
 * <p><b>Assumptions and guarantees.</b> The published list is immutable and replaced whole under
 * {@code this}, so adding a compacted block and removing its sources is one atomic step for
 * readers. {@link #acquire} takes a reference on every published block under the same monitor, so a
 * reader never sees a block whose files are gone; files are deleted only when the last reference is
 * released. Writers (the maintenance thread) are serialised by the engine's maintenance lock.
 */
final class Blocks implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Blocks.class.getName());
  static final Comparator<Block> ORDER =
      Comparator.<Block>comparingLong(b -> b.meta.minTime()).thenComparing(b -> b.meta.id());

  final Path dir;
  private final Path corruptedDir;
  private volatile List<Block> list = List.of(); // written under this
  private final Set<String> verified = ConcurrentHashMap.newKeySet();
  private final Set<String> suspect = ConcurrentHashMap.newKeySet();
  private final AtomicLong corrupted = new AtomicLong();

  private Blocks(Path dir, Path corruptedDir) {
    this.dir = dir;
    this.corruptedDir = corruptedDir;
  }

  /**
   * Opens every block under {@code dir}: deletes unfinished temp directories and sets aside blocks
   * whose meta.json, table of contents, symbols or postings table fail their checks.
   */
  static Blocks open(Path dir, Path corruptedDir) throws IOException {
    Files.createDirectories(dir);
    Blocks blocks = new Blocks(dir, corruptedDir);
    List<Block> loaded = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.endsWith(BlockWriter.TEMP_SUFFIX)) {
          LOG.log(Level.INFO, "deleting {0}, left by a block write that did not finish", p);
          BlockWriter.deleteRecursively(p);
          continue;
        }
        if (!Files.isDirectory(p) || !BlockId.isId(name)) {
          continue;
        }
        try {
          loaded.add(Block.open(p));
        } catch (IOException | RuntimeException e) {
          // Damage may surface as any runtime exception (a bad offset, an invalid label);
          // whatever it is, the store must open without the block.
          blocks.setAside(p, String.valueOf(e.getMessage()));
        }
      }
    }
    loaded.sort(ORDER);
    blocks.list = List.copyOf(dropSuperseded(loaded));
    return blocks;
  }

  /**
   * Deletes blocks whose data a compacted block also holds: a crash between publishing a merged
   * block and deleting its sources leaves both.
   */
  private static List<Block> dropSuperseded(List<Block> loaded) throws IOException {
    List<Block> kept = new ArrayList<>();
    for (Block b : loaded) {
      Block by = null;
      for (Block other : loaded) {
        if (other != b
            && other.meta.level() > b.meta.level()
            && other.meta.sources().containsAll(b.meta.sources())) {
          by = other;
          break;
        }
      }
      if (by == null) {
        kept.add(b);
      } else {
        LOG.log(Level.INFO, "deleting block {0}, which compacted block {1} holds", b, by);
        BlockWriter.deleteRecursively(b.dir);
      }
    }
    return kept;
  }

  /** The published blocks, in time order; without references, for planning on one thread. */
  List<Block> list() {
    return list;
  }

  /** References on every published block; give them back with {@link #release}. */
  synchronized List<Block> acquire() {
    List<Block> out = new ArrayList<>(list.size());
    for (Block b : list) {
      if (b.acquire()) {
        out.add(b);
      }
    }
    return out;
  }

  static void release(List<Block> blocks) {
    for (Block b : blocks) {
      b.release();
    }
  }

  /** Publishes {@code added} and retires {@code removed} in one step. */
  void replace(List<Block> removed, List<Block> added) {
    synchronized (this) {
      List<Block> next = new ArrayList<>(list);
      next.removeAll(removed);
      next.addAll(added);
      next.sort(ORDER);
      list = List.copyOf(next);
    }
    for (Block b : removed) {
      b.markObsolete(() -> deleteQuietly(b.dir));
    }
  }

  /** Opens and publishes a block just written to {@code blockDir}. */
  Block add(Path blockDir, List<Block> replacing) throws IOException {
    Block b = Block.open(blockDir);
    verified.add(b.meta.id()); // written and checked by this process
    replace(replacing, List.of(b));
    return b;
  }

  /**
   * Checks the whole files of blocks a reader found damaged, then of blocks not yet verified since
   * open, until about {@code budgetBytes} were read (at least one block), setting aside those that
   * fail; returns how many were set aside. The budget keeps one maintenance pass from reading a
   * large store whole; everything a query or compaction reads is checked by its own CRC anyway.
   */
  int verify(long budgetBytes) {
    int bad = 0;
    long spent = 0;
    List<Block> order = new ArrayList<>(list);
    order.sort(Comparator.comparing((Block b) -> !suspect.contains(b.meta.id())));
    for (Block b : order) {
      if (verified.contains(b.meta.id()) && !suspect.contains(b.meta.id())) {
        continue;
      }
      if (spent > 0 && spent + b.bytes > budgetBytes) {
        break;
      }
      spent += b.bytes;
      try {
        b.verify();
        verified.add(b.meta.id());
        suspect.remove(b.meta.id());
      } catch (IOException | RuntimeException e) {
        quarantine(b, String.valueOf(e.getMessage()));
        bad++;
      }
    }
    return bad;
  }

  /** The published block holding {@code file}, or null. */
  Block owning(Path file) {
    for (Block b : list) {
      if (file != null && file.startsWith(b.dir)) {
        return b;
      }
    }
    return null;
  }

  /** A reader found {@code b} damaged: it is checked whole on the next maintenance pass. */
  void reportDamage(Block b, RuntimeException e) {
    if (suspect.add(b.meta.id())) {
      LOG.log(Level.ERROR, "block {0} is damaged: {1}", b.dir, e.getMessage());
    }
  }

  /** Unpublishes a damaged block and moves it to corrupted/ once its readers are done. */
  void quarantine(Block b, String reason) {
    synchronized (this) {
      List<Block> next = new ArrayList<>(list);
      if (!next.remove(b)) {
        return;
      }
      list = List.copyOf(next);
    }
    suspect.remove(b.meta.id());
    b.markObsolete(
        () -> {
          try {
            setAside(b.dir, reason);
          } catch (IOException e) {
            LOG.log(Level.ERROR, "could not move corrupt block " + b.dir + " aside", e);
          }
        });
  }

  private void setAside(Path blockDir, String reason) throws IOException {
    Files.createDirectories(corruptedDir);
    Path target = corruptedDir.resolve(blockDir.getFileName());
    if (Files.exists(target)) {
      target = corruptedDir.resolve(blockDir.getFileName() + "." + System.nanoTime());
    }
    Files.move(blockDir, target, StandardCopyOption.ATOMIC_MOVE);
    SegmentFiles.syncDirectory(dir);
    corrupted.incrementAndGet();
    LOG.log(
        Level.ERROR, "block {0} is corrupt and was moved to {1}: {2}", blockDir, target, reason);
  }

  private static void deleteQuietly(Path blockDir) {
    try {
      BlockWriter.deleteRecursively(blockDir);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete retired block " + blockDir, e);
    }
  }

  /**
   * Retires whole blocks: those whose every sample is older than {@code cutoff}, then, while the
   * blocks plus {@code otherBytes} (the log) exceed {@code maxBytes} (0 for no limit), the oldest;
   * returns how many.
   */
  int applyRetention(long cutoff, long maxBytes, long otherBytes) {
    List<Block> drop = new ArrayList<>();
    List<Block> byAge = new ArrayList<>(list);
    byAge.sort(Comparator.comparingLong(b -> b.meta.maxTime()));
    long total = otherBytes + bytes();
    for (Block b : byAge) {
      boolean expired = b.meta.maxTime() <= cutoff;
      boolean tooBig = maxBytes > 0 && total > maxBytes;
      if (!expired && !tooBig) {
        break;
      }
      drop.add(b);
      total -= b.bytes;
      LOG.log(
          Level.INFO,
          "retention drops block {0} ({1})",
          b,
          expired ? "past the retention time" : "over the retention size");
    }
    if (!drop.isEmpty()) {
      replace(drop, List.of());
    }
    return drop.size();
  }

  /** Blocks set aside since open. */
  long corruptedCount() {
    return corrupted.get();
  }

  /** Bytes of the published blocks' files. */
  long bytes() {
    long total = 0;
    for (Block b : list) {
      total += b.bytes;
    }
    return total;
  }

  @Override
  public void close() {
    // Mapped buffers are unmapped by the garbage collector; nothing else is held.
  }
}
