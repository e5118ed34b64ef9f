package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parses a folder of .tf files to Terraform JSON with HashiCorp's HCL parser (npm, run by node).
 */
final class Hcl {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Hcl() {}

  /**
   * {"file.tf": <its JSON>, ...}; a syntax error fails with the parser's file:line:column reason.
   */
  static JsonNode parseFolder(Path folder) {
    Path script = Path.of(System.getProperty("bqx.hcl.dir", "hcl"), "hcl2json.js");
    ProcessBuilder builder =
        new ProcessBuilder(List.of("node", script.toString(), folder.toString()))
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      Path stderr = Files.createTempFile("hcl2json", ".err");
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("hcl2json did not finish within 60 s");
      }
      String err = Files.readString(stderr, StandardCharsets.UTF_8).trim();
      Files.deleteIfExists(stderr);
      if (process.exitValue() != 0) {
        throw new HclSyntaxException(err);
      }
      return MAPPER.readTree(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node on " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A .tf file that does not parse; the message names the file, line and column. */
  static final class HclSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HclSyntaxException(String message) {
      super(message);
    }
  }
}
