package io.walleye.console.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;

/**
 * A signed-in operator in the console's session. The principal is the same {@link Principal} the API hands to
 * controllers, so console controllers take {@code @AuthenticationPrincipal Principal} too; the name is the username.
 */
final class OperatorAuthentication extends AbstractAuthenticationToken {

	private final Principal operator;

	private final String username;

	OperatorAuthentication(Principal operator, String username) {
		super(List.of(new SimpleGrantedAuthority(PrincipalType.OPERATOR.authority())));
		this.operator = operator;
		this.username = username;
		setAuthenticated(true);
	}

	@Override
	public Principal getPrincipal() {
		return operator;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public String getName() {
		return username;
	}
}
