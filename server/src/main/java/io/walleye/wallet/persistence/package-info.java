/**
 * The wallet's tables: wallets, owners, operations, idempotency keys and ledger checks.
 */
@NullMarked
package io.walleye.wallet.persistence;

import org.jspecify.annotations.NullMarked;
