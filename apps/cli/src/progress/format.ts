// Small text formatters shared by progress bars and result tables.

/** A bar of `width` cells filled to `fraction` (eighth-cell resolution). */
export function bar(fraction: number, width: number): string {
  const cells = Math.max(0, Math.min(1, fraction)) * width;
  const full = Math.floor(cells);
  const partial = Math.floor((cells - full) * 8);
  const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  const body = '█'.repeat(full) + (full < width ? eighths[partial] : '');
  return body + ' '.repeat(width - [...body].length);
}

/** Seconds as m:ss or h:mm:ss. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A fraction in [0, 1] as a percentage with one decimal. */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

/** A rate with a sensible number of digits. */
export function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Rows of cells as an aligned text table, first row the header (numbers right-aligned). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const numeric = (text: string) => /^[-+]?\d[\d.,]*(e[-+]?\d+)?%?$/.test(text);
  return rows
    .map((row) =>
      row
        .map((cell, c) => {
          const pad = ' '.repeat(widths[c] - [...cell].length);
          return c > 0 && numeric(cell) ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
