package io.walleye.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopTests {

	private HttpServer server;

	private final AtomicBoolean stallOnce = new AtomicBoolean(true);

	@BeforeEach
	void startServer() throws Exception {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// One worker thread: a stall holds back every request behind it, as a stuck server would.
		server.setExecutor(Executors.newSingleThreadExecutor());
		server.createContext("/", exchange -> {
			if (exchange.getRequestURI().getPath().equals("/stall") && stallOnce.getAndSet(false)) {
				sleep(300);
			}
			exchange.sendResponseHeaders(200, 2);
			exchange.getResponseBody().write("ok".getBytes());
			exchange.close();
		});
		server.start();
	}

	@AfterEach
	void stopServer() {
		server.stop(0);
	}

	@Test
	void sendsAtTheOfferedRateAndCountsOutcomes() throws Exception {
		OpenLoop loop = new OpenLoop(64);
		OpenLoop.Result result = loop.run("steady", 200, Duration.ZERO, Duration.ofSeconds(1), i -> get("/ok"),
				response -> response.statusCode() == 200);
		assertThat(result.ok()).isEqualTo(200);
		assertThat(result.failed()).isZero();
		assertThat(result.statuses()).containsEntry(200, 200L);
		// 200 requests due over 1 s: completed within 2 s even on a machine busy with other builds (the CI runs
		// this beside the server's tests), never faster than offered.
		assertThat(result.completedRate()).isBetween(100.0, 260.0);
	}

	@Test
	void aStallShowsInTheRequestsThatWereDueDuringIt() throws Exception {
		OpenLoop loop = new OpenLoop(64);
		// 100/s for 2 s; one 300 ms stall delays ~30 requests that were due meanwhile. A closed loop would record
		// one slow request; measured from due time, at least 1% of requests must be slower than 100 ms.
		OpenLoop.Result result = loop.run("stall", 100, Duration.ZERO, Duration.ofSeconds(2), i -> get("/stall"),
				response -> response.statusCode() == 200);
		assertThat(result.percentileMillis(99)).isGreaterThan(100);
		assertThat(result.latencyMicros().getTotalCount()).isEqualTo(200);
	}

	@Test
	void writesAnSvgChart(@TempDir Path dir) throws Exception {
		OpenLoop loop = new OpenLoop(16);
		OpenLoop.Result result = loop.run("chart", 50, Duration.ZERO, Duration.ofMillis(400), i -> get("/ok"),
				response -> true);
		Path chart = dir.resolve("chart.svg");
		LatencyChart.write(chart, "test", List.of(result));
		assertThat(Files.readString(chart)).startsWith("<svg").contains("polyline").contains("chart");
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
