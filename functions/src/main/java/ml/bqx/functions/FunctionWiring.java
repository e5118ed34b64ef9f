package ml.bqx.functions;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.verify.StoredObjectVerifier;

/**
 * Builds the control context of a function from its environment, through the adapters found by URI
 * scheme: the same code on Google Cloud ({@code gs://}, {@code cloudrun://}, {@code pubsub://}) and
 * locally ({@code file://}, {@code process://}, the local Pub/Sub endpoint).
 */
public final class FunctionWiring {
  private FunctionWiring() {}

  public static ControlContext fromEnvironment() throws IOException {
    return from(BqxConfig.fromEnvironment(), Clock.systemUTC());
  }

  public static ControlContext from(BqxConfig config, Clock clock) throws IOException {
    URI stagingRoot = config.requireUri(EnvKey.BQX_STAGING);
    URI outputRoot = config.requireUri(EnvKey.BQX_OUTPUT);
    ObjectStore staging = Adapters.objectStore(stagingRoot, config);
    ObjectStore output =
        outputRoot.getScheme().equals(stagingRoot.getScheme())
            ? staging
            : Adapters.objectStore(outputRoot, config);
    return from(
        config,
        clock,
        staging,
        output,
        Adapters.jobLauncher(config.requireUri(EnvKey.BQX_LAUNCHER), config),
        Adapters.eventPublisher(eventBus(config), config));
  }

  /** The context over adapters already open (the deployment's IAM check opens them on fakes). */
  public static ControlContext from(
      BqxConfig config,
      Clock clock,
      ObjectStore staging,
      ObjectStore output,
      JobLauncher launcher,
      EventPublisher publisher) {
    return new ControlContext(
        staging,
        config.requireUri(EnvKey.BQX_STAGING),
        launcher,
        publisher,
        new StoredObjectVerifier(output).andThen(new ParquetFooterVerifier(output)),
        clock,
        ControlSettings.from(config));
  }

  /** BQX_EVENT_BUS, or Pub/Sub of BQX_PROJECT. */
  static URI eventBus(BqxConfig config) {
    String bus = config.get(EnvKey.BQX_EVENT_BUS);
    if (bus.isBlank()) {
      return URI.create("pubsub://" + config.require(EnvKey.BQX_PROJECT));
    }
    return config.requireUri(EnvKey.BQX_EVENT_BUS);
  }
}
