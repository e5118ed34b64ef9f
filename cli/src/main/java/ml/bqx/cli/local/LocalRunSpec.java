package ml.bqx.cli.local;

import java.util.List;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.warehouse.SeedScale;

/** What a local run does: its workdir, run id, pairs, settings and warehouse scale. */
record LocalRunSpec(
    LocalWorkdir workdir,
    RunId run,
    boolean resume,
    List<Pair> pairs,
    RunSettings settings,
    SeedScale scale) {}
