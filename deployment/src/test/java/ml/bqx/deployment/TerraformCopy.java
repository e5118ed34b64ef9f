package ml.bqx.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of a terraform folder with one file's text replaced: the mutations the contracts test. */
final class TerraformCopy {
  private TerraformCopy() {}

  static Path withFile(Path source, Path under, String file, String text) throws IOException {
    Path folder = Files.createTempDirectory(under, "terraform");
    try (Stream<Path> files = Files.list(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          Files.copy(p, folder.resolve(p.getFileName()));
        }
      }
    }
    Files.writeString(folder.resolve(file), text, StandardCharsets.UTF_8);
    return folder;
  }
}
