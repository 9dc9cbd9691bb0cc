import type { Command } from "commander";
import { renderChartPng } from "../../report/browser.js";
import { readReportData, writeReport } from "../../report/io.js";

interface ReportOpts {
  input: string;
  output: string;
  png?: string;
}

export function register(program: Command): void {
  program
    .command("report")
    .description(
      "render saved report data (ReportData JSON) as one self-contained HTML file with inline SVG charts",
    )
    .requiredOption("--input <file>", "report data (JSON, validated; see docs/reports.md)")
    .requiredOption("--output <file>", "HTML file to write (atomically)")
    .option("--png <file>", "also save the key chart as PNG (needs Debian's chromium)")
    .action(async (opts: ReportOpts) => {
      const data = await readReportData(opts.input);
      const html = await writeReport(opts.output, data);
      const kb = (Buffer.byteLength(html) / 1024).toFixed(0);
      process.stdout.write(`wrote ${opts.output} (${kb} KB)\n`);
      if (opts.png) {
        const png = await renderChartPng(html, opts.png);
        process.stdout.write(
          `wrote ${opts.png} (${png.width}×${png.height} CSS px, ${(png.bytes / 1024).toFixed(0)} KB)\n`,
        );
      }
    });
}
