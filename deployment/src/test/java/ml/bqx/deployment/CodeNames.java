package ml.bqx.deployment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.config.Reader;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.LaunchRequest;

/**
 * What the code says the deployment must hold, read from core (EnvKey, Deployment, LaunchRequest);
 * a value so that tests can change one side and prove the contract notices.
 */
record CodeNames(
    Set<String> jobEnv,
    Set<String> functionEnv,
    Set<String> perExecutionEnv,
    Set<String> localOnlyEnv,
    Set<String> topics,
    List<Deployment.Function> functions,
    String jobName,
    String featuresDataset) {

  static CodeNames fromCode() {
    Set<String> perExecution =
        new TreeSet<>(
            new LaunchRequest(RunId.of("contract"), Pair.parse("eurusd"), 1, Map.of())
                .environment()
                .keySet());
    Set<String> localOnly = new TreeSet<>();
    Deployment.LOCAL_ONLY.forEach(k -> localOnly.add(k.name()));
    Set<String> topics = new LinkedHashSet<>(Deployment.TOPICS);
    Deployment.FUNCTIONS.forEach(f -> topics.add(f.topic()));
    return new CodeNames(
        readersOf(Reader.JOB),
        readersOf(Reader.FUNCTIONS),
        perExecution,
        localOnly,
        topics,
        Deployment.FUNCTIONS,
        Deployment.JOB_NAME,
        Deployment.FEATURES_DATASET);
  }

  private static Set<String> readersOf(Reader reader) {
    Set<String> keys = new TreeSet<>();
    for (EnvKey key : EnvKey.values()) {
      if (key.readers().contains(reader)) {
        keys.add(key.name());
      }
    }
    return keys;
  }

  /** The variables terraform must set on the job: its readers, less per-execution and local. */
  Set<String> jobEnvToSet() {
    Set<String> keys = new TreeSet<>(jobEnv);
    keys.removeAll(perExecutionEnv);
    keys.removeAll(localOnlyEnv);
    return keys;
  }

  Set<String> functionEnvToSet() {
    Set<String> keys = new TreeSet<>(functionEnv);
    keys.removeAll(localOnlyEnv);
    return keys;
  }

  CodeNames withJobEnv(Set<String> keys) {
    return new CodeNames(
        keys,
        functionEnv,
        perExecutionEnv,
        localOnlyEnv,
        topics,
        functions,
        jobName,
        featuresDataset);
  }

  CodeNames withFunctionEnv(Set<String> keys) {
    return new CodeNames(
        jobEnv, keys, perExecutionEnv, localOnlyEnv, topics, functions, jobName, featuresDataset);
  }

  CodeNames withTopics(Set<String> names) {
    return new CodeNames(
        jobEnv,
        functionEnv,
        perExecutionEnv,
        localOnlyEnv,
        names,
        functions,
        jobName,
        featuresDataset);
  }
}
