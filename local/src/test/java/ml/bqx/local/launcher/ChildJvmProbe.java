package ml.bqx.local.launcher;

/** Run by {@link JavaCommandTest} in a child JVM: prints what that JVM was started with. */
public final class ChildJvmProbe {
  private ChildJvmProbe() {}

  public static void main(String[] args) {
    boolean opens = Object.class.getModule().isOpen("java.nio", ChildJvmProbe.class.getModule());
    System.out.println("args " + String.join(",", args));
    System.out.println("java.nio open " + opens);
    System.out.println("max heap MB " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
