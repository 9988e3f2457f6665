package io.walleye.webhooks.domain;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTests {

	/** The example of the Standard Webhooks specification. */
	@Test
	void signsLikeTheStandardWebhooksExample() {
		assertThat(Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
				"{\"test\": 2432232314}"))
			.isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void duringARotationEverySecretSignsSpaceSeparated() {
		String header = Signatures.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Signatures.newSecret()), "id",
				1, "{}");
		assertThat(header.split(" ")).hasSize(2).allMatch(signature -> signature.startsWith("v1,"));
	}

	@Test
	void aNewSecretIs32RandomBytes() {
		String secret = Signatures.newSecret();
		assertThat(secret).startsWith("whsec_").isNotEqualTo(Signatures.newSecret());
		assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
	}
}
