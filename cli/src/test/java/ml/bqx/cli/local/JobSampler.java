package ml.bqx.cli.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.store.FolderObjectStore;

/**
 * Samples the live job processes of a round while it runs and notes every breach of the caps: more
 * jobs of one run than its cap, of both than the project's cap, or one pair built by two jobs at
 * once. A job still alive after the ledger settled its attempt is ending (it has sent its terminal
 * event) and holds no slot; one whose attempt the ledger has moved past is still counted: it would
 * be a job nobody knows of.
 */
final class JobSampler implements Runnable {
  private static final int MOST_PROBLEMS = 20;

  private final LocalWorkdir work;
  private final ChaosTrial.Settings settings;
  private final List<RunId> runs;
  private final LedgerStore ledgers;
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopped;
  private volatile int samples;
  private volatile int most;

  JobSampler(LocalWorkdir work, ChaosTrial.Settings settings, List<RunId> runs) {
    this.work = work;
    this.settings = settings;
    this.runs = List.copyOf(runs);
    this.ledgers = new LedgerStore(new FolderObjectStore(), work.stagingUri());
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        sample();
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        // a ledger being resumed or a record being written: the next sample sees it whole
      }
    }
  }

  private void sample() throws IOException {
    // Processes first, ledgers after: a job's attempt is in its ledger before the job starts.
    List<LiveJob> live = LiveJob.all(work);
    Map<RunId, RunLedger> seen = new HashMap<>();
    for (RunId run : runs) {
      ledgers.load(run).ifPresent(l -> seen.put(run, l));
    }
    List<LiveJob> working = new ArrayList<>();
    for (LiveJob job : live) {
      if (runs.contains(job.run()) && !settled(seen.get(job.run()), job)) {
        working.add(job);
      }
    }
    samples++;
    most = Math.max(most, working.size());
    if (working.size() > settings.projectCap()) {
      note(
          "%d jobs at once over the project cap %d: %s",
          working.size(), settings.projectCap(), working);
    }
    for (RunId run : runs) {
      long ofRun = working.stream().filter(j -> j.run().equals(run)).count();
      if (ofRun > settings.runCap()) {
        note("%d jobs of %s at once over its cap %d: %s", ofRun, run, settings.runCap(), working);
      }
    }
    Set<Pair> building = new HashSet<>();
    for (LiveJob job : working) {
      if (!building.add(job.pair())) {
        note("%s built by two jobs at once: %s", job.pair(), working);
      }
    }
  }

  /** The ledger settled this job's attempt: it is ending and holds no slot. */
  private static boolean settled(RunLedger ledger, LiveJob job) {
    Optional<PairRecord> record = ledger == null ? Optional.empty() : ledger.pair(job.pair());
    return record.isPresent()
        && record.get().attempt() == job.attempt()
        && !record.get().state().holdsSlot();
  }

  private void note(String format, Object... args) {
    if (problems.size() < MOST_PROBLEMS) {
      problems.add(String.format(format, args));
    }
  }

  void stop() {
    stopped = true;
  }

  int samples() {
    return samples;
  }

  int most() {
    return most;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
