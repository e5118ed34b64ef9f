package ml.bqx.cli.dryrun;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.cli.target.Target;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.report.CostModel;

/**
 * {@code bqx run --dry-run}: sizes from the warehouse's statistics and rates from the staging
 * store's newest finished run; no ledger is created, no message published, no job launched.
 */
public final class CloudDryRun {
  private CloudDryRun() {}

  /** The warehouse named, else BQX_WAREHOUSE, else the deployment's dataset in BQX_PROJECT. */
  public static URI warehouse(BqxConfig config, String named) {
    if (named != null) {
      return URI.create(named);
    }
    if (!config.get(EnvKey.BQX_WAREHOUSE).isBlank()) {
      return config.requireUri(EnvKey.BQX_WAREHOUSE);
    }
    return URI.create(
        "bigquery://" + config.require(EnvKey.BQX_PROJECT) + "/" + Deployment.FEATURES_DATASET);
  }

  public static DryRunReport plan(
      Target target, URI warehouse, List<Pair> pairs, RunSettings settings, Instant now)
      throws IOException {
    BqxConfig config = target.config();
    ReadRate rate =
        config.get(EnvKey.BQX_STAGING).isBlank()
            ? ReadRate.of(List.of(), CostModel.from(config), now)
            : ReadRate.of(target.runs(), CostModel.from(config), now);
    List<PairTables> tables = new ArrayList<>();
    try (Warehouse opened = Adapters.warehouse(warehouse, config)) {
      for (Pair pair : pairs) {
        tables.add(new PairTables(pair, opened.sizes(pair), null));
      }
    }
    return DryRunPlanner.of(config, rate)
        .plan(
            warehouse.toString(),
            false,
            "bigquery".equalsIgnoreCase(warehouse.getScheme()),
            tables,
            settings,
            config.positiveInt(EnvKey.BQX_PROJECT_MAX_CONCURRENT));
  }
}
