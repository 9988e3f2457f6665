package io.walleye.bench.platform;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.Generator;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;
import io.walleye.bench.Wrk;

/**
 * The cost of authentication alone: {@code GET /api/v1/auth/me} with an operator token at rising rates. Every other
 * endpoint pays this on each call, so it must stay small next to the work the endpoint does.
 */
public final class AuthScenario implements Scenario {

	@Override
	public String name() {
		return "auth";
	}

	@Override
	public String description() {
		return "GET /api/v1/auth/me with a bearer token (--password=admin password, --rates=1000,2000,4000 --generator=java|wrk)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 512));
		String token = new Setup(loop, url).login(args.string("password", System.getenv("WALLEYE_ADMIN_PASSWORD")));
		Generator generator = new Generator(args, loop);
		Wrk.Target target = new Wrk.Target("auth", List.of(token), List.of(), 1, 200);
		List<OpenLoop.Result> results = new ArrayList<>();
		for (String rate : args.string("rates", "1000,2000,4000").split(",")) {
			double perSecond = Double.parseDouble(rate);
			OpenLoop.Result result = generator.run("auth @ " + rate + "/s", perSecond, args.duration("warmup", Duration.ofSeconds(5)),
					args.duration("duration", Duration.ofSeconds(20)),
					i -> HttpRequest.newBuilder(URI.create(url + "/api/v1/auth/me"))
						.header("Authorization", "Bearer " + token)
						.GET()
						.build(),
					response -> response.statusCode() == 200, target);
			results.add(result);
		}
		LatencyChart.write(args.output().resolve(generator.chart("auth")), "Authenticated GET /api/v1/auth/me", results);
	}
}
