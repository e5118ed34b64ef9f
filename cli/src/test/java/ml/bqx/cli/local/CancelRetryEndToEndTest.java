package ml.bqx.cli.local;

import static ml.bqx.cli.local.LocalRunFixture.PATIENCE;
import static ml.bqx.cli.local.LocalRunFixture.awaitLedger;
import static ml.bqx.cli.local.LocalRunFixture.concat;
import static ml.bqx.cli.local.LocalRunFixture.execution;
import static ml.bqx.cli.local.LocalRunFixture.ledger;
import static ml.bqx.cli.local.LocalRunFixture.localRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.launcher.ProcessJobLauncher;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bqx cancel} on a live local run and {@code bqx retry} on the finished (cancelled) run with
 * no runner up, through {@code bqx}'s entry point: cancel stops the running job, cancels the queued
 * pair, says so and exits 0; retry starts a runner itself and builds every pair on its next
 * attempt.
 */
@ExtendWith(ChildProcesses.class)
class CancelRetryEndToEndTest {
  private static final Pair FIRST = Pair.parse("usdjpy");
  private static final Pair SECOND = Pair.parse("audjpy");

  @TempDir Path dir;

  @Test
  void cancel_ofALiveRun_stopsItsJobAndQueue_thenRetry_withoutARunner_buildsEveryPair()
      throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("cancel-retry");
    // One pair at a time, one table at a time: the first job is long enough to be cancelled.
    CompletableFuture<CliRun> runner =
        CompletableFuture.supplyAsync(
            () ->
                bqx(
                    Map.of("BQX_EXTRACT_CONCURRENCY", "1"),
                    concat(
                        localRun(work, run, List.of(FIRST.name(), SECOND.name()), "1"),
                        "--seed-tables",
                        "24",
                        "--seed-rows",
                        "4000")));
    RunLedger running =
        awaitLedger(
            work,
            run,
            l -> l.pair(FIRST).map(r -> r.state() == PairState.RUNNING).orElse(false),
            runner);
    String execution = running.pair(FIRST).orElseThrow().execution();
    // Its job's own progress object (written as it starts) is there, and bqx status reads it as
    // it would from GCS. Then the job is held short of its end, so that the cancel finds it
    // running however fast this machine builds the pair.
    awaitProgress(work, run, runner);
    ProcessHandle job = awaitJob(work, run, runner);
    ChildProcesses.pause(List.of(job));
    CliRun status = bqx(Map.of(), "status", run.value(), "--workdir", work.root().toString());
    assertThat(status.out()).containsPattern("usdjpy\\s+running\\s+1\\s");

    CliRun cancel = bqx(Map.of(), "cancel", run.value(), "--workdir", work.root().toString());

    assertThat(cancel.exitCode()).as(cancel.out() + cancel.err()).isZero();
    assertThat(cancel.err()).isEmpty();
    assertThat(cancel.out())
        .contains(
            "run "
                + run
                + " cancelled: 2 pairs: 0 succeeded, 0 failed, 0 running, 0 queued,"
                + " 2 cancelled")
        .contains("stopped: 1 execution, usdjpy attempt 1 (" + execution + ")")
        .contains("cancelled before they started: 1 queued pair, audjpy attempt 1");
    CliRun ended = runner.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(ended.exitCode()).as(ended.out() + ended.err()).isEqualTo(1);
    assertThat(ended.out()).contains("cancelled: 2 of 2 pairs did not succeed");
    RunLedger cancelled = ledger(work, run);
    assertThat(cancelled.cancelled()).isTrue();
    assertThat(cancelled.pairs()).extracting(PairRecord::state).containsOnly(PairState.CANCELLED);
    // The job was stopped, not left to finish: its execution says cancelled, and only the first
    // pair ever had one.
    // A cancel ends the execution asynchronously, as Cloud Run's CancelExecution does: the
    // execution reads running until its process has gone (the kill of a paused job takes a grace).
    job.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // killed, not left paused
    assertThat(job.isAlive()).isFalse();
    ProcessJobLauncher launcher = new ProcessJobLauncher(work.root(), List.of("java"), Map.of());
    await()
        .atMost(PATIENCE)
        .until(() -> launcher.state(execution).phase() != ExecutionState.Phase.RUNNING);
    assertThat(launcher.state(execution).phase()).isEqualTo(ExecutionState.Phase.CANCELLED);
    assertThat(LocalRunFixture.executions(work, run, SECOND)).isEmpty();
    assertThat(work.liveEndpoint()).isEmpty();

    CliRun retry = bqx(Map.of(), "retry", run.value(), "--workdir", work.root().toString());

    assertThat(retry.exitCode()).as(retry.out() + retry.err()).isZero();
    assertThat(retry.out())
        .contains(
            "no local runner is live for " + work.root() + ": starting one to retry run " + run);
    RunLedger retried = ledger(work, run);
    assertThat(retried.cancelled()).isFalse();
    for (Pair pair : List.of(FIRST, SECOND)) {
      PairRecord record = retried.pair(pair).orElseThrow();
      assertThat(record.state()).as(pair.name()).isEqualTo(PairState.SUCCEEDED);
      assertThat(record.attempt()).as(pair.name()).isEqualTo(2);
      assertThat(Files.readString(execution(work, run, pair, 2, ".exit")).trim()).isEqualTo("0");
    }
  }

  /** The first pair's job JVM, once it is up. */
  private static ProcessHandle awaitJob(
      LocalWorkdir work, RunId run, CompletableFuture<CliRun> runner) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (runner.isDone()) {
        throw new AssertionError("the runner ended first: " + runner.get());
      }
      try {
        var job = LocalRunFixture.jobProcess(work, run, FIRST, 1);
        if (job.isPresent()) {
          return job.get();
        }
      } catch (java.io.IOException | AssertionError notYet) {
        // its execution record is being written
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the job of " + FIRST + " never started");
  }

  /** Waits until the first pair's job has written its progress object. */
  private static PairProgress awaitProgress(
      LocalWorkdir work, RunId run, CompletableFuture<CliRun> runner) throws Exception {
    ProgressStore store = new ProgressStore(new FolderObjectStore(), work.stagingUri());
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (runner.isDone()) {
        throw new AssertionError("the runner ended first: " + runner.get());
      }
      var progress = store.read(run, FIRST);
      if (progress.isPresent()) {
        return progress.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the job of " + FIRST + " never wrote its extract's progress");
  }

  private CliRun bqx(Map<String, String> env, String... args) {
    return CliRun.of(dir, Clock.systemUTC(), env, args);
  }
}
