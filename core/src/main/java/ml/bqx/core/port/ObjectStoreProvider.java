package ml.bqx.core.port;

/** Finds the object store of a URI scheme ({@code gs}, {@code file}). */
public interface ObjectStoreProvider extends AdapterProvider<ObjectStore> {}
