package ml.bqx.job.extract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.job.stage.JobFailure;

/**
 * What a pair's extraction will produce, checked before a single row is read: the targets table,
 * the feature tables in name order, and every output column's final name, unique across tables.
 */
public record ExtractPlan(Pair pair, WarehouseTable targets, List<PlannedTable> features) {
  /** Separates a feature table's name from its column's in output column names. */
  public static final String SEPARATOR = "__";

  public ExtractPlan {
    features = List.copyOf(features);
  }

  /** A feature table and the output names of its value columns (the key excluded). */
  public record PlannedTable(
      WarehouseTable table, List<String> sourceColumns, List<String> outputColumns) {
    public PlannedTable {
      sourceColumns = List.copyOf(sourceColumns);
      outputColumns = List.copyOf(outputColumns);
    }
  }

  /**
   * Plans the extraction of the discovered tables, refusing a pair with no tables, no targets
   * table, a missing horizon, a table without the key, a non-numeric feature, or two tables whose
   * columns would get the same output name.
   */
  public static ExtractPlan of(Pair pair, List<WarehouseTable> discovered) {
    requireTables(pair, discovered);
    WarehouseTable targets = targetsOf(pair, discovered);
    requireHorizons(targets);
    Map<String, String> owners = new HashMap<>(); // output column -> the table it comes from
    owners.put(WarehouseLayout.KEY, targets.name());
    WarehouseLayout.HORIZONS.forEach(h -> owners.put(h, targets.name()));
    List<PlannedTable> features = new ArrayList<>();
    for (WarehouseTable table : featureTablesByName(targets, discovered)) {
      features.add(planFeature(table, owners));
    }
    return new ExtractPlan(pair, targets, features);
  }

  private static void requireTables(Pair pair, List<WarehouseTable> discovered) {
    if (discovered.isEmpty()) {
      throw JobFailure.badInput(
          "pair "
              + pair
              + " has no tables in "
              + WarehouseLayout.DATASET
              + " (none named *_"
              + pair
              + ")");
    }
  }

  private static WarehouseTable targetsOf(Pair pair, List<WarehouseTable> discovered) {
    String targetsName = WarehouseLayout.targetsTable(pair);
    WarehouseTable targets =
        discovered.stream()
            .filter(t -> t.name().equals(targetsName))
            .findFirst()
            .orElseThrow(
                () ->
                    JobFailure.badInput(
                        "pair "
                            + pair
                            + " has no targets table: expected "
                            + WarehouseLayout.DATASET
                            + "."
                            + targetsName
                            + " among "
                            + discovered.size()
                            + " tables"));
    requireKey(targets);
    return targets;
  }

  /** Every horizon is there, and numeric. */
  private static void requireHorizons(WarehouseTable targets) {
    Set<String> targetColumns =
        targets.columns().stream().map(WarehouseColumn::name).collect(Collectors.toSet());
    List<String> missing =
        WarehouseLayout.HORIZONS.stream().filter(h -> !targetColumns.contains(h)).toList();
    if (!missing.isEmpty()) {
      throw JobFailure.badInput(
          "targets table " + targets.name() + " lacks horizon(s) " + String.join(", ", missing));
    }
    targets.columns().stream()
        .filter(c -> WarehouseLayout.HORIZONS.contains(c.name()))
        .forEach(horizon -> requireNumeric(targets, horizon));
  }

  private static List<WarehouseTable> featureTablesByName(
      WarehouseTable targets, List<WarehouseTable> discovered) {
    return discovered.stream()
        .filter(t -> !t.name().equals(targets.name()))
        .sorted(Comparator.comparing(WarehouseTable::name))
        .toList();
  }

  /**
   * A feature table's value columns and their output names, each claimed in {@code owners}: a name
   * another table already claimed is a collision.
   */
  private static PlannedTable planFeature(WarehouseTable table, Map<String, String> owners) {
    requireKey(table);
    List<String> sources = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (WarehouseColumn column : table.columns()) {
      if (column.name().equals(WarehouseLayout.KEY)) {
        continue;
      }
      requireNumeric(table, column);
      String output = table.name() + SEPARATOR + column.name();
      String owner = owners.putIfAbsent(output, table.name());
      if (owner != null) {
        throw JobFailure.badInput(
            "column name collision: "
                + output
                + " comes from both table "
                + owner
                + " and table "
                + table.name());
      }
      sources.add(column.name());
      outputs.add(output);
    }
    if (sources.isEmpty()) {
      throw JobFailure.badInput("table " + table.name() + " has no feature columns");
    }
    return new PlannedTable(table, sources, outputs);
  }

  /** Columns of the output file: the key, the 7 targets and every feature column. */
  public int outputColumns() {
    return 1
        + WarehouseLayout.HORIZONS.size()
        + features.stream().mapToInt(f -> f.outputColumns().size()).sum();
  }

  private static void requireNumeric(WarehouseTable table, WarehouseColumn column) {
    if (!column.isNumeric()) {
      throw JobFailure.badInput(
          "column "
              + column.name()
              + " of table "
              + table.name()
              + " is "
              + column.type()
              + ": only numeric features are supported");
    }
  }

  private static void requireKey(WarehouseTable table) {
    WarehouseColumn key =
        table.columns().stream()
            .filter(c -> c.name().equals(WarehouseLayout.KEY))
            .findFirst()
            .orElseThrow(
                () ->
                    JobFailure.badInput(
                        "table " + table.name() + " has no " + WarehouseLayout.KEY + " column"));
    if (!key.type().equals("TIMESTAMP")) {
      throw JobFailure.badInput(
          "table "
              + table.name()
              + " has "
              + WarehouseLayout.KEY
              + " of type "
              + key.type()
              + ", expected TIMESTAMP");
    }
  }
}
