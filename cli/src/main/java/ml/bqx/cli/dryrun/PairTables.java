package ml.bqx.cli.dryrun;

import java.util.List;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;

/**
 * The tables a pair's job would read, with their sizes.
 *
 * @param note how they are known, when not from the warehouse as it is (e.g. "to be seeded")
 */
public record PairTables(Pair pair, List<TableSize> tables, String note) {
  public PairTables {
    tables = List.copyOf(tables);
  }
}
