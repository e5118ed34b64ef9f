package ml.bqx.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.report.AttemptReport;
import ml.bqx.core.report.PairReport;
import ml.bqx.core.report.RunOutcome;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.report.StageTime;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real {@code bqx local run} (two pairs at tiny scale, one of them broken so that
 * its validate stage fails): report.json as the completion wrote it carries every attempt's stages
 * and figures under the job's metric names, and the HTML page, opened in headless Chromium, draws a
 * bar per attempt and per stage with the sizes the report says, the failure marked with its reason.
 * Chromium's own layout is measured by a script added to a copy of the page, and a screenshot is
 * kept in {@code target/report-test/}.
 */
@ExtendWith(ChildProcesses.class)
class ReportCommandTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path KEPT = Path.of("target", "report-test");
  private static final List<Stage> STAGES =
      List.of(Stage.EXTRACT, Stage.MERGE, Stage.VALIDATE, Stage.UPLOAD, Stage.CLEANUP);

  @TempDir Path dir;

  @Test
  void reportOfARealLocalRun_barsPerAttemptAndStage_inHeadlessChromium() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    Pair good = Pair.parse("audcad");
    Pair broken = Pair.parse("eurjpy");
    SeedScale tiny = SeedScale.TINY;
    new SeededWarehouse(work.warehouseFile())
        .add(
            "tiny",
            new SeedSpec(List.of(good, broken), tiny.tables(), tiny.rows(), tiny.columns(), 42),
            (pair, table, done, total) -> {});
    // An all-null feature column: the job's validate stage refuses the file (not retryable).
    try (Connection duck =
            DriverManager.getConnection("jdbc:duckdb:" + work.warehouseFile().toAbsolutePath());
        Statement sql = duck.createStatement()) {
      sql.execute(
          "UPDATE bqx_ml_v3_features_v2."
              + WarehouseSeeder.featureTableName(broken, 2)
              + " SET f02 = NULL");
    }

    CliRun run =
        bqx(
            "local",
            "run",
            "--pairs",
            "audcad,eurjpy",
            "--scale",
            "tiny",
            "--max-concurrent",
            "2",
            "--run",
            "rep",
            "--workdir",
            work.root().toString(),
            "--tolerate-failures",
            "50",
            "--priority",
            "eurjpy");
    // One of two pairs failed, within the 50% tolerated: the run succeeded with failures.
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out())
        .contains(
            "succeeded with failures: 1 of 2 pairs did not succeed (50%), within the 50%"
                + " tolerated");
    CliRun status = bqx("status", "rep", "--workdir", work.root().toString());
    assertThat(status.out()).contains("succeeded with failures: 1 of 2 pairs did not succeed");

    // report.json, as the completion function wrote it when the run ended.
    RunReport stored =
        Json.fromBytes(
            Files.readAllBytes(work.stagingDir().resolve("runs/rep/report.json")), RunReport.class);
    PairReport audcad = pair(stored, good);
    PairReport eurjpy = pair(stored, broken);
    assertThat(audcad.state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(eurjpy.state()).isEqualTo(PairState.FAILED);
    // --priority put eurjpy first: the run's order is its start order.
    assertThat(stored.pairs()).extracting(p -> p.pair().name()).containsExactly("eurjpy", "audcad");
    assertThat(stored.outcome()).isEqualTo(RunOutcome.SUCCEEDED_WITH_FAILURES);
    AttemptReport built = only(audcad);
    assertThat(built.stages()).extracting(StageTime::stage).containsExactlyElementsOf(STAGES);
    assertThat(built.stages()).allSatisfy(s -> assertThat(s.failed()).isFalse());
    assertThat(built.stages().get(0).seconds()).isPositive();
    assertThat(built.tables()).isEqualTo(tiny.tables() + 1);
    assertThat(built.tablesPerMin()).isPositive();
    assertThat(built.rows()).isEqualTo(tiny.rows());
    assertThat(built.columns()).isEqualTo(1 + 7 + tiny.tables() * tiny.columns());
    assertThat(built.bytes()).isPositive();
    assertThat(built.costUsd()).isPositive();
    assertThat(audcad.stageSeconds())
        .containsOnlyKeys("extract", "merge", "validate", "upload", "cleanup");
    AttemptReport refused = only(eurjpy);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.reason()).contains("f02");
    assertThat(refused.stages())
        .extracting(StageTime::stage)
        .containsExactly(Stage.EXTRACT, Stage.MERGE, Stage.VALIDATE);
    assertThat(refused.stages()).extracting(StageTime::failed).containsExactly(false, false, true);
    assertThat(stored.costUsd()).isEqualTo(audcad.costUsd() + eurjpy.costUsd());

    Path page = dir.resolve("out/report.html");
    CliRun report =
        bqx("report", "rep", "--html", page.toString(), "--workdir", work.root().toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains("report of run rep: " + page.toUri());
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html)
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain(" src=")
        .doesNotContain(" href=");
    assertThat(html).contains("<p id=\"outcome\">succeeded with failures (50% of the pairs");
    assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f", stored.costUsd()));

    assertThat(CHROMIUM).as("Debian's chromium package (apt-get install chromium)").isExecutable();
    Files.createDirectories(KEPT);
    Path png = KEPT.resolve("report.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium("--screenshot=" + png, "--window-size=1100,900", page.toUri().toString());
    assertThat(png).isNotEmptyFile();
    List<Bar> bars = measured(page);
    Files.writeString(
        KEPT.resolve("bars.txt"), String.join("\n", bars.stream().map(Bar::toString).toList()));

    Bar audcadAttempt = onlyBar(bars, "audcad", "attempt");
    assertThat(audcadAttempt.width()).isGreaterThan(2);
    List<Bar> audcadStages = stages(bars, "audcad");
    assertThat(audcadStages)
        .extracting(Bar::stage)
        .containsExactly("extract", "merge", "validate", "upload", "cleanup");
    double left = audcadAttempt.left();
    for (Bar stage : audcadStages) {
      // Drawn, inside its attempt's bar, one after another.
      assertThat(stage.width()).isGreaterThanOrEqualTo(1);
      assertThat(stage.height()).isEqualTo(10);
      assertThat(stage.left()).isGreaterThanOrEqualTo(left - 0.5);
      assertThat(stage.left() + stage.width())
          .isLessThanOrEqualTo(audcadAttempt.left() + audcadAttempt.width() + 0.5);
      left = stage.left() + stage.width();
    }
    // The longest stage by the report is the widest on screen.
    StageTime longest =
        built.stages().stream().max((a, b) -> Double.compare(a.seconds(), b.seconds())).get();
    Bar widest = audcadStages.stream().max((a, b) -> Double.compare(a.width(), b.width())).get();
    assertThat(widest.stage()).isEqualTo(longest.stage().wireName());

    Bar eurjpyAttempt = onlyBar(bars, "eurjpy", "attempt failed");
    assertThat(eurjpyAttempt.width()).isGreaterThan(2);
    assertThat(stages(bars, "eurjpy"))
        .extracting(b -> b.stage() + ":" + b.kind())
        .containsExactly("extract:stage", "merge:stage", "validate:stage failed");
    assertThat(bars)
        .filteredOn(b -> b.kind().equals("failure-mark"))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.pair()).isEqualTo("eurjpy");
              assertThat(b.title()).contains("f02");
            });
  }

  /** One element of the timeline as Chromium laid it out. */
  private record Bar(
      String kind,
      String pair,
      String attempt,
      String stage,
      double left,
      double width,
      double height,
      String title) {
    @Override
    public String toString() {
      return String.join(
          "|",
          kind,
          pair,
          attempt,
          stage,
          Double.toString(left),
          Double.toString(width),
          Double.toString(height),
          title);
    }
  }

  /** Every bar and failure mark of the page, measured by Chromium's layout. */
  private List<Bar> measured(Path page) throws Exception {
    String measuring =
        "<script>(function(){var out=[];"
            + "document.querySelectorAll('#timeline rect.attempt,#timeline rect.stage,"
            + "#timeline text.failure-mark').forEach(function(e){var b=e.getBoundingClientRect();"
            + "var t=e.querySelector('title');out.push([e.getAttribute('class'),"
            + "e.closest('g').getAttribute('data-pair'),e.getAttribute('data-attempt')||'',"
            + "e.getAttribute('data-stage')||'',b.left,b.width,b.height,"
            + "t?t.textContent.replace(/[|\\n]/g,' '):''].join('|'));});"
            + "var pre=document.createElement('pre');pre.id='measured';"
            + "pre.textContent=out.join('\\n');document.body.appendChild(pre);})();</script>";
    Path copy = dir.resolve("out/measured.html");
    Files.writeString(
        copy,
        Files.readString(page, StandardCharsets.UTF_8).replace("</body>", measuring + "</body>"),
        StandardCharsets.UTF_8);
    String dom = chromium("--dump-dom", copy.toUri().toString());
    Matcher m = Pattern.compile("<pre id=\"measured\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).as(dom).isTrue();
    List<Bar> bars = new ArrayList<>();
    for (String line : m.group(1).split("\n")) {
      String[] f = line.split("\\|", -1);
      bars.add(
          new Bar(
              f[0],
              f[1],
              f[2],
              f[3],
              Double.parseDouble(f[4]),
              Double.parseDouble(f[5]),
              Double.parseDouble(f[6]),
              f[7]));
    }
    return bars;
  }

  private String chromium(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile"))));
    command.addAll(List.of(args));
    Path out = dir.resolve("chromium.out");
    Path err = dir.resolve("chromium.err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    // Chromium's helpers are killed with it if it hangs (ChildProcesses, after the test).
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private CliRun bqx(String... args) {
    return CliRun.of(dir, Clock.systemUTC(), Map.of(), args);
  }

  private static PairReport pair(RunReport report, Pair pair) {
    return report.pairs().stream().filter(p -> p.pair().equals(pair)).findFirst().orElseThrow();
  }

  private static AttemptReport only(PairReport pair) {
    assertThat(pair.timeline()).hasSize(1);
    return pair.timeline().get(0);
  }

  private static Bar onlyBar(List<Bar> bars, String pair, String kind) {
    List<Bar> found =
        bars.stream().filter(b -> b.pair().equals(pair) && b.kind().equals(kind)).toList();
    assertThat(found).as(kind + " of " + pair + " in " + bars).hasSize(1);
    return found.get(0);
  }

  private static List<Bar> stages(List<Bar> bars, String pair) {
    return bars.stream()
        .filter(b -> b.pair().equals(pair) && b.kind().startsWith("stage"))
        .toList();
  }
}
