package io.walleye.platform.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.platform.Problems;

/**
 * Holds every request body to {@code walleye.http.max-request-size}: a declared Content-Length past it is refused
 * before reading, and a body without one (chunked) is counted as it is read and refused the moment it passes the
 * limit, wherever the read happens (Jackson, the Eye's reader); the 413 is written here or by the problem handler.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final ProblemWriter problems;

	RequestSizeFilter(@Value("${walleye.http.max-request-size:4MB}") DataSize maxSize, ProblemWriter problems) {
		this.maxBytes = maxSize.toBytes();
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			tooLarge(response);
			return;
		}
		try {
			chain.doFilter(new LimitedRequest(request, maxBytes), response);
		}
		catch (IOException | ServletException | RuntimeException failure) {
			// Thrown past MVC's handler (e.g. from a filter that read the body): still a 413, not the container's 500.
			if (ContentTooLargeException.causes(failure) && !response.isCommitted()) {
				response.resetBuffer();
				tooLarge(response);
				return;
			}
			throw failure;
		}
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		// The rest of the body is not read: the connection cannot be reused.
		response.setHeader(HttpHeaders.CONNECTION, "close");
		problems.write(response, problem(maxBytes));
	}

	static ProblemDetail problem(long maxBytes) {
		return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "content_too_large", "Content too large",
				"The request body may not exceed " + maxBytes + " bytes");
	}

	/** Read past the limit: surfaces inside whatever reads the body, and is recognised in its cause chain. */
	static final class ContentTooLargeException extends IOException {

		final long maxBytes;

		ContentTooLargeException(long maxBytes) {
			super("The request body exceeds " + maxBytes + " bytes");
			this.maxBytes = maxBytes;
		}

		static @Nullable ContentTooLargeException in(@Nullable Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof ContentTooLargeException tooLarge) {
					return tooLarge;
				}
				if (cause.getCause() == cause) {
					break;
				}
			}
			return null;
		}

		static boolean causes(@Nullable Throwable failure) {
			return in(failure) != null;
		}
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private @Nullable ServletInputStream stream;

		private @Nullable BufferedReader reader;

		LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new CountingStream(super.getInputStream(), maxBytes);
			}
			return stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			if (reader == null) {
				String encoding = getCharacterEncoding();
				Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
				reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
			}
			return reader;
		}
	}

	private static final class CountingStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long maxBytes;

		private long count;

		CountingStream(ServletInputStream delegate, long maxBytes) {
			this.delegate = delegate;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			// Never ask for more than one byte past the limit, so an oversized body is not read on.
			long room = maxBytes - count + 1;
			int read = delegate.read(buffer, offset, (int) Math.min(length, Math.max(1, room)));
			if (read > 0) {
				counted(read);
			}
			return read;
		}

		private void counted(int bytes) throws ContentTooLargeException {
			count += bytes;
			if (count > maxBytes) {
				throw new ContentTooLargeException(maxBytes);
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}
	}
}
