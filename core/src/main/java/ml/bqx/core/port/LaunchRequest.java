package ml.bqx.core.port;

import java.util.Map;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/** One attempt of one pair's job, with the environment it gets on top of the job's own. */
public record LaunchRequest(RunId run, Pair pair, int attempt, Map<String, String> extraEnv) {
  public LaunchRequest {
    extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
  }

  /** The environment overrides every launch sets: TARGET_PAIR, RUN_ID and ATTEMPT. */
  public Map<String, String> environment() {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>(extraEnv);
    env.put("TARGET_PAIR", pair.name());
    env.put("RUN_ID", run.value());
    env.put("ATTEMPT", Integer.toString(attempt));
    return env;
  }
}
