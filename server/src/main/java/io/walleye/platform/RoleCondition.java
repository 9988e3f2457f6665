package io.walleye.platform;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class RoleCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		var attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
		if (attributes == null) {
			return true;
		}
		Role role = (Role) attributes.get("value");
		return Role.configured(context.getEnvironment()).contains(role);
	}
}
