package ml.bqx.gcp.run;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import java.time.Instant;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.ExecutionState.Phase;

/** Reads an execution's phase from what Cloud Run reports: its completion time and task counts. */
final class ExecutionPhases {
  private ExecutionPhases() {}

  static ExecutionState of(Execution execution) {
    String counts =
        "tasks: "
            + execution.getSucceededCount()
            + " succeeded, "
            + execution.getFailedCount()
            + " failed, "
            + execution.getCancelledCount()
            + " cancelled, "
            + execution.getRunningCount()
            + " running of "
            + execution.getTaskCount();
    if (!execution.hasCompletionTime()) {
      return new ExecutionState(Phase.RUNNING, counts);
    }
    String detail = counts + completedMessage(execution);
    Instant ended =
        Instant.ofEpochSecond(
            execution.getCompletionTime().getSeconds(), execution.getCompletionTime().getNanos());
    if (execution.getCancelledCount() > 0) {
      return new ExecutionState(Phase.CANCELLED, detail, ended);
    }
    if (execution.getFailedCount() > 0) {
      return new ExecutionState(Phase.FAILED, detail, ended);
    }
    if (execution.getSucceededCount() > 0
        && execution.getSucceededCount() >= execution.getTaskCount()) {
      return new ExecutionState(Phase.SUCCEEDED, detail, ended);
    }
    return new ExecutionState(Phase.FAILED, detail, ended);
  }

  private static String completedMessage(Execution execution) {
    for (Condition condition : execution.getConditionsList()) {
      if (condition.getType().equals("Completed") && !condition.getMessage().isEmpty()) {
        return "; " + condition.getMessage();
      }
    }
    return "";
  }
}
