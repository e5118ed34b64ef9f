package ml.bqx.job.merge;

import ml.bqx.core.port.ObjectInfo;

/** The merged staging object and its shape. */
public record MergeResult(
    ObjectInfo object, long rows, int columns, int rowGroups, String schemaHash) {}
