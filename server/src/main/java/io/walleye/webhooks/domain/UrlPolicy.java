package io.walleye.webhooks.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Walleye may send a webhook, against server-side request forgery: {@code https} only (unless http is allowed),
 * no credentials in the URL, and a host whose every address is public — loopback, link-local (cloud metadata at
 * 169.254.169.254), private, carrier-grade NAT, unique-local and unspecified addresses are refused unless private
 * targets are allowed. Checked at registration and again before every attempt, since DNS answers change.
 */
public final class UrlPolicy {

	/** Resolves a host name to its addresses (the JDK resolver in production). */
	@FunctionalInterface
	public interface Resolver {

		List<InetAddress> resolve(String host) throws UnknownHostException;
	}

	public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

	private final boolean allowHttp;

	private final boolean allowPrivate;

	private final Resolver resolver;

	public UrlPolicy(boolean allowHttp, boolean allowPrivate, Resolver resolver) {
		this.allowHttp = allowHttp;
		this.allowPrivate = allowPrivate;
		this.resolver = resolver;
	}

	/** Why the URL may not be used, or empty when it may. */
	public Optional<String> refusal(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return Optional.of("is not a valid URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
			return Optional.of(allowHttp ? "must be an http or https URL" : "must be an https URL");
		}
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			return Optional.of("must name a host");
		}
		if (uri.getRawUserInfo() != null) {
			return Optional.of("must not contain credentials");
		}
		if (uri.getRawFragment() != null) {
			return Optional.of("must not contain a fragment");
		}
		if (allowPrivate) {
			return Optional.empty();
		}
		String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		List<InetAddress> addresses;
		try {
			addresses = resolver.resolve(bare);
		}
		catch (UnknownHostException ex) {
			return Optional.of("has a host that does not resolve");
		}
		if (addresses.isEmpty()) {
			return Optional.of("has a host that does not resolve");
		}
		for (InetAddress address : addresses) {
			if (!isPublic(address)) {
				return Optional.of("resolves to a loopback, link-local or private address (" + address.getHostAddress()
						+ ")");
			}
		}
		return Optional.empty();
	}

	static boolean isPublic(InetAddress address) {
		if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			// 0/8 "this network", 100.64/10 carrier-grade NAT, 192.0.0/24 protocol assignments, 240/4 reserved.
			return !(first == 0 || (first == 100 && second >= 64 && second <= 127)
					|| (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) || first >= 240);
		}
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local addresses; IPv4-mapped and NAT64 addresses carry an IPv4 address to judge.
			if ((bytes[0] & 0xfe) == 0xfc) {
				return false;
			}
			if (isIpv4Mapped(bytes) || isNat64(bytes)) {
				try {
					return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
				}
				catch (UnknownHostException ex) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
	}

	private static boolean isNat64(byte[] bytes) {
		// 64:ff9b::/96
		byte[] prefix = { 0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };
		for (int i = 0; i < prefix.length; i++) {
			if (bytes[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}
}
