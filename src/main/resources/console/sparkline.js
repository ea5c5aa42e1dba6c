// A sparkline as inline SVG, built with DOM calls (the Content-Security-Policy allows no inline markup or style).
const SVG = 'http://www.w3.org/2000/svg';

/** values: counts oldest first. The line is scaled to the largest value; a flat zero line when all are 0. */
export function sparkline(values, width = 180, height = 28, label = '') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  const total = values.reduce((a, b) => a + b, 0);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `${label}${total} in the last ${values.length} minutes, most in one minute: ${Math.max(0, ...values)}`;
  svg.appendChild(title);
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('class', 'base');
  base.setAttribute('x1', 0);
  base.setAttribute('x2', width);
  base.setAttribute('y1', height - 1);
  base.setAttribute('y2', height - 1);
  svg.appendChild(base);
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.appendChild(line);
  return svg;
}
