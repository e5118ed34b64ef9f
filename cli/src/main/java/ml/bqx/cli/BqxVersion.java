package ml.bqx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The build's version, from a resource Maven fills in. */
public final class BqxVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = BqxVersion.class.getResourceAsStream("/bqx-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {
      "bqx " + properties.getProperty("version", "dev"),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
