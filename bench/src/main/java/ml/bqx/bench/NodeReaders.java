package ml.bqx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.json.Json;

/**
 * The Parquet readers users have (Polars, DuckDB, arrow-rs, hyparquet), installed pinned by {@code
 * npm ci} in the repository's {@code readers/} folder, run through its {@code readers.mjs}: each
 * call is one Node process whose one line of JSON on stdout is the answer.
 */
public final class NodeReaders {
  /** System property naming the readers folder (the build and {@code ./bqx} set it). */
  public static final String DIR_PROPERTY = "bqx.readers.dir";

  private final Path dir;

  private NodeReaders(Path dir) {
    this.dir = dir;
  }

  /**
   * The installed readers: the folder the property names, else {@code readers/} in the working
   * directory or one above it.
   *
   * @throws IllegalStateException with a one-line reason when they are not installed
   */
  public static NodeReaders installed() {
    String property = System.getProperty(DIR_PROPERTY);
    List<Path> candidates =
        property != null
            ? List.of(Path.of(property))
            : List.of(Path.of("readers"), Path.of("..", "readers"));
    for (Path candidate : candidates) {
      if (Files.isDirectory(candidate.resolve("node_modules"))) {
        return new NodeReaders(candidate.toAbsolutePath().normalize());
      }
    }
    throw new IllegalStateException(
        "the Node Parquet readers are not installed: run 'npm ci' in "
            + candidates.get(0).toAbsolutePath().normalize());
  }

  /** Runs {@code node readers.mjs ARGS} and returns its JSON answer. */
  public JsonNode run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", dir.resolve("readers.mjs").toString()));
    command.addAll(args);
    Path errors = Files.createTempFile("bqx-readers", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectError(errors.toFile())
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      int code = process.waitFor();
      if (code != 0) {
        List<String> lines = Files.readAllLines(errors);
        throw new IOException(
            "node readers.mjs "
                + String.join(" ", args)
                + " exited with "
                + code
                + ": "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
      }
      return Json.MAPPER.readTree(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the Node readers ran", e);
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
