/**
 * The console's overview: figures the modules contribute and samples of this process.
 */
@NullMarked
package io.walleye.console.overview;

import org.jspecify.annotations.NullMarked;
