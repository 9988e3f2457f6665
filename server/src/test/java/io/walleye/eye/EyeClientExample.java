package io.walleye.eye;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.walleye.eye.client.EyeClient;
import io.walleye.eye.client.EyeEvent;

/** Sends two events to The Eye: java EyeClientExample [server URL] [application key, else $EYE_KEY]. */
public class EyeClientExample {

	public static void main(String[] args) throws InterruptedException {
		URI server = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
		String key = args.length > 1 ? args[1] : System.getenv("EYE_KEY");
		try (EyeClient eye = EyeClient.builder(server, key).build()) {
			UUID session = UUID.randomUUID();
			eye.send(EyeEvent.of(session, "page interaction", "pageview", Map.of("host", "shop.example", "path", "/")));
			eye.send(EyeEvent.of(session, "page interaction", "cta click",
					Map.of("host", "shop.example", "path", "/", "element", "buy")));
			// Waits until both are delivered or given up; without a limit, flush() may wait minutes (see below).
			boolean done = eye.flush(Duration.ofSeconds(30));
			System.out.println((done ? "done: " : "still sending: ") + eye.metrics());
		}
	}
}
