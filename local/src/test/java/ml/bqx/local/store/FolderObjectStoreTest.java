package ml.bqx.local.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the folder store adds to the contract: hidden names are its own, hidden folders are not; a
 * lost compare-and-swap backs off briefly, since a local race is cheap to retry.
 */
class FolderObjectStoreTest {
  @TempDir Path dir;
  private final FolderObjectStore store = new FolderObjectStore();

  @Test
  void objectUnderAHiddenFolder_isStoredAndListed() throws IOException {
    URI uri = dir.resolve(".bqx/staging/runs/r1/ledger.json").toUri();
    store.write(uri, "{}".getBytes(UTF_8), WritePrecondition.doesNotExist());
    assertThat(store.read(uri)).isPresent();
    assertThat(store.list(dir.resolve(".bqx/staging/").toUri()))
        .extracting(info -> info.uri().toString())
        .containsExactly(uri.toString());
  }

  @Test
  void objectWhoseNameStartsWithADot_isRefusedWithAReason() {
    URI uri = dir.resolve("runs/.ledger.json.meta").toUri();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.write(uri, new byte[1], WritePrecondition.none()));
    assertThat(e)
        .hasMessageEndingWith("is not a valid object name: its name may not start with '.'");
  }

  @Test
  void contentionBackoff_startsAtFiveMilliseconds() {
    assertThat(store.contentionBackoff().first()).isEqualTo(Duration.ofMillis(5));
  }
}
