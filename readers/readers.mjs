// Reads training files with the Parquet readers bqx's users have, each installed pinned from this
// directory's package-lock.json, and compares what each decodes with a left join DuckDB computes
// straight from the warehouse tables. Nothing here goes through bqx's code.
//
//   node readers.mjs check --warehouse W.duckdb --pair audcad --file training_audcad.parquet
//        [--decoded parquet-java=decoded.json] ...  -> one JSON report on stdout
//   node readers.mjs check --expected values.json --file checkpoint.parquet [--decoded ...]
//   node readers.mjs time --reader polars|duckdb --file F  -> {"seconds":..,"peakRssBytes":..}
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFrom = (dir) => createRequire(path.join(here, dir, 'package.json'));
/** The installed version of a package as a workspace resolves it (its own node_modules first). */
function versionOf(dir, pkg) {
  for (const root of [path.join(here, dir), here]) {
    const file = path.join(root, 'node_modules', pkg, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}
const KEY = 'interval_time';
const DATASET = 'bqx_ml_v3_features_v2';
const HORIZONS = ['target_h15', 'target_h30', 'target_h45', 'target_h60', 'target_h75', 'target_h90', 'target_h105'];

/** A decoded file: column names in file order and one array per column (key in microseconds). */
const table = (names, columns) => ({ names, columns });
const num = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : v);

function polarsReader(dir) {
  const pl = requireFrom(dir)('nodejs-polars');
  const version = versionOf(dir, 'nodejs-polars');
  return {
    name: `polars (nodejs-polars ${version})`,
    read: async (file) => {
      const df = pl.readParquet(file);
      const names = df.columns;
      const keyed = df.withColumns(pl.col(KEY).cast(pl.Int64).alias(KEY));
      return table(names, names.map((n) => Array.from(keyed.getColumn(n).toArray(), num)));
    },
  };
}

async function duckdb() {
  const { DuckDBInstance } = requireFrom('.')('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

const quoteId = (s) => `"${s.replaceAll('"', '""')}"`;
const quoteStr = (s) => `'${s.replaceAll("'", "''")}'`;

async function duckdbColumns(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  return table(reader.columnNames(), reader.getColumns().map((c) => c.map(num)));
}

const duckdbReader = {
  name: `duckdb (@duckdb/node-api ${versionOf('.', '@duckdb/node-api')})`,
  read: async (file) => {
    const connection = await duckdb();
    const described = await connection.runAndReadAll(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${quoteStr(file)}))`);
    const names = described.getColumns()[0];
    const select = names.map((n) => (n === KEY ? `epoch_us(${quoteId(n)}) AS ${quoteId(n)}` : quoteId(n)));
    return duckdbColumns(connection, `SELECT ${select.join(', ')} FROM read_parquet(${quoteStr(file)})`);
  },
};

const arrowRsReader = {
  name: `arrow-rs (parquet-wasm ${versionOf('.', 'parquet-wasm')})`,
  read: async (file) => {
    const { readParquet } = requireFrom('.')('parquet-wasm/node');
    const { tableFromIPC } = requireFrom('.')('apache-arrow');
    const arrow = tableFromIPC(readParquet(new Uint8Array(await readFile(file))).intoIPCStream());
    const names = arrow.schema.fields.map((f) => f.name);
    const columns = names.map((n) => {
      const vector = arrow.getChild(n);
      const out = new Array(vector.length);
      for (let i = 0; i < vector.length; i++) out[i] = vector.isValid(i) ? vector.get(i) : null;
      if (n === KEY) {
        // Arrow JS gives a timestamp in milliseconds; its unit says what the file holds.
        const unit = arrow.schema.fields.find((f) => f.name === KEY).type.unit;
        const perMs = [1e-3, 1, 1e3, 1e6][unit];
        return out.map((v) => (v === null ? null : Math.round(Number(v) * perMs)) );
      }
      return out.map(num);
    });
    return table(names, columns);
  },
};

const hyparquetReader = {
  name: `hyparquet ${versionOf('.', 'hyparquet')} (+ hyparquet-compressors)`,
  read: async (file) => {
    const { parquetMetadataAsync, parquetSchema, parquetRead } = await import(requireFrom('.').resolve('hyparquet'));
    const { asyncBufferFromFile } = await import(path.join(path.dirname(requireFrom('.').resolve('hyparquet')), 'node.js'));
    const { compressors } = await import(requireFrom('.').resolve('hyparquet-compressors'));
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const names = parquetSchema(metadata).children.map((c) => c.element.name);
    const columns = names.map(() => []);
    await parquetRead({
      file: buffer, metadata, compressors, utf8: false,
      onComplete: (rows) => rows.forEach((row) => row.forEach((v, c) => columns[c].push(v))),
    });
    const key = names.indexOf(KEY);
    // hyparquet decodes a timestamp to a Date (milliseconds): microseconds are milliseconds x 1000.
    columns[key] = columns[key].map((v) => (v instanceof Date ? v.getTime() * 1000 : num(v)));
    return table(names, columns.map((c, i) => (i === key ? c : c.map(num))));
  },
};

/** The file as the warehouse says it must be: the targets left-joined with every feature table. */
async function reference(warehouse, pair) {
  const connection = await duckdb();
  await connection.run(`ATTACH ${quoteStr(warehouse)} AS wh (READ_ONLY)`);
  const tables = (await connection.runAndReadAll(
    `SELECT table_name FROM information_schema.tables WHERE table_catalog = 'wh' AND table_schema = '${DATASET}'
       AND table_name LIKE ${quoteStr(`%\\_${pair}`)} ESCAPE '\\' AND table_name <> 'targets_${pair}'
     ORDER BY table_name`)).getColumns()[0];
  const select = [`epoch_us(t.${KEY}) AS ${KEY}`, ...HORIZONS.map((h) => `t.${quoteId(h)}`)];
  const joins = [];
  const missing = [];
  for (const [i, name] of tables.entries()) {
    const columns = (await connection.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_catalog = 'wh' AND table_schema = '${DATASET}'
         AND table_name = ${quoteStr(name)} AND column_name <> '${KEY}' ORDER BY ordinal_position`)).getColumns()[0];
    columns.forEach((c) => select.push(`f${i}.${quoteId(c)} AS ${quoteId(`${name}__${c}`)}`));
    joins.push(`LEFT JOIN wh.${DATASET}.${quoteId(name)} f${i} ON f${i}.${KEY} = t.${KEY}`);
    missing.push(`(f${i}.${KEY} IS NULL)::INT`);
  }
  const from = `FROM wh.${DATASET}.${quoteId(`targets_${pair}`)} t ${joins.join(' ')}`;
  const expected = await duckdbColumns(connection, `SELECT ${select.join(', ')} ${from} ORDER BY t.${KEY}`);
  const gaps = await connection.runAndReadAll(`SELECT sum(${missing.join(' + ') || '0'}) ${from}`);
  expected.missingTableRows = Number(gaps.getColumns()[0][0]);
  return expected;
}

/** Every difference between a decoded file and the reference, up to a few. */
function compare(actual, expected) {
  const problems = [];
  if (JSON.stringify(actual.names) !== JSON.stringify(expected.names)) {
    const absent = expected.names.filter((n) => !actual.names.includes(n));
    const extra = actual.names.filter((n) => !expected.names.includes(n));
    problems.push(`columns differ: missing [${absent.slice(0, 5)}], extra [${extra.slice(0, 5)}]` +
      (absent.length + extra.length === 0 ? ' (order differs)' : ''));
    return problems;
  }
  const rows = actual.columns[0]?.length ?? 0;
  if (rows !== expected.columns[0].length) {
    problems.push(`rows ${rows}, the targets have ${expected.columns[0].length}`);
    return problems;
  }
  const key = actual.columns[actual.names.indexOf(KEY)];
  for (let r = 1; r < rows; r++) {
    if (!(key[r] > key[r - 1])) { problems.push(`key not sorted and unique at row ${r}`); break; }
  }
  for (let c = 0; c < actual.names.length && problems.length < 5; c++) {
    const a = actual.columns[c];
    const e = expected.columns[c];
    for (let r = 0; r < rows; r++) {
      if (!Object.is(a[r], e[r])) {
        problems.push(`${actual.names[c]} row ${r}: ${a[r]}, the warehouse has ${e[r]}`);
        break;
      }
    }
  }
  return problems;
}

function nullCells(t) {
  return t.columns.reduce((sum, c) => sum + c.filter((v) => v === null).length, 0);
}

function args(argv) {
  const out = { decoded: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'decoded') out.decoded.push(argv[i + 1]);
    else out[name] = argv[i + 1];
  }
  return out;
}

const READERS = {
  'polars-0.25': () => polarsReader('polars-0.25'),
  'polars-current': () => polarsReader('polars-current'),
  duckdb: () => duckdbReader,
  'arrow-rs': () => arrowRsReader,
  hyparquet: () => hyparquetReader,
};

async function check(options) {
  // The reference: DuckDB's join of the warehouse, or for a checkpoint the values its writer was given.
  const expected = options.expected
    ? { ...JSON.parse(await readFile(options.expected, 'utf8')), missingTableRows: 0 }
    : await reference(options.warehouse, options.pair);
  const report = {
    file: options.file, rows: expected.columns[0].length, columns: expected.names.length,
    nullCells: nullCells(expected), missingTableRows: expected.missingTableRows, readers: [],
  };
  const decoded = options.decoded.map((spec) => {
    const [name, json] = spec.split(/=(.*)/s);
    return [name, () => ({ name, read: async () => JSON.parse(await readFile(json, 'utf8')) })];
  });
  for (const [key, make] of [...Object.entries(READERS), ...decoded]) {
    let name = key;
    try {
      const reader = make(); // loading a reader can fail too (a missing native binding)
      name = reader.name;
      const actual = await reader.read(options.file);
      const problems = compare(actual, expected);
      report.readers.push({ reader: name, ok: problems.length === 0, nullCells: nullCells(actual), problems });
    } catch (e) {
      report.readers.push({ reader: name, ok: false, problems: [`cannot read: ${String(e.message ?? e).split('\n')[0]}`] });
    }
  }
  return report;
}

/** Loads the whole file into the engine's own memory, as a user's first step does. */
const LOADERS = {
  polars: async (file) => {
    const pl = requireFrom('polars-current')('nodejs-polars');
    const df = pl.readParquet(file);
    return { reader: READERS['polars-current']().name, rows: df.height, columns: df.width };
  },
  duckdb: async (file) => {
    const connection = await duckdb();
    await connection.run(`CREATE TABLE training AS SELECT * FROM read_parquet(${quoteStr(file)})`);
    const shape = await connection.runAndReadAll(
      "SELECT (SELECT count(*) FROM training), (SELECT count(*) FROM duckdb_columns() WHERE table_name = 'training')");
    const [rows, columns] = shape.getColumns().map((c) => Number(c[0]));
    return { reader: duckdbReader.name, rows, columns };
  },
};

async function time(options) {
  const started = process.hrtime.bigint();
  const loaded = await LOADERS[options.reader](options.file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...loaded, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

const [mode, ...rest] = process.argv.slice(2);
const options = args(rest);
const result = mode === 'check' ? await check(options) : mode === 'time' ? await time(options) : null;
if (result === null) {
  console.error('usage: readers.mjs check|time ...');
  process.exit(2);
}
console.log(JSON.stringify(result));
