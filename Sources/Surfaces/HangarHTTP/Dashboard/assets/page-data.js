// The account's data: databases → schemas → tables with row counts, a sample of a chosen table,
// and a small SQL box. The route carries the selection (#/data/DB/SCHEMA/TABLE), so back works.

import { h, replace } from './dom.js';
import { get, post, seg, ApiError } from './api.js';
import { bytes, count, duration } from './format.js';
import { pageHeader, section, field, resultTable, errorMessage, loading, showBanner } from './ui.js';

const SAMPLE_ROWS = 20;
const SQL_LIMIT = 1000;

export async function renderData(main, ctx, [database, schema, table]) {
  const databasesHolder = h('div', {}, loading('Loading databases…'));
  const tablesHolder = h('div', { class: 'tables-block' });
  const sampleHolder = h('div');
  const sqlBox = sqlPanel(ctx, database);

  replace(main,
    pageHeader('Data', { subtitle: h('span', {}, 'The account\u2019s DuckDB databases. Flights load here; query them below or with ', h('code', {}, 'hangar sql'), '.') }),
    h('div', { class: 'data-layout' },
      h('nav', { class: 'panel data-nav', 'aria-label': 'Databases and tables' },
        h('h2', {}, 'Databases'), databasesHolder, tablesHolder),
      h('div', { class: 'data-main' }, sampleHolder, sqlBox)));

  let databases = [];
  try {
    databases = (await get('/databases', undefined, { signal: ctx.signal })).items ?? [];
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(databasesHolder, h('p', { class: 'error-text' }, errorMessage(error)));
    return;
  }
  if (!ctx.active) return;
  sqlBox.setDatabases(databases.map((d) => d.name), database);

  if (databases.length === 0) {
    replace(databasesHolder, h('p', { class: 'muted' }, 'No databases yet. A flight that loads data, or ', h('code', {}, 'hangar sql NAME'), ', creates one.'));
    replace(sampleHolder);
    return;
  }
  replace(databasesHolder, h('ul', { class: 'nav-list' }, databases.map((d) => h('li', {},
    h('a', { href: `#/data/${encodeURIComponent(d.name)}`, 'aria-current': d.name === database ? 'page' : null },
      h('span', { class: 'nav-name' }, d.name), h('span', { class: 'muted nav-meta' }, bytes(d.size_bytes)))))));

  if (!database) {
    replace(sampleHolder, section('Tables', h('p', { class: 'muted' }, 'Choose a database to see its schemas and tables.')));
    return;
  }

  // ---- the chosen database's tables, grouped by schema ----
  replace(tablesHolder, loading('Loading tables…'));
  let tables;
  try {
    tables = (await get(`/databases/${seg(database)}/tables`, undefined, { signal: ctx.signal })).items ?? [];
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(tablesHolder, h('p', { class: 'error-text' }, errorMessage(error)));
    replace(sampleHolder);
    return;
  }
  if (!ctx.active) return;
  const bySchema = new Map();
  for (const t of tables) {
    if (!bySchema.has(t.schema)) bySchema.set(t.schema, []);
    bySchema.get(t.schema).push(t);
  }
  replace(tablesHolder,
    h('h2', {}, `Tables in ${database}`),
    bySchema.size === 0 ? h('p', { class: 'muted' }, 'This database has no tables.') : null,
    [...bySchema.keys()].sort().map((schemaName) => h('div', { class: 'schema-group' },
      h('h3', { class: 'schema-name' }, schemaName),
      h('ul', { class: 'nav-list' }, bySchema.get(schemaName).sort((a, b) => a.table.localeCompare(b.table)).map((t) => h('li', {},
        h('a', {
          href: `#/data/${encodeURIComponent(database)}/${encodeURIComponent(t.schema)}/${encodeURIComponent(t.table)}`,
          'aria-current': t.schema === schema && t.table === table ? 'page' : null,
        }, h('span', { class: 'nav-name' }, t.table), h('span', { class: 'muted nav-meta' }, `${count(t.row_count)} rows`))))))));

  if (!table) {
    replace(sampleHolder, section(database, h('p', { class: 'muted' }, `${tables.length} table${tables.length === 1 ? '' : 's'}. Choose one to see its columns and a sample of rows.`)));
    return;
  }

  // ---- one table: columns and a sample ----
  replace(sampleHolder, loading('Loading sample…'));
  try {
    const sample = await get(`/databases/${seg(database)}/tables/${seg(schema)}/${seg(table)}`, { limit: SAMPLE_ROWS, numbers: 'javascript' }, { signal: ctx.signal });
    if (!ctx.active) return;
    const columns = sample.columns ?? [];
    replace(sampleHolder, section(`${schema}.${table}`,
      h('p', { class: 'muted' }, `${count(sample.row_count)} rows · ${columns.length} columns · first ${Math.min(SAMPLE_ROWS, (sample.rows ?? []).length)} shown`),
      h('details', { class: 'columns-list' },
        h('summary', {}, 'Columns'),
        h('ul', { class: 'plain-list columns' }, columns.map((c) => h('li', {}, h('code', {}, c.name), ' ', h('span', { class: 'muted' }, c.type))))),
      resultTable(columns, sample.rows ?? [], `Sample of ${schema}.${table}`)));
    sqlBox.suggest(`SELECT *\nFROM ${quoteIdent(database)}.${quoteIdent(schema)}.${quoteIdent(table)}\nLIMIT 100`);
  } catch (error) {
    if (error.name === 'AbortError') return;
    if (error instanceof ApiError && error.status === 404) replace(sampleHolder, section('Table not found', h('p', {}, errorMessage(error))));
    else showBanner(errorMessage(error));
  }
}

function quoteIdent(name) {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

// ---- SQL box ----------------------------------------------------------------------------------------

function sqlPanel(ctx, initialDatabase) {
  const databaseSelect = h('select', { name: 'database' }, h('option', { value: '' }, '(none: in-memory)'));
  const sqlInput = h('textarea', { name: 'sql', rows: 5, spellcheck: 'false', class: 'mono code-input', placeholder: 'SELECT 42 AS answer' });
  const sqlField = field({ label: 'SQL (one statement)', control: sqlInput, hint: h('span', {}, 'Ctrl+Enter runs it. At most ', String(SQL_LIMIT), ' rows are shown.'), param: 'sql' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Run query');
  const output = h('div', { class: 'sql-output', 'aria-live': 'polite' });
  const form = h('form', { class: 'form sql-form', novalidate: true },
    h('div', { class: 'sql-row' }, field({ label: 'Default database', control: databaseSelect, param: 'database' })),
    sqlField,
    h('div', { class: 'actions' }, submit));
  let touched = false;
  sqlInput.addEventListener('input', () => { touched = true; });
  sqlInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const sql = sqlInput.value.trim();
    if (!sql) {
      replace(output, h('p', { class: 'error-text' }, 'Write a statement first.'));
      sqlInput.focus();
      return;
    }
    submit.disabled = true;
    replace(output, loading('Running…'));
    try {
      // Numbers a JavaScript double would round (big integers, decimals) come as text.
      const body = { sql, limit: SQL_LIMIT, numbers: 'javascript' };
      if (databaseSelect.value) body.database = databaseSelect.value;
      const result = await post('/sql', body, { signal: ctx.signal });
      const rows = result.rows ?? [];
      replace(output,
        h('p', { class: 'muted result-meta' },
          `${count(result.row_count ?? rows.length)} row${(result.row_count ?? rows.length) === 1 ? '' : 's'}`,
          result.truncated ? ` (first ${count(rows.length)} shown)` : '',
          result.elapsed_sec !== undefined ? ` · ${duration(result.elapsed_sec)}` : ''),
        (result.columns ?? []).length ? resultTable(result.columns, rows, 'Query result') : h('p', {}, 'The statement ran and returned no columns.'));
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(output, h('div', { class: 'sql-error', role: 'alert' }, h('p', { class: 'error-title' }, 'The query failed'), h('pre', {}, errorMessage(error))));
    } finally {
      submit.disabled = false;
    }
  });

  const panel = section('SQL', form, output);
  panel.setDatabases = (names, selected) => {
    for (const name of names) databaseSelect.appendChild(h('option', { value: name, selected: name === (selected ?? initialDatabase) }, name));
  };
  // A table's sample pre-fills the box, unless the user has written something.
  panel.suggest = (sql) => {
    if (!touched) sqlInput.value = sql;
  };
  return panel;
}
