package ml.bqx.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ml.bqx.core.config.Deployment;
import ml.bqx.gcp.doctor.CloudDeployment;
import ml.bqx.gcp.doctor.PushSubscription;

/**
 * Each function is subscribed: its push subscription exists on its topic, pushes to an endpoint and
 * forwards what it cannot deliver to the dead-letter topic. A line per function.
 */
final class PushSubscriptionsCheck implements Check {
  private static final String FIX = "apply terraform/pubsub.tf again (terraform/deploy.sh)";

  private final CloudDeployment deployment;

  PushSubscriptionsCheck(CloudDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public List<CheckResult> run() {
    List<CheckResult> results = new ArrayList<>();
    for (Deployment.Function function : Deployment.FUNCTIONS) {
      results.add(check(function));
    }
    return results;
  }

  private CheckResult check(Deployment.Function function) {
    String check = "subscription " + function.subscription();
    Optional<PushSubscription> found = deployment.subscription(function.subscription());
    if (found.isEmpty()) {
      return CheckResult.fail(check, "absent: " + function.name() + " gets no messages", FIX);
    }
    PushSubscription subscription = found.get();
    String topic = deployment.topic(function.topic());
    String deadLetters = deployment.topic(Deployment.DEAD_LETTER_TOPIC);
    if (!subscription.topic().equals(topic)) {
      return CheckResult.fail(
          check, "subscribed to " + subscription.topic() + ", not " + topic, FIX);
    }
    if (subscription.pushEndpoint().isEmpty()) {
      return CheckResult.fail(
          check, "a pull subscription: nothing pushes to " + function.name(), FIX);
    }
    if (!subscription.deadLetterTopic().equals(deadLetters)) {
      return CheckResult.fail(
          check,
          subscription.deadLetterTopic().isEmpty()
              ? "no dead-letter policy: a message that always fails is retried for 7 days"
              : "dead letters go to " + subscription.deadLetterTopic() + ", not " + deadLetters,
          FIX);
    }
    return CheckResult.ok(
        check,
        "pushes to "
            + subscription.pushEndpoint()
            + ", dead letters to "
            + Deployment.DEAD_LETTER_TOPIC
            + " after "
            + subscription.maxDeliveryAttempts()
            + " attempts");
  }
}
