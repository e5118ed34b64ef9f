package ml.bqx.core.port;

import java.io.IOException;

/** Starts executions of the pipeline job (Cloud Run Jobs, or a child process locally). */
public interface JobLauncher {
  /** Starts one execution and returns its name at once, without waiting for it to run. */
  String launch(LaunchRequest request) throws IOException;

  /** The execution's state now. */
  ExecutionState state(String executionName) throws IOException;

  /** Asks the execution to stop; harmless if it already ended. */
  void cancel(String executionName) throws IOException;
}
