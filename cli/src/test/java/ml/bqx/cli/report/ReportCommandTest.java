package ml.bqx.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ChildProcesses.class)
class ReportCommandTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(LedgerFixture.T0.plusSeconds(600), ZoneOffset.UTC);

  @Test
  void report_opensInHeadlessChromium_withARowPerPairAndFailuresMarked() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    Path page = dir.resolve("out/report.html");
    CliRun run =
        CliRun.of(
            dir,
            clock,
            Map.of(),
            "report",
            "r1",
            "--html",
            "out/report.html",
            "--workdir",
            dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("report of run r1: " + page.toUri());
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html)
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain(" src=")
        .doesNotContain(" href=");

    assertThat(CHROMIUM).as("Debian's chromium package (apt-get install chromium)").isExecutable();
    String dom = dumpDom(page);
    assertThat(count(dom, "class=\"pair-row\"")).isEqualTo(3);
    assertThat(dom)
        .contains("data-pair=\"audcad\"")
        .contains("data-pair=\"eurjpy\"")
        .contains("data-pair=\"nzdchf\"");
    // eurjpy: a failed first attempt and a second; nzdchf: one failed attempt.
    assertThat(count(rowOf(dom, "eurjpy"), "class=\"attempt")).isEqualTo(2);
    assertThat(count(rowOf(dom, "eurjpy"), "class=\"attempt failed")).isEqualTo(1);
    assertThat(count(rowOf(dom, "nzdchf"), "class=\"attempt failed")).isEqualTo(1);
    assertThat(count(rowOf(dom, "audcad"), "class=\"stage\"")).isEqualTo(5);
    assertThat(dom).contains("3 pairs: 2 succeeded, 1 failed");
  }

  private Path profile() throws Exception {
    return Files.createDirectories(dir.resolve("chromium-profile"));
  }

  private String dumpDom(Path page) throws Exception {
    List<String> command =
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
            "--user-data-dir=" + profile(),
            "--dump-dom",
            page.toUri().toString());
    Path out = dir.resolve("chromium.out");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("chromium.err").toFile())
            .start();
    // Chromium's helpers are killed with it if it hangs (ChildProcesses, after the test).
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String rowOf(String dom, String pair) {
    Matcher m =
        Pattern.compile("<g class=\"pair-row\" data-pair=\"" + pair + "\".*?</g>", Pattern.DOTALL)
            .matcher(dom);
    assertThat(m.find()).as("row of " + pair).isTrue();
    return m.group();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
