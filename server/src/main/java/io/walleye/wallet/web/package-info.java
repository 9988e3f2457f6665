/**
 * The wallet's HTTP API.
 */
@NullMarked
package io.walleye.wallet.web;

import org.jspecify.annotations.NullMarked;
