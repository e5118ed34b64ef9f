package ml.bqx.trainingfile;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.trainingfile.io.PathInputFile;
import ml.bqx.trainingfile.io.StoreInputFile;
import ml.bqx.trainingfile.parquet.ColumnChunkPages;
import ml.bqx.trainingfile.parquet.ParquetFooter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.InputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The validator on files another writer made (DuckDB), through the folder store's ranged reads:
 * every codec and page version mainstream writers use, and each way a key or a column can be wrong.
 * This module's class path holds no Hadoop, so each test also proves the validator needs none (the
 * completion function's deploy jar carries none).
 */
class TrainingFileValidatorTest {
  private static final int ROWS = 5000; // three row groups of at most 2048 rows
  private static ForeignTrainingFiles files;

  @TempDir Path dir;

  @BeforeAll
  static void openDuckDb() throws Exception {
    files = new ForeignTrainingFiles();
  }

  @AfterAll
  static void closeDuckDb() throws Exception {
    files.close();
  }

  private static TrainingFileExpectations expectedOrigin() {
    return TrainingFileExpectations.minimums(ROWS, ForeignTrainingFiles.COLUMNS)
        .withColumns(ForeignTrainingFiles.COLUMNS)
        .withOrigin(
            RunId.of(ForeignTrainingFiles.RUN),
            Pair.parse(ForeignTrainingFiles.PAIR),
            ForeignTrainingFiles.ATTEMPT);
  }

  /** Puts what DuckDB wrote into the folder store, then validates it there. */
  private static TrainingFileFacts validate(Path written, TrainingFileExpectations expect)
      throws Exception {
    FolderObjectStore store = new FolderObjectStore();
    URI uri = written.resolveSibling("stored-" + written.getFileName()).toUri();
    store.write(uri, Files.readAllBytes(written), WritePrecondition.none());
    return new TrainingFileValidator(store).validate(uri, expect);
  }

  private List<String> failuresOf(List<String> columns, int rows) throws Exception {
    Path file = files.write(dir.resolve("bad.parquet"), rows, columns, "COMPRESSION zstd");
    return assertThrows(
            InvalidTrainingFileException.class,
            () -> validate(file, TrainingFileExpectations.minimums(1, 1)))
        .failures();
  }

  private static List<String> withKey(String expression) {
    List<String> columns = new java.util.ArrayList<>(ForeignTrainingFiles.columns());
    columns.set(0, expression + " AS " + WarehouseLayout.KEY);
    return columns;
  }

  @ParameterizedTest
  @CsvSource({
    "zstd, V1, ZSTD, PLAIN",
    "snappy, V1, SNAPPY, PLAIN",
    "gzip, V1, GZIP, PLAIN",
    "uncompressed, V1, UNCOMPRESSED, PLAIN",
    "lz4_raw, V1, LZ4_RAW, PLAIN",
    "zstd, V2, ZSTD, DELTA_BINARY_PACKED",
    "snappy, V2, SNAPPY, DELTA_BINARY_PACKED"
  })
  void validate_fileFromAnotherWriter_returnsItsFacts(
      String compression, String version, String codec, String keyEncoding) throws Exception {
    Path file =
        files.write(
            dir.resolve("foreign.parquet"),
            ROWS,
            ForeignTrainingFiles.columns(),
            "COMPRESSION " + compression + ", PARQUET_VERSION " + version);
    byte[] bytes = Files.readAllBytes(file);
    InputFile input = new PathInputFile(file, bytes.length);
    ColumnChunkMetaData key = ParquetFooter.read(input).getBlocks().get(0).getColumns().get(0);
    assertThat(key.getCodec().name()).isEqualTo(codec);
    assertThat(key.getEncodings()).contains(Encoding.valueOf(keyEncoding));

    TrainingFileFacts facts =
        validate(file, expectedOrigin().withCrc32c(Crc32c.of(bytes)).withSizeBetween(1, 1 << 20));

    assertThat(facts.rows()).isEqualTo(ROWS);
    assertThat(facts.columns()).isEqualTo(ForeignTrainingFiles.COLUMNS);
    assertThat(facts.rowGroups()).isEqualTo(3);
    assertThat(facts.horizons()).isEqualTo(7);
    assertThat(facts.allNullColumns()).isEmpty();
    assertThat(facts.bytes()).isEqualTo(bytes.length);
    assertThat(facts.metadata()).containsEntry("bqx.pair", ForeignTrainingFiles.PAIR);
  }

  @Test
  void validate_localFileWithNoStore_readsTheSameFacts() throws Exception {
    Path file =
        files.write(
            dir.resolve("copied.parquet"),
            ROWS,
            ForeignTrainingFiles.columns(),
            "COMPRESSION zstd");
    byte[] bytes = Files.readAllBytes(file);
    ObjectInfo computed = new ObjectInfo(file.toUri(), bytes.length, 0, Crc32c.of(bytes));

    TrainingFileFacts facts =
        TrainingFileValidator.validate(
            file.toUri(), computed, new PathInputFile(file, bytes.length), expectedOrigin());

    assertThat(facts.rows()).isEqualTo(ROWS);
    assertThat(facts.crc32c()).isEqualTo(Crc32c.of(bytes));
  }

  @Test
  void validate_dataPagesV2_decodesLevelsApartFromTheCompressedValues() throws Exception {
    FolderObjectStore store = new FolderObjectStore();
    URI uri = dir.resolve("v2.parquet").toUri();
    ObjectInfo written =
        PageV2TrainingFile.write(
            store,
            uri,
            ROWS,
            2000,
            Map.of(
                TrainingFileMetadata.RUN, ForeignTrainingFiles.RUN,
                TrainingFileMetadata.PAIR, ForeignTrainingFiles.PAIR,
                TrainingFileMetadata.ATTEMPT, Integer.toString(ForeignTrainingFiles.ATTEMPT)));
    InputFile input = new StoreInputFile(store, uri, written.size());
    BlockMetaData first = ParquetFooter.read(input).getBlocks().get(0);
    ColumnDescriptor key =
        new ColumnDescriptor(
            new String[] {WarehouseLayout.KEY},
            org.apache.parquet.schema.Types.optional(INT64).named(WarehouseLayout.KEY),
            0,
            1);
    DataPageV2 page = (DataPageV2) ColumnChunkPages.read(input, first, key).readPage();
    assertThat(page.getDefinitionLevels().size()).isPositive();

    TrainingFileFacts facts =
        new TrainingFileValidator(store)
            .validate(
                uri,
                TrainingFileExpectations.minimums(ROWS, 9)
                    .withColumns(9)
                    .withCrc32c(written.crc32c())
                    .withOrigin(
                        RunId.of(ForeignTrainingFiles.RUN),
                        Pair.parse(ForeignTrainingFiles.PAIR),
                        ForeignTrainingFiles.ATTEMPT));

    assertThat(facts.rows()).isEqualTo(ROWS);
    assertThat(facts.rowGroups()).isEqualTo(3);
    assertThat(facts.allNullColumns()).isEmpty();
  }

  @Test
  void validate_keysGoingBackwards_namesTheFirstRowOutOfOrder() throws Exception {
    List<String> failures =
        failuresOf(withKey("TIMESTAMPTZ '2026-01-05 00:00:00+00' - to_minutes(i)"), ROWS);

    assertThat(failures)
        .singleElement()
        .asString()
        .matches("key is not unique and increasing at row 1 \\(\\d+ after \\d+\\)");
  }

  @Test
  void validate_keyRepeatedAcrossRowGroups_namesTheRow() throws Exception {
    // Row 2048 opens the second row group and repeats the last key of the first.
    List<String> failures =
        failuresOf(
            withKey(
                "TIMESTAMPTZ '2026-01-05 00:00:00+00' + to_minutes(CASE WHEN i = 2048 THEN 2047"
                    + " ELSE i END)"),
            ROWS);

    assertThat(failures)
        .singleElement()
        .asString()
        .startsWith("key is not unique and increasing at row 2048 (");
  }

  @Test
  @SuppressWarnings("deprecation") // PLAIN_DICTIONARY: what format-1 writers still write
  void validate_dictionaryEncodedKeyWithRepeats_isDecodedAndRefused() throws Exception {
    Path file =
        files.write(
            dir.resolve("dictionary.parquet"),
            ROWS,
            withKey("TIMESTAMPTZ '2026-01-05 00:00:00+00' + to_minutes(i // 1000)"),
            "COMPRESSION snappy");
    ColumnChunkMetaData key =
        ParquetFooter.read(new PathInputFile(file, Files.size(file)))
            .getBlocks()
            .get(0)
            .getColumns()
            .get(0);
    assertThat(key.getEncodings())
        .containsAnyOf(Encoding.RLE_DICTIONARY, Encoding.PLAIN_DICTIONARY);

    InvalidTrainingFileException e =
        assertThrows(
            InvalidTrainingFileException.class,
            () -> validate(file, TrainingFileExpectations.minimums(1, 1)));

    assertThat(e.failures())
        .containsExactly(
            "key is not unique and increasing at row 1 (1767571200000000 after"
                + " 1767571200000000)");
  }

  @Test
  void validate_nullKey_namesTheRow() throws Exception {
    List<String> failures =
        failuresOf(
            withKey(
                "CASE WHEN i = 4100 THEN NULL ELSE TIMESTAMPTZ '2026-01-05 00:00:00+00' +"
                    + " to_minutes(i) END"),
            ROWS);

    assertThat(failures).containsExactly("key is null at row 4100");
  }

  @Test
  void validate_missingHorizonAndAllNullFeature_listsBoth() throws Exception {
    List<String> columns = new java.util.ArrayList<>(ForeignTrainingFiles.columns());
    columns.remove(1); // target_h15
    columns.set(columns.size() - 1, "NULL::DOUBLE AS vol__w90");

    List<String> failures = failuresOf(columns, ROWS);

    assertThat(failures)
        .containsExactly(
            "horizon(s) missing: target_h15", "1 feature column(s) entirely null, e.g. vol__w90");
  }

  @Test
  void validate_codecItCannotDecode_saysWhichInOneLine() throws Exception {
    Path file =
        files.write(
            dir.resolve("brotli.parquet"),
            ROWS,
            ForeignTrainingFiles.columns(),
            "COMPRESSION brotli");

    InvalidTrainingFileException e =
        assertThrows(InvalidTrainingFileException.class, () -> validate(file, expectedOrigin()));

    assertThat(e.failures())
        .containsExactly("its key column is unreadable: BROTLI pages cannot be read here");
  }

  @Test
  void validate_parquetMagicWithoutFooter_saysItIsTruncated() throws Exception {
    Path junk = dir.resolve("junk.parquet");
    FolderObjectStore store = new FolderObjectStore();
    URI uri = junk.toUri();
    store.write(uri, "PAR1 nothing here".getBytes(), WritePrecondition.none());

    InvalidTrainingFileException e =
        assertThrows(
            InvalidTrainingFileException.class,
            () ->
                new TrainingFileValidator(store)
                    .validate(uri, TrainingFileExpectations.minimums(1, 1)));

    assertThat(e.failures())
        .containsExactly(
            "it is truncated: it starts as Parquet but does not end with PAR1 (17 bytes)");
  }

  @Test
  void classPath_holdsNoHadoop_soEveryTestHereProvesTheValidatorNeedsNone() {
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
  }
}
