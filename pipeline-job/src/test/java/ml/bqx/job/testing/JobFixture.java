package ml.bqx.job.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.PipelineJobMain;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.WarehouseSeeder;

/** A tiny seeded warehouse, local stores and a jsonl event bus in a folder, and the job's env. */
public final class JobFixture {
  public static final Pair EURUSD = Pair.parse("eurusd");
  public static final int ROWS = SeedScale.TINY.rows();
  public static final int ROW_GROUP_ROWS = 100;

  public final Path dir;
  public final Path warehouse;
  public final Path events;
  public final Path staging;
  public final Path output;

  public JobFixture(Path dir) throws IOException {
    this.dir = dir;
    this.warehouse = dir.resolve("warehouse.duckdb");
    this.events = dir.resolve("events.jsonl");
    this.staging = dir.resolve("staging");
    this.output = dir.resolve("output");
    Files.createDirectories(staging);
    Files.createDirectories(output);
  }

  /** Seeds the tiny preset for eurusd; returns this. */
  public JobFixture seeded() throws IOException {
    WarehouseSeeder.seed(
        warehouse, SeedSpec.of(SeedScale.TINY, List.of(EURUSD), 7), SeedProgress.NONE);
    return this;
  }

  /** Runs SQL on the warehouse (read-write; only while no job holds it). */
  public void sql(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** The job's environment for one attempt. */
  public Map<String, String> env(String pair, String run, int attempt) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TARGET_PAIR", pair);
    env.put("RUN_ID", run);
    env.put("ATTEMPT", Integer.toString(attempt));
    env.put("BQX_WAREHOUSE", "duckdb://" + warehouse);
    env.put("BQX_STAGING", staging.toUri().toString());
    env.put("BQX_OUTPUT", output.toUri().toString());
    env.put("BQX_EVENT_BUS", "jsonl://" + events);
    env.put("BQX_EXTRACT_CONCURRENCY", "3");
    env.put("BQX_ROW_GROUP_ROWS", Integer.toString(ROW_GROUP_ROWS));
    env.put("BQX_MIN_ROWS", "400");
    env.put("BQX_MIN_COLUMNS", "20");
    return env;
  }

  /** The one object of an eurusd table in the checkpoint cache whose name ends so. */
  public ObjectInfo cached(ObjectStore store, String table, String suffix) throws IOException {
    URI folder = URI.create(StoreLayout.pairCache(staging.toUri(), EURUSD) + table + "/");
    List<ObjectInfo> found =
        store.list(folder).stream().filter(o -> o.uri().toString().endsWith(suffix)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " cached objects *" + suffix + " of " + table);
    }
    return found.get(0);
  }

  public List<StageEvent> events() throws IOException {
    return PublishedEvents.read(events);
  }

  /** What one in-process run of the job's main returned and logged. */
  public record Outcome(int exitCode, String log) {}

  /** Calls the job's main in this JVM, capturing what it logs on stderr. */
  public static Outcome runInProcess(Map<String, String> env) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = PipelineJobMain.run(env);
      return new Outcome(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
      original.print(captured.toString(StandardCharsets.UTF_8));
    }
  }

  /** A child {@code java} process running the job's main with this environment. */
  public ProcessBuilder childProcess(Map<String, String> env, String... jvmOptions) {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PipelineJobMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    return builder;
  }
}
