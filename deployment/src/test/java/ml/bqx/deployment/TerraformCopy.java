package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The real terraform/ folder, and copies of it with one file's text changed: the mutations the
 * contracts test. Each change first asserts that its target is in the file, so a mutation whose
 * target moved fails instead of testing the unchanged files.
 */
final class TerraformCopy {
  static final Path TERRAFORM = Path.of(System.getProperty("bqx.repo.root", ".."), "terraform");

  private TerraformCopy() {}

  static String read(String file) {
    try {
      return Files.readString(TERRAFORM.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** terraform/ with every occurrence of from in file replaced by to. */
  static Terraform replaced(Path under, String file, String from, String to) {
    return withFile(under, file, target(file, from).replace(from, to));
  }

  /** terraform/ with a block appended to file. */
  static Terraform appended(Path under, String file, String block) {
    return withFile(under, file, read(file) + "\n" + block);
  }

  /** terraform/ without the top-level block of file that starts with header. */
  static Terraform withoutBlock(Path under, String file, String header) {
    String block = blockOf(target(file, header), header);
    return replaced(under, file, block, "");
  }

  /** The text of one top-level block starting with the given header, through its closing brace. */
  private static String blockOf(String text, String header) {
    int start = text.indexOf(header);
    assertThat(start).as(header).isNotNegative();
    int end = text.indexOf("\n}\n", start);
    return text.substring(start, end + 3);
  }

  /** terraform/ with file's text replaced (or a new file added), parsed. */
  static Terraform withFile(Path under, String file, String text) {
    return Terraform.load(folderWith(under, file, text));
  }

  /** A copy of terraform/ under a temporary folder with file's text replaced or added. */
  static Path folderWith(Path under, String file, String text) {
    try {
      Path folder = Files.createTempDirectory(under, "terraform");
      try (Stream<Path> files = Files.list(TERRAFORM)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(p)) {
            Files.copy(p, folder.resolve(p.getFileName()));
          }
        }
      }
      Files.writeString(folder.resolve(file), text, StandardCharsets.UTF_8);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String target(String file, String from) {
    String text = read(file);
    assertThat(text).as("mutation target in " + file).contains(from);
    return text;
  }
}
