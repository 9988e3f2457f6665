package io.walleye.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the classic latency-by-percentile chart (HdrHistogram style: the x axis stretches the tail, 90% → 99.999%)
 * as a self-contained SVG, one line per run, so docs/benchmarks.md can show it without any plotting tool.
 */
public final class LatencyChart {

	private static final double[] PERCENTILES = { 0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999 };

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };

	private LatencyChart() {
	}

	public static void write(Path file, String title, List<OpenLoop.Result> results) throws IOException {
		int width = 760;
		int height = 420;
		int left = 70;
		int right = 200;
		int top = 40;
		int bottom = 50;
		double maxX = x(99.999);
		double maxY = 0;
		for (OpenLoop.Result result : results) {
			maxY = Math.max(maxY, result.percentileMillis(99.999));
		}
		maxY = niceCeiling(maxY);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
				width, height));
		svg.append("<rect width='100%' height='100%' fill='white'/>\n");
		svg.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15' font-weight='bold'>%s</text>%n",
				left, escape(title)));
		int plotW = width - left - right;
		int plotH = height - top - bottom;
		for (int i = 0; i <= 5; i++) {
			double value = maxY * i / 5;
			double y = top + plotH - plotH * i / 5.0;
			svg.append(String.format(Locale.ROOT,
					"<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/><text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
					left, y, left + plotW, y, left - 6, y + 4, trim(value)));
		}
		for (double p : new double[] { 0, 90, 99, 99.9, 99.99, 99.999 }) {
			double xPos = left + plotW * x(p) / maxX;
			svg.append(String.format(Locale.ROOT,
					"<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#eee'/><text x='%.1f' y='%d' text-anchor='middle'>%s%%</text>%n",
					xPos, top, xPos, top + plotH, xPos, top + plotH + 16, trim(p)));
		}
		svg.append(String.format(Locale.ROOT,
				"<text x='%d' y='%d' text-anchor='middle'>percentile</text><text transform='translate(18,%d) rotate(-90)' text-anchor='middle'>latency (ms)</text>%n",
				left + plotW / 2, height - 10, top + plotH / 2));
		for (int r = 0; r < results.size(); r++) {
			OpenLoop.Result result = results.get(r);
			StringBuilder points = new StringBuilder();
			for (double p : PERCENTILES) {
				double xPos = left + plotW * x(p) / maxX;
				double yPos = top + plotH - plotH * Math.min(result.percentileMillis(p), maxY) / maxY;
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xPos, yPos));
			}
			String colour = COLOURS[r % COLOURS.length];
			svg.append(String.format(Locale.ROOT,
					"<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", colour, points.toString().trim()));
			svg.append(String.format(Locale.ROOT,
					"<rect x='%d' y='%d' width='12' height='12' fill='%s'/><text x='%d' y='%d'>%s</text>%n",
					left + plotW + 12, top + r * 20, colour, left + plotW + 30, top + r * 20 + 10,
					escape(result.name())));
		}
		svg.append("</svg>\n");
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, svg);
	}

	/** Distance along the x axis: log10(1 / (1 - p)), so each extra nine takes the same width. */
	private static double x(double percentile) {
		return Math.log10(1 / (1 - Math.min(percentile, 99.999) / 100));
	}

	private static double niceCeiling(double value) {
		if (value <= 0) {
			return 1;
		}
		double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * magnitude >= value) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private static String trim(double value) {
		return java.math.BigDecimal.valueOf(value)
			.setScale(3, java.math.RoundingMode.HALF_UP)
			.stripTrailingZeros()
			.toPlainString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
