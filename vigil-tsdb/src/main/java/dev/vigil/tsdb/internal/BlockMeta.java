package dev.vigil.tsdb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's {@code meta.json} (docs/format/block.md): its id, time range [minTime, maxTime), stats,
 * compaction lineage, resolution and the size and CRC-32C of each of its files. Immutable.
 */
record BlockMeta(
    String id,
    long minTime,
    long maxTime,
    long resolutionMillis,
    long numSeries,
    long numChunks,
    long numSamples,
    int level,
    List<String> sources,
    List<FileEntry> files) {

  static final String FILE_NAME = "meta.json";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the block, by path relative to the block directory. */
  record FileEntry(String path, long sizeBytes, long crc32c) {}

  BlockMeta {
    sources = List.copyOf(sources);
    files = List.copyOf(files);
  }

  /** Total size of the files listed. */
  long filesBytes() {
    long total = 0;
    for (FileEntry f : files) {
      total += f.sizeBytes();
    }
    return total;
  }

  /** Writes {@code meta.json} into {@code blockDir} and fsyncs it. */
  void write(Path blockDir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("ulid", id);
    root.put("minTime", minTime);
    root.put("maxTime", maxTime);
    root.put("resolution", resolutionMillis);
    ObjectNode stats = root.putObject("stats");
    stats.put("numSeries", numSeries);
    stats.put("numChunks", numChunks);
    stats.put("numSamples", numSamples);
    ObjectNode compaction = root.putObject("compaction");
    compaction.put("level", level);
    ArrayNode src = compaction.putArray("sources");
    sources.forEach(src::add);
    ArrayNode fileArray = root.putArray("files");
    for (FileEntry f : files) {
      ObjectNode o = fileArray.addObject();
      o.put("path", f.path());
      o.put("sizeBytes", f.sizeBytes());
      o.put("crc32c", f.crc32c());
    }
    byte[] bytes =
        JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(root)
            .concat("\n")
            .getBytes(StandardCharsets.UTF_8);
    Path file = blockDir.resolve(FILE_NAME);
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(java.nio.ByteBuffer.wrap(bytes));
      out.force(true);
    }
  }

  /** Reads and checks {@code meta.json} of {@code blockDir}. */
  static BlockMeta read(Path blockDir) throws IOException {
    Path file = blockDir.resolve(FILE_NAME);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new CorruptBlockException(
          file,
          e.getLocation() == null ? 0 : e.getLocation().getByteOffset(),
          e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CorruptBlockException(file, 0, "not a JSON object");
    }
    int version = (int) number(file, root, "version");
    if (version != VERSION) {
      throw new CorruptBlockException(file, 0, "unknown version " + version);
    }
    JsonNode stats = object(file, root, "stats");
    JsonNode compaction = object(file, root, "compaction");
    List<String> sources = new ArrayList<>();
    for (JsonNode s : array(file, compaction, "sources")) {
      sources.add(s.asText());
    }
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode f : array(file, root, "files")) {
      String path = f.path("path").asText("");
      if (path.isEmpty() || path.contains("..") || path.startsWith("/")) {
        throw new CorruptBlockException(file, 0, "bad file path \"" + path + "\"");
      }
      files.add(new FileEntry(path, number(file, f, "sizeBytes"), number(file, f, "crc32c")));
    }
    String id = root.path("ulid").asText("");
    if (!id.equals(blockDir.getFileName().toString())) {
      throw new CorruptBlockException(file, 0, "ulid \"" + id + "\" differs from the directory");
    }
    long min = number(file, root, "minTime");
    long max = number(file, root, "maxTime");
    if (min >= max) {
      throw new CorruptBlockException(file, 0, "empty time range [" + min + ", " + max + ")");
    }
    return new BlockMeta(
        id,
        min,
        max,
        number(file, root, "resolution"),
        number(file, stats, "numSeries"),
        number(file, stats, "numChunks"),
        number(file, stats, "numSamples"),
        (int) number(file, compaction, "level"),
        sources,
        files);
  }

  private static long number(Path file, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new CorruptBlockException(file, 0, "missing or non-integer field \"" + field + "\"");
    }
    return v.asLong();
  }

  private static JsonNode object(Path file, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new CorruptBlockException(file, 0, "missing object \"" + field + "\"");
    }
    return v;
  }

  private static JsonNode array(Path file, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new CorruptBlockException(file, 0, "missing array \"" + field + "\"");
    }
    return v;
  }
}
