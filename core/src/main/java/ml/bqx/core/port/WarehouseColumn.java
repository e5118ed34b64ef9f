package ml.bqx.core.port;

/** A column and its warehouse type name (e.g. FLOAT64, TIMESTAMP). */
public record WarehouseColumn(String name, String type) {}
