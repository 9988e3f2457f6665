package io.walleye.platform.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import io.walleye.platform.StartupRefused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded database's fixed port: refused while another process listens on it, not after it stopped. */
class DataDirectoryGuardTests {

	private static ServerSocket listener() throws IOException {
		ServerSocket listener = new ServerSocket();
		listener.setReuseAddress(true);
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		return listener;
	}

	@Test
	void aPortSomeoneListensOnIsTaken() throws IOException {
		try (ServerSocket someoneElse = listener()) {
			assertThatThrownBy(() -> DataDirectoryGuard.requireFreePort(someoneElse.getLocalPort()))
				.isInstanceOf(StartupRefused.class)
				.hasMessageContaining("is taken by another process");
		}
	}

	/**
	 * A PostgreSQL just stopped leaves the connections it closed in TIME_WAIT on its port for a minute; PostgreSQL
	 * binds over them, so a restart with the same fixed port must not be refused for them.
	 */
	@Test
	void aPortWithOnlyClosedConnectionsLeftIsFree() throws IOException {
		int port;
		try (ServerSocket stopped = listener()) {
			port = stopped.getLocalPort();
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
				try (Socket served = stopped.accept()) {
					// The server's end closes first: that end stays in TIME_WAIT once the client closes too.
				}
				assertThat(client.getInputStream().read()).isEqualTo(-1);
			}
		}
		assertThatCode(() -> DataDirectoryGuard.requireFreePort(port)).doesNotThrowAnyException();
	}
}
