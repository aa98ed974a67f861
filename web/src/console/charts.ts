/**
 * Small SVG charts for the dashboard, drawn by hand: a column chart of weekly figures and a bar
 * chart of totals. A few dozen <rect>s need no library (Chart.js and uPlot draw on canvas, which
 * screen readers and printers cannot read; D3 would add ~90 KB for scales we can write in a line).
 * Each chart is an image with a text summary; the figures themselves are in the data table the
 * screen puts beside it, for screen readers, printing and people who prefer numbers.
 */
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** What the value reads as (e.g. "$1,234.00"); the number itself when absent. */
  readonly text?: string;
}

function frame(summary: string, width: number, height: number): SVGSVGElement {
  return el('svg', {
    class: 'console-chart__svg',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': summary,
    focusable: 'false',
  });
}

/** Columns in time order (weeks), labelled at both ends, with the largest value marked. */
export function columnChart(summary: string, bars: readonly Bar[]): SVGSVGElement {
  const width = 480;
  const height = 200;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = width / Math.max(1, bars.length);
  const svg = frame(summary, width, height);
  svg.append(
    el('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'console-chart__axis' }),
  );
  bars.forEach((b, i) => {
    const h = ((height - top - bottom) * b.value) / max;
    svg.append(
      el(
        'rect',
        {
          x: i * slot + slot * 0.15,
          y: height - bottom - h,
          width: slot * 0.7,
          height: Math.max(0, h),
          class: 'console-chart__bar',
        },
        el('title', {}, `${b.label}: ${b.text ?? b.value}`),
      ),
    );
  });
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (first) svg.append(el('text', { x: 0, y: height - 8, class: 'console-chart__label' }, first.label));
  if (last && bars.length > 1) {
    svg.append(
      el(
        'text',
        { x: width, y: height - 8, 'text-anchor': 'end', class: 'console-chart__label' },
        last.label,
      ),
    );
  }
  svg.append(
    el(
      'text',
      { x: 0, y: 12, class: 'console-chart__label' },
      `max ${bars.find((b) => b.value === max)?.text ?? max}`,
    ),
  );
  return svg;
}

/** Horizontal bars, largest first as given, each labelled with its name and value. */
export function barChart(summary: string, bars: readonly Bar[]): SVGSVGElement {
  const width = 480;
  const row = 26;
  const labelWidth = 190;
  const valueWidth = 90;
  const height = Math.max(row, bars.length * row);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const svg = frame(summary, width, height);
  bars.forEach((b, i) => {
    const y = i * row;
    const w = ((width - labelWidth - valueWidth) * b.value) / max;
    svg.append(
      el(
        'text',
        { x: labelWidth - 6, y: y + row * 0.65, 'text-anchor': 'end', class: 'console-chart__label' },
        b.label,
      ),
      el('rect', {
        x: labelWidth,
        y: y + 4,
        width: Math.max(0, w),
        height: row - 8,
        class: 'console-chart__bar',
      }),
      el(
        'text',
        { x: labelWidth + w + 6, y: y + row * 0.65, class: 'console-chart__label' },
        b.text ?? String(b.value),
      ),
    );
  });
  return svg;
}
