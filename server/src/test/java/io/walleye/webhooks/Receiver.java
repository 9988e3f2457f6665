package io.walleye.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 for tests (JDK HttpServer): answers each request with the next scripted status
 * (200 when the script is empty; 0 = never answer), and keeps every request it got.
 */
final class Receiver implements AutoCloseable {

	/** A request as received. */
	record Request(String id, String timestamp, String signature, String body) {
	}

	private final HttpServer server;

	private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

	final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

	private final CountDownLatch released = new CountDownLatch(1);

	Receiver(Integer... statuses) throws IOException {
		script.addAll(List.of(statuses));
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", exchange -> {
			try (InputStream in = exchange.getRequestBody()) {
				String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				var headers = exchange.getRequestHeaders();
				requests.add(new Request(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
						headers.getFirst("webhook-signature"), body));
				Integer status = script.poll();
				int answer = status == null ? 200 : status;
				if (answer == 0) {
					// Never answers within the sender's timeout; released when the test ends.
					released.await(30, TimeUnit.SECONDS);
					answer = 200;
				}
				byte[] reply = ("{\"received\":" + answer + "}").getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(answer, reply.length);
				exchange.getResponseBody().write(reply);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				exchange.close();
			}
		});
		server.start();
	}

	String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
	}

	Request next() throws InterruptedException {
		return next(Duration.ofSeconds(20));
	}

	Request next(Duration wait) throws InterruptedException {
		Request request = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		if (request == null) {
			throw new AssertionError("no webhook arrived within " + wait);
		}
		return request;
	}

	/** Verifies a request as docs/webhooks.md tells receivers to: any v1 signature made with the secret matches. */
	static boolean verifies(Request request, String secret) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
		String expected = "v1," + Base64.getEncoder()
			.encodeToString(mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
				.getBytes(StandardCharsets.UTF_8)));
		List<String> given = new ArrayList<>(List.of(request.signature().split(" ")));
		return given.stream()
			.anyMatch(signature -> java.security.MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
					expected.getBytes(StandardCharsets.UTF_8)));
	}


	@Override
	public void close() {
		released.countDown();
		server.stop(0);
	}
}
