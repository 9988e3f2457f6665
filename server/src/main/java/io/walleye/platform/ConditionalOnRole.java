package io.walleye.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Registers a bean only in processes whose {@code walleye.roles} include the given role ({@code all} includes every
 * role), so API nodes, workers and the console can be deployed and scaled apart.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(RoleCondition.class)
public @interface ConditionalOnRole {

	Role value();
}
