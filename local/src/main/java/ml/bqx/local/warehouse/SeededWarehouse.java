package ml.bqx.local.warehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import ml.bqx.core.pair.Pair;

/**
 * A seeded DuckDB warehouse file and the marker beside it that says what it holds ({@code
 * warehouse.duckdb} and {@code warehouse.seeded}: the warehouse's name, then a pair a line), so
 * that a local run or the bench seeds only what is missing, and a resumed run goes on with the
 * warehouse it started with. The local run, the bench and {@code bqx warehouse seed} all seed
 * through it.
 */
public final class SeededWarehouse {
  private final Path file;
  private final Path marker;

  public SeededWarehouse(Path file) {
    this.file = file;
    String name = file.getFileName().toString();
    this.marker =
        file.resolveSibling(
            (name.endsWith(".duckdb") ? name.substring(0, name.length() - 7) : name) + ".seeded");
  }

  public Path file() {
    return file;
  }

  /** The name it was seeded as, if it was seeded through here and is still there. */
  public Optional<String> name() throws IOException {
    List<String> lines = markerLines();
    return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0));
  }

  /** The pairs of {@code pairs} it does not hold as warehouse {@code name}: all, for another. */
  public List<Pair> missing(String name, List<Pair> pairs) throws IOException {
    if (!holds(name)) {
      return List.copyOf(pairs);
    }
    List<String> lines = markerLines();
    List<String> seeded = lines.subList(1, lines.size());
    return pairs.stream().filter(p -> !seeded.contains(p.name())).toList();
  }

  /**
   * Seeds the spec's pairs into warehouse {@code name}: a warehouse of another name is deleted
   * first; the marker then counts these pairs.
   */
  public SeedReport add(String name, SeedSpec spec, SeedProgress progress) throws IOException {
    boolean same = holds(name);
    if (!same) {
      if (name().isPresent()) {
        Files.delete(file);
      }
      Files.deleteIfExists(marker);
    }
    SeedReport report = WarehouseSeeder.seed(file, spec, progress);
    StringBuilder text = new StringBuilder();
    if (!same) {
      text.append(name).append('\n');
    }
    spec.pairs().forEach(p -> text.append(p.name()).append('\n'));
    Files.writeString(
        marker, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return report;
  }

  /**
   * Seeds the spec as it says, replacing its pairs' tables: the marker no longer counts those
   * pairs, whose tables are now of the spec's size, not of the warehouse's name.
   */
  public SeedReport seed(SeedSpec spec, SeedProgress progress) throws IOException {
    List<String> lines = markerLines();
    if (lines.isEmpty()) {
      Files.deleteIfExists(marker); // a marker without its warehouse says nothing true
    } else {
      StringBuilder text = new StringBuilder(lines.get(0)).append('\n');
      List<String> replaced = spec.pairs().stream().map(Pair::name).toList();
      lines.stream()
          .skip(1)
          .filter(p -> !replaced.contains(p))
          .forEach(p -> text.append(p).append('\n'));
      Files.writeString(marker, text, StandardCharsets.UTF_8);
    }
    return WarehouseSeeder.seed(file, spec, progress);
  }

  private boolean holds(String name) throws IOException {
    return name().filter(name::equals).isPresent();
  }

  /** The marker's lines while the warehouse is there too; none otherwise. */
  private List<String> markerLines() throws IOException {
    if (!Files.exists(file) || !Files.exists(marker)) {
      return List.of();
    }
    return Files.readAllLines(marker, StandardCharsets.UTF_8);
  }
}
