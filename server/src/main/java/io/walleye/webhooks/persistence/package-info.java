@NullMarked
package io.walleye.webhooks.persistence;

import org.jspecify.annotations.NullMarked;
