package ml.bqx.cli.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.bench.NodeReaders;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.extract.AlignedTable;
import ml.bqx.job.extract.CheckpointWriter;
import ml.bqx.job.extract.Spine;
import ml.bqx.local.warehouse.SeedScale;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the training files a real local run makes open in the readers users have, with the
 * warehouse's values. readers/readers.mjs reads each file with nodejs-polars 0.25.2 (a 2024-2026
 * engine) and the current release, DuckDB, arrow-rs (parquet-wasm) and hyparquet; this test adds
 * what parquet-java decodes. Each is compared cell by cell with a left join DuckDB computes
 * straight from the warehouse tables (SQL in readers.mjs, none of bqx's code). A checkpoint, whose
 * chunks the training file is made of, is read by the same readers against the values written.
 */
class TrainingFileReadersTest {
  private static final List<String> PAIRS = List.of("audcad", "nzdjpy");
  private static final List<String> READERS =
      List.of(
          "polars (nodejs-polars 0.25.2)",
          "polars (nodejs-polars 0.26.1)",
          "duckdb (@duckdb/node-api 1.5.6-r.1)",
          "arrow-rs (parquet-wasm 0.8.0)",
          "hyparquet 1.31.5 (+ hyparquet-compressors)",
          "parquet-java 1.18.1");

  @TempDir Path dir;

  @Test
  void localRunFiles_openInEveryReader_withTheWarehouseValuesAndItsNulls() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    CliRun run =
        CliRun.of(
            dir,
            "local",
            "run",
            "--pairs",
            String.join(",", PAIRS),
            "--scale",
            "tiny",
            "--max-concurrent",
            "2",
            "--workdir",
            work.root().toString(),
            "--run",
            "readers");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

    NodeReaders readers = NodeReaders.installed();
    int columns =
        1 + WarehouseLayout.HORIZONS.size() + SeedScale.TINY.tables() * SeedScale.TINY.columns();
    for (String pair : PAIRS) {
      Path file = work.outputFile(pair);
      Path decoded = dir.resolve(pair + ".parquet-java.json");
      Json.MAPPER.writeValue(decoded.toFile(), decodeWithParquetJava(file));

      JsonNode report =
          readers.run(
              List.of(
                  "check",
                  "--warehouse",
                  work.warehouseFile().toString(),
                  "--pair",
                  pair,
                  "--file",
                  file.toString(),
                  "--decoded",
                  "parquet-java 1.18.1=" + decoded));

      assertThat(report.get("rows").asInt()).as(pair).isEqualTo(SeedScale.TINY.rows());
      assertThat(report.get("columns").asInt()).as(pair).isEqualTo(columns);
      // The seeder's warm-ups and gaps leave tables without a row for some targets: nulls there.
      assertThat(report.get("missingTableRows").asInt()).as(pair).isPositive();
      assertThat(report.get("nullCells").asInt())
          .as(pair)
          .isGreaterThanOrEqualTo(report.get("missingTableRows").asInt());
      assertEveryReaderAgrees(report, pair);
    }
  }

  @Test
  void checkpoint_opensInEveryReader_withTheValuesItsWriterWasGiven() throws Exception {
    int rows = 250;
    List<String> names = List.of("mom_w45_audcad__f01", "mom_w45_audcad__f02");
    long[] keys = new long[rows];
    double[][] values = new double[names.size()][rows];
    BitSet[] nulls = {new BitSet(), new BitSet()};
    List<List<Object>> columns = new ArrayList<>(List.of(new ArrayList<>()));
    for (int c = 0; c < names.size(); c++) {
      columns.add(new ArrayList<>());
    }
    for (int r = 0; r < rows; r++) {
      keys[r] = (1_577_836_800L + 60L * r) * 1_000_000L;
      columns.get(0).add(keys[r]);
      for (int c = 0; c < names.size(); c++) {
        values[c][r] = (r * 7919 + c * 104729) % 2001 / 1000.0 - 1.0;
        boolean missing = (r + c) % 9 == 0; // a table with no row there, or a null cell
        nulls[c].set(r, missing);
        columns.get(c + 1).add(missing ? null : values[c][r]);
      }
    }
    Path checkpoint = dir.resolve("checkpoint.parquet");
    CheckpointWriter.write(
        new LocalOutputFile(checkpoint),
        new AlignedTable("mom_w45_audcad", names, values, nulls, rows),
        Spine.of("targets_audcad", keys),
        100);
    List<String> allNames = new ArrayList<>(List.of(WarehouseLayout.KEY));
    allNames.addAll(names);
    Path expected = dir.resolve("checkpoint.expected.json");
    Json.MAPPER.writeValue(expected.toFile(), Map.of("names", allNames, "columns", columns));
    Path decoded = dir.resolve("checkpoint.parquet-java.json");
    Json.MAPPER.writeValue(decoded.toFile(), decodeWithParquetJava(checkpoint));

    JsonNode report =
        NodeReaders.installed()
            .run(
                List.of(
                    "check",
                    "--expected",
                    expected.toString(),
                    "--file",
                    checkpoint.toString(),
                    "--decoded",
                    "parquet-java 1.18.1=" + decoded));

    assertEveryReaderAgrees(report, "checkpoint");
    assertThat(report.get("nullCells").asInt()).isPositive();
  }

  /** Every reader opened the file and decoded exactly the reference's cells. */
  private static void assertEveryReaderAgrees(JsonNode report, String what) {
    List<String> names = new ArrayList<>();
    for (JsonNode reader : report.get("readers")) {
      names.add(reader.get("reader").asText());
      assertThat(reader.get("problems")).as(what + " in " + reader.get("reader")).isEmpty();
      assertThat(reader.get("ok").asBoolean()).as(what + " in " + reader.get("reader")).isTrue();
      assertThat(reader.get("nullCells")).as(what).isEqualTo(report.get("nullCells"));
    }
    assertThat(names).as(what).containsExactly(READERS.toArray(String[]::new));
  }

  /** Every cell as parquet-java's record reader decodes it: names and one list per column. */
  private static Map<String, Object> decodeWithParquetJava(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new LocalInputFile(file),
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      int width = schema.getFieldCount();
      List<List<Object>> columns = new ArrayList<>();
      for (int c = 0; c < width; c++) {
        columns.add(new ArrayList<>());
      }
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(group, new GroupRecordConverter(schema));
        for (long r = 0; r < group.getRowCount(); r++) {
          Group row = records.read();
          for (int c = 0; c < width; c++) {
            columns.get(c).add(cell(row, schema, c));
          }
        }
      }
      Map<String, Object> decoded = new LinkedHashMap<>();
      decoded.put("names", schema.getFields().stream().map(f -> f.getName()).toList());
      decoded.put("columns", columns);
      return decoded;
    }
  }

  private static Object cell(Group row, MessageType schema, int c) {
    if (row.getFieldRepetitionCount(c) == 0) {
      return null;
    }
    return switch (schema.getType(c).asPrimitiveType().getPrimitiveTypeName()) {
      case INT64 -> row.getLong(c, 0); // the key: microseconds since the epoch
      case DOUBLE -> row.getDouble(c, 0);
      default -> throw new IllegalStateException("unexpected column " + schema.getType(c));
    };
  }
}
