package ml.bqx.core.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.LaunchRequest;

/**
 * The launcher double standing for Cloud Run: records every launch and tracks, at every moment, how
 * many executions are live in all and per run, and the most there ever were.
 */
public final class RecordingLauncher implements JobLauncher {
  private final List<LaunchRequest> launches = new ArrayList<>();
  private final Map<String, LaunchRequest> byName = new LinkedHashMap<>();
  private final Map<String, ExecutionState.Phase> phases = new HashMap<>();
  private final Map<String, java.time.Instant> endedAt = new HashMap<>();
  private final Map<RunId, Integer> livePerRun = new HashMap<>();
  private final Map<RunId, Integer> maxPerRun = new HashMap<>();
  private final List<String> cancelled = new ArrayList<>();
  private final java.util.Set<String> unanswered = new java.util.HashSet<>();
  private int live;
  private int maxLive;
  private volatile boolean failLaunches;
  private volatile java.util.function.BooleanSupplier crash = () -> false;
  private volatile Runnable duringLaunch = () -> {};

  @Override
  public synchronized String launch(LaunchRequest request) throws java.io.IOException {
    if (crash.getAsBoolean()) {
      throw new SimulatedCrash();
    }
    if (failLaunches) {
      throw new java.io.IOException("Cloud Run said no");
    }
    duringLaunch.run();
    String name = "exec-" + (launches.size() + 1) + "-" + request.pair().name();
    launches.add(request);
    byName.put(name, request);
    phases.put(name, ExecutionState.Phase.RUNNING);
    live++;
    maxLive = Math.max(maxLive, live);
    int perRun = livePerRun.merge(request.run(), 1, Integer::sum);
    maxPerRun.merge(request.run(), perRun, Math::max);
    return name;
  }

  @Override
  public synchronized ExecutionState state(String executionName) throws java.io.IOException {
    if (unanswered.contains(executionName)) {
      throw new java.io.IOException("Cloud Run said 503 for " + executionName);
    }
    ExecutionState.Phase phase = phases.get(executionName);
    return new ExecutionState(
        phase == null ? ExecutionState.Phase.NOT_FOUND : phase, "", endedAt.get(executionName));
  }

  /** The execution ends at a known time, as Cloud Run's completion time tells. */
  public synchronized void end(String name, ExecutionState.Phase phase, java.time.Instant at) {
    end(name, phase);
    endedAt.put(name, at);
  }

  @Override
  public synchronized void cancel(String executionName) {
    cancelled.add(executionName);
    end(executionName, ExecutionState.Phase.CANCELLED);
  }

  /** The execution ends as the job would (its terminal event is the test's business). */
  public synchronized void end(String name, ExecutionState.Phase phase) {
    if (phases.get(name) == ExecutionState.Phase.RUNNING) {
      live--;
      livePerRun.merge(byName.get(name).run(), -1, Integer::sum);
    }
    phases.put(name, phase);
  }

  /** The function dies inside the launch call when this says so: no execution, no cleanup. */
  public void crashWhen(java.util.function.BooleanSupplier when) {
    crash = when;
  }

  /** Something else happens while Cloud Run is starting the execution (a reconcile, a cancel). */
  public void duringLaunch(Runnable action) {
    duringLaunch = action;
  }

  /** A function instance dying mid-call (out of memory, instance shut down). */
  public static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("simulated crash of the function instance", null, false, false);
    }
  }

  /** Asking for this execution's state fails, as a Cloud Run outage would (503). */
  public synchronized void failStateOf(String executionName) {
    unanswered.add(executionName);
  }

  public void failLaunches(boolean value) {
    failLaunches = value;
  }

  public synchronized List<LaunchRequest> launches() {
    return List.copyOf(launches);
  }

  public synchronized LaunchRequest request(String name) {
    return byName.get(name);
  }

  /** Names of executions still running, in launch order. */
  public synchronized List<String> running() {
    return phases.entrySet().stream()
        .filter(e -> e.getValue() == ExecutionState.Phase.RUNNING)
        .map(Map.Entry::getKey)
        .sorted((a, b) -> Integer.compare(number(a), number(b)))
        .toList();
  }

  private static int number(String name) {
    return Integer.parseInt(name.split("-")[1]);
  }

  public synchronized int live() {
    return live;
  }

  public synchronized int maxLive() {
    return maxLive;
  }

  public synchronized int maxLive(RunId run) {
    return maxPerRun.getOrDefault(run, 0);
  }

  public synchronized List<String> cancelled() {
    return List.copyOf(cancelled);
  }
}
