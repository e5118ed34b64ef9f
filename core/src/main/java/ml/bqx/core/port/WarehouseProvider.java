package ml.bqx.core.port;

/** Finds the warehouse of a URI scheme ({@code bigquery}, {@code duckdb}). */
public interface WarehouseProvider extends AdapterProvider<Warehouse> {}
