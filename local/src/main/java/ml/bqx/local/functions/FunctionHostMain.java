package ml.bqx.local.functions;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A process hosting event functions on loopback, configured by its environment exactly as the
 * invoker configures a deployed function. Prints {@code url CLASS URL} per function, then serves
 * until its standard input closes (its runner ended, however it ended).
 */
public final class FunctionHostMain {
  private FunctionHostMain() {}

  public static void main(String[] args) throws Exception {
    List<LocalFunctionHost> hosts = new ArrayList<>();
    try {
      for (String name : args) {
        LocalFunctionHost host = LocalFunctionHost.start(Class.forName(name));
        hosts.add(host);
        System.out.println("url " + name + " " + host.url());
      }
      System.out.println("ready");
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // Nothing is sent: end of input means the runner is gone.
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("function host failed: " + e.getMessage());
      System.exit(1);
    } finally {
      hosts.forEach(LocalFunctionHost::close);
    }
    System.exit(0);
  }
}
