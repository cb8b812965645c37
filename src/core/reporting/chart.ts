// The dashboard's chart, rendered on the server to a PNG: Chart.js drawing on @napi-rs/canvas
// (Skia, prebuilt binaries shipped inside the npm package: nothing to compile, no system library).
// The text uses DejaVu Sans loaded from an npm package, so it renders on a machine with no fonts.
// Both libraries are imported on first use only: a bot that never draws a chart does not pay
// their memory at start-up.
import { createRequire } from "node:module";
import path from "node:path";

import type { Figures } from "./figure-model.js";

const CHART_SIZE = { width: 960, height: 480 } as const;
const FONT = "DejaVu Sans";
const SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

let loaded: Promise<{ createCanvas: typeof import("@napi-rs/canvas").createCanvas; Chart: typeof import("chart.js").Chart }> | undefined;

function load() {
  loaded ??= (async () => {
    const [{ createCanvas, GlobalFonts }, chartjs] = await Promise.all([import("@napi-rs/canvas"), import("chart.js")]);
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    GlobalFonts.registerFromPath(path.join(dir, "DejaVuSans.ttf"), FONT);
    GlobalFonts.registerFromPath(path.join(dir, "DejaVuSans-Bold.ttf"), FONT);
    chartjs.Chart.register(...chartjs.registerables);
    chartjs.Chart.defaults.font.family = FONT;
    return { createCanvas, Chart: chartjs.Chart };
  })();
  return loaded;
}

/** Monthly activity of the year (hours as bars, reports filed as a line) as a PNG image. */
export async function renderActivityChart(figures: Pick<Figures, "year" | "activity">): Promise<Buffer> {
  const { createCanvas, Chart } = await load();
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  const ctx = canvas.getContext("2d");
  // Chart.js leaves the background transparent; chat clients in dark mode would hide the text.
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, CHART_SIZE.width, CHART_SIZE.height);
  const months = figures.activity.months;
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], {
    type: "bar",
    data: {
      labels: months.map((m) => SHORT_MONTHS[Number(m.month.slice(5)) - 1]!),
      datasets: [
        { type: "bar", label: "Heures de présence en ligne", data: months.map((m) => Math.round(m.hours * 10) / 10), backgroundColor: "#2f6db5", yAxisID: "y" },
        { type: "line", label: "Bilans remplis", data: months.map((m) => m.reports), borderColor: "#e07b00", backgroundColor: "#e07b00", yAxisID: "y1" },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: `Activité mensuelle des Promeneurs du Net — ${figures.year}`, font: { size: 18 }, color: "#222" },
        legend: { labels: { color: "#222" } },
      },
      scales: {
        y: { beginAtZero: true, title: { display: true, text: "heures" }, ticks: { color: "#222" } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "bilans" }, ticks: { color: "#222", precision: 0 } },
        x: { ticks: { color: "#222" } },
      },
    },
  });
  const png = await canvas.encode("png");
  chart.destroy();
  return png;
}

/** Width and height read from a PNG's IHDR chunk (the first one, right after the signature). */
export function pngSize(png: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString("latin1", 12, 16) !== "IHDR") return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
