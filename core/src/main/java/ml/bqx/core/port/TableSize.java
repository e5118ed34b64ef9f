package ml.bqx.core.port;

/**
 * What reading one table whole costs, as the warehouse estimates it without reading it.
 *
 * @param rows the warehouse's row count (DuckDB's estimate, BigQuery's {@code row_count})
 * @param bytes logical bytes, as BigQuery counts them for the Storage Read API
 */
public record TableSize(String table, long rows, long bytes) {}
