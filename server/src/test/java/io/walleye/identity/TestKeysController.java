package io.walleye.identity;

import java.util.Map;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** Test-only: issues and revokes keys for made-up principals, to test authentication before any module owns them. */
@RestController
@RequestMapping("/api/v1/test-keys")
@PreAuthorize("hasRole('OPERATOR')")
class TestKeysController {

	private final Identity identity;

	TestKeysController(Identity identity) {
		this.identity = identity;
	}

	@PostMapping("/{type}")
	Map<String, Object> issue(@PathVariable String type) {
		UUID principal = UUID.randomUUID();
		IssuedKey key = identity.issueApiKey(PrincipalType.fromDb(type), principal);
		return Map.of("key", key.key(), "id", key.id(), "principal_id", principal);
	}

	@DeleteMapping("/{type}/{principalId}/{keyId}")
	void revoke(@PathVariable String type, @PathVariable UUID principalId, @PathVariable UUID keyId) {
		identity.revokeApiKey(PrincipalType.fromDb(type), principalId, keyId);
	}
}
