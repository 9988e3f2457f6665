package io.walleye.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A line chart of values over the seconds of a run, one line per series. */
public final class TimeSeriesChart {

	/** One line: its name and its points, x in seconds since the run started. */
	public record Series(String name, double[] seconds, double[] values) {
	}

	private TimeSeriesChart() {
	}

	public static void write(Path file, String title, String yName, List<Series> series) throws IOException {
		double maxX = SvgPlot.niceCeiling(
				series.stream().flatMapToDouble(s -> Arrays.stream(s.seconds())).max().orElse(1));
		double maxY = SvgPlot.niceCeiling(
				series.stream().flatMapToDouble(s -> Arrays.stream(s.values())).max().orElse(1));
		SvgPlot plot = new SvgPlot(760, 380, title);
		for (int i = 0; i <= 5; i++) {
			plot.yGrid(i / 5.0, SvgPlot.number(maxY * i / 5)).xGrid(i / 5.0, SvgPlot.number(maxX * i / 5));
		}
		plot.axes("seconds", yName);
		for (Series line : series) {
			plot.line(line.name(), Arrays.stream(line.seconds()).map(s -> s / maxX).toArray(),
					Arrays.stream(line.values()).map(v -> v / maxY).toArray());
		}
		plot.write(file);
	}
}
