@NullMarked
package io.walleye.webhooks.domain;

import org.jspecify.annotations.NullMarked;
