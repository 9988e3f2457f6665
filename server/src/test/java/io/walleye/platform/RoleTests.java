package io.walleye.platform;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RoleTests {

	@Test
	void allIsTheDefault() {
		assertThat(Role.configured(new MockEnvironment())).isEqualTo(EnumSet.allOf(Role.class));
	}

	@Test
	void aListSelectsRoles() {
		assertThat(Role.configured(new MockEnvironment().withProperty(Role.PROPERTY, "api, Console")))
			.containsExactlyInAnyOrder(Role.API, Role.CONSOLE);
	}

	@Test
	void unknownRoleFailsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Role.configured(new MockEnvironment().withProperty(Role.PROPERTY, "apis")));
	}
}
