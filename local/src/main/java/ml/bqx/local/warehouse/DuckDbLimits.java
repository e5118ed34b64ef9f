package ml.bqx.local.warehouse;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import ml.bqx.core.config.ConfigException;

/**
 * How much memory and how many threads one DuckDB instance of bqx may take. DuckDB's buffer manager
 * takes up to 80% of RAM by default and every core
 * (duckdb.org/docs/stable/operations_manual/limits, duckdb.org/docs/stable/guides/performance/oom),
 * so a local job at the seed's scale grew to 9.6 GB of resident memory, its tables cached: bounded,
 * a seed-scale pair builds on an 8 GB laptop. DuckDB needs at least about 128 MB a thread. Set per
 * warehouse URI, e.g. {@code duckdb:///path/warehouse.duckdb?memory_limit=2GB&threads=4}.
 *
 * @param memoryLimit DuckDB's {@code memory_limit}, e.g. {@code 1GB}
 * @param threads DuckDB's {@code threads}
 */
public record DuckDbLimits(String memoryLimit, int threads) {
  private static final Pattern SIZE =
      Pattern.compile(
          "\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)", Pattern.CASE_INSENSITIVE);

  /** A table is read in 64K-row batches: 1 GB holds many times the tables in flight. */
  public static final DuckDbLimits DEFAULT =
      new DuckDbLimits("1GB", Math.min(4, Runtime.getRuntime().availableProcessors()));

  public DuckDbLimits {
    if (!SIZE.matcher(memoryLimit).matches()) {
      throw new ConfigException(
          "memory_limit='" + memoryLimit + "' is not a size DuckDB takes (e.g. 512MB, 2GB)");
    }
    if (threads < 1) {
      throw new ConfigException("threads=" + threads + " must be 1 or more");
    }
  }

  /** The limits a warehouse URI's query names, the defaults for the others. */
  public static DuckDbLimits of(URI uri) {
    String memory = DEFAULT.memoryLimit();
    int threads = DEFAULT.threads();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "memory_limit" -> memory = value;
          case "threads" -> threads = threads(value);
          default ->
              throw new ConfigException(
                  "'" + uri + "': unknown option " + name + " (known: memory_limit, threads)");
        }
      }
    }
    return new DuckDbLimits(memory, threads);
  }

  private static int threads(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException("threads='" + value + "' is not a whole number");
    }
  }

  /** The connection properties DuckDB's JDBC driver passes on as configuration. */
  void applyTo(Properties properties) {
    properties.setProperty("memory_limit", memoryLimit);
    properties.setProperty("threads", Integer.toString(threads));
  }
}
