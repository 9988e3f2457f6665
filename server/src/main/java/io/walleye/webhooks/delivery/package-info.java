@NullMarked
package io.walleye.webhooks.delivery;

import org.jspecify.annotations.NullMarked;
