package ml.bqx.core.report;

import ml.bqx.core.message.Stage;

/**
 * One stage of one attempt in a run report: how long it ran, and whether it is where the attempt
 * failed.
 */
public record StageTime(Stage stage, double seconds, boolean failed) {}
