package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.HttpFunction;
import java.lang.reflect.Modifier;
import ml.bqx.core.config.Deployment;
import org.junit.jupiter.api.Test;

/** The entry points terraform deploys (from {@link Deployment}) are real functions here. */
class DeployedEntryPointsTest {
  @Test
  void everyDeployedEntryPoint_isAnHttpFunctionTheInvokerCanBuild_forItsPushSubscription()
      throws Exception {
    assertThat(Deployment.FUNCTIONS).hasSize(3);
    for (Deployment.Function function : Deployment.FUNCTIONS) {
      Class<?> type = Class.forName(function.entryPoint());
      assertThat(HttpFunction.class.isAssignableFrom(type)).as(function.name()).isTrue();
      assertThat(Modifier.isPublic(type.getConstructor().getModifiers()))
          .as(function.name() + " needs a public no-arg constructor")
          .isTrue();
    }
  }
}
