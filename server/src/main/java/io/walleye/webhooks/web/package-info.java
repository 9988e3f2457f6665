@NullMarked
package io.walleye.webhooks.web;

import org.jspecify.annotations.NullMarked;
