package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import ml.bqx.deployment.Terraform.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The for_each blocks of terraform/ as the contracts read them: one instance per key of the locals
 * map, with the real arguments of that key's entry.
 */
class TerraformForEachTest {
  private static Terraform real;

  @BeforeAll
  static void parseRealFiles() {
    real = Terraform.load(TerraformCopy.TERRAFORM);
  }

  @Test
  void pushSubscriptions_areOnePerFunction_withThatFunctionsArguments() {
    List<Resource> pushes =
        real.resources("google_pubsub_subscription").stream()
            .filter(s -> s.name().equals("push"))
            .toList();

    // In terraform's order of instances: by key.
    assertThat(pushes)
        .extracting(Resource::address)
        .containsExactly(
            "google_pubsub_subscription.push[\"completion\"]",
            "google_pubsub_subscription.push[\"dispatch\"]",
            "google_pubsub_subscription.push[\"reconcile\"]");
    Resource dispatch = pushes.get(1);
    assertThat(dispatch.text("name")).isEqualTo("bqx-dispatch-push");
    assertThat(dispatch.text("topic")).isEqualTo("${google_pubsub_topic.pairs.id}");
    assertThat(dispatch.text("push_config.push_endpoint"))
        .isEqualTo(
            "${google_cloudfunctions2_function.function[\"dispatch\"].service_config[0].uri}");
    assertThat(dispatch.text("push_config.oidc_token.service_account_email"))
        .isEqualTo("${google_service_account.trigger[\"dispatch\"].email}");
    assertThat(dispatch.text("dead_letter_policy.max_delivery_attempts"))
        .isEqualTo("${var.max_delivery_attempts}");
    assertThat(dispatch.body().has("for_each")).isFalse();
    assertThat(pushes.get(2).text("topic")).isEqualTo("${google_pubsub_topic.reconcile.id}");
  }

  @Test
  void valuesOfTheMap_keepTheirType_andTemplatesAroundThemTheirText() {
    Resource reconcile = function("reconcile");
    Resource dispatch = function("dispatch");

    assertThat(reconcile.at("service_config.max_instance_count").isNumber()).isTrue();
    assertThat(reconcile.text("service_config.max_instance_count")).isEqualTo("1");
    assertThat(dispatch.text("service_config.max_instance_count"))
        .isEqualTo("${var.function_max_instances}");
    assertThat(
            real.resources("google_service_account").stream()
                .filter(a -> a.name().equals("trigger"))
                .map(a -> a.text("account_id") + " " + a.text("display_name")))
        .containsExactly(
            "bqx-completion-trigger bqx trigger of CompletionFunction",
            "bqx-dispatch-trigger bqx trigger of DispatchFunction",
            "bqx-reconcile-trigger bqx trigger of ReconcileFunction");
  }

  @Test
  void forEachOverAVariablesSet_staysOneBlock() {
    assertThat(real.resource("google_pubsub_topic_iam_member", "operators_publish_pairs"))
        .hasValueSatisfying(r -> assertThat(r.text("member")).isEqualTo("${each.value}"));
  }

  @Test
  void attributeTheEntryLacks_failsNamingTheInstance() throws Exception {
    ForEach completion =
        new ForEach("google_x.y[\"completion\"]", "completion", json("{\"name\": \"bqx-c\"}"));

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> completion.instance(json("{\"description\": \"${each.value.summary}\"}")));
    assertThat(e.getMessage()).isEqualTo("google_x.y[\"completion\"]: each.value has no summary");
  }

  @Test
  void valuesInsideLargerExpressions_areSplicedAsHclWouldReadThem() throws Exception {
    ForEach dispatch =
        new ForEach(
            "google_x.y[\"dispatch\"]",
            "dispatch",
            json("{\"name\": \"bqx-dispatch\", \"topic\": \"${google_pubsub_topic.pairs.id}\"}"));

    assertThat(
            dispatch.instance(
                json(
                    "{\"for_each\": \"${local.functions}\","
                        + " \"a\": \"${each.value.name}-push\","
                        + " \"b\": \"${upper(each.value.name)}\","
                        + " \"c\": \"${split(\\\"/\\\", each.value.topic)[3]}\","
                        + " \"d\": [{\"e\": \"${google_service_account.trigger[each.key].email}\"}]}")))
        .isEqualTo(
            json(
                "{\"a\": \"bqx-dispatch-push\","
                    + " \"b\": \"${upper(\\\"bqx-dispatch\\\")}\","
                    + " \"c\": \"${split(\\\"/\\\", (google_pubsub_topic.pairs.id))[3]}\","
                    + " \"d\": [{\"e\": \"${google_service_account.trigger[\\\"dispatch\\\"].email}\"}]}"));
  }

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  private static Resource function(String key) {
    return real.resources("google_cloudfunctions2_function").stream()
        .filter(f -> key.equals(f.key()))
        .findFirst()
        .orElseThrow();
  }
}
