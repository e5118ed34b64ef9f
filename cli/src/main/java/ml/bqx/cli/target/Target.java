package ml.bqx.cli.target;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.ObjectStore;

/** The resolved settings of one command, and the stores they name. */
public final class Target {
  private final BqxConfig config;
  private final LocalWorkdir workdir;

  Target(BqxConfig config, LocalWorkdir workdir) {
    this.config = config;
    this.workdir = workdir;
  }

  /** The local workdir as commands acting on it see it: this environment, its stand-ins' URIs. */
  public static Target ofWorkdir(LocalWorkdir workdir, Map<String, String> env) {
    Map<String, String> settings = new LinkedHashMap<>(env);
    settings.putAll(workdir.targetEnvironment());
    return new Target(BqxConfig.from(settings), workdir);
  }

  public BqxConfig config() {
    return config;
  }

  /** The local workdir the command acts on ({@code --workdir}), if it names one. */
  public Optional<LocalWorkdir> workdir() {
    return Optional.ofNullable(workdir);
  }

  public URI stagingRoot() {
    return config.requireUri(EnvKey.BQX_STAGING);
  }

  public ObjectStore stagingStore() throws IOException {
    return Adapters.objectStore(stagingRoot(), config);
  }

  public LedgerStore ledgers() throws IOException {
    return new LedgerStore(stagingStore(), stagingRoot());
  }

  /** A run's ledger, or a one-line refusal naming where it was looked for. */
  public RunLedger ledger(RunId run) throws IOException {
    LedgerStore ledgers = ledgers();
    Optional<RunLedger> found;
    try {
      found = ledgers.load(run);
    } catch (IllegalArgumentException notALedger) {
      throw new IllegalArgumentException(
          "run '" + run + "': " + ledgers.ledgerUri(run) + " is " + notALedger.getMessage(),
          notALedger);
    }
    return found.orElseThrow(
        () ->
            new IllegalArgumentException(
                "no run '" + run + "' (no ledger at " + ledgers.ledgerUri(run) + ")"));
  }

  /** Every run in the staging store, newest first. */
  public List<RunLedger> runs() throws IOException {
    LedgerStore ledgers = ledgers();
    List<RunLedger> runs = new ArrayList<>();
    for (RunId run : ledgers.runs()) {
      ledgers.load(run).ifPresent(runs::add);
    }
    runs.sort(Comparator.comparing(RunLedger::createdAt).reversed());
    return runs;
  }

  /** The named run, or the newest one when none is named. */
  public RunLedger ledgerOrNewest(Optional<RunId> run) throws IOException {
    if (run.isPresent()) {
      return ledger(run.get());
    }
    return runs().stream()
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no runs yet under " + StoreLayout.runs(stagingRoot())));
  }
}
