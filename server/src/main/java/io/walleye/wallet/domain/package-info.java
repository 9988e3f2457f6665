/**
 * The wallet's plain-Java values: money and wallet tokens.
 */
@NullMarked
package io.walleye.wallet.domain;

import org.jspecify.annotations.NullMarked;
