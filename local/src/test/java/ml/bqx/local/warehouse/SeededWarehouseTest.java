package ml.bqx.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeding only what is missing, and a marker that never claims what the file does not hold. */
class SeededWarehouseTest {
  private static final Pair AUDCAD = Pair.parse("audcad");
  private static final Pair EURJPY = Pair.parse("eurjpy");
  private static final List<Pair> BOTH = List.of(AUDCAD, EURJPY);

  @TempDir Path dir;

  private SeededWarehouse warehouse() {
    return new SeededWarehouse(dir.resolve("warehouse.duckdb"));
  }

  private static SeedSpec tiny(List<Pair> pairs, int tables) {
    return new SeedSpec(pairs, tables, 48, 2, 42);
  }

  @Test
  void fresh_missesEveryPair_andHasNoName() throws IOException {
    assertThat(warehouse().missing("tiny", BOTH)).isEqualTo(BOTH);
    assertThat(warehouse().name()).isEmpty();
  }

  @Test
  void add_recordsItsPairs_underItsName_besideTheFile() throws Exception {
    warehouse().add("tiny", tiny(List.of(AUDCAD), 2), SeedProgress.NONE);

    assertThat(warehouse().missing("tiny", BOTH)).containsExactly(EURJPY);
    assertThat(warehouse().name()).contains("tiny");
    assertThat(Files.readString(dir.resolve("warehouse.seeded"))).isEqualTo("tiny\naudcad\n");
    assertThat(tablesOf(AUDCAD)).isEqualTo(3);

    warehouse().add("tiny", tiny(List.of(EURJPY), 2), SeedProgress.NONE);
    assertThat(warehouse().missing("tiny", BOTH)).isEmpty();
    assertThat(tablesOf(AUDCAD)).isEqualTo(3);
  }

  @Test
  void add_underAnotherName_replacesTheWarehouse() throws Exception {
    warehouse().add("tiny", tiny(List.of(AUDCAD), 2), SeedProgress.NONE);

    warehouse().add("tiny:4x48", tiny(List.of(EURJPY), 4), SeedProgress.NONE);

    assertThat(warehouse().name()).contains("tiny:4x48");
    assertThat(warehouse().missing("tiny", BOTH)).isEqualTo(BOTH);
    assertThat(warehouse().missing("tiny:4x48", BOTH)).containsExactly(AUDCAD);
    assertThat(tablesOf(AUDCAD)).isZero();
    assertThat(tablesOf(EURJPY)).isEqualTo(5);
  }

  @Test
  void seed_replacesItsPairs_whichTheMarkerThenNoLongerCounts() throws Exception {
    warehouse().add("tiny", tiny(BOTH, 2), SeedProgress.NONE);

    warehouse().seed(tiny(List.of(AUDCAD), 5), SeedProgress.NONE);

    assertThat(tablesOf(AUDCAD)).isEqualTo(6);
    assertThat(warehouse().missing("tiny", BOTH)).containsExactly(AUDCAD);
  }

  @Test
  void aMarkerWithoutItsFile_holdsNothing_andIsNotCarriedOver() throws Exception {
    warehouse().add("tiny", tiny(BOTH, 2), SeedProgress.NONE);
    Files.delete(dir.resolve("warehouse.duckdb"));

    assertThat(warehouse().name()).isEmpty();
    warehouse().seed(tiny(List.of(AUDCAD), 2), SeedProgress.NONE);

    assertThat(warehouse().name()).isEmpty();
    assertThat(warehouse().missing("tiny", BOTH)).isEqualTo(BOTH);
  }

  @Test
  void everyTenth_saysTheFirstTheLastAndEachTenthOnce() {
    List<String> said = new ArrayList<>();
    SeedProgress progress = SeedProgress.everyTenth(said::add);
    for (int done = 1; done <= 40; done++) {
      progress.tableSeeded(AUDCAD, "t" + done, done, 40);
    }
    assertThat(said)
        .hasSize(11)
        .startsWith("seeding 1/40 tables (audcad)", "seeding 4/40 tables (audcad)")
        .endsWith("seeding 40/40 tables (audcad)");
  }

  private int tablesOf(Pair pair) throws SQLException {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + warehouse().file());
        Statement sql = duck.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + WarehouseLayout.DATASET
                    + "' AND table_name LIKE '%\\_"
                    + pair.name()
                    + "' ESCAPE '\\'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
