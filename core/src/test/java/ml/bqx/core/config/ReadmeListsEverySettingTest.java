package ml.bqx.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** README's configuration table names every environment variable the code reads. */
class ReadmeListsEverySettingTest {
  @Test
  void readme_hasARowForEveryEnvKey() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(Arrays.stream(EnvKey.values()).map(k -> "| `" + k.name() + "` |"))
        .allSatisfy(row -> assertThat(readme).contains(row));
  }

  @Test
  void config_refusesMalformedValues_namingTheVariable() {
    BqxConfig config =
        BqxConfig.from(
            java.util.Map.of("BQX_MAX_ATTEMPTS", "three", "BQX_STAGING", "no scheme here"));
    assertThat(
            org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> config.positiveInt(EnvKey.BQX_MAX_ATTEMPTS)))
        .hasMessage("BQX_MAX_ATTEMPTS='three' is not an integer");
    assertThat(
            org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> config.requireUri(EnvKey.BQX_STAGING)))
        .hasMessageStartingWith("BQX_STAGING='no scheme here' is not a URI");
    assertThat(
            org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> config.require(EnvKey.BQX_OUTPUT)))
        .hasMessageStartingWith("BQX_OUTPUT is not set");
  }
}
