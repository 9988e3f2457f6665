package io.walleye.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The frame every bench chart shares, drawn as a self-contained SVG so docs/benchmarks.md can show it without any
 * plotting tool: a title, grid lines with their labels, the axis names and one coloured line per series with a
 * legend. Positions are given as fractions (0–1) of the plot area; the charts decide their scales.
 */
final class SvgPlot {

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };

	private static final int LEFT = 75;

	private static final int RIGHT = 200;

	private static final int TOP = 40;

	private static final int BOTTOM = 50;

	private final StringBuilder svg = new StringBuilder();

	private final int width;

	private final int height;

	private final int plotW;

	private final int plotH;

	private int lines;

	SvgPlot(int width, int height, String title) {
		this.width = width;
		this.height = height;
		this.plotW = width - LEFT - RIGHT;
		this.plotH = height - TOP - BOTTOM;
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
				width, height));
		svg.append("<rect width='100%' height='100%' fill='white'/>\n");
		svg.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15' font-weight='bold'>%s</text>%n",
				LEFT, escape(title)));
	}

	/** A horizontal grid line at {@code fraction} of the height, labelled on the left. */
	SvgPlot yGrid(double fraction, String label) {
		double y = y(fraction);
		svg.append(String.format(Locale.ROOT,
				"<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/><text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
				LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, escape(label)));
		return this;
	}

	/** A vertical grid line at {@code fraction} of the width, labelled below. */
	SvgPlot xGrid(double fraction, String label) {
		double x = x(fraction);
		svg.append(String.format(Locale.ROOT,
				"<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#eee'/><text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n",
				x, TOP, x, TOP + plotH, x, TOP + plotH + 16, escape(label)));
		return this;
	}

	SvgPlot axes(String xName, String yName) {
		svg.append(String.format(Locale.ROOT,
				"<text x='%d' y='%d' text-anchor='middle'>%s</text><text transform='translate(18,%d) rotate(-90)' text-anchor='middle'>%s</text>%n",
				LEFT + plotW / 2, height - 10, escape(xName), TOP + plotH / 2, escape(yName)));
		return this;
	}

	/** One series: points as fractions of the plot (y clipped to the top), in the next colour, with its legend. */
	SvgPlot line(String name, double[] xFractions, double[] yFractions) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < xFractions.length; i++) {
			points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(xFractions[i]), y(Math.min(yFractions[i], 1))));
		}
		String colour = COLOURS[lines % COLOURS.length];
		svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n",
				colour, points.toString().trim()));
		svg.append(String.format(Locale.ROOT,
				"<rect x='%d' y='%d' width='12' height='12' fill='%s'/><text x='%d' y='%d'>%s</text>%n",
				LEFT + plotW + 12, TOP + lines * 20, colour, LEFT + plotW + 30, TOP + lines * 20 + 10, escape(name)));
		lines++;
		return this;
	}

	void write(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, svg + "</svg>\n");
	}

	private double x(double fraction) {
		return LEFT + plotW * fraction;
	}

	private double y(double fraction) {
		return TOP + plotH - plotH * fraction;
	}

	/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above {@code value}: a scale's top with round grid labels. */
	static double niceCeiling(double value) {
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

	static String number(double value) {
		return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
