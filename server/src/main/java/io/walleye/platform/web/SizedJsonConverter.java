package io.walleye.platform.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;

/**
 * Jackson's converter, answering with a {@code Content-Length}: a JSON body up to {@link #BUFFERED} bytes is written to
 * memory first, so Tomcat sends headers and body in one write and nothing after. Jackson's own converter streams and
 * flushes, which makes every JSON answer chunked: a second socket write per request for the closing chunk, 3.5 % of
 * the server's CPU on single-event requests (docs/performance.md). A larger body (a long page of events) is streamed
 * from the moment it outgrows the buffer, chunked as before, so no answer is held whole in memory twice.
 */
final class SizedJsonConverter extends JacksonJsonHttpMessageConverter {

	/** Tomcat's own response buffer: a body of this size would have been sent in one piece anyway. */
	static final int BUFFERED = 8 * 1024;

	SizedJsonConverter(JsonMapper mapper) {
		super(mapper);
	}

	@Override
	protected void writeInternal(Object object, ResolvableType type, HttpOutputMessage output,
			@Nullable Map<String, Object> hints) throws IOException {
		Spilling body = new Spilling(output);
		super.writeInternal(object, type, new HttpOutputMessage() {

			@Override
			public OutputStream getBody() {
				return body;
			}

			@Override
			public HttpHeaders getHeaders() {
				return output.getHeaders();
			}
		}, hints);
		body.finish();
	}

	/**
	 * Holds what is written until {@link #finish} (then sets the length and sends it) or until it outgrows
	 * {@link #BUFFERED} (then sends what it holds and everything after it straight through). Flushes before the end
	 * are ignored while buffering: they are what made the answer chunked.
	 */
	private static final class Spilling extends OutputStream {

		private final HttpOutputMessage output;

		/** What is held; null once sent (spilled or finished): from then on writes go straight to the body. */
		private @Nullable ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

		Spilling(HttpOutputMessage output) {
			this.output = output;
		}

		@Override
		public void write(int b) throws IOException {
			target(1).write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			target(length).write(bytes, offset, length);
		}

		/** The buffer while the bytes fit, else the body (the response's own stream: one per response). */
		private OutputStream target(int length) throws IOException {
			ByteArrayOutputStream held = this.buffer;
			if (held != null && held.size() + length <= BUFFERED) {
				return held;
			}
			this.buffer = null;
			OutputStream body = output.getBody();
			if (held != null) {
				held.writeTo(body);
			}
			return body;
		}

		@Override
		public void flush() throws IOException {
			if (this.buffer == null) {
				output.getBody().flush();
			}
		}

		/** Sends a body still held, with its length (headers are written on the first {@code getBody()}). */
		void finish() throws IOException {
			ByteArrayOutputStream held = this.buffer;
			if (held != null) {
				this.buffer = null;
				output.getHeaders().setContentLength(held.size());
				held.writeTo(output.getBody());
			}
		}
	}
}
