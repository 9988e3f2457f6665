/**
 * The console's pages (Thymeleaf and htmx).
 */
@NullMarked
package io.walleye.console.web;

import org.jspecify.annotations.NullMarked;
