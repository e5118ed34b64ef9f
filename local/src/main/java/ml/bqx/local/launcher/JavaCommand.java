package ml.bqx.local.launcher;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs one of this code's main classes: this JVM's {@code
 * java}, the flag every bqx JVM needs (Arrow's {@code --add-opens}), the caller's JVM options, the
 * class path this code was loaded from, the main class and its arguments. Jobs, the function host
 * and the bench's measurements all start their JVMs from it.
 */
public final class JavaCommand {
  /** Arrow reads direct buffers through {@code java.nio} internals (notes/dependencies.md). */
  static final String ARROW_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

  private JavaCommand() {}

  /** The command that runs {@code mainClass} with these JVM options and no arguments. */
  public static List<String> of(String mainClass, List<String> jvmOptions) {
    return of(mainClass, jvmOptions, List.of());
  }

  /** The command that runs {@code mainClass} with these JVM options and arguments. */
  public static List<String> of(String mainClass, List<String> jvmOptions, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(ARROW_OPENS);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath(JavaCommand.class.getClassLoader()));
    command.add(mainClass);
    command.addAll(arguments);
    return List.copyOf(command);
  }

  /**
   * The class path that loaded {@code loader}'s classes: the JVM's own, or, when this code runs in
   * a loader of its own (the Functions Framework's invoker loads a function from its {@code
   * --classpath}, and the JVM's class path is then the invoker's jar alone), that loader's jars.
   */
  static String classPath(ClassLoader loader) {
    if (loader instanceof URLClassLoader urls && loader != ClassLoader.getSystemClassLoader()) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException
            | IllegalArgumentException
            | FileSystemNotFoundException notAFile) {
          // Not a local file or folder: a child JVM could not use it either.
        }
      }
      if (!entries.isEmpty()) {
        return String.join(File.pathSeparator, entries);
      }
    }
    return System.getProperty("java.class.path");
  }
}
