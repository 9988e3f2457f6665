package io.walleye.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The classic latency-by-percentile chart (HdrHistogram style: the x axis stretches the tail, 90% → 99.999%), one
 * line per run.
 */
public final class LatencyChart {

	private static final double[] PERCENTILES = { 0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999 };

	private LatencyChart() {
	}

	public static void write(Path file, String title, List<OpenLoop.Result> results) throws IOException {
		double maxX = x(99.999);
		double maxY = 0;
		for (OpenLoop.Result result : results) {
			maxY = Math.max(maxY, result.percentileMillis(99.999));
		}
		maxY = SvgPlot.niceCeiling(maxY);
		SvgPlot plot = new SvgPlot(760, 420, title);
		for (int i = 0; i <= 5; i++) {
			plot.yGrid(i / 5.0, SvgPlot.number(maxY * i / 5));
		}
		for (double p : new double[] { 0, 90, 99, 99.9, 99.99, 99.999 }) {
			plot.xGrid(x(p) / maxX, SvgPlot.number(p) + "%");
		}
		plot.axes("percentile", "latency (ms)");
		for (OpenLoop.Result result : results) {
			double[] xs = new double[PERCENTILES.length];
			double[] ys = new double[PERCENTILES.length];
			for (int i = 0; i < PERCENTILES.length; i++) {
				xs[i] = x(PERCENTILES[i]) / maxX;
				ys[i] = result.percentileMillis(PERCENTILES[i]) / maxY;
			}
			plot.line(result.name(), xs, ys);
		}
		plot.write(file);
	}

	/** Distance along the x axis: log10(1 / (1 - p)), so each extra nine takes the same width. */
	private static double x(double percentile) {
		return Math.log10(1 / (1 - Math.min(percentile, 99.999) / 100));
	}
}
