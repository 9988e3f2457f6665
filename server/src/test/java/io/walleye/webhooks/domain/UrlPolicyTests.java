package io.walleye.webhooks.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UrlPolicyTests {

	private static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.216.34", "metadata.example.com",
			"169.254.169.254", "intranet.example.com", "10.1.2.3", "cgnat.example.com", "100.64.0.1", "v6local.example.com",
			"fd00::1", "mapped.example.com", "::ffff:127.0.0.1");

	private static final UrlPolicy.Resolver RESOLVER = host -> {
		String address = DNS.get(host);
		if (address == null) {
			if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
				return List.of(InetAddress.getByName(host));
			}
			throw new UnknownHostException(host);
		}
		return List.of(InetAddress.getByName(address));
	};

	private final UrlPolicy strict = new UrlPolicy(false, false, RESOLVER);

	@Test
	void aPublicHttpsHostIsAllowed() {
		assertThat(strict.refusal("https://hooks.example.com/walleye")).isEmpty();
	}

	@Test
	void httpOnlyWhenAllowed() {
		assertThat(strict.refusal("http://hooks.example.com/")).contains("must be an https URL");
		assertThat(new UrlPolicy(true, false, RESOLVER).refusal("http://hooks.example.com/")).isEmpty();
		assertThat(new UrlPolicy(true, false, RESOLVER).refusal("ftp://hooks.example.com/")).isPresent();
	}

	@Test
	void loopbackLinkLocalAndPrivateTargetsAreRefused() {
		for (String url : List.of("https://127.0.0.1/", "https://[::1]/", "https://metadata.example.com/",
				"https://intranet.example.com/", "https://192.168.1.1/", "https://172.16.0.1/", "https://0.0.0.0/",
				"https://cgnat.example.com/", "https://v6local.example.com/", "https://mapped.example.com/")) {
			assertThat(strict.refusal(url)).as(url).hasValueSatisfying(reason -> assertThat(reason).contains("address"));
		}
		assertThat(new UrlPolicy(false, true, RESOLVER).refusal("https://127.0.0.1/")).isEmpty();
	}

	@Test
	void credentialsUnresolvableHostsAndNonsenseAreRefused() {
		assertThat(strict.refusal("https://user:pw@hooks.example.com/")).contains("must not contain credentials");
		assertThat(strict.refusal("https://nowhere.example.com/")).contains("has a host that does not resolve");
		assertThat(strict.refusal("not a url")).isPresent();
	}
}
