package io.walleye.eye.web;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Serves the browser tracker (built from {@code eye-js/} into the jar). {@code /eye.js} is always the version this
 * server ships, cached for 5 minutes and revalidated by ETag, so an upgrade reaches pages within minutes;
 * {@code /eye/<version>/eye.js} never changes and is cached for a year, for sites that pin a version (and use
 * subresource integrity).
 */
@RestController
@ConditionalOnRole(Role.API)
@Hidden
class TrackerScript {

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private final byte[] script;

	private final String version;

	private final String etag;

	TrackerScript(JsonMapper json) throws IOException {
		try (InputStream in = new ClassPathResource("eye-js/eye.js").getInputStream();
				InputStream pkg = new ClassPathResource("eye-js/package.json").getInputStream()) {
			this.script = in.readAllBytes();
			this.version = json.readTree(pkg).get("version").asString();
		}
		this.etag = "\"" + sha256(script).substring(0, 32) + "\"";
	}

	@GetMapping("/eye.js")
	ResponseEntity<byte[]> current() {
		return serve(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
	}

	@GetMapping("/eye/{version}/eye.js")
	ResponseEntity<byte[]> pinned(@PathVariable String version) {
		if (!this.version.equals(version)) {
			throw ApiException.notFound("tracker_version_not_found",
					"This server ships eye.js " + this.version + "; load /eye.js or /eye/" + this.version + "/eye.js");
		}
		return serve(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
	}

	private ResponseEntity<byte[]> serve(CacheControl cache) {
		return ResponseEntity.ok()
			.contentType(JAVASCRIPT)
			.cacheControl(cache)
			.eTag(etag)
			.header("X-Eye-Version", version)
			// a public script: pages that load it with crossorigin (for integrity checks) may read it
			.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
			.body(script);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
